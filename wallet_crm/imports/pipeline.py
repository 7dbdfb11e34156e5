"""Checked chunks for the import's loop: read and checked here, or in a child process while this one writes.

The service's loop (`service._run`) writes, counts, reports progress and checks `cancel`; it takes its
chunks from a `Feed`. `InProcessFeed` reads and checks in this process, a chunk at a time. For a big
file `ChildFeed` has a spawned child do the same (same reader, same `RowChecker`, same chunks) and send
each chunk over a pipe, so reading and checking run on one core while the database writes run on the
other. Either way the loop sees the same chunks and the same final state, so the result is the same.

For a file over `EARLY_ABOVE_BYTES` the child is started before the service looks for the header
(`start_early`), so its start-up (a fresh interpreter and its imports) overlaps that; it then waits
for its job: the file's path and the checked layout (not the open file), and opens the file itself.
A child started early for what turns out a small file is ended unused.

Records travel as plain tuples (a third of what pickling `Record`s costs) and up to `QUEUE_CHUNKS`
chunks wait in the child, so memory stays flat on a million rows. An error in the child comes back as
the same class with the same message; a child that dies makes `ReaderStopped`; the parent waits on it
only with timeouts, checking `cancel` and that it lives. The child ends with its parent (it watches
the parent's sentinel), and the parent ends the child on cancel or any error before the transaction
rolls back.
"""

from __future__ import annotations

import itertools
import logging
import logging.handlers
import multiprocessing
import os
import pickle
import queue
import signal
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Protocol

from wallet_crm.collector import collector_paused
from wallet_crm.errors import KnownError
from wallet_crm.imports.format import ImportFormat
from wallet_crm.imports.layout import Layout
from wallet_crm.imports.outcome import RowError
from wallet_crm.imports.readers import Source, open_source
from wallet_crm.imports.safety import FileInfo, inspect_file
from wallet_crm.imports.validate import Checked, CheckSettings, Record, RowChecker
from wallet_crm.imports.values import Cell

log = logging.getLogger(__name__)

# Data rows above which a file is read and checked in a child: below it starting the child (~0.4 s for
# a fresh interpreter and its imports) costs about what the overlap saves.
CHILD_ABOVE_ROWS = 20_000
# Files above this size get their child started before the header is found (~16,000 rows of an .xlsx
# export, ~7,000 of a CSV); one that then has too few rows costs a child started and ended unused.
EARLY_ABOVE_BYTES = 1024 * 1024
QUEUE_CHUNKS = 3  # checked chunks waiting in the child for the parent: bounds the child's memory
POLL_SECONDS = 0.2  # how often the parent, waiting for a chunk, checks `cancel` and that the child lives
JOIN_SECONDS = 10.0  # how long the parent waits for a finished or terminated child to exit
CHILD_NAME = "wallet-crm-import-reader"

Interrupt = Callable[[], None]  # raises to stop the import (the service's cancel check)
Chunk = tuple[Checked, bool]  # one chunk's result, and whether an unknown word was met by its end


class ReaderStopped(KnownError):
    """The child process reading the file ended before it finished (killed, out of memory, crashed)."""


