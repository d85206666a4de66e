"""The Draw tab's look inside the answer: "Why?" over the drawing, the preprocessing step by step,
and the place of "Inside the network", with real clicks and the shipped model."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QRect, QRectF, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QTabBar, QWidget
from pytestqt.qtbot import QtBot

from digitpad.core import explanation as core_explanation
from digitpad.core import network_inside
from digitpad.core.datasets import FASHION_CLASS_NAMES
from digitpad.core.image_reading import fashion_input
from digitpad.core.inference import Predictor
from digitpad.core.network_inside import InsidePicture
from digitpad.core.preprocess import preprocess
from digitpad.core.preprocess_stages import input_geometry, picture_stages, preprocess_stages, stages_for
from digitpad.core.resources import default_model_path
from digitpad.gui import explanation_overlay, preprocess_steps_view, style
from digitpad.gui.app_state import AppState
from digitpad.gui.canvas import RESOLUTION
from digitpad.gui.digits_service import DigitsService
from digitpad.gui.draw_tab import SETTINGS_SHOW_WHY, DrawTab
from digitpad.gui.main_window import DEFAULT_SIZE, MainWindow
from tests.gui.conftest import image_to_widget

SEVEN = [[(80, 55), (200, 55), (165, 130), (130, 235)]]
SMALL_OFF_CENTRE_SEVEN = [[(20, 20), (80, 20), (65, 50), (50, 95)]]
ONE = [[(150, 50), (146, 120), (142, 235)]]
WAIT_MS = 5000
GUI_THREAD = threading.get_ident()


@pytest.fixture
def state(predictor: Predictor, tmp_path: Any) -> Iterator[AppState]:
    app_state = AppState(settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    app_state.set_predictor(predictor)
    yield app_state
    app_state.shutdown()


@pytest.fixture
def digits(digits_service: DigitsService) -> DigitsService:
    return digits_service   # tests/gui/conftest.py: open, and shut down afterwards


_LOOK_INSIDE_CALLS: list[tuple[Any, ...]] = []


def _no_look_inside(path: Path, x: np.ndarray | None, *_job: Any) -> InsidePicture:
    """Stands in for `network_inside.look_inside`: module-level, so the engine job that names it
    still pickles; it records its arguments and answers an empty picture."""
    _LOOK_INSIDE_CALLS.append((path, x))
    return InsidePicture(path, (), None, "", ())


@pytest.fixture(autouse=True)
def no_keras_inside_the_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[Any, ...]]]:
    """The network page's Keras work is tested on its own; here it must not import TensorFlow."""
    monkeypatch.setattr(network_inside, "look_inside", _no_look_inside)
    _LOOK_INSIDE_CALLS.clear()
    yield _LOOK_INSIDE_CALLS
    _LOOK_INSIDE_CALLS.clear()


@pytest.fixture
def tab(state: AppState, digits: DigitsService, qtbot: QtBot) -> Iterator[DrawTab]:
    draw_tab = DrawTab(state, digits)
    qtbot.addWidget(draw_tab)
    draw_tab.resize(1200, 720)
    draw_tab.show()
    qtbot.waitExposed(draw_tab)
    draw_tab.activateWindow()
    draw_tab.canvas.setFocus()
    qtbot.waitUntil(lambda: not state.is_listing())
    yield draw_tab
    draw_tab.shutdown()


class Recorder:
    """Wraps a core function: records the thread and the arguments of each call, and can hold
    calls back until released (to make a result arrive late)."""

    def __init__(self, function: Callable[..., Any], *, hold: bool = False) -> None:
        self.function = function
        self.threads: list[int] = []
        self.arguments: list[tuple[Any, ...]] = []
        self.started = threading.Event()
        self.release = threading.Event()
        if not hold:
            self.release.set()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.threads.append(threading.get_ident())
        self.arguments.append(args)
        self.started.set()
        assert self.release.wait(WAIT_MS / 1000), "the test never released the held call"
        return self.function(*args, **kwargs)


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def why_button(tab: DrawTab) -> QPushButton:
    button = tab.findChild(QPushButton, "whyButton")
    assert button is not None
    return button


