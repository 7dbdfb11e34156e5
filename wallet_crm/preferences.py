"""Per-person preferences (interface language...) kept in the user config folder, not in the database.

The database is shared by a team; a preference like the language belongs to the person at this PC.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from wallet_crm.paths import config_dir

log = logging.getLogger(__name__)
LANGUAGES = ("system", "zh_CN", "en")


@dataclass
class Preferences:
    language: str = "system"


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
    language = data.get("language", "system") if isinstance(data, dict) else "system"
    return Preferences(language=language if language in LANGUAGES else "system")


def save_preferences(preferences: Preferences, path: Path | None = None) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a file."""
    path = path or preferences_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(preferences), ensure_ascii=False, indent=2), encoding="utf-8")
    temporary.replace(path)


def resolve_language(choice: str, system_locale_name: str) -> str:
    """`zh_CN` or `en`: Chinese unless chosen otherwise or the system locale isn't Chinese."""
    if choice in ("zh_CN", "en"):
        return choice
    return "zh_CN" if system_locale_name.lower().startswith("zh") else "en"