class _RemoteTraceback(Exception):
    """The child's traceback, as the cause of the error re-raised here, so the log shows where it happened."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class CheckJob:
    """Everything reading and checking one file needs, in picklable values: the child starts from this."""

    info: FileInfo
    sheet: str
    layout: Layout
    generic: ImportFormat
    settings: CheckSettings
    user_words: Mapping[str, Mapping[str, str]] | None
    date_order: str | None
    order_warning: RowError | None  # the warning about an assumed date order, first of the warnings
    chunk_rows: int

    def checker(self) -> RowChecker:
        """The checker the service would build: the same in this process and in the child."""
        checker = RowChecker(
            self.layout, self.generic, self.settings, user_words=self.user_words, date_order=self.date_order
        )
        if self.order_warning is not None:
            checker.warnings.append(self.order_warning)
        return checker


@dataclass(frozen=True)
class Summary:
    """What the service reads of the checker once every row is through."""

    errors: list[RowError]
    errors_not_listed: int
    warnings: list[RowError]
    warnings_not_listed: int
    unknown: dict[str, dict[str, int]]
    examples: dict[str, dict[str, list[int]]]
    without_customer: bool

    @classmethod
    def of(cls, checker: RowChecker) -> Summary:
        return cls(
            checker.errors,
            checker.errors_not_listed,
            checker.warnings,
            checker.warnings_not_listed,
            checker.unknown,
            checker.examples,
            checker.all_without_customer(),
        )


class Feed(Protocol):
    """Where the service's loop gets checked chunks, then the checker's final state."""

    reads_here: bool  # whether it reads the source this process opened (else that can be closed)

    def chunks(self, interrupt: Interrupt) -> Iterator[Chunk]: ...

    def summary(self) -> Summary: ...  # once `chunks` is exhausted

    def close(self) -> None: ...


def start_early(path: Path) -> ChildFeed | None:
    """A child started now for a big file, to be handed its job by `open_feed`; None for a small file or
    when it can't start (`open_feed` tries again if the file has the rows)."""
    try:
        size = path.stat().st_size
    except OSError:
        return None  # finding the header says what is wrong with the file
    if size <= EARLY_ABOVE_BYTES:
        return None
    try:
        return ChildFeed(path)
    except Exception as exc:
        log.warning("reading %s: the reader process did not start early (%s)", path.name, type(exc).__name__)
        return None


def open_feed(job: CheckJob, source: Source, data_rows: int, early: ChildFeed | None = None) -> Feed:
    """The child (the one started early, or a new one) for a file with rows enough for it to pay, else, or
    when the child can't start or is gone before its job, this process. An early child not used is ended."""
    child = early
    try:
        if data_rows > CHILD_ABOVE_ROWS:
            child = child or ChildFeed(job.info.path)
            child.begin(job)
            return child
    except Exception as exc:  # the import still works, only without the overlap
        log.warning("reading %s in this process: the reader process did not start (%s)",
                    job.info.path.name, type(exc).__name__)  # fmt: skip
    if child is not None:
        child.close()
    return InProcessFeed(job, source)


def chunked(rows: Iterator[list[Cell]], size: int) -> Iterator[list[list[Cell]]]:
    """`rows` as lists of `size`: what is read, checked and written at a time, so memory stays flat."""
    while True:
        chunk = list(itertools.islice(rows, size))
        if not chunk:
            return
        yield chunk


def check_chunks(job: CheckJob, source: Source, checker: RowChecker, interrupt: Interrupt) -> Iterator[Chunk]:
    """The file's data rows a chunk at a time, each checked: the one loop both feeds run."""
    header_index = job.layout.header_index
    rows = itertools.islice(source.rows(job.sheet), header_index + 1, None)
    first = header_index + 2
    for chunk in chunked(rows, job.chunk_rows):
        interrupt()
        checked = checker.check(chunk, first)
        first += len(chunk)
        yield checked, bool(checker.unknown)


class InProcessFeed:
    """Reading and checking in this process, between the writes: small files, and the fallback."""

    reads_here = True

    def __init__(self, job: CheckJob, source: Source) -> None:
        self.job = job
        self.source = source
        self.checker = job.checker()

    def chunks(self, interrupt: Interrupt) -> Iterator[Chunk]:
        return check_chunks(self.job, self.source, self.checker, interrupt)

    def summary(self) -> Summary:
        return Summary.of(self.checker)

    def close(self) -> None:
        pass  # the service closes the source


# --- the parent's side of the child -----------------------------------------------------------------