def show_page(tab: DrawTab, qtbot: QtBot, title: str) -> None:
    """Click the right column's tab called `title`."""
    bar = tab.insight_tabs.findChild(QTabBar)
    assert bar is not None
    index = next(i for i in range(bar.count()) if bar.tabText(i) == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tab.insight_tabs.currentIndex() == index


def drawing(tab: DrawTab) -> np.ndarray:
    return 255 - tab.canvas.image_array()


def wait_for_overlay(tab: DrawTab, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: tab.canvas.overlay() is not None, timeout=WAIT_MS)


def wait_for_prediction(tab: DrawTab, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not tab._throttle.isActive(), timeout=WAIT_MS)


def wait_idle(tab: DrawTab, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not tab._throttle.isActive() and not tab._why_task.is_busy()
                    and not tab._steps_task.is_busy(), timeout=WAIT_MS)
    QApplication.processEvents()


# ------------------------------------------------------------------------------------- why


def test_why_lays_the_explanation_over_the_ink_from_a_worker(
        tab: DrawTab, draw, qtbot: QtBot, predictor: Predictor, monkeypatch: pytest.MonkeyPatch) -> None:
    explain = Recorder(core_explanation.explain)
    monkeypatch.setattr(explanation_overlay, "explain", explain)
    click(qtbot, why_button(tab))
    assert tab.why_action.isChecked() and tab.why_legend.isVisible() and not tab.hint.isVisible()

    draw(tab.canvas, SMALL_OFF_CENTRE_SEVEN)
    wait_for_overlay(tab, qtbot)

    assert explain.threads and all(thread != GUI_THREAD for thread in explain.threads)
    model_input = explain.arguments[-1][1]
    assert np.array_equal(model_input, preprocess(drawing(tab)))
    # The 28x28 map lies where preprocessing took the input from: the small digit in the corner.
    geometry = input_geometry(drawing(tab))
    area = tab.canvas.overlay_area()
    assert area.left() == pytest.approx(geometry.left) and area.top() == pytest.approx(geometry.top)
    assert area.width() == pytest.approx(28 * geometry.scale) and area.height() == area.width()
    assert area.right() < RESOLUTION / 2 and area.bottom() < RESOLUTION / 2
    # Its strongest support falls on the ink.
    result = core_explanation.explain(predictor.predict_prepared, model_input)
    row, col = np.unravel_index(int(np.argmax(result.saliency)), result.saliency.shape)
    x = round(area.left() + (col + 0.5) * geometry.scale)
    y = round(area.top() + (row + 0.5) * geometry.scale)
    reach = round(geometry.scale * 1.5)
    assert drawing(tab)[max(0, y - reach): y + reach, max(0, x - reach): x + reach].max() > 128
    # It is painted: the canvas shows the overlay's colours over the paper there.
    shown = tab.canvas.grab().toImage()
    colour = shown.pixelColor(image_to_widget(tab.canvas, x, y))
    assert colour.red() - colour.blue() > 40, colour.name()    # warm, where plain ink or paper is grey
    assert "for 7" in tab.why_legend.support.text()
    assert tab.why_legend.status.text().endswith(" ms")


def test_the_explanation_waits_for_the_pen_to_lift(
        tab: DrawTab, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    explain = Recorder(core_explanation.explain)
    monkeypatch.setattr(explanation_overlay, "explain", explain)
    click(qtbot, why_button(tab))
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(tab.canvas, left, none, image_to_widget(tab.canvas, 140, 40))
    for y in range(45, 240, 5):
        QTest.mouseMove(tab.canvas, image_to_widget(tab.canvas, 140, y))
        qtbot.wait(5)
    qtbot.wait(100)
    assert explain.arguments == []          # many predictions, no explanation while drawing
    assert tab.bars.probabilities() is not None
    QTest.mouseRelease(tab.canvas, left, none, image_to_widget(tab.canvas, 140, 240))
    wait_for_overlay(tab, qtbot)
    assert len(explain.arguments) == 1


def test_an_explanation_that_arrives_after_a_change_is_dropped(
        tab: DrawTab, draw, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    explain = Recorder(core_explanation.explain, hold=True)
    monkeypatch.setattr(explanation_overlay, "explain", explain)
    click(qtbot, why_button(tab))
    draw(tab.canvas, SEVEN)
    qtbot.waitUntil(explain.started.is_set, timeout=WAIT_MS)
    QTest.keyClick(tab.canvas, Qt.Key.Key_Escape)      # cleared while the map is on its way
    wait_for_prediction(tab, qtbot)                    # the blank canvas is read before the map arrives
    explain.release.set()
    wait_idle(tab, qtbot)
    assert tab.canvas.is_blank()
    assert tab.canvas.overlay() is None                # the late map for the 7 was not shown

    # A stroke added while a map is on its way: only the map of the final drawing is shown.
    explain.release.clear()
    explain.started.clear()
    draw(tab.canvas, ONE)
    qtbot.waitUntil(explain.started.is_set, timeout=WAIT_MS)
    draw(tab.canvas, [[(100, 140), (190, 140)]])
    explain.release.set()
    wait_for_overlay(tab, qtbot)
    wait_idle(tab, qtbot)
    geometry = input_geometry(drawing(tab))
    assert tab.canvas.overlay_area() == QRectF(geometry.left, geometry.top, 28 * geometry.scale,
                                               28 * geometry.scale)
    assert np.array_equal(explain.arguments[-1][1], preprocess(drawing(tab)))


def test_clearing_turning_off_and_changing_the_model_remove_the_overlay(
        tab: DrawTab, draw, qtbot: QtBot, state: AppState, predictor: Predictor) -> None:
    click(qtbot, why_button(tab))
    draw(tab.canvas, SEVEN)
    wait_for_overlay(tab, qtbot)
    QTest.keyClick(tab.canvas, Qt.Key.Key_Escape)
    assert tab.canvas.overlay() is None

    QTest.keyClick(tab.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)   # undo the clear
    wait_for_overlay(tab, qtbot)
    click(qtbot, why_button(tab))
    assert not tab.why_action.isChecked() and tab.canvas.overlay() is None and not tab.why_legend.isVisible()

    QTest.keyClick(tab.canvas, Qt.Key.Key_W)          # the shortcut turns it back on
    wait_for_overlay(tab, qtbot)
    state.set_predictor(predictor)                    # the same model again: a new answer is explained
    assert tab.canvas.overlay() is None
    wait_for_overlay(tab, qtbot)


def test_why_is_remembered(tab: DrawTab, qtbot: QtBot, state: AppState, digits: DigitsService) -> None:
    assert not tab.why_action.isChecked()
    click(qtbot, why_button(tab))
    assert str(state.settings.value(SETTINGS_SHOW_WHY)).lower() == "true"
    next_start = DrawTab(state, digits)
    qtbot.addWidget(next_start)
    try:
        assert next_start.why_action.isChecked() and not next_start.why_legend.isHidden()
    finally:
        next_start.shutdown()


def test_the_overlay_follows_within_200_ms_of_the_last_stroke(tab: DrawTab, draw, qtbot: QtBot) -> None:
    """The issue's goal is 200 ms; the bound here leaves room for a busy test machine."""
    click(qtbot, why_button(tab))
    draw(tab.canvas, ONE)
    wait_for_overlay(tab, qtbot)                      # the first explanation also warms up LiteRT
    latencies = []
    for strokes in (SEVEN, ONE, SMALL_OFF_CENTRE_SEVEN):
        QTest.keyClick(tab.canvas, Qt.Key.Key_Escape)
        draw(tab.canvas, strokes)
        start = time.perf_counter()
        wait_for_overlay(tab, qtbot)
        latencies.append((time.perf_counter() - start) * 1000)
    assert sorted(latencies)[1] < 600, latencies


# ------------------------------------------------------------------------------- step by step


def test_step_by_step_shows_each_stage_with_the_models_answer(
        tab: DrawTab, draw, qtbot: QtBot, predictor: Predictor, monkeypatch: pytest.MonkeyPatch) -> None:
    stages_of = Recorder(stages_for)
    monkeypatch.setattr(preprocess_steps_view, "stages_for", stages_of)
    draw(tab.canvas, SMALL_OFF_CENTRE_SEVEN)
    wait_idle(tab, qtbot)
    assert stages_of.arguments == []                  # nothing is read while the page is hidden
    assert tab.steps.message.isHidden() is False

    show_page(tab, qtbot, "Step by step")
    qtbot.waitUntil(lambda: tab.steps.reading() is not None, timeout=WAIT_MS)
    assert stages_of.threads and all(thread != GUI_THREAD for thread in stages_of.threads)

    expected = preprocess_stages(drawing(tab))
    probabilities = predictor.predict_prepared(np.stack([stage.image for stage in expected]))
    final = int(np.argmax(probabilities[-1]))
    assert final == 7
    cells = tab.steps.cells()
    assert len(cells) == len(expected) == 4 and all(cell.isVisible() for cell in cells)
    for index, (cell, stage, row) in enumerate(zip(cells, expected, probabilities, strict=True)):
        top = int(np.argmax(row))
        assert cell.title.text() == stage.title
        assert cell.answer.text() == f"{top} · {100 * row[top]:.0f} %"
        assert cell.answer.property("differs") == (top != final)
        click(qtbot, cell.button)                     # its sentence says why the step exists
        assert tab.steps.chosen() == index and cell.button.isChecked()
        assert stage.explanation in tab.steps.sentence.text() and stage.title in tab.steps.sentence.text()
    # Some step must matter for a small digit in a corner: the plain resize reads it less surely.
    assert probabilities[0][final] < probabilities[-1][final]
    # The first picture is the whole drawing squeezed: the small 7 sits in its top-left corner.
    picture = cells[0].button.icon().pixmap(preprocess_steps_view.THUMBNAIL).toImage()
    corner = picture.pixelColor(picture.width() // 6, picture.height() // 8).lightness()
    far = picture.pixelColor(picture.width() * 5 // 6, picture.height() * 5 // 6).lightness()
    assert corner > 100 and far < 30

    QTest.keyClick(tab.canvas, Qt.Key.Key_Escape)
    wait_idle(tab, qtbot)
    assert tab.steps.reading() is None and tab.steps.message.isVisible()


def test_step_by_step_follows_the_pen_and_drops_stale_readings(
        tab: DrawTab, draw, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    show_page(tab, qtbot, "Step by step")
    stages_of = Recorder(stages_for, hold=True)
    monkeypatch.setattr(preprocess_steps_view, "stages_for", stages_of)
    draw(tab.canvas, SEVEN)
    qtbot.waitUntil(stages_of.started.is_set, timeout=WAIT_MS)
    QTest.keyClick(tab.canvas, Qt.Key.Key_Escape)
    wait_for_prediction(tab, qtbot)                    # the blank canvas is read before the stages arrive
    stages_of.release.set()
    wait_idle(tab, qtbot)
    assert tab.steps.reading() is None                # the 7's stages came too late to be shown

    draw(tab.canvas, ONE)
    qtbot.waitUntil(lambda: tab.steps.reading() is not None, timeout=WAIT_MS)
    wait_idle(tab, qtbot)
    reading = tab.steps.reading()
    assert reading is not None
    assert np.array_equal(reading.stages[-1].image, preprocess(drawing(tab)))
    assert reading.answers()[-1][0] == 1


# -------------------------------------------------------------------------- inside the network


def test_inside_the_network_gets_the_model_and_the_input(
        tab: DrawTab, draw, qtbot: QtBot, no_keras_inside_the_network: list[tuple[Any, ...]]) -> None:
    draw(tab.canvas, SEVEN)
    wait_idle(tab, qtbot)
    assert no_keras_inside_the_network == []          # the page is hidden: no work
    show_page(tab, qtbot, "Inside the network")
    qtbot.waitUntil(lambda: bool(no_keras_inside_the_network), timeout=WAIT_MS)
    path, model_input = no_keras_inside_the_network[-1]
    assert path == default_model_path()               # the shipped model, which the tab uses
    assert np.array_equal(model_input, preprocess(drawing(tab)))


# ---------------------------------------------------------------------------------- layout


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[None]:
    """The window's own look, as `digitpad.gui.app` sets it: sizes depend on its font and padding."""
    style_sheet, palette, font = qapp.styleSheet(), qapp.palette(), qapp.font()
    style.apply_theme(qapp)
    yield
    qapp.setStyleSheet(style_sheet)
    qapp.setPalette(palette)
    qapp.setFont(font)


@pytest.mark.usefixtures("themed")
def test_the_right_column_fits_the_default_window(qtbot: QtBot, predictor: Predictor, draw) -> None:
    state = AppState()
    window = MainWindow(state)
    qtbot.addWidget(window)
    try:
        window.resize(DEFAULT_SIZE)
        window.show()
        qtbot.waitExposed(window)
        state.set_predictor(predictor)
        tab = window.draw_tab
        assert tab.bars.height() >= 220                # ten bars still readable
        for name in ("eraserButton", "undoButton", "redoButton", "whyButton", "openImageButton", "clearButton"):
            button = tab.findChild(QPushButton, name)
            assert button is not None and button.width() >= button.sizeHint().width(), f"{name} is squeezed"
        bar = tab.insight_tabs.findChild(QTabBar)
        assert bar is not None and bar.tabRect(bar.count() - 1).right() < bar.width(), "a tab title is cut off"
        click(qtbot, why_button(tab))
        show_page(tab, qtbot, "Step by step")
        draw(tab.canvas, SEVEN)
        qtbot.waitUntil(lambda: tab.steps.reading() is not None, timeout=WAIT_MS)
        wait_for_overlay(tab, qtbot)
        page = tab.steps.rect()
        for cell in tab.steps.cells():
            assert page.contains(QRect(cell.mapTo(tab.steps, QPoint(0, 0)), cell.size())), "a step is cut off"
            assert cell.title.height() >= cell.title.heightForWidth(cell.title.width())
        sentence = tab.steps.sentence
        assert sentence.geometry().bottom() <= page.bottom(), "the sentence is cut off"
        assert sentence.height() >= sentence.heightForWidth(sentence.width())
        assert tab.why_legend.isVisible() and tab.why_legend.height() > 0
        assert tab.canvas.width() >= 420
    finally:
        window.close()


# ------------------------------------------------------------------- a model of whole pictures


def test_a_fashion_model_explains_and_shows_the_steps_of_the_picture_it_reads(
        tab: DrawTab, qtbot: QtBot, state: AppState, predictor: Predictor, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A Fashion-MNIST model reads an opened picture whole: "Why?" lies over the whole picture (not
    over a digit crop of it) and "Step by step" shows the Fashion steps with clothing names."""
    assert predictor.metadata is not None   # the shared predictor says Fashion for this test only
    monkeypatch.setattr(predictor, "metadata", replace(predictor.metadata, dataset="fashion-mnist",
                                                       class_names=list(FASHION_CLASS_NAMES)))
    state.set_predictor(predictor)
    photo = np.full((90, 50), 235, np.uint8)       # a dark, tall garment on a light catalogue page
    photo[10:80, 15:35] = 40
    photo[10:30, 8:42] = 60
    path = tmp_path / "dress.png"
    Image.fromarray(photo).save(path)
    assert tab.open_image_file(path)
    click(qtbot, why_button(tab))
    wait_for_overlay(tab, qtbot)
    square = tab.canvas.loaded_picture_square()
    assert square is not None
    left, top, side = square
    area = tab.canvas.overlay_area()
    assert (area.left(), area.top(), area.width(), area.height()) == pytest.approx((left, top, side, side))
    assert side > RESOLUTION * 0.8                 # the whole picture, not a crop of its darkest part
    answer = int(np.argmax(predictor.predict_prepared(fashion_input(photo)[np.newaxis])[0]))
    assert tab.why_legend.support.text() == f"for {FASHION_CLASS_NAMES[answer]}"

    show_page(tab, qtbot, "Step by step")
    qtbot.waitUntil(lambda: tab.steps.reading() is not None, timeout=WAIT_MS)
    expected = picture_stages(photo)
    cells = tab.steps.cells()
    assert [cell.title.text() for cell in cells] == [stage.title for stage in expected]
    reading = tab.steps.reading()
    assert reading is not None
    np.testing.assert_array_equal(reading.stages[-1].image, fashion_input(photo))
    assert cells[-1].answer.text().startswith(f"{FASHION_CLASS_NAMES[answer]} · ")
