"""Reading transaction exports (xlsx/xls/csv) into the database as one atomic batch per file.

The path of a file: `safety` (what is it, is it safe) → `readers` (rows of cells) → `header` (which
row names the columns) → `mapping` (which column is which field) → `validate` with `values` (each row
good or rejected with reasons) → `store` (what is new, one transaction). `service` is the face the CLI
and the GUI call; `history`, `profiles` and `errors_export` serve the wizard's other pages.
"""

from wallet_crm.imports.history import BatchInfo, UndoResult, list_batches, undo_batch
from wallet_crm.imports.outcome import ColumnInfo, ImportResult, Preview, RowError
from wallet_crm.imports.service import ImportOptions, import_file, preview_file, save_mapping

__all__ = [
    "BatchInfo",
    "ColumnInfo",
    "ImportOptions",
    "ImportResult",
    "Preview",
    "RowError",
    "UndoResult",
    "import_file",
    "list_batches",
    "preview_file",
    "save_mapping",
    "undo_batch",
]
