"""Log-in on the command line: `--user NAME` with the password from `WALLET_CRM_PASSWORD` or a prompt, the
role each command needs, and `users add|list|passwd|role`.

A database without users asks nothing, as before. Once it has users, every command that reads or writes
it signs in first and is refused, with the role it needs, when the user's role is below it. An agent
works as themselves: `queue next` and `outcome` take the signed-in user as the agent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wallet_crm import messages
from wallet_crm.cli_session import Command, CommandSession
from wallet_crm.errors import KnownError

if TYPE_CHECKING:
    from peewee import Database

    from wallet_crm.accounts.users import User

PASSWORD_VARIABLE = "WALLET_CRM_PASSWORD"  # the signed-in user's password, for scripts
NEW_PASSWORD_VARIABLE = "WALLET_CRM_NEW_PASSWORD"  # the password `users add` or `users passwd` sets
# (command, its action word or None) -> the action it needs; None: the command reads no database of ours.
COMMAND_ACTIONS: dict[tuple[str | None, str | None], str | None] = {
    ("status", None): "queue.view",
    ("import", None): "import",
    ("imports", None): "import",
    ("undo-import", None): "undo",
    ("profiles", None): "import",
    ("queue", "build"): "queue.build",
    ("queue", "list"): "queue.view",
    ("queue", "next"): "queue.work",
    ("outcome", None): "queue.work",
    ("agents", "add"): "users",
    ("agents", "list"): "queue.view",
    ("report", None): "report",
    ("export", None): "export",
    ("backup", None): "backup",
    ("restore", None): "backup",
    ("copy", None): "team",
}
AGENT_COMMANDS = frozenset([("queue", "next"), ("outcome", None)])


class SignInRequired(KnownError):
    """The database has users and the command names none, or no password could be read."""


def add_users_commands(commands: argparse._SubParsersAction[Any]) -> None:
    users = commands.add_parser("users", help="the people who log in, and their roles (agent, supervisor, admin)")
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help=f"add a user (the first one an admin); password from ${NEW_PASSWORD_VARIABLE}")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=("agent", "supervisor", "admin"))
    listing = actions.add_parser("list", help="the users and their roles")
    listing.add_argument("--json", action="store_true")
    passwd = actions.add_parser("passwd", help=f"set a user's password (from ${NEW_PASSWORD_VARIABLE} or a prompt)")
    passwd.add_argument("name", metavar="NAME")
    role = actions.add_parser("role", help="give a user another role")
    role.add_argument("name", metavar="NAME")
    role.add_argument("role", choices=("agent", "supervisor", "admin"))


def command_action(args: argparse.Namespace) -> str | None:
    """The action `args`'s command needs (None: no check here; `users` checks its own)."""
    sub = getattr(args, "queue_command", None) or getattr(args, "agents_command", None)
    return COMMAND_ACTIONS.get((args.command, sub))


def check_access(args: argparse.Namespace, session: CommandSession) -> None:
    """Sign in if the database has users and refuse a command the user's role doesn't allow; the signed-in
    user becomes the agent of `queue next` and `outcome`. Sets `session.user` (None without users)."""
    action = command_action(args)
    if action is None:
        return
    from wallet_crm.accounts.users import require
    from wallet_crm.db.target import is_postgres_url
    from wallet_crm.errors import DatabaseError

    if args.command in ("backup", "restore") and is_postgres_url(session.target):
        return  # refused by the command itself: a server is backed up with its own tools
    if args.command in ("backup", "restore") and not Path(session.target).expanduser().exists():
        return  # nothing to back up (the command says so), or a restore that makes the file: no users to ask
    try:
        db = session.db
    except DatabaseError:
        if args.command == "restore":  # a damaged file can't say who may restore it: restoring is its repair
            return
        raise
    user = sign_in(db, args)
    require(user, action)
    session.user = user
    sub = getattr(args, "queue_command", None)
    if (args.command, sub) in AGENT_COMMANDS:
        _pin_agent(args, user)


def sign_in(db: Database, args: argparse.Namespace) -> User | None:
    """The user `--user` names, checked against the password; None while the database has no users."""
    from wallet_crm.accounts.users import authenticate, users_exist

    if not users_exist(db):
        return None
    if not args.user:
        raise SignInRequired(code="cli.sign_in", variable=PASSWORD_VARIABLE)
    return authenticate(db, args.user, _password(f"Password for {args.user}: ", PASSWORD_VARIABLE))


def _pin_agent(args: argparse.Namespace, user: User | None) -> None:
    if user is None:
        if not args.agent:
            raise SignInRequired(code="cli.say_agent")
        return
    if not args.agent:
        args.agent = user.name
    elif args.agent != user.name and not user.may("queue.assign"):
        raise KnownError(code="cli.agent_as_self", user=user.name, agent=args.agent)


def _password(prompt: str, variable: str, confirm: bool = False) -> str:
    """From the environment variable, else typed at a terminal (twice when `confirm`); never echoed or logged."""
    value = os.environ.get(variable)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise SignInRequired(code="cli.no_password", variable=variable)
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != value:
        raise SignInRequired(code="cli.passwords_differ")
    return value


def cmd_users(args: argparse.Namespace, session: CommandSession) -> int:
    from wallet_crm.accounts.users import add_user, list_users, role_label, set_password, set_role

    db = session.db
    user = session.user = sign_in(db, args)
    if args.users_command == "list":
        users = list_users(db)
        if args.json:
            print(json.dumps([{"name": u.name, "role": u.role, "active": u.active} for u in users], ensure_ascii=False))
        for row in [] if args.json else users:
            language = session.language
            state = messages.text("cli.active", language) if row.active else messages.text("cli.inactive", language)
            print(f"{row.name}\t{role_label(row.role, session.language)}\t{state}")
        return 0
    if args.users_command == "add":
        password = _password(f"Password for {args.name}: ", NEW_PASSWORD_VARIABLE, confirm=True)
        added = add_user(db, args.name, args.role, password, dt.datetime.now(), by=user)
        print(messages.text("cli.user_added", session.language, name=added.name, role=_role(added.role)))
        return 0
    if user is None:
        raise SignInRequired(code="cli.no_users_yet")
    if args.users_command == "passwd":
        set_password(db, args.name, _password(f"New password for {args.name}: ", NEW_PASSWORD_VARIABLE, True), user)
        print(messages.text("cli.password_changed", session.language, name=args.name))
    else:
        set_role(db, args.name, args.role, by=user)
        print(messages.text("cli.role_changed", session.language, name=args.name, role=_role(args.role)))
    return 0


def _role(code: str) -> dict[str, str]:
    """A role as a line names it: its code in English (what `--role` takes), its label in Chinese."""
    from wallet_crm.accounts.users import role_label
    from wallet_crm.followup.vocabulary import in_both

    return in_both(code, role_label)


USERS_COMMANDS: dict[str | None, Command] = {"users": cmd_users}
