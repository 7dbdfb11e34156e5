"""The three roles and the role each action needs: an agent works their queue, a supervisor also runs the
team's data, an admin also manages users and settings. A higher role can do all a lower one can."""

from __future__ import annotations

from typing import Final

from wallet_crm.errors import KnownError

ROLES: Final = ("agent", "supervisor", "admin")  # lowest first
ROLE_LABELS: Final = {
    "agent": {"zh_CN": "坐席", "en": "agent"},
    "supervisor": {"zh_CN": "主管", "en": "supervisor"},
    "admin": {"zh_CN": "管理员", "en": "admin"},
}
# action -> (the lowest role allowed, what it is called in a refusal: zh_CN, en)
ACTIONS: Final[dict[str, tuple[str, str, str]]] = {
    "queue.view": ("agent", "查看回访队列", "viewing the queue"),
    "queue.work": ("agent", "处理回访任务", "working the queue"),
    "phone.reveal": ("agent", "查看完整号码", "showing a full phone number"),
    "queue.build": ("supervisor", "重建回访队列", "rebuilding the queue"),
    "queue.assign": ("supervisor", "分配任务", "assigning tasks"),
    "import": ("supervisor", "导入交易", "importing transactions"),
    "undo": ("supervisor", "撤销导入", "undoing an import"),
    "report": ("supervisor", "查看反馈报表", "reports"),
    "export": ("supervisor", "导出", "exports"),
    "users": ("admin", "管理用户", "managing users"),
    "settings": ("admin", "修改设置", "changing settings"),
    "backup": ("admin", "备份与恢复", "backup and restore"),
    "team": ("admin", "团队数据库", "the team database"),
}


class RoleRequired(KnownError):
    """The signed-in user's role is below what the action needs."""

    def __init__(self, action: str, user_name: str, role: str) -> None:
        needed, zh, en = ACTIONS[action]
        super().__init__(
            code="account.role_required",
            action={"en": en.capitalize(), "zh_CN": zh},
            needed=ROLE_LABELS[needed],
            user=user_name,
            role=ROLE_LABELS[role],
        )
        self.action = action
        self.needed = needed
        self.user_name = user_name
        self.role = role


def check_role(role: str) -> str:
    if role not in ROLES:
        raise KnownError(code="account.unknown_role", role=role, roles=", ".join(ROLES))
    return role


def allows(role: str, action: str) -> bool:
    """Whether `role` may do `action`."""
    return ROLES.index(role) >= ROLES.index(ACTIONS[action][0])
