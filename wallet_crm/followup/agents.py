"""The people who call: a list kept in Settings, picked at start ("who is working"), tasks assigned to them.

Agents are deactivated, never deleted, so the attempts they logged keep their author for reports.
Full log-in comes later; for now an agent is a name the team agrees on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from peewee import Database

from wallet_crm.db.bulk import execute_many, insert_returning_id
from wallet_crm.errors import FollowupError
from wallet_crm.stored_time import db_time

MAX_NAME_LENGTH = 40


@dataclass(frozen=True)
class Agent:
    id: int
    name: str
    active: bool


def _agent(row: tuple[object, ...]) -> Agent:
    return Agent(int(str(row[0])), str(row[1]), bool(row[2]))


def add_agent(db: Database, name: str, as_of: dt.datetime) -> Agent:
    """A new active agent; names are trimmed and must be unique (case as typed)."""
    clean = " ".join(name.split())
    if not clean:
        raise FollowupError(code="followup.agent_no_name")
    if len(clean) > MAX_NAME_LENGTH:
        raise FollowupError(code="followup.agent_name_too_long", limit=MAX_NAME_LENGTH)
    with db.atomic():
        if find_agent(db, clean) is not None:
            raise FollowupError(code="followup.agent_name_taken", name=clean)
        agent_id = insert_returning_id(db, "agents", ("name", "active", "created_at"), (clean, True, db_time(as_of)))
    return Agent(agent_id, clean, True)


def list_agents(db: Database, include_inactive: bool = False) -> list[Agent]:
    sql = "SELECT id, name, active FROM agents"
    params: tuple[object, ...] = ()
    if not include_inactive:
        sql += f" WHERE active = {db.param}"
        params = (True,)
    return [_agent(row) for row in db.execute_sql(sql + " ORDER BY name, id", params)]


def find_agent(db: Database, name: str) -> Agent | None:
    row = db.execute_sql(f"SELECT id, name, active FROM agents WHERE name = {db.param}", (name.strip(),)).fetchone()
    return _agent(row) if row else None


def agent_by_name(db: Database, name: str) -> Agent:
    """The active agent called `name`, or a `FollowupError` saying how to add one."""
    agent = find_agent(db, name)
    if agent is None:
        raise FollowupError(code="followup.no_agent_named", name=name.strip())
    if not agent.active:
        raise FollowupError(code="followup.agent_inactive", name=agent.name)
    return agent


def get_agent(db: Database, agent_id: int, active: bool = True) -> Agent:
    row = db.execute_sql(f"SELECT id, name, active FROM agents WHERE id = {db.param}", (agent_id,)).fetchone()
    if row is None:
        raise FollowupError(code="followup.no_agent_id", agent=agent_id)
    agent = _agent(row)
    if active and not agent.active:
        raise FollowupError(code="followup.agent_inactive", name=agent.name)
    return agent


def set_agent_active(db: Database, agent_id: int, active: bool) -> Agent:
    """Deactivating also gives back the agent's held and assigned open tasks to the team."""
    get_agent(db, agent_id, active=False)
    p = db.param
    with db.atomic():
        db.execute_sql(f"UPDATE agents SET active = {p} WHERE id = {p}", (active, agent_id))
        if not active:
            db.execute_sql(
                f"UPDATE tasks SET held_by_id = NULL, held_until = NULL WHERE held_by_id = {p} AND status = {p}",
                (agent_id, "open"),
            )
            db.execute_sql(
                f"UPDATE tasks SET assigned_to_id = NULL WHERE assigned_to_id = {p} AND status = {p}",
                (agent_id, "open"),
            )
    return get_agent(db, agent_id, active=False)


def _open_tasks(db: Database, task_ids: Sequence[int]) -> list[tuple[int, int, str]]:
    """(id, priority, due_at) of those of `task_ids` that are open, highest priority first."""
    p = db.param
    found: list[tuple[int, int, str]] = []
    for start in range(0, len(task_ids), 500):
        chunk = list(task_ids[start : start + 500])
        found.extend(
            (int(row[0]), int(row[1]), str(row[2]))
            for row in db.execute_sql(
                f"SELECT id, priority, due_at FROM tasks WHERE status = {p} AND id IN ({', '.join([p] * len(chunk))})",
                ("open", *chunk),
            )
        )
    found.sort(key=lambda task: (-task[1], task[2], task[0]))
    return found


def assign_tasks(db: Database, task_ids: Sequence[int], agent_id: int | None) -> int:
    """Assign the open ones of `task_ids` to one agent (None: unassign); returns how many."""
    if agent_id is not None:
        get_agent(db, agent_id)
    with db.atomic():
        open_ids = [task[0] for task in _open_tasks(db, task_ids)]
        execute_many(
            db, f"UPDATE tasks SET assigned_to_id = {db.param} WHERE id = {db.param}", [(agent_id, t) for t in open_ids]
        )
    return len(open_ids)


def assign_round_robin(db: Database, task_ids: Sequence[int], agent_ids: Sequence[int]) -> dict[int, int]:
    """Deal the open ones of `task_ids` to agents in turn, highest priority first; returns task id -> agent id."""
    if not agent_ids:
        raise FollowupError(code="followup.share_needs_agents")
    for agent_id in agent_ids:
        get_agent(db, agent_id)
    with db.atomic():
        ordered = [task[0] for task in _open_tasks(db, task_ids)]
        plan = {task_id: agent_ids[index % len(agent_ids)] for index, task_id in enumerate(ordered)}
        execute_many(
            db,
            f"UPDATE tasks SET assigned_to_id = {db.param} WHERE id = {db.param}",
            [(agent, task) for task, agent in plan.items()],
        )
    return plan
