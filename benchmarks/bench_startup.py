"""How fast the app starts: window, first prediction, TensorFlow, and stalls meanwhile.

Each run starts the real app (`digitpad.gui.app.main`) in a fresh process with empty settings
and library, draws a 7 on the canvas with mouse events as soon as the model is loaded, and
records, in seconds since the parent launched the process:

- window shown: the first paint of the main window;
- first prediction: the predicted digit for that drawing appears;
- TensorFlow ready: the background import has finished;
- the longest gap of a 5 ms heartbeat timer between the window appearing and TensorFlow being
  ready, i.e. how long the event loop was blocked while TensorFlow loaded.

    .venv/bin/python benchmarks/bench_startup.py [--runs 5]

Runs offscreen unless QT_QPA_PLATFORM says otherwise. Prints each run and the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

REPO = Path(__file__).resolve().parents[1]
T0_VARIABLE = "DIGITPAD_BENCH_T0"
MARKER = "BENCH "
FIGURES = (("window_shown", "window shown"), ("first_prediction", "first prediction"),
           ("tensorflow_ready", "TensorFlow ready"), ("max_stall_ms", "longest stall (ms)"),
           ("p99_stall_ms", "p99 heartbeat gap (ms)"))


def child() -> int:
    """One start-up, timed from the parent's launch timestamp."""
    started = float(os.environ[T0_VARIABLE])
    from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from digitpad.gui import app as digitpad_app
    from digitpad.gui.main_window import MainWindow

    marks: dict[str, float | str] = {}
    beats: list[float] = []

    def since_start() -> float:
        return time.time() - started

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (event.type() == QEvent.Type.Paint and "window_shown" not in marks and isinstance(watched, QWidget)
                    and watched.window().objectName() == "mainWindow"):
                marks["window_shown"] = since_start()
                heartbeat.start()
            return False

    def window() -> MainWindow:
        found = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
        assert isinstance(found, MainWindow)
        return found

    def draw_when_ready() -> None:
        main_window = window()
        if main_window.state.predictor is None:
            QTimer.singleShot(1, draw_when_ready)
            return
        main_window.draw_tab.predicted.connect(on_predicted)
        canvas = main_window.findChild(QWidget, "canvas")
        assert canvas is not None
        side = min(canvas.width(), canvas.height())
        left, top = (canvas.width() - side) / 2, (canvas.height() - side) / 2
        points = [(80, 55), (200, 55), (165, 130), (130, 235)]

        def at(x: float, y: float) -> QPoint:
            return QPoint(round(left + x * side / 280), round(top + y * side / 280))

        QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(*points[0]))
        for (x0, y0), (x1, y1) in pairwise(points):
            for step in range(1, 9):
                QTest.mouseMove(canvas, at(x0 + (x1 - x0) * step / 8, y0 + (y1 - y0) * step / 8))
        QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(*points[-1]))

    def on_predicted(probabilities: np.ndarray | None) -> None:
        if probabilities is not None and "first_prediction" not in marks:
            marks["first_prediction"] = since_start()
            marks["digit"] = int(probabilities.argmax())
            predictor = window().state.predictor
            assert predictor is not None  # it just made this prediction
            marks["engine"] = predictor.engine   # "numpy": answered without TensorFlow
            window().state.tensorflowReady.connect(on_tensorflow_ready)
            if window().state.tensorflow_ready:
                on_tensorflow_ready()

    def on_tensorflow_ready() -> None:
        if "tensorflow_ready" in marks:
            return
        marks["tensorflow_ready"] = since_start()
        heartbeat.stop()
        gaps = sorted(b - a for a, b in pairwise(beats))
        marks["max_stall_ms"] = 1000 * gaps[-1] if gaps else 0.0
        marks["p99_stall_ms"] = 1000 * gaps[min(len(gaps) - 1, int(0.99 * len(gaps)))] if gaps else 0.0
        window().close()

    app = QApplication(sys.argv[:1])
    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    paint_filter = FirstPaint()
    app.installEventFilter(paint_filter)
    QTimer.singleShot(0, draw_when_ready)
    code = digitpad_app.main([])
    print(MARKER + json.dumps(marks), flush=True)
    return code


def run_once(timeout_s: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="digitpad-bench-") as home:
        env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=f"{home}/config", XDG_DATA_HOME=f"{home}/data",
                   DIGITPAD_LIBRARY=f"{home}/library", DIGITPAD_OFFLINE="1",
                   QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   TF_CPP_MIN_LOG_LEVEL="2",
                   PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
        env[T0_VARIABLE] = repr(time.time())
        result = subprocess.run([sys.executable, __file__, "--child"], env=env, capture_output=True,
                                text=True, timeout=timeout_s)
    lines = [line for line in result.stdout.splitlines() if line.startswith(MARKER)]
    if result.returncode != 0 or not lines:
        raise SystemExit(f"start-up run failed (exit {result.returncode}):\n{result.stderr[-3000:]}")
    return json.loads(lines[-1][len(MARKER):])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child()

    runs = []
    for index in range(args.runs):
        marks = run_once(args.timeout)
        runs.append(marks)
        print(f"run {index + 1}: " + ", ".join(f"{label} {marks[key]:.2f}" + ("" if key.endswith("_ms") else " s")
                                                for key, label in FIGURES)
              + f", digit read {marks['digit']} by the {marks['engine']} engine")
    print(f"\nmedian of {len(runs)} runs (seconds from process launch):")
    for key, label in FIGURES:
        print(f"  {label:<24} {statistics.median(run[key] for run in runs):8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
