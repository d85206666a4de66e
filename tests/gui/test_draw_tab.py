"""The Draw tab with real mouse and key events, on the model shipped with digitpad."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TypeVar

import h5py
import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QGuiApplication, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from digitpad.core.datasets import FASHION_CLASS_NAMES
from digitpad.core.digit_store import DigitStore, StoredDigit, default_digits_path
from digitpad.core.inference import Predictor
from digitpad.core.preprocess import preprocess
from digitpad.core.resources import bundled_mnist_path
from digitpad.gui import style
from digitpad.gui.app_state import SETTINGS_BRUSH_SIZE, AppState
from digitpad.gui.digits_service import DigitsService
from digitpad.gui.draw_tab import BLANK_TEXT, DEFAULT_MODEL_LABEL, DrawTab
from digitpad.gui.probability_bars import ProbabilityBars

# Strokes in canvas pixels (280 x 280), drawn the way a person draws these digits.
DIGITS: dict[str, list[list[tuple[float, float]]]] = {
    "1": [[(150, 50), (146, 120), (142, 235)]],
    "0": [[(140, 45), (95, 70), (80, 140), (95, 210), (140, 235), (185, 210), (200, 140), (185, 70), (140, 45)]],
    "7": [[(80, 55), (200, 55), (165, 130), (130, 235)]],
}
SEGMENT = [[(60.0, 140.0), (220.0, 140.0)]]

W = TypeVar("W", bound=QWidget)


@pytest.fixture
def state(predictor: Predictor, qtbot: QtBot) -> Iterator[AppState]:
    app_state = AppState()
    app_state.set_predictor(predictor)
    yield app_state
    app_state.shutdown()


@pytest.fixture
def digits(digits_service: DigitsService) -> DigitsService:
    return digits_service   # tests/gui/conftest.py: open, and shut down afterwards


@pytest.fixture
def tab(state: AppState, digits: DigitsService, qtbot: QtBot) -> DrawTab:
    draw_tab = DrawTab(state, digits)
    qtbot.addWidget(draw_tab)
    draw_tab.resize(1200, 720)
    draw_tab.show()
    qtbot.waitExposed(draw_tab)
    draw_tab.activateWindow()
    draw_tab.canvas.setFocus()
    qtbot.waitUntil(lambda: draw_tab.canvas.hasFocus())
    qtbot.waitUntil(lambda: not state.is_listing())   # the picker lists the library read on a worker
    return draw_tab


def child(parent: QWidget, kind: type[W], name: str) -> W:
    """The child widget called `name`, which must exist."""
    found = parent.findChild(kind, name)
    assert found is not None, name
    return found


def label(tab: DrawTab) -> str:
    return child(tab, QLabel, "predictionLabel").text()


def wait_for_prediction(tab: DrawTab, qtbot: QtBot) -> None:
    """The throttle predicts one frame after the last change."""
    qtbot.waitUntil(lambda: not tab._throttle.isActive(), timeout=2000)


def key(tab: DrawTab, name: str) -> None:
    """Press a shortcut the way a user does, on the focused canvas."""
    sequence = {"undo": (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier),
                "redo": (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
                "redo-y": (Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier),
                "clear": (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
                "bigger": (Qt.Key.Key_BracketRight, Qt.KeyboardModifier.NoModifier),
                "smaller": (Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.NoModifier)}[name]
    QTest.keyClick(tab.canvas, *sequence)


@pytest.mark.parametrize("digit", sorted(DIGITS))
def test_drawing_a_digit_shows_that_digit(tab: DrawTab, draw, qtbot: QtBot, digit: str) -> None:
    draw(tab.canvas, DIGITS[digit])
    wait_for_prediction(tab, qtbot)
    assert label(tab).startswith(digit)
    probabilities = tab.bars.probabilities()
    assert probabilities is not None and int(np.argmax(probabilities)) == int(digit)
    assert f"{probabilities.max() * 100:.1f}% confident" in tab.confidence_label.text()


# Styles MNIST has few of, drawn as people outside the US write them; the shipped model must read them.
CONTINENTAL: dict[str, tuple[str, list[list[tuple[float, float]]]]] = {
    "continental 1": ("1", [[(95, 120), (160, 45), (156, 235)]]),
    "crossed 7": ("7", [[(80, 55), (200, 55), (165, 130), (130, 235)], [(110, 145), (200, 140)]]),
    "closed 4": ("4", [[(170, 45), (80, 160), (210, 160)], [(170, 45), (170, 235)]]),
    "straight 9": ("9", [[(190, 80), (150, 45), (100, 60), (95, 110), (140, 130), (190, 100), (190, 60)],
                         [(190, 60), (190, 235)]]),
}


@pytest.mark.parametrize("style", sorted(CONTINENTAL))
def test_the_shipped_model_reads_styles_mnist_has_few_of(tab: DrawTab, draw, qtbot: QtBot, style: str) -> None:
    """A continental 1 was read as 7 with 99% confidence by a model trained on MNIST alone."""
    digit, strokes = CONTINENTAL[style]
    draw(tab.canvas, strokes)
    wait_for_prediction(tab, qtbot)
    assert label(tab) == digit
    probabilities = tab.bars.probabilities()
    assert probabilities is not None and probabilities.max() >= 0.75


def test_a_blank_canvas_shows_no_digit(tab: DrawTab, draw, qtbot: QtBot, state: AppState) -> None:
    assert label(tab) == BLANK_TEXT and not label(tab)[0].isdigit()
    assert tab.bars.probabilities() is None
    draw(tab.canvas, DIGITS["7"])
    wait_for_prediction(tab, qtbot)
    assert label(tab).startswith("7")
    key(tab, "clear")
    wait_for_prediction(tab, qtbot)
    assert label(tab) == BLANK_TEXT
    assert tab.bars.probabilities() is None
    assert state.current_drawing() is None


def test_an_erased_dot_leaves_no_guess(tab: DrawTab, draw, qtbot: QtBot) -> None:
    tab.canvas.set_brush_size(4)
    draw(tab.canvas, [[(140, 140), (140.5, 140.5)]])
    tab.canvas.set_eraser(True)
    tab.canvas.set_brush_size(5)
    draw(tab.canvas, [[(140, 140), (140.5, 140.5)]])   # leaves at most a faint grey rim
    wait_for_prediction(tab, qtbot)
    assert not label(tab)[0].isdigit()


def test_keyboard_undo_redo_and_clear(tab: DrawTab, draw) -> None:
    canvas = tab.canvas
    draw(canvas, SEGMENT)
    first = canvas.image_array()
    draw(canvas, [[(140.0, 40.0), (140.0, 240.0)]])
    second = canvas.image_array()

    key(tab, "undo")
    assert np.array_equal(canvas.image_array(), first)
    key(tab, "redo")
    assert np.array_equal(canvas.image_array(), second)
    key(tab, "undo")
    key(tab, "redo-y")
    assert np.array_equal(canvas.image_array(), second)
    key(tab, "clear")
    assert canvas.is_blank()
    key(tab, "undo")
    assert np.array_equal(canvas.image_array(), second)


def test_ctrl_v_pastes_an_image(tab: DrawTab, qtbot: QtBot) -> None:
    image = QImage(40, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    for y in range(5, 35):
        for x in range(17, 23):
            image.setPixel(x, y, 0xFF000000)
    QGuiApplication.clipboard().setImage(image)
    QTest.keyClick(tab.canvas, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert not tab.canvas.is_blank()
    wait_for_prediction(tab, qtbot)
    assert label(tab).startswith("1")


def test_buttons_undo_redo_and_clear(tab: DrawTab, draw, qtbot: QtBot) -> None:
    undo, redo, clear = (child(tab, QPushButton, name) for name in ("undoButton", "redoButton", "clearButton"))
    assert not undo.isEnabled() and not redo.isEnabled()
    draw(tab.canvas, SEGMENT)
    drawn = tab.canvas.image_array()
    assert undo.isEnabled()

    qtbot.mouseClick(clear, Qt.MouseButton.LeftButton)
    assert tab.canvas.is_blank()
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert np.array_equal(tab.canvas.image_array(), drawn)
    assert redo.isEnabled()
    qtbot.mouseClick(redo, Qt.MouseButton.LeftButton)
    assert tab.canvas.is_blank() and not redo.isEnabled()


def test_eraser_button_turns_strokes_into_erasing(tab: DrawTab, draw) -> None:
    draw(tab.canvas, SEGMENT)
    eraser = child(tab, QPushButton, "eraserButton")
    QTest.mouseClick(eraser, Qt.MouseButton.LeftButton)
    assert tab.canvas.is_eraser() and tab.eraser_action.isChecked()
    tab.canvas.set_brush_size(50)
    draw(tab.canvas, [[(40.0, 140.0), (240.0, 140.0)]])
    assert tab.canvas.is_blank()


def test_bracket_keys_change_the_brush_and_it_is_remembered(tab: DrawTab, state: AppState, digits: DigitsService,
                                                            qtbot: QtBot) -> None:
    start = tab.canvas.brush_size()
    key(tab, "bigger")
    key(tab, "bigger")
    assert tab.canvas.brush_size() == start + 4
    assert tab.brush_slider.value() == start + 4
    key(tab, "smaller")
    assert tab.canvas.brush_size() == start + 2
    tab.brush_slider.setValue(40)
    assert tab.canvas.brush_size() == 40 and tab.brush_label.text() == "40 px"
    tab.brush_slider.setValue(start + 2)
    tab.shutdown()
    assert int(state.settings.value(SETTINGS_BRUSH_SIZE)) == start + 2
    next_start = DrawTab(state, digits)
    qtbot.addWidget(next_start)
    assert next_start.canvas.brush_size() == start + 2


def test_the_model_input_preview_shows_the_28x28_image(tab: DrawTab, draw, qtbot: QtBot) -> None:
    empty = tab.preview.pixmap().toImage()
    assert empty.pixelColor(70, 70) == QColor("black")
    draw(tab.canvas, DIGITS["1"])
    wait_for_prediction(tab, qtbot)
    image = tab.preview.pixmap().toImage()
    assert (image.width(), image.height()) == (140, 140)
    assert image.pixelColor(70, 70).lightness() > 200          # the 1 runs through the centre
    assert image.pixelColor(5, 5) == QColor("black")
    # nearest-neighbour scaling: every 5x5 block is one model pixel
    block = {image.pixelColor(70 + dx, 70 + dy).rgb() for dx in range(5) for dy in range(5)
             if (70 + dx) // 5 == 14 and (70 + dy) // 5 == 14}
    assert len(block) == 1


def test_probabilities_sum_to_one_and_the_top_bar_is_highlighted(tab: DrawTab, draw, qtbot: QtBot) -> None:
    draw(tab.canvas, DIGITS["7"])
    wait_for_prediction(tab, qtbot)
    probabilities = tab.bars.probabilities()
    assert probabilities is not None and probabilities.sum() == pytest.approx(1.0, abs=1e-5)
    assert highlighted_rows(tab.bars) == {int(np.argmax(probabilities))}


def highlighted_rows(bars: ProbabilityBars) -> set[int]:
    """Rows in which accent-coloured pixels were actually painted."""
    image = bars.grab().toImage()
    accent = QColor(style.ACCENT)
    view = bars.getPlotItem().getViewBox()
    rows: set[int] = set()
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 3):
            colour = image.pixelColor(x, y)
            if abs(colour.red() - accent.red()) + abs(colour.green() - accent.green()) + \
                    abs(colour.blue() - accent.blue()) < 20:
                rows.add(round(view.mapSceneToView(bars.mapToScene(QPoint(x, y))).y()))
    return rows


def test_bars_survive_thousands_of_redraws(qtbot: QtBot) -> None:
    bars = ProbabilityBars()
    qtbot.addWidget(bars)
    bars.resize(360, 300)
    bars.show()
    qtbot.waitExposed(bars)
    rng = np.random.default_rng(0)
    for index in range(3000):
        values = rng.dirichlet(np.full(10, 0.3))
        bars.set_probabilities(values if index % 50 else None)
        if index % 500 == 0:
            bars.set_class_names(FASHION_CLASS_NAMES if index % 1000 else [str(d) for d in range(10)])
        QApplication.processEvents()
    shown = bars.probabilities()
    assert shown is not None
    assert np.allclose(shown, values)
    assert highlighted_rows(bars) == {int(np.argmax(values))}


def test_bars_reject_the_wrong_number_of_values() -> None:
    bars = ProbabilityBars()
    with pytest.raises(ValueError):
        bars.set_probabilities(np.ones(9) / 9)
    with pytest.raises(ValueError):
        bars.set_class_names(["a", "b"])


def test_opening_a_bad_image_shows_a_message_and_keeps_the_drawing(
        tab: DrawTab, draw, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "holiday.jpg"
    bad.write_bytes(b"\x00\x01not really a jpeg")
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: messages.append(text))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    draw(tab.canvas, SEGMENT)
    before = tab.canvas.image_array()
    QTest.mouseClick(child(tab, QPushButton, "openImageButton"), Qt.MouseButton.LeftButton)
    assert len(messages) == 1 and "holiday.jpg" in messages[0]
    assert np.array_equal(tab.canvas.image_array(), before)


def _mnist_digit(label_wanted: int) -> np.ndarray:
    with np.load(bundled_mnist_path()) as data:
        index = int(np.flatnonzero(data["y"] == label_wanted)[0])
        return data["x"][index]


def test_an_opened_mnist_png_is_read_as_its_digit(tab: DrawTab, tmp_path: Path, qtbot: QtBot) -> None:
    path = tmp_path / "three.png"
    Image.fromarray(_mnist_digit(3)).resize((112, 112)).save(path)
    assert tab.open_image_file(path)
    wait_for_prediction(tab, qtbot)
    assert label(tab).startswith("3")


def test_the_drawing_is_published_for_live_comparison(tab: DrawTab, draw, qtbot: QtBot, state: AppState) -> None:
    with qtbot.waitSignal(state.drawingChanged, timeout=2000):
        draw(tab.canvas, DIGITS["1"])
    drawing = state.current_drawing()
    assert drawing is not None and drawing.dtype == np.uint8
    assert drawing[0, 0] == 0 and drawing.max() == 255, "MNIST polarity: ink bright on black"


def _modified_model(source: Path, target: Path, *, logits: dict[int, float] | None = None,
                    class_names: tuple[str, ...] | None = None) -> Path:
    """Copy a .keras file, fixing its output layer's logits whatever the input (zero kernel,
    bias `logits`, -1000 for unlisted classes) and/or changing its class names."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "model.weights.h5" and logits:
                scratch = target.with_suffix(".h5")
                scratch.write_bytes(data)
                with h5py.File(scratch, "r+") as weights:
                    names: list[str] = []
                    weights.visit(names.append)
                    biases = [name for name in names if name.endswith("vars/1")]
                    output = next(name for name in biases if weights[name].shape == (10,)).rsplit("/", 1)[0]
                    weights[f"{output}/0"][...] = 0.0
                    weights[f"{output}/1"][...] = [logits.get(digit, -1000.0) for digit in range(10)]
                data = scratch.read_bytes()
                scratch.unlink()
            if item.filename == "digitpad.json" and class_names is not None:
                metadata = json.loads(data)
                metadata["class_names"] = list(class_names)
                data = json.dumps(metadata).encode()
            copy.writestr(item, data)
    return target


