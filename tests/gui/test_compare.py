"""Comparing models from the Models tab with real clicks: live on a drawing, and on a test set.

"seven" always answers 7 and "one" always answers 1 (see models_helpers), so on a real MNIST
digit they disagree for certain, and on a test set the pairwise counts are easy to work out by
hand: "seven" alone is right exactly on the 7s, "one" alone exactly on the 1s.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from digitpad.core.evaluation import evaluate
from digitpad.core.inference import Predictor
from digitpad.gui.app_state import AppState
from digitpad.gui.compare_live import disagreement
from digitpad.gui.models_tab import ModelsTab
from tests.gui.models_helpers import CTRL, TinyModels, click_row, compare

TEST_IMAGES = 300


@pytest.fixture
def test_file(tmp_path: Path, mnist) -> Path:
    """A small test set holding only x_test/y_test, as a teacher might prepare one."""
    x, y = mnist
    path = tmp_path / "small-test.npz"
    np.savez_compressed(path, x_test=x[:TEST_IMAGES], y_test=y[:TEST_IMAGES])
    return path


def canvas_image(digit: np.ndarray) -> np.ndarray:
    """A 28x28 MNIST digit blown up to the canvas' 280x280, ink bright on black."""
    return np.kron(digit, np.ones((10, 10), np.uint8))


def choose_test_file(tab: ModelsTab, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "digitpad.gui.widgets.QFileDialog.getOpenFileName", lambda *args, **kwargs: (str(path), "")
    )
    QTest.mouseClick(tab.compare.file_button, Qt.MouseButton.LeftButton)
    assert tab.compare.test_source() == str(path)


def run_evaluation(tab: ModelsTab, qtbot: QtBot) -> None:
    with qtbot.waitSignal(tab.compare._task.finished, timeout=60_000):
        QTest.mouseClick(tab.compare.evaluate_button, Qt.MouseButton.LeftButton)


# ------------------------------------------------------------------------------ live


def test_the_compare_button_needs_two_models(tab: ModelsTab) -> None:
    click_row(tab, "seven")
    assert not tab.compare_button.isEnabled()
    click_row(tab, "one", CTRL)
    assert tab.compare_button.isEnabled()


def test_comparing_two_models_shows_both_on_the_current_drawing(
    tab: ModelsTab, state: AppState, mnist, qtbot
) -> None:
    compare(tab, "one", "seven")
    assert tab.inspector.currentWidget() is tab.compare
    panels = tab.compare.live.panels
    assert [panel.model.name for panel in panels] == ["one", "seven"]
    x, _ = mnist
    drawing = canvas_image(x[0])
    state.publish_drawing(drawing)
    for panel, name in zip(panels, ("one", "seven"), strict=True):
        expected = Predictor.load(state.library.root / f"{name}.keras").predict(drawing)
        assert panel.bars.probabilities() == pytest.approx(expected, abs=1e-6)
    assert panels[0].bars.top_index() == 1 and panels[1].bars.top_index() == 7
    assert panels[1].answer.text().startswith("7")


def test_disagreeing_models_are_highlighted(tab: ModelsTab, state: AppState, mnist) -> None:
    compare(tab, "one", "seven")
    state.publish_drawing(canvas_image(mnist[0][1]))
    live = tab.compare.live
    assert live.banner.text() == "Models disagree: one says 1, seven says 7"
    assert live.banner.property("kind") == "disagree"
    assert [panel.property("disagrees") for panel in live.panels] == [True, True], "no majority: both are odd"


def test_agreeing_models_are_not_highlighted_and_the_odd_one_out_is(
    tab: ModelsTab, state: AppState, tiny_models: TinyModels, mnist
) -> None:
    shutil.copy2(tiny_models.seven, state.library.root / "seven again.keras")
    state.libraryChanged.emit()
    compare(tab, "seven", "seven again")
    state.publish_drawing(canvas_image(mnist[0][2]))
    live = tab.compare.live
    assert live.banner.text() == "Both models say 7"
    assert [panel.property("disagrees") for panel in live.panels] == [False, False]

    compare(tab, "seven", "seven again", "one")
    state.publish_drawing(canvas_image(mnist[0][2]))
    names = [panel.model.name for panel in live.panels]
    odd = {name for name, panel in zip(names, live.panels, strict=True) if panel.property("disagrees")}
    assert odd == {"one"}
    assert live.banner.property("kind") == "disagree"


