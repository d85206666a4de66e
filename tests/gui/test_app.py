"""The whole window: object names, start-up without TensorFlow, settings, clean exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from digitpad.core.engine import ThreadEngine
from digitpad.core.inference import Predictor
from digitpad.gui import app as digitpad_app
from digitpad.gui.app_state import SETTINGS_LAST_MODEL, AppState
from digitpad.gui.main_window import MainWindow

REPO = Path(__file__).resolve().parents[2]
REQUIRED_NAMES = ("mainWindow", "drawTab", "trainTab", "modelsTab", "canvas", "predictionLabel",
                  "clearButton", "trainButton", "stopButton")
FAKE_VERSIONS = "TensorFlow 0.test, Keras 0.test"


@pytest.fixture
def fake_tensorflow(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Replace the slow import by one that waits for the returned event, then reports versions."""
    release = threading.Event()

    def fake_warm_up(engine: ThreadEngine, progress: object, stop_event: threading.Event) -> str:
        release.wait(30)
        return FAKE_VERSIONS

    monkeypatch.setattr(ThreadEngine, "warm_up", fake_warm_up)
    return release


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    state = AppState()
    main_window = MainWindow(state)
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitExposed(main_window)
    yield main_window
    main_window.close()


def test_the_window_has_the_required_object_names(window: MainWindow) -> None:
    assert window.objectName() == "mainWindow"
    for name in REQUIRED_NAMES[1:]:
        assert window.findChild(QWidget, name) is not None, name
    assert window.size() == QSize(1200, 760)
    menus = [action.text().replace("&", "") for action in window.menuBar().actions()]
    assert menus == ["File", "Edit", "Settings", "Help"]


def test_about_credits_the_data(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Help")
    assert isinstance(help_menu, QMenu)
    next(a for a in help_menu.actions() if "About" in a.text()).trigger()
    assert len(shown) == 1
    assert "LeCun" in shown[0] and "Cortes" in shown[0] and "Burges" in shown[0] and "CC BY-SA 3.0" in shown[0]


def test_start_loads_the_default_model_then_tensorflow_in_the_background(
        window: MainWindow, qtbot: QtBot, fake_tensorflow: threading.Event, model_path: Path) -> None:
    state = window.state
    status = window.findChild(QLabel, "tensorflowStatus")
    assert status is not None
    assert "Loading TensorFlow" in status.text()
    with qtbot.waitSignal(state.predictorChanged, timeout=10_000):
        state.start()
    assert state.predictor is not None
    assert state.predictor.path.resolve() == model_path.resolve()
    qtbot.waitUntil(state.is_tensorflow_loading, timeout=5000)
    assert not state.tensorflow_ready
    with qtbot.waitSignal(state.tensorflowReady, timeout=10_000):
        fake_tensorflow.set()
    assert state.tensorflow_ready
    assert status.text().endswith("TensorFlow ready")
    assert FAKE_VERSIONS in window.statusBar().currentMessage()


def test_settings_come_back_on_the_next_start(qtbot: QtBot, fake_tensorflow: threading.Event, model_path: Path,
                                             isolated_environment: Path) -> None:
    fake_tensorflow.set()
    first = MainWindow(AppState())
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(960, 700)      # the offscreen screen is 800x800; restoring clamps wider windows
    first.draw_tab.canvas.set_brush_size(31)
    library_copy = first.state.library.import_file(model_path).path
    with qtbot.waitSignal(first.state.predictorChanged, timeout=10_000):
        first.state.load_predictor(library_copy)
    first.close()
    assert (isolated_environment / "config" / "digitpad" / "digitpad.conf").is_file()

    second = MainWindow(AppState())
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.size() == QSize(960, 700)
    assert second.draw_tab.canvas.brush_size() == 31
    with qtbot.waitSignal(second.state.predictorChanged, timeout=10_000):
        second.state.start()
    assert second.state.predictor is not None
    assert second.state.predictor.path == library_copy
    assert second.draw_tab.model_combo.currentText() == library_copy.stem
    qtbot.waitUntil(lambda: second.state.tensorflow_ready, timeout=10_000)
    second.close()


def test_a_missing_last_model_falls_back_to_the_default_and_says_so(
        window: MainWindow, qtbot: QtBot, tmp_path: Path, model_path: Path) -> None:
    state = window.state
    state.settings.setValue(SETTINGS_LAST_MODEL, str(tmp_path / "gone.keras"))
    messages: list[str] = []
    state.statusMessage.connect(lambda text, timeout: messages.append(text))
    with qtbot.waitSignal(state.predictorChanged, timeout=10_000):
        state.restore_last_predictor()
    assert state.predictor is not None
    assert state.predictor.path.resolve() == model_path.resolve()
    assert any("gone.keras" in text and "default" in text for text in messages)


def test_a_corrupt_last_model_falls_back_to_the_default(window: MainWindow, qtbot: QtBot, tmp_path: Path,
                                                        model_path: Path) -> None:
    corrupt = tmp_path / "corrupt.keras"
    corrupt.write_bytes(os.urandom(2048))
    window.state.settings.setValue(SETTINGS_LAST_MODEL, str(corrupt))
    with qtbot.waitSignal(window.state.predictorChanged, timeout=10_000):
        window.state.restore_last_predictor()
    assert window.state.predictor is not None
    assert window.state.predictor.path.resolve() == model_path.resolve()
    assert "corrupt.keras" in window.statusBar().currentMessage()


def test_main_reuses_the_running_application_and_returns_0(
        qapp: QApplication, fake_tensorflow: threading.Event) -> None:
    fake_tensorflow.set()
    style_sheet, palette = qapp.styleSheet(), qapp.palette()
    seen: dict[str, object] = {}

    def inspect_and_close() -> None:
        window = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, MainWindow) and w.objectName() == "mainWindow"), None)
        if window is None or window.state.predictor is None or not window.state.tensorflow_ready:
            QTimer.singleShot(20, inspect_and_close)
            return
        seen["names"] = [name for name in REQUIRED_NAMES[1:] if window.findChild(QWidget, name) is not None]
        seen["visible"] = window.isVisible()
        window.close()

    QTimer.singleShot(0, inspect_and_close)
    try:
        assert digitpad_app.main([]) == 0
    finally:
        qapp.setStyleSheet(style_sheet)
        qapp.setPalette(palette)
    assert seen == {"names": list(REQUIRED_NAMES[1:]), "visible": True}
    assert QApplication.organizationName() == "digitpad" and QApplication.applicationName() == "digitpad"