def test_the_picker_lists_library_models_and_switching_changes_the_prediction(
        tab: DrawTab, state: AppState, draw, qtbot: QtBot, model_path: Path) -> None:
    combo = tab.model_combo
    assert combo.count() == 1 and combo.itemText(0) == DEFAULT_MODEL_LABEL
    fours = _modified_model(model_path, state.library.root / "always four.keras", logits={4: 0.0})
    with qtbot.waitSignal(state.libraryListed, timeout=10_000):
        state.notify_library_changed()
    assert combo.count() == 2

    draw(tab.canvas, DIGITS["7"])
    wait_for_prediction(tab, qtbot)
    assert label(tab).startswith("7")
    assert Path(combo.itemData(1)).name == fours.name
    with qtbot.waitSignal(state.predictorChanged, timeout=10_000):
        QTest.keyClick(combo, Qt.Key.Key_Down)                 # picks the next entry, as a user would
    assert label(tab).startswith("4")
    assert state.predictor is not None
    assert state.predictor.path.name == fours.name and combo.currentIndex() == 1

    with qtbot.waitSignal(state.predictorChanged, timeout=10_000):
        QTest.keyClick(combo, Qt.Key.Key_Up)
    assert label(tab).startswith("7")
    assert state.predictor is not None
    assert state.is_default_model(state.predictor.path)


