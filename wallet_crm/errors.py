"""Errors the user can act on, kept apart from bugs.

A `KnownError` carries one sentence meant for the person at the keyboard: the CLI prints it on one
line and exits 2, the GUI shows it in a dialog. Anything else is a bug and goes to the log with its
traceback.
"""

EXIT_USER_ERROR = 2  # the command line's exit code for a known error: one line on stderr, nothing half-done


class KnownError(Exception):
    """A problem caused by input or environment, explained in one user-facing sentence.

    Raised with a catalogue code (`KnownError(code="file.no_sheet", file=..., sheet=...)`, see `wallet_crm.messages`)
    it can say that sentence in either language (`text`); `str()` is the English one. Raised with a
    sentence alone it says that sentence in every language (the errors not yet in the catalogue).
    """

    def __init__(self, message: str = "", *, code: str | None = None, **params: object) -> None:
        if code is not None and not message:
            from wallet_crm.messages import text

            message = text(code, "en", **params)
        super().__init__(message)
        self.message_code = code
        self.message_params = params

    def text(self, language: str) -> str:
        """The sentence in `language` (`zh_CN` or `en`)."""
        if self.message_code is None:
            return str(self)
        from wallet_crm.messages import text

        return text(self.message_code, language, **self.message_params)


class DatabaseError(KnownError):
    """The database can't be opened or used as asked (wrong file, newer schema, network path...).

    `code` says which kind: "busy", "read_only", "disk_full", "io_error", "not_a_database" and
    "newer_schema" are the subclasses in `wallet_crm.db.errors`; "database" is any other.
    """

    code = "database"


class UnreadableFileError(KnownError):
    """A file to import can't be read at all (not a spreadsheet, encrypted, corrupt, too big); nothing changed."""


class OperationCancelled(KnownError):
    """The user cancelled a long operation; nothing was written."""


class UndoRefused(KnownError):
    """An import batch can't be undone (already undone, or other records depend on it)."""


class FollowupError(KnownError):
    """A follow-up action can't be done as asked (bad value, closed task, unknown agent...); nothing changed."""
