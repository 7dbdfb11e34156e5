"""A rotating log file in the per-user log folder, with personal data kept out of it.

Code logs ids, never names or phone numbers; the redacting filter is the safety net for anything
that slips through (an exception message quoting a cell, say): long digit runs are masked.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
from pathlib import Path

from wallet_crm.paths import log_dir

LOG_FILE_NAME = "wallet-crm.log"
_PHONE_LIKE = re.compile(r"(?<![\d.])(\+?\d{7,}|(?:\+?86[ -])?1\d{2}[ -]\d{4}[ -]\d{4})(?![\d.])")


def redact(text: str) -> str:
    """Mask digit runs of 7 or more (phone numbers, account numbers), keeping the last 2 digits."""

    def mask(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(1))
        if len(digits) < 7:
            return match.group(1)
        return "*" * (len(digits) - 2) + digits[-2:]

    return _PHONE_LIKE.sub(mask, text)


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then masks phone-like numbers in the whole record (traceback included)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class LogFileHandler(logging.handlers.RotatingFileHandler):
    """The rotating log file; when the disk is full or the folder read-only, a record is dropped quietly.

    logging's default prints "--- Logging error ---" and a traceback on stderr, record included: on a
    full disk the command line would spill tracebacks (names, phone numbers) instead of its one line.
    """

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handleError(record)


def setup_logging(level: int = logging.INFO, folder: Path | None = None) -> Path:
    """Send the app's log to a rotating file (1 MB x 5); returns the file's path."""
    folder = folder or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "wallet_crm", False):
            root.removeHandler(handler)
            handler.close()
    handler = LogFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.wallet_crm = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("peewee").setLevel(logging.WARNING)
    return path


def current_log_file() -> Path:
    for handler in logging.getLogger().handlers:
        if getattr(handler, "wallet_crm", False) and isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename)
    return log_dir() / LOG_FILE_NAME
