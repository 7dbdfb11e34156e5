"""Reading transaction exports (xlsx/xls/csv) into the database as one atomic batch per file.

The path of a file: `safety` (what is it, is it safe) → `readers` (rows of cells) → `recognise` (which
row is the header, which `format` the file is: a platform's bill from `formats/`, the user's profile,
or any table) → `layout` (which column feeds which field) → `validate` with `values`, `words`, `money`
and `zones` (each row good, rejected with a reason, or held for an unknown word) → `store` (what is
new, written chunk by chunk in one transaction, which also marks the follow-up queue stale). `service` is
the face the CLI and the GUI call (`import_and_rebuild`, or `import_file` then `rebuild_if_stale`);
`history`, `profiles` and `errors_export` serve the wizard's other pages.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names as the type checker (and PyInstaller's import scan) sees them
    from wallet_crm.imports.history import BatchInfo, UndoResult, list_batches, undo_and_rebuild, undo_batch
    from wallet_crm.imports.outcome import ColumnInfo, FormatInfo, ImportResult, Preview, RowError
    from wallet_crm.imports.service import (
        ImportOptions,
        NoCustomerError,
        UnknownWordsError,
        import_and_rebuild,
        import_file,
        preview_file,
        save_mapping,
    )

# Each name's module, imported on first use: the import's reader process loads only `pipeline` and what it
# needs (no database layer, no service), which takes ~0.15 s off its start.
_HOMES = {
    "BatchInfo": "history",
    "UndoResult": "history",
    "list_batches": "history",
    "undo_and_rebuild": "history",
    "undo_batch": "history",
    "ColumnInfo": "outcome",
    "FormatInfo": "outcome",
    "ImportResult": "outcome",
    "Preview": "outcome",
    "RowError": "outcome",
    "ImportOptions": "service",
    "NoCustomerError": "service",
    "UnknownWordsError": "service",
    "import_and_rebuild": "service",
    "import_file": "service",
    "preview_file": "service",
    "save_mapping": "service",
}

__all__ = [
    "BatchInfo",
    "ColumnInfo",
    "FormatInfo",
    "ImportOptions",
    "ImportResult",
    "NoCustomerError",
    "Preview",
    "RowError",
    "UndoResult",
    "UnknownWordsError",
    "import_and_rebuild",
    "import_file",
    "list_batches",
    "preview_file",
    "save_mapping",
    "undo_and_rebuild",
    "undo_batch",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
