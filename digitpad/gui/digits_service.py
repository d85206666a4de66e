"""The window's one store of personal digits, with every operation on one worker thread.

SQLite calls are quick but not instant (a write waits for the disk, an import reads hundreds
of image files), and the Draw tab stores a digit at the press of a key while the pen may
still be moving; so no store call runs on the GUI thread. `DigitsService` lives on the GUI
thread and posts requests to a `_StoreWorker` moved to its own `QThread`, the way the PySide6
examples do it. Requests travel through one queued signal, so the worker runs them strictly
in the order they were made: a delete followed at once by its undo can never be reordered,
and a digit added just before the window closes is written before the store is closed.
Results come back as queued signals to this object's `_on_*` slots, which keep the counts
the tabs read synchronously and re-emit the public signals.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread, Signal, Slot

from digitpad.core.cancellation import Cancelled
from digitpad.core.digit_exchange import ImportReport, export_digits, import_digits
from digitpad.core.digit_store import DigitStore, StoredDigit
from digitpad.core.errors import DigitpadError
from digitpad.core.progress_relay import ProgressRelay
from digitpad.core.strokes import Drawing

log = logging.getLogger(__name__)

NUM_LABELS = 10
IMPORT_REPORTS_PER_SECOND = 5


def empty_counts() -> dict[int, int]:
    """Counts before the store has answered: every label, none stored."""
    return dict.fromkeys(range(NUM_LABELS), 0)


# ---- requests: what the GUI thread asks the worker to do, in order -----------------------------


@dataclass(frozen=True)
class _Open:
    path: Path | None


@dataclass(frozen=True)
class _Add:
    label: int
    image: np.ndarray
    drawing: Drawing | None
    canvas: np.ndarray | None
    source: str
    model_name: str | None
    predicted: int | None
    confidence: float | None


@dataclass(frozen=True)
class _Relabel:
    ids: tuple[int, ...]
    label: int


@dataclass(frozen=True)
class _Delete:
    ids: tuple[int, ...]


@dataclass(frozen=True)
class _Restore:
    digits: tuple[StoredDigit, ...]


@dataclass(frozen=True)
class _List:
    pass


@dataclass(frozen=True)
class _Import:
    path: Path


@dataclass(frozen=True)
class _Export:
    path: Path
    format: str | None


@dataclass(frozen=True)
class _Close:
    pass


_Request = _Open | _Add | _Relabel | _Delete | _Restore | _List | _Import | _Export | _Close


@dataclass(frozen=True)
class ExportOutcome:
    """What an export wrote, for the confirmation line."""

    count: int
    path: Path


class _StoreWorker(QObject):
    """Lives on the worker thread and owns the `DigitStore`; one request at a time."""

    opened = Signal(object)         # counts
    changed = Signal(object)        # counts
    digitAdded = Signal(int, int)   # id, label
    deleted = Signal(object)        # list[StoredDigit]
    listed = Signal(object)         # list[StoredDigit]
    imported = Signal(object)       # ImportReport
    importProgressed = Signal(object)  # a tuple of fractions done
    exported = Signal(object)       # ExportOutcome
    failed = Signal(str)
    notice = Signal(str)

    def __init__(self, stop_event: threading.Event) -> None:
        super().__init__()
        self._stop_event = stop_event
        self._store: DigitStore | None = None
        self._open_error = self.tr("Your digits are not available yet.")

    @Slot(object)
    def run(self, request: _Request) -> None:
        """Do one request; a user error becomes one `failed` sentence, a bug a logged traceback."""
        if isinstance(request, _Close):
            self._close()
            return
        try:
            if isinstance(request, _Open):
                self._open(request.path)
            else:
                self._serve(self._require_store(), request)
        except Cancelled:
            pass  # the window is closing: nobody is waiting for the answer
        except DigitpadError as error:
            self.failed.emit(str(error))
        except Exception as error:  # a bug: keep the app alive, log it, tell the user
            log.error("Digit store operation failed:\n%s", traceback.format_exc())
            self.failed.emit(self.tr("Unexpected error with your digits: {name__}: {error}").format(name__=type(error).__name__, error=error))

    def _open(self, path: Path | None) -> None:
        try:
            self._store = DigitStore.open(path)
        except DigitpadError as error:
            self._open_error = self.tr("Your digits cannot be kept: {error}").format(error=error)
            raise DigitpadError(self._open_error) from error
        if self._store.set_aside is not None:
            self.notice.emit(
                self.tr("Your digits file was damaged; it was moved to {set_aside} and a new one started.").format(set_aside=self._store.set_aside)
            )
        self.opened.emit(self._store.counts())

    def _require_store(self) -> DigitStore:
        if self._store is None:
            raise DigitpadError(self._open_error)
        return self._store

    def _serve(self, store: DigitStore, request: _Request) -> None:
        if isinstance(request, _Add):
            digit_id = store.add(
                request.label, request.image, drawing=request.drawing, canvas=request.canvas,
                source=request.source, model_name=request.model_name, predicted=request.predicted,
                confidence=request.confidence,
            )
            self.digitAdded.emit(digit_id, request.label)
            self.changed.emit(store.counts())
        elif isinstance(request, _Relabel):
            store.relabel(request.ids, request.label)
            self.changed.emit(store.counts())
        elif isinstance(request, _Delete):
            gone = store.delete(request.ids)
            self.deleted.emit(list(gone))
            self.changed.emit(store.counts())
        elif isinstance(request, _Restore):
            store.restore(request.digits)
            self.changed.emit(store.counts())
        elif isinstance(request, _List):
            self.listed.emit(store.digits())
        elif isinstance(request, _Import):
            self._import(store, request.path)
        elif isinstance(request, _Export):
            count = export_digits(store, request.path, format=request.format)
            self.exported.emit(ExportOutcome(count, request.path))

    def _import(self, store: DigitStore, path: Path) -> None:
        relay: ProgressRelay[float] = ProgressRelay(self.importProgressed.emit, per_second=IMPORT_REPORTS_PER_SECOND)
        try:
            report = import_digits(store, path, progress=relay, stop_event=self._stop_event)
        finally:
            relay.flush()
            # Part of an import may be in the store even when it failed or stopped.
            self.changed.emit(store.counts())
        self.imported.emit(report)

    def _close(self) -> None:
        """The last request: close the store, then end the thread's event loop."""
        try:
            if self._store is not None:
                self._store.close()
        except Exception:  # closing must not keep the window from exiting
            log.error("Closing the digit store failed:\n%s", traceback.format_exc())
        finally:
            self._store = None
            thread = self.thread()
            if thread is not None:
                thread.quit()


