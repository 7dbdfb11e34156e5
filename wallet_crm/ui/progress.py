"""Long work with a progress dialog that appears only when the work passes half a second.

Short jobs finish without a flicker; long ones show done/total and a Cancel button that sets the
job's cancel event (the service then stops and writes nothing). The job is started by `start`, usually
one of the session's `read`, `write` or `run`, which also gives a failure its default handling.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from wallet_crm.ui.operations import BackgroundTask, OnFailure, ProgressCallback

# Starts the job with what to call on success, on failure (True: handled) and on progress.
Start = Callable[[Callable[[Any], None], OnFailure, ProgressCallback], BackgroundTask]

PROGRESS_DELAY_MS = 500


def run_with_progress(
    parent: QWidget,
    title: str,
    label: str,
    start: Start,
    on_success: Callable[[Any], None],
    on_failure: OnFailure | None = None,
) -> tuple[BackgroundTask, QProgressDialog]:
    """Start the job with a progress dialog; `on_failure` as the session's `failed` (True: handled)."""
    # Qt's own "Cancel", translated by the qtbase catalogue.
    dialog = QProgressDialog(label, QCoreApplication.translate("QProgressDialog", "Cancel"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(PROGRESS_DELAY_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)

    def progressed(done: int, total: int) -> None:
        if dialog.maximum() != total:
            dialog.setMaximum(total)
        dialog.setValue(min(done, total))

    def finished(result: Any) -> None:
        dialog.close()
        on_success(result)

    def failed(error: BaseException) -> bool | None:
        dialog.close()
        return on_failure(error) if on_failure is not None else None

    task = start(finished, failed, progressed)
    dialog.canceled.connect(task.cancel)
    return task, dialog