class ChildFeed:
    """Chunks read and checked by a spawned child process, received over a pipe only the child writes to."""

    reads_here = False

    def __init__(self, path: Path) -> None:
        self.file_name = path.name
        context = multiprocessing.get_context("spawn")  # no fork: safe with Qt's threads, and as on Windows
        self.reader, chunk_writer = context.Pipe(duplex=False)  # chunks: child -> parent
        job_reader, self.job_writer = context.Pipe(duplex=False)  # the job: parent -> child
        level = logging.getLogger().getEffectiveLevel()
        self.process: BaseProcess = context.Process(
            target=_child_main, args=(path, job_reader, chunk_writer, level), name=CHILD_NAME, daemon=True
        )
        try:
            self.process.start()
        except BaseException:
            self.reader.close()
            self.job_writer.close()
            raise
        finally:
            # The child holds the only writing end now: when it dies, reading here ends (EOFError), never hangs.
            chunk_writer.close()
            job_reader.close()
        self._summary: Summary | None = None
        self._closed = False

    def begin(self, job: CheckJob) -> None:
        """Hand the child its job (OSError if it is gone already)."""
        self.job_writer.send(job)
        log.info("reading and checking %s in process %s", self.file_name, self.process.pid)

    def chunks(self, interrupt: Interrupt) -> Iterator[Chunk]:
        while True:
            message = self._receive(interrupt)
            if message[0] == "chunk":
                yield _unpack(message)
            elif message[0] == "done":
                self._summary = message[1]
                return
            else:
                raise _rebuilt_error(message)

    def summary(self) -> Summary:
        assert self._summary is not None, "summary() before the last chunk"
        return self._summary

    def close(self) -> None:
        """End the child (unless it finished) and wait for it, so none outlives the import. Once is enough."""
        if self._closed:
            return
        self._closed = True
        if self._summary is None and self.process.is_alive():
            self.process.terminate()
        self.process.join(JOIN_SECONDS)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.reader.close()
        self.job_writer.close()
        self.process.close()

    def _receive(self, interrupt: Interrupt) -> tuple[Any, ...]:
        """The child's next message; log records it forwards are handed to this process's handlers."""
        while True:
            interrupt()
            try:
                if not self.reader.poll(POLL_SECONDS):
                    if self.process.is_alive() or self.reader.poll(0):
                        continue
                    raise EOFError  # gone with nothing left to read (its end should have said so already)
                message = self.reader.recv()
            except (EOFError, OSError) as exc:  # the child's end closed: it exited or was killed
                raise self._stopped() from exc
            if isinstance(message, logging.LogRecord):
                logging.getLogger(message.name).handle(message)
                continue
            return tuple(message)

    def _stopped(self) -> ReaderStopped:
        self.process.join(JOIN_SECONDS)
        log.error("the reader process of %s ended unexpectedly (exit code %s)", self.file_name, self.process.exitcode)
        return ReaderStopped(code="import.reader_stopped", file=self.file_name, exit_code=self.process.exitcode)


def _unpack(message: tuple[Any, ...]) -> Chunk:
    """A chunk as the child sent it: its records as plain tuples, made `Record`s again (no copy)."""
    _, rows, rejected, skipped, duplicates, held, rows_read, unknown = message
    new = tuple.__new__
    records: list[Record] = [new(Record, row) for row in rows]
    return Checked(records, rejected, skipped, duplicates, held, rows_read), bool(unknown)


def _rebuilt_error(message: tuple[Any, ...]) -> Exception:
    """The child's error as this process raises it: the same class and message (and catalogue code, so it
    speaks either language), the child's traceback as cause."""
    _, kind, text, remote, said = message
    error: Exception = kind(text) if kind is not None else RuntimeError(text)
    if isinstance(error, KnownError) and said is not None:
        error.message_code, error.message_params = said
    error.__cause__ = _RemoteTraceback(remote)
    return error


# --- the child ------------------------------------------------------------------------------------


def _child_main(path: Path, jobs: Connection, connection: Connection, log_level: int) -> None:
    """The child's whole life: open the file while the parent finds its header, wait for the job, read and
    check the rows, send each chunk, then the summary (or the error)."""
    _exit_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends this process
    sender = _Sender(connection)
    _forward_logs(sender, log_level)
    with collector_paused():  # as in the parent: the rows and keys make no cycles, collections walk them all
        ahead = _open_ahead(path)
        try:
            job: CheckJob = jobs.recv()
        except EOFError:
            return  # started early for what was a small file after all
        try:
            for message in _messages(job, ahead):
                sender.put(message)
        except Exception as exc:
            sender.put(("error", *_describe(exc)))
        sender.finish()


