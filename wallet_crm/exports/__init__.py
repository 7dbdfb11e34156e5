"""Excel writers for tables and reports, behind one entry point (`service.run_export`)."""

EXPORT_KINDS = ("transactions", "customers", "queue", "outcomes", "report")
EXPORT_LANGUAGES = ("zh_CN", "en")


def export_language(language: str) -> str:
    """The interface language for headers and code words; anything else falls back to Chinese."""
    return language if language in EXPORT_LANGUAGES else "zh_CN"
