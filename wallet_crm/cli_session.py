"""What one command of `wallet-crm` works with: the database it names, the signed-in user, its language and clock.

The command line's counterpart of the window's session (`ui/session.py`). `main` makes one per command,
signs in through it and hands it to the command, which reaches the database only through it: the
database is opened (checked and migrated) once, for the log-in and the work alike, and closed when the
command ends, whatever happened.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from wallet_crm.paths import default_db_target
from wallet_crm.preferences import command_line_language

if TYPE_CHECKING:
    from peewee import Database

    from wallet_crm.accounts.users import User


class CommandSession:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.target = default_db_target(getattr(args, "db", None))
        self.user: User | None = None  # signed in (None: a database without users, or no sign-in needed)
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        """The command's database, opened on first use (`DatabaseError` when it can't be)."""
        if self._db is None:
            from wallet_crm.db import open_database

            self._db = open_database(self.target, bind=False)
        return self._db

    def close(self) -> None:
        """Close the database, if it was opened (before a restore replaces its file, and at the end)."""
        if self._db is not None:
            db, self._db = self._db, None
            db.close()

    @functools.cached_property
    def language(self) -> str:
        """The language the command prints and refuses in (`--lang`, else the preference, else the locale)."""
        return command_line_language(getattr(self.args, "lang", None))

    def now(self) -> dt.datetime:
        """The command's `--as-of`, else now, to the second."""
        as_of = getattr(self.args, "as_of", None)
        return (as_of or dt.datetime.now()).replace(microsecond=0)

    @property
    def user_name(self) -> str | None:
        """Who the records of an import, undo or export name: the signed-in user (None: the OS user, on a
        database without users)."""
        return self.user.name if self.user is not None else None


Command = Callable[[argparse.Namespace, CommandSession], int]
