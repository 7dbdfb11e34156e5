"""Many agents at once: 10 agent processes × 100 rounds of "next customer" + outcome, on SQLite and PostgreSQL.

Each round takes the next customer and logs a no-answer (the task then waits 4 hours, so in the one
moment the bench runs a task can be handed out once only). Printed per database: rounds done, tasks
handed to two agents, outcomes lost, and the p50/p95 of "next customer" as the agents saw it. The
PostgreSQL run uses a throwaway server (tests/postgres.py) and is skipped, with the reason, without
one. Goals from the issue: 0 tasks held by two agents, 0 lost outcomes, p95 under 50 ms.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import shutil
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench import goals as goals_table

AS_OF = dt.datetime(2026, 11, 20, 10, 0, 0)
AGENTS = int(os.environ.get("WALLET_CRM_BENCH_AGENTS", "10"))
ROUNDS = int(os.environ.get("WALLET_CRM_BENCH_ROUNDS", "100"))
P95_GOAL_MS = 50.0


def _prepare(target: str, folder: Path, tasks: int) -> None:
    from tests.import_files import failed_payment_rows, write_xlsx
    from wallet_crm.db import close_database, open_database
    from wallet_crm.followup.build import build_queue
    from wallet_crm.imports import import_file

    db = open_database(target)
    import_file(db, write_xlsx(folder / "bill.xlsx", failed_payment_rows(tasks, AS_OF)))
    build_queue(db, AS_OF)
    close_database()


def _agent(target: str, name: str, rounds: int) -> tuple[list[int], list[float]]:
    """One agent's process: the task ids it was given and how long each "next customer" took (seconds)."""
    from wallet_crm.db import close_database, open_database
    from wallet_crm.followup.agents import add_agent
    from wallet_crm.followup.work import Outcome, log_outcome, next_task

    db = open_database(target)
    agent = add_agent(db, name, AS_OF)
    taken, waits = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        handed = next_task(db, agent.id, AS_OF)
        waits.append(time.perf_counter() - started)
        if handed.task_id is None:
            break
        taken.append(handed.task_id)
        outcome = Outcome(task_id=handed.task_id, agent_id=agent.id, disposition="no_answer", channel="phone")
        log_outcome(db, outcome, AS_OF)
    close_database()
    return taken, waits


def run(label: str, target: str, folder: Path) -> None:
    from wallet_crm.db import close_database, open_database

    _prepare(target, folder, AGENTS * ROUNDS + 50)
    context = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    with context.Pool(AGENTS) as pool:
        results = pool.starmap(_agent, [(target, f"坐席{n}", ROUNDS) for n in range(AGENTS)])
    seconds = time.perf_counter() - started
    counts = Counter(task for taken, _ in results for task in taken)
    waits = sorted(wait * 1000 for _, agent_waits in results for wait in agent_waits)
    db = open_database(target)
    attempts = int(db.execute_sql("SELECT COUNT(*) FROM contact_attempts").fetchone()[0])
    close_database()
    rounds = sum(counts.values())
    doubles = sum(1 for times in counts.values() if times > 1)
    p50, p95 = statistics.median(waits), waits[int(len(waits) * 0.95) - 1]
    print(
        f"{label:<11} {AGENTS} agents x {ROUNDS}: {rounds:,} rounds in {seconds:.1f} s, outcomes stored {attempts:,}, "
        f"tasks given to two agents {doubles}, next customer p50 {p50:.1f} ms, p95 {p95:.1f} ms"
    )
    goals_table.record(f"team {label}", "tasks held by two agents = 0", str(doubles), doubles == 0)
    goals_table.record(f"team {label}", "lost outcomes = 0", str(rounds - attempts), rounds == attempts)
    goals_table.record(f"team {label}", f"next customer p95 < {P95_GOAL_MS:g} ms", f"{p95:.1f} ms", p95 < P95_GOAL_MS)


def main() -> None:
    from tests import postgres

    with tempfile.TemporaryDirectory(prefix="wallet-crm-bench-team-") as folder:
        (Path(folder) / "sqlite").mkdir()
        run("SQLite", str(Path(folder) / "sqlite" / "team.sqlite3"), Path(folder) / "sqlite")
    reason = postgres.why_not()
    if reason is not None:
        print(f"PostgreSQL skipped: {reason}")
        return
    server_folder = Path(tempfile.mkdtemp(prefix="wallet-crm-bench-postgres-"))
    server = postgres.start_server(server_folder / "server")
    try:
        (server_folder / "work").mkdir()
        run("PostgreSQL", server.create_database(), server_folder / "work")
    finally:
        server.stop()
        shutil.rmtree(server_folder, ignore_errors=True)


if __name__ == "__main__":
    main()
