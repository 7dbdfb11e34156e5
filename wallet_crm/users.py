"""Who is at the keyboard, for the records an import, an undo or an export leaves."""

from __future__ import annotations

import getpass


def current_user() -> str:
    """The OS user name ("unknown" where the system can't tell)."""
    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError, ImportError):
        return "unknown"
