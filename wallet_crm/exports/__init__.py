"""Excel writers for tables and reports, behind one entry point (`service.run_export`)."""

from wallet_crm.exports.leftovers import clean_export_leftovers
from wallet_crm.messages import LANGUAGES

__all__ = ["EXPORT_KINDS", "EXPORT_LANGUAGES", "clean_export_leftovers", "export_language"]

EXPORT_KINDS = ("transactions", "customers", "queue", "outcomes", "report")
EXPORT_LANGUAGES = LANGUAGES


def export_language(language: str) -> str:
    """The interface language for headers and code words; anything else falls back to Chinese."""
    return language if language in EXPORT_LANGUAGES else "zh_CN"
