"""Database access: opening, schema versions, models and read-only queries for the pages."""

from wallet_crm.db.connection import (
    close_database,
    current_database,
    describe_target,
    open_database,
    sqlite_path,
)

__all__ = ["close_database", "current_database", "describe_target", "open_database", "sqlite_path"]
