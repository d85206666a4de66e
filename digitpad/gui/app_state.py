"""State shared by the three tabs: the model library, the model used for drawing, settings.

The tabs never talk to each other directly; they read this object and listen to its signals,
so the Train tab can hand a freshly trained model to the Draw tab and the Models tab can
compare models on whatever is on the canvas. It lives on the GUI thread. Slow work (loading a
model, importing TensorFlow) runs on its `BackgroundTask`s, which `shutdown()` joins.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QSettings, Signal, Slot

from digitpad.core.inference import Predictor
from digitpad.core.library import ModelLibrary
from digitpad.core.resources import default_model_path
from digitpad.gui import tensorflow_loader
from digitpad.gui.workers import BackgroundTask

SETTINGS_GEOMETRY = "window/geometry"
SETTINGS_BRUSH_SIZE = "draw/brushSize"
SETTINGS_LAST_MODEL = "draw/lastModel"          # "" means the shipped default model
SETTINGS_IMAGE_DIR = "draw/lastImageDirectory"
SETTINGS_MODEL_DIR = "draw/lastModelDirectory"

log = logging.getLogger(__name__)

STATUS_TIMEOUT_MS = 6000
MODEL_LOAD_TIMEOUT_MS = 30_000
TENSORFLOW_TIMEOUT_MS = 180_000   # an import cannot be interrupted; on a busy 2-core machine it can take a while


@dataclass(frozen=True)
class _LoadRequest:
    path: Path | None        # None: the shipped default model
    restoring: bool          # start-up: fall back to the default model and only report in the status bar


def _load_predictor(path: Path) -> Callable[[Callable[[object], None], threading.Event], Predictor]:
    def work(progress: Callable[[object], None], stop_event: threading.Event) -> Predictor:
        return Predictor.load(path)

    return work


class AppState(QObject):
    """Shared by the three tabs; lives on the GUI thread."""

    predictorChanged = Signal(object)      # the Predictor now used for drawing
    predictorLoadFailed = Signal(str)      # a model the user picked could not be loaded (message)
    libraryChanged = Signal()              # a model was saved, imported, renamed or deleted
    tensorflowReady = Signal()             # TensorFlow/Keras imported: training/evaluation possible
    tensorflowFailed = Signal(str)         # the import failed (message); training stays unavailable
    statusMessage = Signal(str, int)       # text, timeout ms (0: until replaced)
    drawingChanged = Signal()              # emitted (throttled to the screen's rate) when the canvas changes

    def __init__(
        self,
        library: ModelLibrary | None = None,
        settings: QSettings | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings: QSettings = settings if settings is not None else QSettings("digitpad", "digitpad")
        self.library: ModelLibrary = library if library is not None else ModelLibrary()
        self.predictor: Predictor | None = None
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
        """Import TensorFlow on a worker thread (once); `tensorflowReady` follows."""
        if self._tensorflow_started or self._closed:
            return
        self._tensorflow_started = True
        self.statusMessage.emit("Loading TensorFlow… drawing works already; training will be ready in a moment.",
                                STATUS_TIMEOUT_MS)
        self._tensorflow_task.start(tensorflow_loader.import_tensorflow)

    def is_tensorflow_loading(self) -> bool:
        return self._tensorflow_task.is_running()

    # ---- the model used for drawing ---------------------------------------------------------

    def is_default_model(self, path: str | Path | None) -> bool:
        return path is None or _same_file(Path(path), default_model_path())

    def set_predictor(self, predictor: Predictor) -> None:
        """Use `predictor` for drawing from now on and remember its file for the next start."""
        self.predictor = predictor
        remembered = "" if self.is_default_model(predictor.path) else str(predictor.path)
        self.settings.setValue(SETTINGS_LAST_MODEL, remembered)
        self.predictorChanged.emit(predictor)

    def load_predictor(self, path: str | Path | None) -> None:
        """Load a model file (None: the shipped default) on a worker thread, then `set_predictor`.

        A failure leaves the current model in place and emits `predictorLoadFailed`. Requests
        made while one is loading replace each other, so only the last one picked wins.
        """
        self._queue(_LoadRequest(Path(path) if path is not None else None, restoring=False))

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
            return int(self.settings.value(key, default))
        except (TypeError, ValueError):
            return default

    def show_status(self, text: str, timeout_ms: int = STATUS_TIMEOUT_MS) -> None:
        self.statusMessage.emit(text, timeout_ms)

    def notify_library_changed(self) -> None:
        self.libraryChanged.emit()

    # ---- shutdown ---------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Join both worker threads; results that arrive afterwards are ignored."""
        self._closed = True
        self._pending = None
        for task, what, timeout_ms in ((self._model_task, "Loading a model", MODEL_LOAD_TIMEOUT_MS),
                                       (self._tensorflow_task, "Importing TensorFlow", TENSORFLOW_TIMEOUT_MS)):
            if not task.stop_and_wait(timeout_ms):
                log.warning("%s did not finish within %d s of closing; its thread was abandoned.",
                            what, timeout_ms // 1000)

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
        self._model_task.start(_load_predictor(request.path or default_model_path()))

    @Slot(object)
    def _on_model_loaded(self, predictor: object) -> None:
        if self._closed or self._pending is not None:
            return  # shutting down, or superseded by a newer pick
        assert isinstance(predictor, Predictor)
        self.set_predictor(predictor)
        if self._active is not None and not self._active.restoring:
            self.statusMessage.emit(f"Now drawing with {_model_label(self, predictor)}.", STATUS_TIMEOUT_MS)

    @Slot(str)
    def _on_model_failed(self, message: str) -> None:
        request = self._active
        if self._closed or request is None:
            return
        if not request.restoring:
            self.predictorLoadFailed.emit(message)
            self.statusMessage.emit(message, STATUS_TIMEOUT_MS)
        elif request.path is not None and not self.is_default_model(request.path):
            self.statusMessage.emit(f"{message} Using the shipped default model instead.", 0)
            if self._pending is None:
                self._pending = _LoadRequest(None, restoring=True)
        else:
            self.statusMessage.emit(f"{message} Train a model on the Train tab to start drawing.", 0)

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
    def _on_tensorflow_loaded(self, versions: object) -> None:
        if self._closed:
            return
        self.tensorflow_ready = True
        self.statusMessage.emit(f"{versions} ready: training and evaluation are available.", STATUS_TIMEOUT_MS)
        self.tensorflowReady.emit()

    @Slot(str)
    def _on_tensorflow_failed(self, message: str) -> None:
        if self._closed:
            return
        self.statusMessage.emit(f"TensorFlow could not be loaded, so training is unavailable: {message}", 0)
        self.tensorflowFailed.emit(message)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


def _model_label(state: AppState, predictor: Predictor) -> str:
    if state.is_default_model(predictor.path):
        return "the shipped default model"
    if predictor.metadata is not None and predictor.metadata.name:
        return f"“{predictor.metadata.name}”"
    return f"“{predictor.path.name}”"
