"""Run slow work off the GUI thread and get its result back on it.

One shape for every long job (queries over big tables, demo data, later imports and exports): the
work is a plain function taking a progress callback and a cancel event; success, failure and
progress come back as Qt signals to a relay object that lives on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)
ProgressCallback = Callable[[int, int], None]
Work = Callable[[ProgressCallback, threading.Event], Any]
# Puts a page back after a failure; True when it dealt with the error itself (no default handling).
OnFailure = Callable[[BaseException], bool | None]


class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)


class BackgroundTask(QRunnable):
    """A job for the thread pool. Keep the returned object until `finished`; `cancel()` asks it to stop."""

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.work = work
        self.cancel_event = threading.Event()
        self.relay = _Relay(parent)
        self.done = False

    def cancel(self) -> None:
        self.cancel_event.set()

    def run(self) -> None:
        try:
            result = self.work(self.relay.progressed.emit, self.cancel_event)
        except BaseException as exc:  # handed to the GUI thread, which decides how to show it
            self.relay.failed.emit(exc)
        else:
            self.relay.succeeded.emit(result)


class TaskRunner(QObject):
    """Starts background tasks and keeps them alive until their result has been delivered."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: set[BackgroundTask] = set()
        self.pool = QThreadPool.globalInstance()

    def start(
        self,
        work: Work,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
        on_progress: ProgressCallback | None = None,
        pool: QThreadPool | None = None,
    ) -> BackgroundTask:
        """Run `work` on `pool` (the global one unless given: a session's writer runs one at a time)."""
        task = BackgroundTask(work, self)
        self._running.add(task)

        @Slot(object)
        def succeeded(result: Any) -> None:
            self._finish(task)
            on_success(result)

        @Slot(object)
        def failed(error: BaseException) -> None:
            self._finish(task)
            on_failure(error)

        task.relay.succeeded.connect(succeeded)
        task.relay.failed.connect(failed)
        if on_progress is not None:
            task.relay.progressed.connect(on_progress)
        (pool or self.pool).start(task)
        return task

    def _finish(self, task: BackgroundTask) -> None:
        task.done = True
        self._running.discard(task)

    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = 5000) -> bool:
        """Block until all tasks end (at shutdown and in tests)."""
        return bool(self.pool.waitForDone(msecs))