def _open_ahead(path: Path) -> tuple[FileInfo, Source] | None:
    """The file looked at and opened, as the parent did, and what its readers load first (an .xlsx's shared
    strings, a workbook's first sheet) loaded, while the parent finds the header: 1.5 s of a 1M-row .xlsx.
    None when that fails: the parent's look says why, or the job's own open does."""
    try:
        info = inspect_file(path)
        source = open_source(info)
    except Exception:
        return None
    try:
        source.rows(source.sheet_names[0])  # loads eagerly where a reader has something to load
    except Exception:
        source.close()
        return None
    return info, source


def _messages(job: CheckJob, ahead: tuple[FileInfo, Source] | None) -> Iterator[tuple[Any, ...]]:
    source = ahead[1] if ahead is not None and ahead[0] == job.info else None  # not if the file changed since
    if ahead is not None and source is None:
        ahead[1].close()
    source = source or open_source(job.info)
    try:
        checker = job.checker()
        for checked, unknown in check_chunks(job, source, checker, _go_on):
            rows = [tuple(record) for record in checked.records]
            yield ("chunk", rows, checked.rejected, checked.skipped, checked.duplicates, checked.held,
                   checked.rows_read, unknown)  # fmt: skip
        yield ("done", Summary.of(checker))
    finally:
        source.close()


def _go_on() -> None:
    """The child's interrupt: it never stops by itself; the parent ends it."""


def _describe(exc: Exception) -> tuple[type[Exception] | None, str, str, tuple[str, dict[str, object]] | None]:
    """The error as it can travel: its class if the parent can make it again from the message alone
    (every `KnownError` can), the message, the traceback as text, and its catalogue code and parameters."""
    kind, text, remote = type(exc), str(exc), "".join(traceback.format_exception(exc))
    code = getattr(exc, "message_code", None)
    said = (code, dict(getattr(exc, "message_params", {}))) if code is not None else None
    if _remakeable(kind, text):
        return kind, text, remote, said
    return None, f"{kind.__name__}: {text}", remote, None


def _remakeable(kind: type[Exception], text: str) -> bool:
    try:
        pickle.dumps(kind)
        return str(kind(text)) == text
    except Exception:
        return False


def _exit_with_parent() -> None:
    """A thread that ends this process when the parent's goes (killed too): no orphan reads on alone."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_gone, args=(parent,), name="parent-watch", daemon=True).start()


def _exit_when_gone(parent: BaseProcess) -> None:
    parent.join()  # waits on the parent's sentinel, which closes when the parent exits
    os._exit(1)


class _Sender:
    """Sends the child's messages from a thread, so checking goes on while a send waits for the parent
    (up to `QUEUE_CHUNKS` chunks ahead). A send that fails means the parent is gone: the child ends."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.waiting: queue.Queue[object] = queue.Queue(QUEUE_CHUNKS)
        self.thread = threading.Thread(target=self._send_all, name="sender", daemon=True)
        self.thread.start()

    def put(self, message: object) -> None:
        self.waiting.put(message)

    def finish(self) -> None:
        """Wait until everything put is sent."""
        self.waiting.put(None)
        self.thread.join()
        self.connection.close()

    def _send_all(self) -> None:
        while (message := self.waiting.get()) is not None:
            try:
                self.connection.send(message)
            except Exception:  # the parent is gone (OSError), or a bug: ending beats waiting forever
                os._exit(1)


class _LogForwarder(logging.handlers.QueueHandler):
    """The child's log records, made plain (message formatted, no arguments), sent to the parent, whose
    handlers (its log file) write them; a full queue waits rather than drop a record."""

    def __init__(self, sender: _Sender) -> None:
        super().__init__(sender.waiting)
        self.sender = sender

    def enqueue(self, record: logging.LogRecord) -> None:
        self.sender.put(record)


def _forward_logs(sender: _Sender, level: int) -> None:
    root = logging.getLogger()
    root.handlers = [_LogForwarder(sender)]
    root.setLevel(level)
