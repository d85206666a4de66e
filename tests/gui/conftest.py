"""GUI test fixtures: isolated settings and library, the shipped model, strokes, no stray threads,
and the tiny models, library and Models tab the Models-side tests share."""

from __future__ import annotations

import gc
import itertools
import os
import shutil
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from digitpad.core.inference import Predictor
from digitpad.core.library import ModelLibrary
from digitpad.core.resources import bundled_mnist_path, default_model_path
from digitpad.gui.app_state import AppState
from digitpad.gui.canvas import RESOLUTION, Canvas
from digitpad.gui.digits_service import DigitsService
from digitpad.gui.models_tab import ModelsTab
from digitpad.gui.train_tab import TrainTab
from digitpad.gui.training_curves import TrainingCurves
from digitpad.gui.workers import BackgroundTask
from tests.gui.models_helpers import TinyModels, build_tiny_models, settle

# The window's engine jobs run in the test's own process (`core.engine.ThreadEngine`), pickled on
# their way as they would be to the engine process: a test pays no TensorFlow import of its own,
# and monkeypatched core functions are the ones the jobs call. tests/core/test_engine.py and
# test_app's first start check the real process.
os.environ["DIGITPAD_ENGINE"] = "thread"

THREAD_JOIN_S = 5.0

Stroke = Sequence[tuple[float, float]]


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own home, settings file and model library, and never goes online."""
    root = tmp_path / "user"
    for name in ("home", "config", "system-config", "data", "library"):
        (root / name).mkdir(parents=True)
    monkeypatch.setenv("HOME", str(root / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(root / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(root / "data"))
    monkeypatch.setenv("DIGITPAD_LIBRARY", str(root / "library"))
    monkeypatch.setenv("DIGITPAD_OFFLINE", "1")
    for settings_format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(settings_format, QSettings.Scope.UserScope, str(root / "config"))
        QSettings.setPath(settings_format, QSettings.Scope.SystemScope, str(root / "system-config"))
    return root


@pytest.fixture(autouse=True)
def garbage_collected_between_tests() -> Iterator[None]:
    """Collect reference cycles only between tests, as the app collects them only from its event
    loop (see `digitpad.gui.app`): a collection that starts inside a Qt call holding the
    signal-connection lock and frees a QObject there (pyqtgraph's parentless menus) deadlocks."""
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()


@pytest.fixture(autouse=True)
def no_thread_outlives_the_test(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test that leaves a BackgroundTask running or a Python thread alive.

    QThreads are tracked through `BackgroundTask.start`, the only way the app starts them;
    Python's dummy entries for foreign threads are ignored because they never leave
    `threading.enumerate()`.
    """
    before = set(threading.enumerate())
    started: list[weakref.ref[BackgroundTask]] = []
    original_start = BackgroundTask.start

    def recording_start(self: BackgroundTask, work: Callable[..., object]) -> None:
        started.append(weakref.ref(self))
        original_start(self, work)

    monkeypatch.setattr(BackgroundTask, "start", recording_start)
    yield
    QApplication.processEvents()
    running = [task for ref in started if (task := ref()) is not None and task.is_running()]
    for task in running:   # join them so the next test starts clean, then report
        task.stop_and_wait()
    new_threads = [
        thread for thread in threading.enumerate()
        if thread not in before and not isinstance(thread, threading._DummyThread)
    ]
    for thread in new_threads:
        thread.join(THREAD_JOIN_S)
    alive = [thread.name for thread in new_threads if thread.is_alive()]
    assert not running, f"{len(running)} BackgroundTask(s) still running after the test"
    assert not alive, f"threads outlived the test: {alive}"


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The model shipped in resources/, which the app uses by default."""
    path = default_model_path()
    assert path.is_file(), f"the shipped default model is missing: {path}"
    return path


@pytest.fixture(scope="session")
def predictor(model_path: Path) -> Predictor:
    return Predictor.load(model_path)


def image_to_widget(canvas: Canvas, x: float, y: float) -> QPoint:
    """Widget position of canvas-image coordinates (0..280), wherever the square is drawn."""
    side = min(canvas.width(), canvas.height())
    left = (canvas.width() - side) / 2
    top = (canvas.height() - side) / 2
    return QPoint(round(left + x * side / RESOLUTION), round(top + y * side / RESOLUTION))


def draw_strokes(canvas: Canvas, strokes: Sequence[Stroke], steps: int = 6) -> None:
    """Draw with real mouse events: press, moves interpolated between the points, release."""
    left = Qt.MouseButton.LeftButton
    none = Qt.KeyboardModifier.NoModifier
    for stroke in strokes:
        QTest.mousePress(canvas, left, none, image_to_widget(canvas, *stroke[0]))
        for (x0, y0), (x1, y1) in itertools.pairwise(stroke):
            for step in range(1, steps + 1):
                t = step / steps
                QTest.mouseMove(canvas, image_to_widget(canvas, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
        QTest.mouseRelease(canvas, left, none, image_to_widget(canvas, *stroke[-1]))


@pytest.fixture
def draw() -> Callable[..., None]:
    """`draw(canvas, strokes)`: strokes are lists of (x, y) points in canvas-image pixels."""
    return draw_strokes


@pytest.fixture
def shown_canvas(qtbot: QtBot) -> Canvas:
    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(420, 420)
    canvas.show()
    qtbot.waitExposed(canvas)
    return canvas


# ---------------------------------------------------------------------- Models-tab fixtures


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> TinyModels:
    """"seven", "one" and a plain Keras file; TensorFlow is imported once per session for them."""
    return build_tiny_models(tmp_path_factory.getbasetemp() / "tiny-models")


@pytest.fixture
def library(tmp_path: Path, tiny_models: TinyModels) -> ModelLibrary:
    root = tmp_path / "library-under-test"
    root.mkdir()
    for path in (tiny_models.seven, tiny_models.one):
        shutil.copy2(path, root / path.name)
    return ModelLibrary(root)


@pytest.fixture
def shipped(tmp_path: Path, tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the shipped default model, so the tests do not depend on resources/."""
    path = tmp_path / "resources" / "default-model.keras"
    path.parent.mkdir()
    shutil.copy2(tiny_models.seven, path)
    for module in ("digitpad.gui.app_state", "digitpad.core.inference"):
        monkeypatch.setattr(f"{module}.default_model_path", lambda: path)
    return path


@pytest.fixture
def state(library: ModelLibrary, tmp_path: Path) -> AppState:
    return AppState(library=library, settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def tab(qtbot: QtBot, state: AppState, shipped: Path) -> Iterator[ModelsTab]:
    widget = ModelsTab(state)
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.show()
    qtbot.waitExposed(widget)
    settle(widget)
    yield widget
    widget.shutdown()


@pytest.fixture(scope="module")
def mnist() -> tuple[np.ndarray, np.ndarray]:
    with np.load(bundled_mnist_path()) as data:
        return data["x"], data["y"]


# ----------------------------------------------------------------------------- training tabs

TRAINING_IMAGES, HELD_OUT_IMAGES = 480, 120   # the digits file the Train tab's tests train on
TENSORFLOW_TIMEOUT_MS = 120_000


@pytest.fixture(scope="session")
def tensorflow() -> tuple[object, object]:
    """TensorFlow and Keras, imported once for the session: it takes seconds."""
    import keras
    import tensorflow

    return tensorflow, keras


@pytest.fixture(scope="session")
def digits_npz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """600 real MNIST digits in Keras' .npz layout: 480 to train on, 120 to test."""
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"][:TRAINING_IMAGES + HELD_OUT_IMAGES], data["y"][:TRAINING_IMAGES + HELD_OUT_IMAGES]
    path = tmp_path_factory.mktemp("data") / "digits600.npz"
    np.savez(path, x_train=x[:TRAINING_IMAGES], y_train=y[:TRAINING_IMAGES],
             x_test=x[TRAINING_IMAGES:], y_test=y[TRAINING_IMAGES:])
    return path


@pytest.fixture
def empty_state(tmp_path: Path, tensorflow: tuple[object, object]) -> Iterator[AppState]:
    """An AppState with an empty library and its own settings file; TensorFlow not yet "ready"."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    app_state = AppState(library=ModelLibrary(tmp_path / "library"), settings=settings)
    yield app_state
    app_state.shutdown()


@pytest.fixture
def ready_state(qtbot: QtBot, empty_state: AppState) -> AppState:
    """`empty_state` once it has announced TensorFlow ready, as the window does at start-up."""
    with qtbot.waitSignal(empty_state.tensorflowReady, timeout=TENSORFLOW_TIMEOUT_MS):
        empty_state.start_tensorflow_loading()
    return empty_state


@pytest.fixture
def train_tab(qtbot: QtBot, ready_state: AppState) -> Iterator[TrainTab]:
    """A shown Train tab on `ready_state`; afterwards shut down, with none of its jobs (training,
    cross-validation, tuning) still running."""
    widget = TrainTab(ready_state)
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.show()
    yield widget
    widget.shutdown()
    assert not any(task.is_running() for task in (widget.task, widget.crossval_task, widget.tuning_task))


def plotted_curves(curves: TrainingCurves) -> int:
    """The loss plot's curves that hold points (overlays: a validation and a training curve each)."""
    items = curves.loss_plot.getPlotItem().listDataItems()
    return sum(1 for item in items if item.isVisible() and item.xData is not None and len(item.xData) > 0)


@pytest.fixture
def digits_service(qtbot: QtBot) -> Iterator[DigitsService]:
    """The personal-digits store's service, open (on the test's own data folder), shut down afterwards."""
    service = DigitsService()
    service.start()
    qtbot.waitUntil(service.is_open)
    yield service
    service.shutdown()