def test_a_blank_canvas_clears_the_panels(tab: ModelsTab, state: AppState, mnist) -> None:
    compare(tab, "one", "seven")
    state.publish_drawing(canvas_image(mnist[0][0]))
    state.publish_drawing(None)
    live = tab.compare.live
    assert all(panel.bars.probabilities() is None for panel in live.panels)
    assert not any(panel.property("disagrees") for panel in live.panels)
    assert live.banner.property("kind") == "idle"


def test_disagreement_rules() -> None:
    assert disagreement([7, 7, 7]) == (False, set())
    assert disagreement([7, 1]) == (True, {0, 1})
    assert disagreement([7, 7, 1]) == (True, {2})
    assert disagreement([7, 1, 3]) == (True, {0, 1, 2})


# -------------------------------------------------------------------------- test set


def test_evaluating_on_a_test_file_fills_the_results_and_pairwise_tables(
    tab: ModelsTab, state: AppState, test_file: Path, mnist, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    compare(tab, "one", "seven")
    choose_test_file(tab, test_file, monkeypatch)
    run_evaluation(tab, qtbot)
    x, y = mnist[0][:TEST_IMAGES], mnist[1][:TEST_IMAGES]
    results = tab.compare.results
    names = ["one", "seven"]
    assert results.values(0) == names
    expected = {
        name: evaluate(Predictor.load(state.library.root / f"{name}.keras").predict_prepared, x, y)
        for name in names
    }
    assert results.values(1) == [f"{100 * expected[name].accuracy:.2f} %" for name in names]
    assert results.values(2) == [f"{expected[name].loss:.4f}" for name in names]
    assert results.values(3) == [f"{expected[name].macro_f1:.4f}" for name in names]
    assert results.values(4) == ["7,850", "7,850"]
    # by hand: the models answer 7 and 1 on everything, so each is right exactly on its digit
    assert expected["seven"].accuracy == pytest.approx(np.mean(y == 7))
    sevens, ones = int(np.sum(y == 7)), int(np.sum(y == 1))
    assert sevens > 0 and ones > 0 and sevens != ones, "a transposed matrix must not pass"
    assert tab.compare.pairwise.counts() == [["—", f"{ones}"], [f"{sevens}", "—"]]
    assert f"{TEST_IMAGES}" in tab.compare.status.text()
    assert not tab.compare.progress.isVisible()
    assert tab.compare.evaluate_button.isEnabled()


def test_a_bad_test_file_is_reported_without_results(
    tab: ModelsTab, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "labels-out-of-range.npz"
    np.savez(bad, x_test=np.zeros((4, 28, 28), np.uint8), y_test=np.array([0, 1, 2, 42], np.uint8))
    compare(tab, "one", "seven")
    choose_test_file(tab, bad, monkeypatch)
    run_evaluation(tab, qtbot)
    assert tab.compare.status.text().startswith("Could not evaluate:")
    assert "labels-out-of-range.npz" in tab.compare.status.text()
    assert tab.compare.results.rowCount() == 0


def test_training_curves_of_the_compared_models_are_overlaid(tab: ModelsTab) -> None:
    compare(tab, "one", "seven")
    curves = tab.compare.curves
    shown = [item for item in curves.loss_plot.getPlotItem().listDataItems() if item.isVisible()]
    with_data = [item for item in shown if item.getData()[0] is not None and len(item.getData()[0])]
    assert len(with_data) == 2, "validation and training loss of 'seven'; 'one' has no history"
    assert "one" in tab.compare.curves_note.text()


class GatedPredictions:
    """Makes `Predictor.predict_prepared` wait, so a test can act while an evaluation runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, wait_s: float) -> None:
        self.started = threading.Event()
        self.gate = threading.Event()
        self.calls = 0
        original = Predictor.predict_prepared
        gate = self

        def gated(predictor: Predictor, x: np.ndarray) -> np.ndarray:
            gate.calls += 1
            gate.started.set()
            gate.gate.wait(wait_s)
            return original(predictor, x)

        monkeypatch.setattr(Predictor, "predict_prepared", gated)


def test_cancel_stops_the_evaluation(
    tab: ModelsTab, test_file: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    compare(tab, "one", "seven")
    choose_test_file(tab, test_file, monkeypatch)
    gated = GatedPredictions(monkeypatch, wait_s=10.0)
    with qtbot.waitSignal(tab.compare._task.finished, timeout=20_000):
        QTest.mouseClick(tab.compare.evaluate_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(gated.started.is_set)
        assert tab.compare.is_evaluating() and tab.compare.cancel_button.isEnabled()
        assert not tab.compare.evaluate_button.isEnabled()
        QTest.mouseClick(tab.compare.cancel_button, Qt.MouseButton.LeftButton)
        gated.gate.set()
    assert gated.calls == 1, "the second model never ran"
    assert tab.compare.status.text() == "Evaluation cancelled."
    assert tab.compare.results.rowCount() == 0
    assert not tab.compare.is_evaluating()
    assert tab.compare.evaluate_button.isEnabled()


def test_shutdown_joins_the_evaluation_thread(
    tab: ModelsTab, test_file: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline = threading.active_count()
    compare(tab, "one", "seven")
    choose_test_file(tab, test_file, monkeypatch)
    gated = GatedPredictions(monkeypatch, wait_s=10.0)
    task = tab.compare._task
    request_stop = task.request_stop

    def stop_then_open_the_gate() -> None:  # the worker sees the stop before it can go on
        request_stop()
        gated.gate.set()

    monkeypatch.setattr(task, "request_stop", stop_then_open_the_gate)
    QTest.mouseClick(tab.compare.evaluate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(gated.started.is_set)
    tab.shutdown()
    assert not tab.compare.is_evaluating()
    assert gated.calls == 1
    assert threading.active_count() == baseline


def test_comparing_other_models_during_an_evaluation_drops_its_results(
    tab: ModelsTab, state: AppState, tiny_models: TinyModels, test_file: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy2(tiny_models.seven, state.library.root / "seven again.keras")
    state.libraryChanged.emit()
    compare(tab, "one", "seven")
    choose_test_file(tab, test_file, monkeypatch)
    gated = GatedPredictions(monkeypatch, wait_s=10.0)
    with qtbot.waitSignal(tab.compare._task.finished, timeout=20_000):
        QTest.mouseClick(tab.compare.evaluate_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(gated.started.is_set)
        compare(tab, "seven", "seven again")
        gated.gate.set()
    assert [panel.model.name for panel in tab.compare.live.panels] == ["seven", "seven again"]
    assert tab.compare.results.rowCount() == 0, "results of 'one' and 'seven' must not appear"
    assert "Evaluate" in tab.compare.status.text()
    assert tab.compare.evaluate_button.isEnabled()


def test_double_clicking_a_compared_model_opens_its_own_evaluation(
    tab: ModelsTab, test_file: Path, mnist, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    compare(tab, "one", "seven")
    choose_test_file(tab, test_file, monkeypatch)
    run_evaluation(tab, qtbot)
    y = mnist[1][:TEST_IMAGES]
    results = tab.compare.results
    row_of_seven = results.values(0).index("seven")
    item = results.item(row_of_seven, 1)
    assert item is not None
    cell = results.visualItemRect(item).center()
    QTest.mouseClick(results.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    QTest.mouseDClick(results.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    dialog = tab.compare._dialog
    assert dialog is not None and dialog.isVisible()
    shown = dialog.view.evaluated()
    assert shown is not None and shown.model_name == "seven"
    # "seven" answers 7 to everything: exactly the 7s are right, and the 1s read as 7 are a cell of their own
    assert shown.select(shown="correct").size == int(np.sum(y == 7))
    assert len(shown.select(true=1, predicted=7)) == int(np.sum(y == 1))
    assert dialog.view.accuracy_label.text() == f"{100 * np.mean(y == 7):.2f} %"
    # "Look inside…" opens the selected row, here the other model, in the same window
    results.selectRow(1 - row_of_seven)
    QTest.mouseClick(tab.compare.inspect_button, Qt.MouseButton.LeftButton)
    other = dialog.view.evaluated()
    assert other is not None and other.model_name == "one"
