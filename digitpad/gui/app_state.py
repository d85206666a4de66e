"""State shared by the three tabs: the model library, the model used for drawing, settings.

The tabs never talk to each other directly; they read this object and listen to its signals,
so the Train tab can hand a freshly trained model to the Draw tab and the Models tab can
compare models on whatever is on the canvas. It lives on the GUI thread. Slow work (loading a
model) runs on its `BackgroundTask`s, which `shutdown()` joins. TensorFlow itself never loads in
the window's process: it lives in `engine` (a child process, see `core.engine`), which every
job that needs it runs in.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QSettings, Signal, Slot

from digitpad.core import model_jobs
from digitpad.core.engine import Engine, EngineJob, EngineWork, default_engine
from digitpad.core.file_cache import FileCache
from digitpad.core.inference import Predictor
from digitpad.core.library import ModelLibrary
from digitpad.core.model_jobs import LibraryListing, ProgressCallback
from digitpad.core.resources import default_model_path
from digitpad.core.run_log import RunLog
from digitpad.gui.workers import BackgroundTask, LatestTask

SETTINGS_GEOMETRY = "window/geometry"
SETTINGS_BRUSH_SIZE = "draw/brushSize"
SETTINGS_LAST_MODEL = "draw/lastModel"          # "" means the shipped default model
SETTINGS_IMAGE_DIR = "draw/lastImageDirectory"
SETTINGS_MODEL_DIR = "draw/lastModelDirectory"

STATUS_TIMEOUT_MS = 6000


@dataclass(frozen=True)
class _LoadRequest:
    path: Path | None        # None: the shipped default model
    restoring: bool          # start-up: fall back to the default model and only report in the status bar
    announce: bool = True    # say "Now drawing with …" once loaded


class AppState(QObject):
    """Shared by the three tabs; lives on the GUI thread."""

    predictorChanged = Signal(object)      # the Predictor now used for drawing
    predictorLoadFailed = Signal(str)      # a model the user picked could not be loaded (message)
    libraryChanged = Signal()              # a model was saved, imported, renamed or deleted
    libraryListed = Signal(object)         # a fresh LibraryListing, read on a worker after a change
    tensorflowReady = Signal()             # TensorFlow/Keras imported: training/evaluation possible
    tensorflowFailed = Signal(str)         # the import failed (message); training stays unavailable
    statusMessage = Signal(str, int)       # text, timeout ms (0: until replaced)
    drawingChanged = Signal()              # emitted (throttled to the screen's rate) when the canvas changes

    def __init__(
        self,
        library: ModelLibrary | None = None,
        settings: QSettings | None = None,
        parent: QObject | None = None,
        engine: Engine | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine: Engine = engine if engine is not None else default_engine()
        self.settings: QSettings = settings if settings is not None else QSettings("digitpad", "digitpad")
        self.library: ModelLibrary = library if library is not None else ModelLibrary()
        self.run_log = RunLog()                              # every training and fine-tune, for the Runs page
        self.predictor: Predictor | None = None
        self.predictors = model_jobs.predictor_cache(self.engine)  # shared by every tab: a model is loaded once
        self.listing: LibraryListing | None = None          # the latest listing of the library
        self.tensorflow_ready: bool = False
        self._drawing: np.ndarray | None = None
        self._pending: _LoadRequest | None = None
        self._active: _LoadRequest | None = None
        self._tensorflow_after_model = False
        self._closed = False

        self._model_task = BackgroundTask(self)
        self._model_task.succeeded.connect(self._on_model_loaded)
        self._model_task.failed.connect(self._on_model_failed)
        self._model_task.finished.connect(self._on_model_task_finished)

        self._weight_counts = model_jobs.weight_count_cache()
        self._listing_task = LatestTask(self)
        self._listing_task.succeeded.connect(self._on_library_listed)
        self._listing_task.failed.connect(self._on_listing_failed)
        self.libraryChanged.connect(self.refresh_library)

        self._tensorflow_task = BackgroundTask(self)
        self._tensorflow_task.succeeded.connect(self._on_tensorflow_loaded)
        self._tensorflow_task.failed.connect(self._on_tensorflow_failed)
        self._tensorflow_started = False

    # ---- start-up -------------------------------------------------------------------------

    def start(self) -> None:
        """Restore the last model, then import TensorFlow; called once the window is visible.

        The model comes first so that the first prediction does not queue behind the import,
        which holds the interpreter for seconds.
        """
        self._tensorflow_after_model = True
        self.restore_last_predictor()

    def restore_last_predictor(self) -> None:
        """Load the model used last time; if it is gone or corrupt, say so and use the default."""
        last = str(self.settings.value(SETTINGS_LAST_MODEL, "") or "")
        self._queue(_LoadRequest(Path(last) if last else None, restoring=True))

    def start_tensorflow_loading(self) -> None:
        """Start the engine, which imports TensorFlow (once); `tensorflowReady` follows. The
        worker thread only waits: the import holds the engine's GIL, not the window's."""
        if self._tensorflow_started or self._closed:
            return
        self._tensorflow_started = True
        self.statusMessage.emit(self.tr("Loading TensorFlow… drawing works already; training will be ready in a moment."),
                                STATUS_TIMEOUT_MS)
        self._tensorflow_task.start(self.engine.warm_up)

    def is_loading_model(self) -> bool:
        return self._model_task.is_running() or self._pending is not None

    def is_tensorflow_loading(self) -> bool:
        return self._tensorflow_task.is_running()

    def engine_job(self, work: EngineWork, *extra_events: threading.Event) -> EngineJob:
        """`work` (a picklable core job, see `core.engine`) to run in the engine, in the shape
        `BackgroundTask.start` takes; `extra_events` are its further stop signals."""
        return EngineJob(self.engine, work, extra_events)

    # ---- the model used for drawing ---------------------------------------------------------

    def is_default_model(self, path: str | Path | None) -> bool:
        return path is None or same_file(Path(path), default_model_path())

    def set_predictor(self, predictor: Predictor) -> None:
        """Use `predictor` for drawing from now on and remember its file for the next start."""
        self.predictor = predictor
        remembered = "" if self.is_default_model(predictor.path) else str(predictor.path)
        self.settings.setValue(SETTINGS_LAST_MODEL, remembered)
        self.predictorChanged.emit(predictor)

    def load_predictor(self, path: str | Path | None, *, announce: bool = True) -> None:
        """Load a model file (None: the shipped default) on a worker thread, then `set_predictor`.

        A failure leaves the current model in place and emits `predictorLoadFailed`. Requests
        made while one is loading replace each other, so only the last one picked wins.
        `announce=False` skips the "Now drawing with" message, for switches the user did not ask
        for (the model in use was renamed or deleted).
        """
        self._queue(_LoadRequest(Path(path) if path is not None else None, restoring=False, announce=announce))

    # ---- the drawing, for live comparisons --------------------------------------------------

    def publish_drawing(self, drawing: np.ndarray | None) -> None:
        """Called by the Draw tab (throttled); `drawing` is uint8 HxW, ink bright on black."""
        self._drawing = drawing
        self.drawingChanged.emit()

    def current_drawing(self) -> np.ndarray | None:
        """The canvas image in MNIST polarity (uint8 HxW, ink bright on black); None when blank."""
        return self._drawing

    # ---- settings, messages and library -----------------------------------------------------

    def int_setting(self, key: str, default: int) -> int:
        """An integer setting; a hand-edited or damaged value falls back to `default`."""
        try:
            return int(str(self.settings.value(key, default)))
        except ValueError:
            return default

    def show_status(self, text: str, timeout_ms: int = STATUS_TIMEOUT_MS) -> None:
        self.statusMessage.emit(text, timeout_ms)

    def notify_library_changed(self) -> None:
        self.libraryChanged.emit()

    @Slot()
    def refresh_library(self) -> None:
        """Re-read the library on a worker; `libraryListed` follows. Called on every change."""
        self._listing_task.submit(partial(model_jobs.list_models, self.library, default_model_path(),
                                          weight_counts=self._weight_counts))

    def ensure_listing(self) -> None:
        """List the library once, for the first view that needs it."""
        if self.listing is None and not self._listing_task.is_busy():
            self.refresh_library()

    def is_listing(self) -> bool:
        return self._listing_task.is_busy()

    # ---- shutdown ---------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop and join every worker thread; results that arrive afterwards are ignored.

        The joins have no timeout: each job stops at its next check. Waiting for TensorFlow
        stops at once, and the engine is ended last, once no tab has a job left in it.
        """
        self._closed = True
        self._pending = None
        self._listing_task.stop_and_wait()
        self._model_task.stop_and_wait()
        self._tensorflow_task.stop_and_wait()
        self.engine.close()

    # ---- internals --------------------------------------------------------------------------

    def _queue(self, request: _LoadRequest) -> None:
        if self._closed:
            return
        self._pending = request
        if not self._model_task.is_running():
            self._start_next_load()

    def _start_next_load(self) -> None:
        request, self._pending = self._pending, None
        if request is None:
            return
        self._active = request
        self._model_task.start(partial(_load, request.path or default_model_path(), self.predictors, self.engine))

    @Slot(object)
    def _on_model_loaded(self, predictor: object) -> None:
        if self._closed or self._pending is not None or not isinstance(predictor, Predictor):
            return  # shutting down, superseded by a newer pick, or stopped
        self.set_predictor(predictor)
        if self._active is not None and self._active.announce and not self._active.restoring:
            self.statusMessage.emit(self.tr("Now drawing with {model}.").format(model=model_label(self, predictor)), STATUS_TIMEOUT_MS)

    @Slot(str)
    def _on_model_failed(self, message: str) -> None:
        request = self._active
        if self._closed or request is None:
            return
        if not request.restoring:
            self.predictorLoadFailed.emit(message)
            self.statusMessage.emit(message, STATUS_TIMEOUT_MS)
        elif request.path is not None and not self.is_default_model(request.path):
            self.statusMessage.emit(self.tr("{message} Using the shipped default model instead.").format(message=message), 0)
            if self._pending is None:
                self._pending = _LoadRequest(None, restoring=True)
        else:
            self.statusMessage.emit(self.tr("{message} Train a model on the Train tab to start drawing.").format(message=message), 0)

    @Slot()
    def _on_model_task_finished(self) -> None:
        self._active = None
        if self._closed:
            return
        if self._pending is not None:
            self._start_next_load()
        elif self._tensorflow_after_model:
            self._tensorflow_after_model = False
            self.start_tensorflow_loading()

    @Slot(object)
    def _on_library_listed(self, listing: object) -> None:
        if isinstance(listing, LibraryListing):  # None: stopped for a newer listing
            self.listing = listing
            self.libraryListed.emit(listing)

    @Slot(str)
    def _on_listing_failed(self, message: str) -> None:
        self.statusMessage.emit(self.tr("Cannot read the model library: {message}").format(message=message), STATUS_TIMEOUT_MS)

    @Slot(object)
    def _on_tensorflow_loaded(self, versions: object) -> None:
        if self._closed:
            return
        self.tensorflow_ready = True
        self.statusMessage.emit(self.tr("{versions} ready: training and evaluation are available.").format(versions=versions), STATUS_TIMEOUT_MS)
        self.tensorflowReady.emit()

    @Slot(str)
    def _on_tensorflow_failed(self, message: str) -> None:
        if self._closed:
            return
        self.statusMessage.emit(self.tr("TensorFlow could not be loaded, so training is unavailable: {message}").format(message=message), 0)
        self.tensorflowFailed.emit(message)


def _load(path: Path, cache: FileCache[Predictor], engine: Engine, progress: ProgressCallback,
          stop_event: threading.Event) -> Predictor | None:
    return model_jobs.load_predictor(path, progress, stop_event, cache=cache, engine=engine)


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (a renamed or deleted model may be the one in use)."""
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


def model_label(state: AppState, predictor: Predictor) -> str:
    """How the model used for drawing is named in sentences: "the shipped default model", “name”."""
    if state.is_default_model(predictor.path):
        return QCoreApplication.translate("AppState", "the shipped default model")
    if predictor.metadata is not None and predictor.metadata.name:
        return f"“{predictor.metadata.name}”"
    return f"“{predictor.path.name}”"
