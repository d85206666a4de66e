"""Run one core function on a worker QThread, the way the official PySide6 examples do.

The core's long functions (evaluation, listing and loading models, jobs sent to the engine
process) take a `progress` callable and a `threading.Event`; `BackgroundTask` wraps exactly that shape, so the widgets
never touch threads themselves. Signals from the worker reach the GUI thread queued, because
`BackgroundTask` lives in the GUI thread and only its private `_Job` is moved to the worker.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from digitpad.core.cancellation import Cancelled
from digitpad.core.errors import DigitpadError

log = logging.getLogger(__name__)

Work = Callable[[Callable[[Any], None], threading.Event], Any]


class _Job(QObject):
    """Lives on the worker thread; turns the function's outcome into signals."""

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, work: Work, stop_event: threading.Event) -> None:
        super().__init__()
        self._work = work
        self._stop_event = stop_event

    @Slot()
    def run(self) -> None:
        try:
            result = self._work(self.progressed.emit, self._stop_event)
        except Cancelled:
            self.cancelled.emit()
        except DigitpadError as error:
            self.failed.emit(str(error))
        except Exception as error:  # a bug: keep the app alive, log the traceback, tell the user
            log.error("Background task failed:\n%s", traceback.format_exc())
            self.failed.emit(self.tr("Unexpected error: {kind}: {error}").format(kind=type(error).__name__,
                                                                                  error=error))
        else:
            self.succeeded.emit(result)


class BackgroundTask(QObject):
    """One function at a time on its own QThread, stoppable and joinable.

    `progressed`, `succeeded`, `failed` and `cancelled` (the function raised `Cancelled` after
    a stop) are emitted on the GUI thread; `finished` follows any outcome once the thread has
    ended, so callers can re-enable their buttons.
    """

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._job: _Job | None = None
        self._stop_event = threading.Event()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def start(self, work: Work) -> None:
        if self.is_running():
            raise RuntimeError("A background task is already running.")
        self._stop_event = threading.Event()
        thread = QThread()
        job = _Job(work, self._stop_event)
        job.moveToThread(thread)
        thread.started.connect(job.run)
        job.progressed.connect(self._on_progressed)
        job.succeeded.connect(self._on_succeeded)
        job.failed.connect(self._on_failed)
        job.cancelled.connect(self._on_cancelled)
        job.succeeded.connect(thread.quit)
        job.failed.connect(thread.quit)
        job.cancelled.connect(thread.quit)
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._job = thread, job
        thread.start()

    def request_stop(self) -> None:
        """Ask the function to stop at its next check; it keeps what it has done so far."""
        self._stop_event.set()

    def stop_and_wait(self) -> bool:
        """Stop and join the thread; used on window close and `aboutToQuit`. True once joined.

        There is no timeout on purpose: a join that gives up leaves a thread running while
        Python and Qt tear down. The wait is bounded by the function itself, which checks the
        stop event between steps (a job in the engine process is stopped there, see `core.engine`).
        """
        self.request_stop()
        if self._thread is None:
            return True
        # The job's own quit request is queued to this (GUI) thread, which is about to block in
        # wait(); ask directly, so the thread's loop ends as soon as the function returns.
        self._thread.quit()
        finished = self._thread.wait()
        self._on_thread_finished()
        return finished

    @Slot(object)
    def _on_progressed(self, value: object) -> None:
        self.progressed.emit(value)

    @Slot(object)
    def _on_succeeded(self, value: object) -> None:
        self.succeeded.emit(value)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.failed.emit(message)

    @Slot()
    def _on_cancelled(self) -> None:
        self.cancelled.emit()

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._thread is None or self._thread.isRunning():
            return
        self._thread.deleteLater()
        if self._job is not None:
            self._job.deleteLater()
        self._thread, self._job = None, None
        self.finished.emit()


class LatestTask(QObject):
    """Runs the latest of the jobs submitted to it, one at a time, for views that follow the user.

    Selecting model after model, or a library that changes twice in a row, must not queue a
    backlog: a job submitted while another runs asks that one to stop and replaces any job
    still waiting, and only the result of the latest job is delivered.
    """

    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task = BackgroundTask(self)
        self._task.succeeded.connect(self._on_succeeded)
        self._task.failed.connect(self._on_failed)
        self._task.finished.connect(self._on_finished)
        self._pending: Work | None = None
        self._closed = False

    def submit(self, work: Work) -> None:
        if self._closed:
            return
        self._pending = work
        if self._task.is_running():
            self._task.request_stop()
        else:
            self._start_pending()

    def is_busy(self) -> bool:
        """A job is running or waiting: what the views show may be about to change."""
        return self._task.is_running() or self._pending is not None

    def stop_and_wait(self) -> None:
        """Drop the waiting job, stop the running one and join its thread; nothing is delivered."""
        self._closed = True
        self._pending = None
        self._task.stop_and_wait()

    def _start_pending(self) -> None:
        work, self._pending = self._pending, None
        if work is not None:
            self._task.start(work)

    @Slot(object)
    def _on_succeeded(self, value: object) -> None:
        if self._pending is None and not self._closed:
            self.succeeded.emit(value)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self._pending is None and not self._closed:
            self.failed.emit(message)

    @Slot()
    def _on_finished(self) -> None:
        if not self._closed:
            self._start_pending()
