"""What the signed-in user's role allows, as the window shows it: a control the role may not use is
disabled with a tooltip naming the role it needs, and an action asked for anyway is refused with the
service's sentence (`require`), shown as a message, never as the crash dialog.

Without users (`user is None`) everything is allowed, as before log-in existed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from wallet_crm.accounts.roles import ACTIONS, RoleRequired
from wallet_crm.accounts.users import User, require, role_label
from wallet_crm.ui.export_dialog import interface_language

_ORIGINAL_TOOLTIP = "walletCrmToolTip"  # the tooltip a control had before it was gated


def allowed(user: User | None, action: str) -> bool:
    return user is None or user.may(action)


def needs_role_text(action: str) -> str:
    """ "Needs the supervisor role" in the window's language."""
    needed = role_label(ACTIONS[action][0], interface_language())
    return QCoreApplication.translate("Access", "Needs the %1 role").replace("%1", needed)


def gate(control: QWidget | QAction, user: User | None, action: str) -> bool:
    """Enable `control` when `user` may do `action`; else disable it, its tooltip saying the role it needs.
    The control's own tooltip comes back when it is allowed again. Returns whether it is allowed."""
    ok = allowed(user, action)
    original = control.property(_ORIGINAL_TOOLTIP)
    if original is None:
        original = control.toolTip()
        control.setProperty(_ORIGINAL_TOOLTIP, original)
    control.setEnabled(ok)
    control.setToolTip(str(original) if ok else needs_role_text(action))
    return ok


def refused(user: User | None, action: str, show: Callable[[str], None]) -> bool:
    """True (after `show`ing why) when `user` may not do `action`: call before the service."""
    try:
        require(user, action)
    except RoleRequired as error:
        show(error.text(interface_language()))
        return True
    return False


def signed_in_text(user: User) -> str:
    """ "Signed in: 小李 (agent)" in the window's language."""
    return (
        QCoreApplication.translate("Access", "Signed in: %1 (%2)")
        .replace("%1", user.name)
        .replace("%2", role_label(user.role, interface_language()))
    )
