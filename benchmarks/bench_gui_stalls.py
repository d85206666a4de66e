"""Event-loop stalls while browsing, selecting, comparing, using and importing models.

Builds a library of 16 tiny Keras models in a child process (plain Sequential ones, small CNNs
and residual functional networks; half saved by digitpad with a description, half as plain
Keras files), then starts the real MainWindow the way `digitpad` does (`AppState.start`:
the last model, then TensorFlow on a worker) and drives it with real clicks, starting while
TensorFlow is still being imported. A 10 ms QTimer heartbeat records when the event loop
runs; a stall is the gap between two heartbeats beyond the 10 ms period, which is what a user
feels as a frozen window. The issue's goal: the longest stall of every action at most 50 ms.
Start-up counts from the window's first paint: until then there is no window on screen to feel
frozen, and the time it takes to appear is printed on its own.

    .venv/bin/python benchmarks/bench_gui_stalls.py [--models 16] [--test-images 2000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("DIGITPAD_OFFLINE", "1")

import numpy as np
from heartbeat import Heartbeat  # benchmarks/heartbeat.py: the script's folder is on sys.path
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from digitpad.gui.models_tab import ModelsTab

GOAL_MS = 50.0


# ----------------------------------------------------------------------------- the library


def build_models(root: Path, count: int) -> None:
    """Runs in a child process, so the benchmark's own process has never imported TensorFlow."""
    import keras

    from digitpad.core.library import ModelLibrary
    from digitpad.core.model_file import ModelMetadata

    def plain(seed: int) -> keras.Model:
        keras.utils.set_random_seed(seed)
        return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                                 keras.layers.Dense(16 + seed, activation="relu"),
                                 keras.layers.Dense(10, activation="softmax")])

    def cnn(seed: int) -> keras.Model:
        keras.utils.set_random_seed(seed)
        return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3, activation="relu"),
                                 keras.layers.MaxPooling2D(), keras.layers.Flatten(),
                                 keras.layers.Dense(10, activation="softmax")])

    def residual(seed: int) -> keras.Model:
        keras.utils.set_random_seed(seed)
        inputs = keras.Input((28, 28, 1))
        x = keras.layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
        shortcut = x
        x = keras.layers.Conv2D(8, 3, padding="same", activation="relu")(x)
        x = keras.layers.BatchNormalization()(x)
        x = keras.layers.Add()([x, shortcut])
        x = keras.layers.GlobalAveragePooling2D()(x)
        return keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(x))

    makers = (plain, cnn, residual)
    library = ModelLibrary(root / "library")
    library.root.mkdir(parents=True)
    (root / "incoming").mkdir()
    for index in range(count):
        model = makers[index % len(makers)](index)
        name = f"{makers[index % len(makers)].__name__} {index:02d}"
        if index % 2 == 0:
            metadata = ModelMetadata(name=name, architecture={"name": makers[index % len(makers)].__name__},
                                     dataset="mnist", param_count=int(model.count_params()),
                                     test_metrics={"accuracy": 0.1})
            library.save(model, metadata)
        else:
            model.save(library.root / f"{name}.keras")
    for index, maker in enumerate((plain, residual)):
        maker(100 + index).save(root / "incoming" / f"dropped {maker.__name__}.keras")


# ----------------------------------------------------------------------------- measuring


class FirstPaint(QObject):
    """When `window` was first painted: the moment it appears on screen."""

    def __init__(self, window: QWidget) -> None:
        super().__init__()
        self._window = window
        self.at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (self.at is None and event.type() == QEvent.Type.Paint and isinstance(watched, QWidget)
                and watched.window() is self._window):
            self.at = time.perf_counter()
        return False


class Driver:
    """Runs the actions one after the other and keeps each one's stalls."""

    def __init__(self, app: QApplication, heartbeat: Heartbeat) -> None:
        self.app = app
        self.heartbeat = heartbeat
        self.results: list[tuple[str, np.ndarray, bool]] = []

    def wait_for(self, condition: Callable[[], bool], timeout_s: float = 300.0, what: str = "") -> None:
        from PySide6.QtCore import QEventLoop

        deadline = time.perf_counter() + timeout_s
        while not condition():
            if time.perf_counter() > deadline:
                raise SystemExit(f"Timed out waiting for the window: {what}")
            self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            time.sleep(0.001)

    def measure(self, name: str, act: Callable[[], None], done: Callable[[], bool],
                tensorflow_loading: Callable[[], bool], since: Callable[[], float] | None = None) -> None:
        """Stalls from `act` until `done`, or from `since()` (a moment after `act`) on."""
        loading = tensorflow_loading()
        began = time.perf_counter()
        act()
        self.wait_for(done, what=name)
        self.wait_for(lambda: time.perf_counter() - began > 0.05)  # let queued repaints land too
        start = since() if since is not None else began
        self.results.append((name, self.heartbeat.stalls_ms(start, time.perf_counter()), loading))

    def report(self) -> bool:
        print(f"{'action':<44} {'TF loading':>10} {'n':>6} {'p99 ms':>8} {'max ms':>8}")
        worst = 0.0
        for name, stalls, loading in self.results:
            worst = max(worst, float(stalls.max()))
            print(f"{name:<44} {'yes' if loading else 'no':>10} {len(stalls):>6} "
                  f"{np.percentile(stalls, 99):>8.1f} {stalls.max():>8.1f}")
        verdict = "meets" if worst <= GOAL_MS else "misses"
        print(f"Longest stall of all actions: {worst:.1f} ms ({verdict} the {GOAL_MS:.0f} ms goal)")
        return worst <= GOAL_MS


