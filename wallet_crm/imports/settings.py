"""The team's import settings, stored with the data: the operator's time zone and the plausibility limit.

Times in a file written in another zone (a UTC header, a time-zone column) are converted to the
operator's zone; an amount above the limit (in major units of its currency) goes in with a warning.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from peewee import Database

from wallet_crm.errors import KnownError
from wallet_crm.imports.zones import DEFAULT_ZONE, zone_for

SETTINGS_KEY = "imports"
LIMIT_RANGE = (1, 10**12)


@dataclass(frozen=True)
class ImportSettings:
    timezone: str = DEFAULT_ZONE
    max_plausible: int = 1_000_000  # major units (yuan, dollars): above it an amount is a warning


def validate_import_settings(settings: ImportSettings) -> None:
    if zone_for(settings.timezone) is None:
        raise KnownError(code="settings.unknown_zone", zone=settings.timezone)
    if not LIMIT_RANGE[0] <= settings.max_plausible <= LIMIT_RANGE[1]:
        raise KnownError(code="settings.limit_range", low=LIMIT_RANGE[0], high=LIMIT_RANGE[1])


def load_import_settings(db: Database) -> ImportSettings:
    """The stored settings; defaults for anything missing or unusable (a hand-edited value)."""
    row = db.execute_sql(f"SELECT value FROM settings WHERE key = {db.param}", (SETTINGS_KEY,)).fetchone()
    if row is None:
        return ImportSettings()
    try:
        data = json.loads(row[0])
        settings = ImportSettings(
            timezone=str(data.get("timezone", DEFAULT_ZONE)), max_plausible=int(data.get("max_plausible", 1_000_000))
        )
        validate_import_settings(settings)
    except (ValueError, TypeError, AttributeError, KnownError):
        return ImportSettings()
    return settings


def save_import_settings(db: Database, settings: ImportSettings) -> None:
    validate_import_settings(settings)
    p = db.param
    with db.atomic():
        db.execute_sql(f"DELETE FROM settings WHERE key = {p}", (SETTINGS_KEY,))
        db.execute_sql(
            f"INSERT INTO settings (key, value) VALUES ({p}, {p})", (SETTINGS_KEY, json.dumps(asdict(settings)))
        )