def test_class_names_come_from_the_model(tab: DrawTab, state: AppState, draw, qtbot: QtBot,
                                         model_path: Path, tmp_path: Path) -> None:
    fashion = _modified_model(model_path, tmp_path / "fashion.keras", logits={3: 0.0},
                              class_names=FASHION_CLASS_NAMES)
    with qtbot.waitSignal(state.predictorChanged, timeout=10_000):
        state.load_predictor(fashion)
    draw(tab.canvas, DIGITS["1"])
    wait_for_prediction(tab, qtbot)
    assert label(tab) == "Dress"
    assert tab.bars.class_names() == FASHION_CLASS_NAMES
    assert tab.model_combo.currentText() == "fashion.keras (file)"


@pytest.mark.parametrize(("logits", "shown", "detail"), [
    # 75% is still an answer, with the runner-up beside it.
    ({4: np.log(3.0), 9: 0.0}, "4", "75.0% confident  ·  or 9? 25%"),
    # Below 75% the model is unsure: the big label asks instead of stating one digit.
    ({1: np.log(1.5), 7: 0.0}, "1 or 7?", "Unsure: 60% 1, 40% 7"),
], ids=["close-call", "unsure"])
def test_a_close_call_names_the_runner_up(tab: DrawTab, state: AppState, draw, qtbot: QtBot, model_path: Path,
                                          tmp_path: Path, logits: dict[int, float], shown: str, detail: str) -> None:
    undecided = _modified_model(model_path, tmp_path / "undecided.keras", logits=logits)
    with qtbot.waitSignal(state.predictorChanged, timeout=10_000):
        state.load_predictor(undecided)
    draw(tab.canvas, DIGITS["7"])
    wait_for_prediction(tab, qtbot)
    assert label(tab) == shown
    assert tab.confidence_label.text() == detail