def click_row(tab: ModelsTab, path: Path, modifier: Qt.KeyboardModifier | None = None) -> None:
    from PySide6.QtTest import QTest

    for row in range(tab.proxy.rowCount()):
        index = tab.proxy.index(row, 2)
        if tab.proxy.row(index).path.resolve() == path.resolve():
            tab.table.scrollTo(index)
            QTest.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton,
                             modifier or Qt.KeyboardModifier.NoModifier, tab.table.visualRect(index).center())
            return
    raise SystemExit(f"{path.name} is not listed")


def run(root: Path, test_images: int) -> bool:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtTest import QTest

    from digitpad.core.library import ModelLibrary
    from digitpad.core.resources import bundled_mnist_path
    from digitpad.gui.app_state import AppState
    from digitpad.gui.main_window import MainWindow
    from digitpad.gui.style import apply_theme

    with np.load(bundled_mnist_path()) as data:
        np.savez(root / "test.npz", x_test=data["x"][:test_images], y_test=data["y"][:test_images])
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    apply_theme(app)
    heartbeat = Heartbeat()
    driver = Driver(app, heartbeat)
    settings = QSettings(str(root / "settings.ini"), QSettings.Format.IniFormat)
    state = AppState(library=ModelLibrary(root / "library"), settings=settings)
    window = MainWindow(state)
    tab = window.models_tab
    heartbeat.timer.start()
    loading = state.is_tensorflow_loading
    first_paint = FirstPaint(window)
    app.installEventFilter(first_paint)
    shown: list[float] = []

    def start() -> None:  # as `digitpad.gui.app` starts the window
        shown.append(time.perf_counter())
        window.show()
        QTimer.singleShot(0, state.start)

    def appeared() -> float:
        """The event loop's first turn after the window's first paint."""
        painted = first_paint.at or shown[0]
        return min((beat for beat in heartbeat.times if beat > painted), default=painted)

    driver.measure("start-up, once the window is on screen: model, library listed", start,
                   lambda: state.predictor is not None and state.listing is not None and not tab.is_busy()
                   and first_paint.at is not None and (loading() or state.tensorflow_ready), loading, since=appeared)
    app.removeEventFilter(first_paint)
    print(f"The window appeared (first paint done) {1000 * (appeared() - shown[0]):.0f} ms after show()")
    paths = [model.entry.path for model in state.listing.models if not model.shipped] if state.listing else []
    driver.measure("open the Models tab", lambda: window.tabs.setCurrentWidget(tab), lambda: not tab.is_busy(),
                   loading)
    tensorflow_failed: list[str] = []
    state.tensorflowFailed.connect(tensorflow_failed.append)
    for path in paths[:2]:  # TensorFlow is being imported meanwhile: these wait for it on the worker
        driver.measure(f"select {path.stem}", partial(click_row, tab, path), lambda: not tab.is_busy(), loading)
    driver.measure("idle until TensorFlow is imported", lambda: None,
                   lambda: state.tensorflow_ready or bool(tensorflow_failed), loading)
    for path in paths[2:]:
        driver.measure(f"select {path.stem}", partial(click_row, tab, path), lambda: not tab.is_busy(), loading)
    driver.measure("use for drawing", lambda: QTest.mouseClick(tab.use_button, Qt.MouseButton.LeftButton),
                   lambda: not tab.is_busy() and state.predictor is not None
                   and state.predictor.path.resolve() == paths[-1].resolve(), loading)

    def select_three() -> None:
        click_row(tab, paths[0])
        for path in paths[1:3]:
            click_row(tab, path, Qt.KeyboardModifier.ControlModifier)
        QTest.mouseClick(tab.compare_button, Qt.MouseButton.LeftButton)

    driver.measure("compare 3 models (load them)", select_three,
                   lambda: not tab.is_busy() and len(tab.compare.live.panels) == 3, loading)
    tab.compare.set_test_source(root / "test.npz")
    driver.measure(f"evaluate 3 models on {test_images:,} images",
                   lambda: QTest.mouseClick(tab.compare.evaluate_button, Qt.MouseButton.LeftButton),
                   lambda: not tab.compare.is_evaluating() and tab.compare.results.rowCount() == 3, loading)
    incoming = sorted((root / "incoming").glob("*.keras"))
    count = len(paths)
    driver.measure(f"import {len(incoming)} dropped files", lambda: tab.import_files(incoming),
                   lambda: not tab.is_busy() and state.listing is not None and state.listing.library_count
                   == count + len(incoming), loading)
    if tensorflow_failed:
        print(f"TensorFlow could not be imported: {tensorflow_failed[0]}")
    driver.measure("select the imported residual, TensorFlow ready",
                   lambda: click_row(tab, state.library.root / "dropped residual.keras"),
                   lambda: not tab.is_busy(), loading)
    began = time.perf_counter()
    window.close()
    closed_s = time.perf_counter() - began
    ok = driver.report()
    print(f"Closing the window took {closed_s * 1000:.0f} ms")
    print(f"TensorFlow imported in the window's own process: {'tensorflow' in sys.modules} "
          f"(engine: {type(state.engine).__name__})")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=16)
    parser.add_argument("--test-images", type=int, default=2000)
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)  # the child process' job
    args = parser.parse_args(argv)
    if args.build is not None:
        build_models(args.build, args.models)
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        began = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--build", str(root), "--models", str(args.models)], check=True)
        print(f"Built {args.models} models in {time.perf_counter() - began:.1f} s (child process)")
        os.environ["DIGITPAD_LIBRARY"] = str(root / "library")
        return 0 if run(root, args.test_images) else 1


if __name__ == "__main__":
    sys.exit(main())
