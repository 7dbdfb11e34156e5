"""Users and roles: the first admin, log-in, who may do what, and what can't be undone by mistake."""

from __future__ import annotations

import datetime as dt

import pytest
from peewee import Database

from wallet_crm.accounts.roles import ACTIONS, ROLES, RoleRequired, allows
from wallet_crm.accounts.users import (
    AccountError,
    LoginRefused,
    User,
    active_user,
    add_user,
    authenticate,
    list_users,
    require,
    set_password,
    set_role,
    users_exist,
)
from wallet_crm.followup.agents import add_agent, set_agent_active

NOW = dt.datetime(2026, 11, 20, 9, 0)
PASSWORD = "correct horse"


def test_nobody_logs_in_until_the_first_admin_exists(db: Database) -> None:
    add_agent(db, "小李", NOW)  # agents without passwords: today's single-PC use
    assert not users_exist(db)
    require(None, "users")  # no users: everything allowed
    with pytest.raises(AccountError, match="first user must be an admin"):
        add_user(db, "小王", "agent", PASSWORD, NOW, by=None)
    admin = add_user(db, "老张", "admin", PASSWORD, NOW, by=None)
    assert users_exist(db) and admin.role == "admin"
    with pytest.raises(AccountError, match="Sign in as an admin"):
        add_user(db, "小王", "agent", PASSWORD, NOW, by=None)


def test_log_in_takes_the_right_password_only_and_says_the_same_for_a_wrong_name(db: Database) -> None:
    admin = add_user(db, "老张", "admin", PASSWORD, NOW, by=None)
    assert authenticate(db, "老张", PASSWORD) == admin
    assert authenticate(db, "  老张 ", PASSWORD) == admin
    with pytest.raises(LoginRefused) as wrong_password:
        authenticate(db, "老张", "correct horse!")
    with pytest.raises(LoginRefused) as wrong_name:
        authenticate(db, "老李", PASSWORD)
    assert str(wrong_password.value) == str(wrong_name.value) == "Wrong user name or password."
    stored = db.execute_sql("SELECT password_hash FROM agents WHERE name = '老张'").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_an_agent_already_listed_becomes_a_user_under_the_same_id(db: Database) -> None:
    listed = add_agent(db, "小李", NOW)
    admin = add_user(db, "老张", "admin", PASSWORD, NOW, by=None)
    user = add_user(db, "小李", "agent", "another secret", NOW, by=admin)
    assert user.id == listed.id
    assert [(row.name, row.role) for row in list_users(db)] == [("小李", "agent"), ("老张", "admin")]
    with pytest.raises(AccountError, match="already a user"):
        add_user(db, "小李", "supervisor", "another secret", NOW, by=admin)


def test_each_role_may_do_its_own_and_the_lower_roles_actions(db: Database) -> None:
    admin = add_user(db, "老张", "admin", PASSWORD, NOW, by=None)
    agent = add_user(db, "小李", "agent", PASSWORD, NOW, by=admin)
    supervisor = add_user(db, "王主管", "supervisor", PASSWORD, NOW, by=admin)
    require(agent, "queue.work")
    with pytest.raises(RoleRequired) as refused:
        require(agent, "import")
    assert str(refused.value) == "Importing transactions needs the supervisor role; 小李 is signed in as agent."
    assert refused.value.text("zh_CN") == "导入交易需要主管权限；小李 的角色是坐席。"
    require(supervisor, "import")
    with pytest.raises(RoleRequired, match="needs the admin role"):
        add_user(db, "小赵", "agent", PASSWORD, NOW, by=supervisor)
    for action, (lowest, _zh, _en) in ACTIONS.items():
        assert [allows(role, action) for role in ROLES] == [ROLES.index(role) >= ROLES.index(lowest) for role in ROLES]


def test_passwords_and_roles_change_only_as_allowed_and_the_last_admin_stays(db: Database) -> None:
    admin = add_user(db, "老张", "admin", PASSWORD, NOW, by=None)
    agent = add_user(db, "小李", "agent", PASSWORD, NOW, by=admin)
    set_password(db, "小李", "a new secret", by=agent)  # one's own
    assert authenticate(db, "小李", "a new secret") == agent
    with pytest.raises(RoleRequired):
        set_password(db, "老张", "taken over!", by=agent)
    with pytest.raises(AccountError, match="at least 8"):
        set_password(db, "小李", "short", by=agent)
    with pytest.raises(AccountError, match="only admin"):
        set_role(db, "老张", "agent", by=admin)
    set_role(db, "小李", "admin", by=admin)
    set_role(db, "老张", "supervisor", by=User(agent.id, "小李", "admin"))
    assert {row.name: row.role for row in list_users(db)} == {"小李": "admin", "老张": "supervisor"}


def test_a_refusal_speaks_either_language(db: Database) -> None:
    with pytest.raises(AccountError) as first:
        add_user(db, "小王", "agent", PASSWORD, NOW, by=None)
    assert first.value.text("zh_CN") == "第一个用户必须是管理员，之后由管理员添加其他用户（命令行：--role admin）。"
    assert (
        first.value.text("en")
        == str(first.value)
        == ("The first user must be an admin, who can then add the others: use --role admin.")
    )
    with pytest.raises(AccountError) as short:
        add_user(db, "老张", "admin", "short", NOW, by=None)
    assert short.value.text("zh_CN") == "密码至少需要 8 个字符。"
    assert not users_exist(db)  # nothing was written


def test_the_signed_in_user_is_read_again_with_their_role_of_now(db: Database) -> None:
    admin = add_user(db, "老张", "admin", PASSWORD, NOW, by=None)
    agent = add_user(db, "小李", "agent", PASSWORD, NOW, by=admin)
    assert active_user(db, agent.id) == agent
    set_role(db, "小李", "supervisor", by=admin)
    assert active_user(db, agent.id) == User(agent.id, "小李", "supervisor")
    listed = add_agent(db, "小王", NOW)  # an agent without a password is nobody who signs in
    assert active_user(db, listed.id) is None
    set_agent_active(db, agent.id, active=False)
    assert active_user(db, agent.id) is None
    assert active_user(db, 9999) is None