def test_opening_a_corrupt_model_shows_a_message_and_keeps_the_current_one(
        tab: DrawTab, state: AppState, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        predictor: Predictor) -> None:
    corrupt = tmp_path / "broken.keras"
    corrupt.write_bytes(b"PK\x03\x04 definitely not a model")
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: messages.append(text))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(corrupt), ""))
    QTest.mouseClick(child(tab, QPushButton, "openModelButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    assert "broken.keras" in messages[0]
    assert state.predictor is predictor
    assert tab.model_combo.currentIndex() == 0


def test_a_drop_on_the_draw_tab_is_recognised(tab: DrawTab, tmp_path: Path, qtbot: QtBot) -> None:
    from PySide6.QtCore import QMimeData, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    path = tmp_path / "eight.png"
    Image.fromarray(255 - _mnist_digit(8)).save(path)      # dark ink on white this time
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    centre = QPointF(tab.canvas.width() / 2, tab.canvas.height() / 2)
    QApplication.sendEvent(tab.canvas, QDragEnterEvent(centre.toPoint(), Qt.DropAction.CopyAction, mime,
                                                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    QApplication.sendEvent(tab.canvas, QDropEvent(centre, Qt.DropAction.CopyAction, mime,
                                                  Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    wait_for_prediction(tab, qtbot)
    assert label(tab).startswith("8")


def test_a_model_that_rescales_its_own_input_is_flagged_under_the_model(
    tab: DrawTab, state: AppState, qtbot: QtBot, tmp_path: Path
) -> None:
    import keras

    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Flatten()(keras.layers.Rescaling(1 / 255)(inputs))
    path = tmp_path / "rescaled.keras"
    keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(x)).save(path)
    assert "rescales" not in tab.model_info.text()
    with qtbot.waitSignal(state.predictorChanged, timeout=60_000):
        state.load_predictor(path)
    lines = tab.model_info.text().splitlines()
    assert lines[-1].startswith("This model rescales its own input")
    assert "rescaled.keras" in lines[-2]


# ---- keeping drawings in My digits ----------------------------------------------------------


def stored(digits: DigitsService, qtbot: QtBot, count: int) -> list[StoredDigit]:
    """The store's digits once it holds `count`, read through a second connection."""
    qtbot.waitUntil(lambda: digits.total() == count, timeout=5000)
    store = DigitStore.open(default_digits_path())
    try:
        return store.digits()
    finally:
        store.close()


def has_total(digits: DigitsService, count: int) -> bool:
    return digits.total() == count


def press_digit(tab: DrawTab, digit: int) -> None:
    QTest.keyClick(tab.canvas, Qt.Key(Qt.Key.Key_0 + digit))


def test_a_digit_key_keeps_the_drawing_with_its_strokes_and_undo_removes_it(
        tab: DrawTab, digits: DigitsService, draw, qtbot: QtBot) -> None:
    draw(tab.canvas, DIGITS["7"])
    wait_for_prediction(tab, qtbot)
    press_digit(tab, 4)
    [kept] = stored(digits, qtbot, 1)
    assert kept.label == 4 and kept.source == "drawn"
    assert kept.predicted == 7 and kept.confidence is not None and kept.confidence > 0.5
    assert kept.model_name == DEFAULT_MODEL_LABEL
    assert kept.drawing is not None and len(kept.drawing.strokes) == 1
    assert kept.drawing.strokes[0].width == tab.canvas.brush_size()
    shown = tab.current_drawing()
    assert shown is not None
    np.testing.assert_allclose(kept.image, preprocess(shown), atol=1 / 255)
    message = child(tab, QLabel, "teachMessage")
    qtbot.waitUntil(lambda: "Kept as 4" in message.text() and "read 7" in message.text())
    undo = child(tab, QPushButton, "teachUndo")
    assert undo.isVisible()
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert stored(digits, qtbot, 0) == []
    assert "Removed" in message.text() and not undo.isVisible()


def test_another_key_on_the_same_drawing_corrects_the_label_instead_of_keeping_a_copy(
        tab: DrawTab, digits: DigitsService, draw, qtbot: QtBot) -> None:
    draw(tab.canvas, DIGITS["1"])
    wait_for_prediction(tab, qtbot)
    press_digit(tab, 7)
    stored(digits, qtbot, 1)
    qtbot.waitUntil(lambda: child(tab, QPushButton, "teachUndo").isVisible())
    press_digit(tab, 1)
    qtbot.waitUntil(lambda: "Changed to 1" in child(tab, QLabel, "teachMessage").text())
    qtbot.waitUntil(lambda: digits.counts()[1] == 1)
    assert [d.label for d in stored(digits, qtbot, 1)] == [1]
    draw(tab.canvas, SEGMENT)            # a changed drawing is a new digit
    wait_for_prediction(tab, qtbot)
    press_digit(tab, 1)
    assert [d.label for d in stored(digits, qtbot, 2)] == [1, 1]


def test_clicking_a_class_bar_keeps_the_drawing_as_that_class(
        tab: DrawTab, digits: DigitsService, draw, qtbot: QtBot) -> None:
    draw(tab.canvas, DIGITS["0"])
    wait_for_prediction(tab, qtbot)
    bars = tab.bars
    view = bars.getPlotItem().getViewBox()
    row_centre = view.mapViewToScene(QPointF(0.5, 3.0))
    position = bars.mapFromScene(row_centre)
    assert bars.row_at(QPointF(position)) == 3
    qtbot.mouseClick(bars.viewport(), Qt.MouseButton.LeftButton, pos=position)
    [kept] = stored(digits, qtbot, 1)
    assert kept.label == 3 and kept.predicted == 0


def test_a_digit_key_on_a_blank_canvas_keeps_nothing_and_says_why(
        tab: DrawTab, digits: DigitsService, qtbot: QtBot) -> None:
    press_digit(tab, 5)
    assert "Draw a digit first" in child(tab, QLabel, "teachMessage").text()
    qtbot.wait(200)
    assert digits.total() == 0


def test_the_guided_mode_asks_for_each_digit_and_enter_keeps_it_as_asked(
        tab: DrawTab, digits: DigitsService, draw, qtbot: QtBot) -> None:
    tab.teach.target.setValue(1)
    qtbot.mouseClick(child(tab, QPushButton, "teachGuide"), Qt.MouseButton.LeftButton)
    prompt = child(tab, QLabel, "teachPrompt")
    asked: list[int] = []
    for count in range(1, 11):
        qtbot.waitUntil(lambda: tab.teach.asked() is not None, timeout=3000)
        digit = tab.teach.asked()
        assert digit is not None and prompt.text() == f"Draw a {digit}  ·  {count} of 10"
        assert tab.canvas.placeholder() == f"Draw a {digit}, then press Enter"
        asked.append(digit)
        draw(tab.canvas, SEGMENT)
        wait_for_prediction(tab, qtbot)
        QTest.keyClick(tab.canvas, Qt.Key.Key_Return)
        assert tab.canvas.is_blank(), "the canvas is cleared for the next digit"
        qtbot.waitUntil(partial(has_total, digits, count), timeout=3000)
    assert sorted(asked) == list(range(10)), "one of each, since each was wanted once"
    qtbot.waitUntil(lambda: not tab.teach.is_guiding(), timeout=3000)
    assert "Every digit has an example" in child(tab, QLabel, "teachMessage").text()
    assert tab.canvas.placeholder() == "Draw a digit here"
    kept = stored(digits, qtbot, 10)
    assert sorted(d.label for d in kept) == list(range(10))
    assert {d.source for d in kept} == {"guided"}


def test_a_fashion_model_reads_an_opened_picture_whole_and_says_drawing_is_for_digits(
    tab: DrawTab, state: AppState, predictor: Predictor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from PIL import Image

    from digitpad.core.datasets import FASHION_CLASS_NAMES
    from digitpad.gui.draw_tab import PICTURE_MODEL_PROMPT

    assert predictor.metadata is not None   # the shared predictor says Fashion for this test only
    digits_metadata = predictor.metadata
    monkeypatch.setattr(predictor, "metadata", replace(digits_metadata, dataset="fashion-mnist",
                                                       class_names=list(FASHION_CLASS_NAMES)))
    state.set_predictor(predictor)
    assert tab.canvas.placeholder() == PICTURE_MODEL_PROMPT
    # A boot-like picture (bright object on black, off-centre, as Fashion-MNIST pictures are not
    # cropped to their ink): the window reads the whole picture, not a crop of its "ink".
    picture = np.zeros((28, 28), np.uint8)
    picture[14:24, 2:20] = 200
    picture[4:14, 12:20] = 160
    path = tmp_path / "boot.png"
    Image.fromarray(picture).save(path)
    assert tab.open_image_file(path)
    tab.update_prediction()
    expected = predictor.predict_prepared(picture[np.newaxis].astype(np.float32) / 255)[0]
    shown = tab.bars.probabilities()
    assert shown is not None
    np.testing.assert_allclose(shown, expected, atol=1e-5)
    assert tab.bars.class_names()[0] == FASHION_CLASS_NAMES[0]
    # A class name is shown whole, however long: the longest one, and an unsure pair of them.
    for text in ("T-shirt/top", "Ankle boot or Sneaker?"):
        tab._set_prediction_text(text)
        label = tab.prediction_label
        area, metrics = label.contentsRect(), QFontMetrics(label.font())
        assert all(metrics.horizontalAdvance(word) <= area.width() for word in text.split()), text
        assert metrics.boundingRect(area, Qt.TextFlag.TextWordWrap, text).height() <= area.height(), text
        assert label.font().pixelSize() < 44   # smaller than a short answer, big enough to read
    predictor.metadata = digits_metadata
    state.set_predictor(predictor)
    assert tab.canvas.placeholder() != PICTURE_MODEL_PROMPT
