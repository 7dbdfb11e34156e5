"""Per-person preferences (interface language...) kept in the user config folder, not in the database.

The database is shared by a team; a preference like the language belongs to the person at this PC.
"""

from __future__ import annotations

import json
import locale
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from wallet_crm.paths import config_dir, default_backup_dir

log = logging.getLogger(__name__)
LANGUAGES = ("system", "zh_CN", "en")
DEFAULT_IDLE_LOCK_MINUTES = 15
MAX_IDLE_LOCK_MINUTES = 24 * 60


@dataclass
class Preferences:
    language: str = "system"
    window_geometry: str = ""  # the main window's last size and place (Qt's bytes as base64); "" = fit the screen
    backup_folder: str = ""  # where the automatic daily backups go; "" = `backups` in the user data folder
    team_database: str = ""  # a postgresql:// URL (no password) this PC opens by default; "" = the local file
    # With users, the window locks after this many minutes without keyboard or mouse input; 0 = never.
    idle_lock_minutes: int = DEFAULT_IDLE_LOCK_MINUTES


def preferences_file() -> Path:
    return config_dir() / "preferences.json"


def load_preferences(path: Path | None = None) -> Preferences:
    """Saved preferences, or defaults when the file is missing or unreadable (never an error)."""
    path = path or preferences_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Preferences()
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable preferences file: %s", exc)
        return Preferences()
    if not isinstance(data, dict):
        return Preferences()
    language = data.get("language", "system")
    geometry = data.get("window_geometry", "")
    folder = data.get("backup_folder", "")
    team = data.get("team_database", "")
    idle = data.get("idle_lock_minutes", DEFAULT_IDLE_LOCK_MINUTES)
    idle_ok = isinstance(idle, int) and not isinstance(idle, bool) and 0 <= idle <= MAX_IDLE_LOCK_MINUTES
    return Preferences(
        language=language if language in LANGUAGES else "system",
        window_geometry=geometry if isinstance(geometry, str) else "",
        backup_folder=folder if isinstance(folder, str) else "",
        team_database=team if isinstance(team, str) and team.startswith(("postgresql://", "postgres://")) else "",
        idle_lock_minutes=idle if idle_ok else DEFAULT_IDLE_LOCK_MINUTES,
    )


def backup_folder(preferences: Preferences) -> Path:
    """The folder for the automatic daily backups: the one chosen, else `backups` in the user data folder."""
    chosen = preferences.backup_folder.strip()
    return Path(chosen).expanduser() if chosen else default_backup_dir()


def save_preferences(preferences: Preferences, path: Path | None = None) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a file."""
    path = path or preferences_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(preferences), ensure_ascii=False, indent=2), encoding="utf-8")
    temporary.replace(path)


def resolve_language(choice: str, system_locale_name: str) -> str:
    """`zh_CN` or `en`: the one chosen, else Chinese unless the system speaks English (a C or POSIX
    locale, common on servers and fresh machines, gets Chinese: the app is Chinese first)."""
    if choice in ("zh_CN", "en"):
        return choice
    return "en" if system_locale_name.lower().startswith("en") else "zh_CN"


def system_locale_name() -> str:
    """The locale the command line runs under, as POSIX looks it up (LC_ALL, LC_MESSAGES, LANG), else
    what Python finds (Windows)."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return value
    return locale.getlocale()[0] or ""


def command_line_language(choice: str | None) -> str:
    """The CLI's language by the app's rule: `--lang`, else the saved preference, else the system's."""
    return resolve_language(choice or load_preferences().language, system_locale_name())
