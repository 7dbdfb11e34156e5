"""Users: agents who log in with a password and have a role; adding, signing in, changing passwords and roles.

The first user must be an admin (somebody must be able to add the others and can't be locked out);
after that only an admin adds users or changes roles, and the last active admin can't be demoted.
An agent already in the list becomes a user under the same name, so the calls they logged stay theirs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import Database

from wallet_crm.accounts.passwords import MIN_PASSWORD_LENGTH, hash_password, needs_rehash, password_matches
from wallet_crm.accounts.roles import ROLE_LABELS, RoleRequired, allows, check_role
from wallet_crm.db.bulk import insert_returning_id
from wallet_crm.errors import KnownError
from wallet_crm.followup.agents import MAX_NAME_LENGTH
from wallet_crm.stored_time import db_time

# Verified when the name is unknown, so a wrong name takes as long as a wrong password.
_UNKNOWN_USER_HASH = hash_password("wallet-crm: no such user")


class LoginRefused(KnownError):
    """Wrong name or password (which one is not said)."""


class AccountError(KnownError):
    """A user can't be added or changed as asked (`text(language)` says why in either language)."""


@dataclass(frozen=True)
class User:
    """A signed-in user: also the agent whose calls they log."""

    id: int
    name: str
    role: str

    def may(self, action: str) -> bool:
        return allows(self.role, action)


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    role: str
    active: bool


def users_exist(db: Database) -> bool:
    """Whether anybody must log in: some active agent has a password."""
    row = db.execute_sql(
        f"SELECT 1 FROM agents WHERE password_hash IS NOT NULL AND active = {db.param} LIMIT 1", (True,)
    ).fetchone()
    return row is not None


def require(user: User | None, action: str) -> None:
    """Refuse `action` unless `user` may do it; `None` (a database without users) may do everything."""
    if user is not None and not user.may(action):
        raise RoleRequired(action, user.name, user.role)


def list_users(db: Database) -> list[UserRow]:
    rows = db.execute_sql(
        "SELECT id, name, role, active FROM agents WHERE password_hash IS NOT NULL ORDER BY name, id"
    ).fetchall()
    return [UserRow(int(row[0]), str(row[1]), str(row[2]), bool(row[3])) for row in rows]


def add_user(db: Database, name: str, role: str, password: str, as_of: dt.datetime, by: User | None) -> User:
    """A new user (or an agent already listed, made a user); `by` is who is signed in (None before the first)."""
    clean = " ".join(name.split())
    check_role(role)
    _check_password(password)
    if not clean:
        raise AccountError(code="account.no_name")
    if len(clean) > MAX_NAME_LENGTH:
        raise AccountError(code="account.name_too_long", limit=MAX_NAME_LENGTH)
    p = db.param
    with db.atomic():
        if users_exist(db):
            if by is None:
                raise AccountError(code="account.admin_adds")
            require(by, "users")
        elif role != "admin":
            raise AccountError(code="account.first_admin")
        row = db.execute_sql(f"SELECT id, password_hash FROM agents WHERE name = {p}", (clean,)).fetchone()
        hashed = hash_password(password)
        if row is not None and row[1] is not None:
            raise AccountError(code="account.name_taken", name=clean)
        if row is not None:
            db.execute_sql(
                f"UPDATE agents SET role = {p}, password_hash = {p}, active = {p} WHERE id = {p}",
                (role, hashed, True, row[0]),
            )
            user_id = int(row[0])
        else:
            user_id = insert_returning_id(
                db,
                "agents",
                ("name", "active", "created_at", "role", "password_hash"),
                (clean, True, db_time(as_of), role, hashed),
            )
    return User(user_id, clean, role)


def authenticate(db: Database, name: str, password: str) -> User:
    """The active user `name` if `password` is theirs; one refusal for a wrong name or password."""
    p = db.param
    row = db.execute_sql(
        f"SELECT id, name, role, password_hash FROM agents WHERE name = {p} AND active = {p} "
        "AND password_hash IS NOT NULL",
        (" ".join(name.split()), True),
    ).fetchone()
    if row is None:
        password_matches(_UNKNOWN_USER_HASH, password)
        raise LoginRefused(code="account.wrong_password")
    user_id, user_name, role, stored = int(row[0]), str(row[1]), str(row[2]), str(row[3])
    if not password_matches(stored, password):
        raise LoginRefused(code="account.wrong_password")
    if needs_rehash(stored):
        db.execute_sql(f"UPDATE agents SET password_hash = {p} WHERE id = {p}", (hash_password(password), user_id))
    return User(user_id, user_name, role)


def active_user(db: Database, user_id: int) -> User | None:
    """The user with this id as the database has them now (their current role), or None when they are no
    longer an active user there (a restored backup, a user deactivated meanwhile)."""
    p = db.param
    row = db.execute_sql(
        f"SELECT id, name, role FROM agents WHERE id = {p} AND active = {p} AND password_hash IS NOT NULL",
        (user_id, True),
    ).fetchone()
    return None if row is None else User(int(row[0]), str(row[1]), str(row[2]))


def set_password(db: Database, name: str, password: str, by: User) -> None:
    """A new password: your own, or anybody's for an admin."""
    _check_password(password)
    if by.name != name:
        require(by, "users")
    target = _user_row(db, name)
    db.execute_sql(
        f"UPDATE agents SET password_hash = {db.param} WHERE id = {db.param}", (hash_password(password), target.id)
    )


def set_role(db: Database, name: str, role: str, by: User) -> None:
    """Another role for a user (an admin's doing); the last active admin stays one."""
    check_role(role)
    require(by, "users")
    with db.atomic():
        target = _user_row(db, name)
        if target.role == "admin" and role != "admin" and target.active and _active_admins(db) <= 1:
            raise AccountError(code="account.last_admin", name=target.name)
        db.execute_sql(f"UPDATE agents SET role = {db.param} WHERE id = {db.param}", (role, target.id))


def role_label(role: str, language: str) -> str:
    return ROLE_LABELS[role]["en" if language == "en" else "zh_CN"]


def _user_row(db: Database, name: str) -> UserRow:
    clean = " ".join(name.split())
    for row in list_users(db):
        if row.name == clean:
            return row
    raise AccountError(code="account.no_such_user", name=clean)


def _active_admins(db: Database) -> int:
    p = db.param
    row = db.execute_sql(
        f"SELECT COUNT(*) FROM agents WHERE role = {p} AND active = {p} AND password_hash IS NOT NULL", ("admin", True)
    ).fetchone()
    return int(row[0])


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(code="account.short_password", length=MIN_PASSWORD_LENGTH)