# Runs the real app in a fresh interpreter: the first prediction must come before TensorFlow is
# imported at all, and closing while the import still runs must join the thread and exit 0.
FIRST_PREDICTION_SCRIPT = r'''
import json, sys, threading
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from digitpad.core.engine import ChildEngine
from digitpad.gui import app as digitpad_app

release = threading.Event()
real_warm_up = ChildEngine.warm_up

def gated_warm_up(engine, progress, stop_event):
    release.wait(60)
    return real_warm_up(engine, progress, stop_event)

ChildEngine.warm_up = gated_warm_up
report = {}

def window():
    return next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")

def draw_a_one():
    if window().state.predictor is None:
        QTimer.singleShot(10, draw_a_one)
        return
    canvas = window().findChild(QWidget, "canvas")
    side = min(canvas.width(), canvas.height())
    left, top = (canvas.width() - side) // 2, (canvas.height() - side) // 2
    point = lambda y: QPoint(left + side // 2, top + round(side * y))
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point(0.18))
    for step in range(1, 21):
        QTest.mouseMove(canvas, point(0.18 + 0.64 * step / 20))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point(0.82))
    read_the_label()

def read_the_label():
    text = window().findChild(QLabel, "predictionLabel").text()
    if not text[:1].isdigit():
        QTimer.singleShot(5, read_the_label)
        return
    report["label"] = text
    report["tensorflow_imported"] = "tensorflow" in sys.modules or "keras" in sys.modules
    report["status"] = window().findChild(QLabel, "tensorflowStatus").text()
    release.set()
    QTimer.singleShot(1500, close_with_the_engine_started)

def close_with_the_engine_started():
    report["engine_pid"] = window().state.engine._child.pid  # importing TensorFlow by now
    window().close()

app = QApplication(sys.argv[:1])
QTimer.singleShot(0, draw_a_one)
code = digitpad_app.main([])
report["tensorflow_imported_at_exit"] = "tensorflow" in sys.modules or "keras" in sys.modules
try:
    with open(f"/proc/{report['engine_pid']}/stat") as stat:
        report["engine_state_at_exit"] = stat.read().split()[2]
except FileNotFoundError:
    report["engine_state_at_exit"] = "gone"
print("REPORT " + json.dumps(report), flush=True)
sys.exit(code)
'''


def test_first_prediction_without_tensorflow_and_a_clean_exit(tmp_path: Path, isolated_environment: Path) -> None:
    script = tmp_path / "first_prediction.py"
    script.write_text(FIRST_PREDICTION_SCRIPT)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DIGITPAD_ENGINE="",  # the app's own engine process
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    result = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True,
                            timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "QThread" not in result.stderr, result.stderr[-3000:]
    assert "did not finish" not in result.stderr, result.stderr[-3000:]
    lines = [line for line in result.stdout.splitlines() if line.startswith("REPORT ")]
    assert lines, result.stdout[-2000:] + result.stderr[-2000:]
    report = json.loads(lines[-1][len("REPORT "):])
    assert report["label"].startswith("1")
    assert report["tensorflow_imported"] is False
    assert "Loading TensorFlow" in report["status"]
    # TensorFlow only ever loads in the engine, which the window ended on closing.
    assert report["tensorflow_imported_at_exit"] is False
    assert report["engine_state_at_exit"] in ("gone", "Z"), "the window should have ended its engine"


def test_gui_modules_import_without_tensorflow() -> None:
    code = ("import sys, digitpad.gui.app, digitpad.gui.main_window, digitpad.gui.draw_tab; "
            "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "[]"


def test_a_predictor_set_by_another_tab_is_used_for_drawing(window: MainWindow, predictor: Predictor, qtbot: QtBot) -> None:
    with qtbot.waitSignal(window.state.predictorChanged):
        window.state.set_predictor(predictor)
    assert predictor.metadata is not None
    lines = window.draw_tab.model_info.text().splitlines()
    assert lines[-1].endswith("shipped with digitpad")
    # The shipped model's accuracy names the digits it was measured on, on a line of its own.
    assert lines[1] == predictor.metadata.accuracy_text()
    assert lines[1].endswith("on MNIST validation split, 5,000")
