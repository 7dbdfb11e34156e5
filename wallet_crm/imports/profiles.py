"""Profiles: import formats the user made (in the wizard, or with `--map`/`--word`), kept in the database.

A profile is an `ImportFormat` like the built-in ones, plus the exact header row it was made from,
so the next export of that shape is recognised before anything else and needs no questions. Its
name is its id; `export_profile`/`import_profile` move one between PCs as JSON.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence

from peewee import Database

from wallet_crm.errors import KnownError
from wallet_crm.imports.format import FormatError, ImportFormat, normalise_header, parse_format
from wallet_crm.stored_time import db_time


def header_key(headers: Sequence[str]) -> str:
    normalised = [normalise_header(cell) for cell in headers]
    return hashlib.sha256(json.dumps(normalised, ensure_ascii=False).encode("utf-8")).hexdigest()


def list_profiles(db: Database) -> list[ImportFormat]:
    """Every saved profile, by name; one that no longer parses (hand-edited) is left out."""
    found = []
    for name, definition in db.execute_sql(
        "SELECT name, definition FROM import_profiles WHERE definition IS NOT NULL ORDER BY name"
    ).fetchall():
        try:
            found.append(parse_format(json.loads(definition), _named(name)))
        except (FormatError, ValueError):
            continue
    return found


def find_profile(db: Database, name: str) -> ImportFormat | None:
    row = db.execute_sql(f"SELECT definition FROM import_profiles WHERE name = {db.param}", (name,)).fetchone()
    if row is None or row[0] is None:
        return None
    return parse_format(json.loads(row[0]), _named(name))


def _named(name: str) -> dict[str, str]:
    """A saved profile as a refusal names it, in each language."""
    return {"en": f"profile {name}", "zh_CN": f"配置“{name}”"}


def save_profile(db: Database, profile: ImportFormat, now: dt.datetime) -> None:
    """Keep `profile` under its name, replacing the one with that name or that header row."""
    if not profile.header:
        raise KnownError(code="profile.no_header", profile=profile.id)
    key = header_key(profile.header)
    stamp = db_time(now)
    definition = json.dumps(profile.as_dict(), ensure_ascii=False)
    headers = json.dumps(list(profile.header), ensure_ascii=False)
    p = db.param
    with db.atomic():
        db.execute_sql(f"DELETE FROM import_profiles WHERE (name = {p} OR header_key = {p})", (profile.id, key))
        db.execute_sql(
            f"INSERT INTO import_profiles (name, header_key, headers, mapping, definition, created_at, updated_at) "
            f"VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p})",
            (profile.id, key, headers, "{}", definition, stamp, stamp),
        )


def delete_profile(db: Database, name: str) -> bool:
    return bool(db.execute_sql(f"DELETE FROM import_profiles WHERE name = {db.param}", (name,)).rowcount)


def export_profile(profile: ImportFormat) -> str:
    return json.dumps(profile.as_dict(), ensure_ascii=False, indent=2) + "\n"


def import_profile(db: Database, text: str, where: str, now: dt.datetime) -> ImportFormat:
    """A profile from its JSON (another PC's export), checked like a built-in format, then saved."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise FormatError(code="profile.not_json", where=where, detail=str(exc)) from exc
    profile = parse_format(data, where)
    if not profile.header:
        raise FormatError(code="profile.needs_header", where=where)
    save_profile(db, profile, now)
    return profile
