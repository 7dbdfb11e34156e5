"""The built-in import formats: one JSON file per platform in this folder (see `imports/format.py`).

`generic.json` is the fallback for an operator's own export (columns found by their names); its words
are every other format's fallback words, and its footer texts every format's.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

from wallet_crm.imports.format import FormatError, ImportFormat, parse_format
from wallet_crm.messages import listed

GENERIC_ID = "generic"


@functools.cache
def _load() -> tuple[ImportFormat, ...]:
    """Every format in this folder, checked; a broken file is a bug of ours, so it raises."""
    found = []
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            found.append(parse_format(data, f"formats/{entry.name}", builtin=True))
    ids = [item.id for item in found]
    duplicated = sorted({item for item in ids if ids.count(item) > 1})
    if duplicated:
        raise FormatError(code="format.ids_twice", ids=listed(duplicated))
    return tuple(found)


def load_builtin_formats() -> tuple[ImportFormat, ...]:
    """Every built-in format, the generic one included."""
    return _load()


def builtin_formats() -> tuple[ImportFormat, ...]:
    """The platforms' formats, recognised by their header rows (not the generic fallback)."""
    return tuple(fmt for fmt in _load() if fmt.id != GENERIC_ID)


def generic_format() -> ImportFormat:
    return next(fmt for fmt in _load() if fmt.id == GENERIC_ID)