class DigitsService(QObject):
    """The one DigitStore of the window, every operation on one worker QThread (a QObject moved
    to a QThread, as in the PySide6 examples); results come back as queued signals.

    Requests made before `start()` are kept in order and run once the store is open; requests
    made after `shutdown()` are ignored.
    """

    opened = Signal(object)          # counts dict {0..9: n} once the store is open
    changed = Signal(object)         # counts dict after any add/relabel/delete/restore/import
    digitAdded = Signal(int, int)    # id, label   (after add())
    deleted = Signal(object)         # list[StoredDigit] just deleted (keep it for undo)
    listed = Signal(object)          # list[StoredDigit], oldest first, after list_digits()
    imported = Signal(object)        # ImportReport, after import_from()
    importProgressed = Signal(object)  # tuple of the import's fractions done, a few a second
    exported = Signal(object)        # ExportOutcome, after export_to()
    failed = Signal(str)             # one clear sentence
    notice = Signal(str)             # e.g. the damaged file that was set aside

    _requested = Signal(object)      # to the worker, queued: one request

    def __init__(self, path: str | Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = Path(path) if path is not None else None
        self._counts = empty_counts()
        self._is_open = False
        self._closed = False
        self._stop_event = threading.Event()
        self._thread: QThread | None = None
        self._worker = _StoreWorker(self._stop_event)
        self._waiting: list[_Request] = []   # requests made before start()
        worker = self._worker
        connections: Sequence[tuple[Any, Callable[..., None]]] = (
            (worker.opened, self._on_opened),
            (worker.changed, self._on_changed),
            (worker.digitAdded, self._on_digit_added),
            (worker.deleted, self._on_deleted),
            (worker.listed, self._on_listed),
            (worker.imported, self._on_imported),
            (worker.importProgressed, self._on_import_progressed),
            (worker.exported, self._on_exported),
            (worker.failed, self._on_failed),
            (worker.notice, self._on_notice),
        )
        for signal, slot in connections:
            signal.connect(slot)

    # ---- life cycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker thread and open the store there; `opened` (or `failed`) follows."""
        if self._thread is not None or self._closed:
            return
        thread = QThread()
        thread.setObjectName("digit-store")
        self._worker.moveToThread(thread)
        self._requested.connect(self._worker.run)
        self._thread = thread
        thread.start()
        self._requested.emit(_Open(self._path))
        waiting, self._waiting = self._waiting, []
        for request in waiting:
            self._requested.emit(request)

    def shutdown(self) -> None:
        """Stop an import, finish the requests already made, close the store and join the thread.

        The close is queued behind the pending requests rather than quitting the thread at once,
        so a digit stored a moment before the window closed is still written. The join has no
        timeout: each request is short, and an import stops at its next file.
        """
        if self._closed:
            return
        self._closed = True
        self._waiting = []
        self._stop_event.set()
        if self._thread is None:
            return
        self._requested.emit(_Close())
        self._thread.wait()
        # Answers the worker posted before it ended would reach tabs that are closing: drop them.
        QCoreApplication.removePostedEvents(self, QEvent.Type.MetaCall)
        self._thread.deleteLater()
        self._thread = None

    def is_open(self) -> bool:
        """The store answered `opened`: counts and listings are real, not placeholders."""
        return self._is_open

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    # ---- requests -----------------------------------------------------------------------------

    def add(
        self,
        label: int,
        image: np.ndarray,
        *,
        drawing: Drawing | None = None,
        canvas: np.ndarray | None = None,
        source: str = "drawn",
        model_name: str | None = None,
        predicted: int | None = None,
        confidence: float | None = None,
    ) -> None:
        """Store one digit; `digitAdded` and `changed` follow. The arrays are copied now, so the
        caller may keep drawing on its canvas buffer."""
        self._request(_Add(
            label, np.array(image, copy=True), drawing,
            None if canvas is None else np.array(canvas, copy=True),
            source, model_name, predicted, confidence,
        ))

    def relabel(self, ids: list[int], label: int) -> None:
        self._request(_Relabel(tuple(ids), label))

    def delete(self, ids: list[int]) -> None:
        """Delete these digits; `deleted` brings them back for an undo, then `changed`."""
        self._request(_Delete(tuple(ids)))

    def restore(self, digits: list[StoredDigit]) -> None:
        """Put deleted digits back under their old ids (the undo of `delete`)."""
        self._request(_Restore(tuple(digits)))

    def list_digits(self) -> None:
        """Read every stored digit, oldest first; `listed` follows."""
        self._request(_List())

    def import_from(self, path: str | Path) -> None:
        """Import a folder with subfolders 0-9 or an `.npz`; `imported` then `changed` follow."""
        self._request(_Import(Path(path)))

    def export_to(self, path: str | Path, format: str | None = None) -> None:
        """Export every digit: "npz", "png" (folder) or "idx"; None infers it from the path."""
        self._request(_Export(Path(path), format))

    def counts(self) -> dict[int, int]:
        """The last known counts per label (0..9, zeros included), cached on the GUI thread."""
        return dict(self._counts)

    def total(self) -> int:
        return sum(self._counts.values())

    def _request(self, request: _Request) -> None:
        if self._closed:
            return
        if self._thread is None:
            self._waiting.append(request)
        else:
            self._requested.emit(request)

    # ---- answers from the worker (GUI thread) --------------------------------------------------

    @Slot(object)
    def _on_opened(self, counts: dict[int, int]) -> None:
        self._is_open = True
        self._counts = dict(counts)
        self.opened.emit(self.counts())

    @Slot(object)
    def _on_changed(self, counts: dict[int, int]) -> None:
        self._counts = dict(counts)
        self.changed.emit(self.counts())

    @Slot(int, int)
    def _on_digit_added(self, digit_id: int, label: int) -> None:
        self.digitAdded.emit(digit_id, label)

    @Slot(object)
    def _on_deleted(self, digits: list[StoredDigit]) -> None:
        self.deleted.emit(digits)

    @Slot(object)
    def _on_listed(self, digits: list[StoredDigit]) -> None:
        self.listed.emit(digits)

    @Slot(object)
    def _on_imported(self, report: ImportReport) -> None:
        self.imported.emit(report)

    @Slot(object)
    def _on_import_progressed(self, bundle: tuple[object, ...]) -> None:
        self.importProgressed.emit(bundle)

    @Slot(object)
    def _on_exported(self, outcome: ExportOutcome) -> None:
        self.exported.emit(outcome)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.failed.emit(message)

    @Slot(str)
    def _on_notice(self, message: str) -> None:
        self.notice.emit(message)
