"""Column mappings the user corrected, remembered per header row so the next export of that shape just works.

The key is a hash of the header row's normalised cells in order: the same back office exports the
same header every day, and any change to it (a new column, a renamed one) asks the user again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence

from peewee import Database

from wallet_crm.db.bulk import db_time
from wallet_crm.imports.mapping import FIELDS_BY_NAME, ColumnMapping, normalise_header


def header_key(headers: Sequence[str]) -> str:
    normalised = [normalise_header(cell) for cell in headers]
    return hashlib.sha256(json.dumps(normalised, ensure_ascii=False).encode("utf-8")).hexdigest()


def profile_keys(db: Database) -> set[str]:
    """The header keys that have a saved mapping (a handful), to spot a known header row quickly."""
    return {str(row[0]) for row in db.execute_sql("SELECT header_key FROM import_profiles").fetchall()}


def find_profile(db: Database, headers: Sequence[str]) -> ColumnMapping | None:
    """The saved mapping for this header row, if it still fits the row."""
    row = db.execute_sql(
        f"SELECT mapping FROM import_profiles WHERE header_key = {db.param}", (header_key(headers),)
    ).fetchone()
    if row is None:
        return None
    mapping = {str(name): int(column) for name, column in json.loads(row[0]).items()}
    if any(name not in FIELDS_BY_NAME or not 0 <= column < len(headers) for name, column in mapping.items()):
        return None
    return mapping


def save_profile(db: Database, headers: Sequence[str], mapping: Mapping[str, int], now: dt.datetime) -> None:
    """Remember `mapping` for files with this header row (replacing an older one)."""
    key = header_key(headers)
    stamp = db_time(now)
    text = json.dumps(dict(sorted(mapping.items())), ensure_ascii=False)
    p = db.param
    with db.atomic():
        updated = db.execute_sql(
            f"UPDATE import_profiles SET mapping = {p}, headers = {p}, updated_at = {p} WHERE header_key = {p}",
            (text, json.dumps(list(headers), ensure_ascii=False), stamp, key),
        ).rowcount
        if not updated:
            db.execute_sql(
                f"INSERT INTO import_profiles (header_key, headers, mapping, created_at, updated_at) "
                f"VALUES ({p}, {p}, {p}, {p}, {p})",
                (key, json.dumps(list(headers), ensure_ascii=False), text, stamp, stamp),
            )
