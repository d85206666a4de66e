"""Cross-validation in the Train tab, driven like a user: real clicks on Cross-validate and Stop,
an MLP on 480 real digits dealt into 2 to 4 folds for an epoch or a few.

TensorFlow is imported once per module. No thread may outlive its test.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from digitpad.core.crossval import CrossValidation, FinishedCrossValidation, FoldResult
from digitpad.core.evaluation import evaluate
from digitpad.core.training import TrainingSpec
from digitpad.gui.app_state import AppState
from digitpad.gui.crossval_view import CrossValidationView
from digitpad.gui.train_tab import FOLDS_SETTING, TrainTab
from tests.gui.conftest import plotted_curves
from tests.gui.test_train_tab import click, column_texts, configure

TIMEOUT_MS = 120_000
CROSSVAL_PAGE = 3


@pytest.fixture
def tab(train_tab: TrainTab) -> TrainTab:
    return train_tab   # tests/gui/conftest.py: shown, and every job joined afterwards


def test_cross_validation_shows_each_fold_and_the_mean_with_its_spread(
    qtbot: QtBot, tab: TrainTab, digits_npz: Path, ready_state: AppState
) -> None:
    configure(tab, digits_npz, epochs=1)
    tab.folds_spin.setValue(3)
    assert tab.crossval_view.stack.currentIndex() == 0  # the explanation until a run

    with qtbot.waitSignal(tab.crossval_task.finished, timeout=TIMEOUT_MS):
        click(qtbot, tab.crossval_button)
        assert tab.pages.currentIndex() == 0  # the live curves and the card first
        assert not tab.train_button.isEnabled() and not tab.crossval_button.isEnabled()
        assert not tab.form.isEnabled() and not tab.folds_spin.isEnabled()
        assert tab.stop_button.isEnabled()

    view = tab.crossval_view
    assert tab.pages.currentIndex() == CROSSVAL_PAGE
    assert tab.pages.tabText(CROSSVAL_PAGE) == "Cross-validation"
    assert column_texts(view.table, 0) == ["1", "2", "3"]
    assert column_texts(view.table, 1) == ["160", "160", "160"]  # stratified: 480 dealt evenly
    assert all(text.endswith(" %") for text in column_texts(view.table, 2))
    assert all(float(text) > 0 for text in column_texts(view.table, 3))
    assert all(text.endswith(" s") for text in column_texts(view.table, 4))
    assert re.fullmatch(r"accuracy \d+\.\d % ± \d+\.\d", view.accuracy_label.text())
    assert re.fullmatch(r"loss \d+\.\d{4} ± \d+\.\d{4}", view.loss_label.text())
    assert "3-fold cross-validation of mlp on" in view.title_label.text()
    assert "480 training images" in view.title_label.text()
    assert view.notes_label.isHidden()
    assert plotted_curves(view.curves) == 2 * 3
    assert tab.progress.bar.format() == "Done"
    assert view.accuracy_label.text() in tab.progress.label.text()

    assert tab.train_button.isEnabled() and tab.crossval_button.isEnabled() and tab.form.isEnabled()
    assert not tab.stop_button.isEnabled()
    assert ready_state.settings.value(FOLDS_SETTING) in (3, "3")
    again = TrainTab(ready_state)
    qtbot.addWidget(again)
    assert again.folds_spin.value() == 3
    again.shutdown()


def test_stop_keeps_the_folds_already_finished(qtbot: QtBot, tab: TrainTab, digits_npz: Path) -> None:
    configure(tab, digits_npz, epochs=6)
    tab.folds_spin.setValue(4)
    with qtbot.waitSignal(tab.crossval_task.finished, timeout=TIMEOUT_MS):
        click(qtbot, tab.crossval_button)
        qtbot.waitUntil(lambda: tab.crossval_view.table.rowCount() >= 1, timeout=TIMEOUT_MS)
        click(qtbot, tab.stop_button)
        assert not tab.stop_button.isEnabled()
        assert "finished folds are kept" in tab.progress.label.text()

    view = tab.crossval_view
    kept = view.table.rowCount()
    assert 1 <= kept < 4
    assert tab.pages.currentIndex() == CROSSVAL_PAGE
    assert tab.progress.bar.format() == f"Stopped — {kept} of 4 folds kept"
    assert view.notes_label.isVisible()
    assert view.notes_label.text().startswith(f"Stopped after {kept} of 4 folds")
    assert plotted_curves(view.curves) == 2 * kept
    assert tab.crossval_button.isEnabled() and tab.train_button.isEnabled()


def test_stop_before_the_first_fold_leaves_nothing_to_show(qtbot: QtBot, tab: TrainTab, digits_npz: Path) -> None:
    configure(tab, digits_npz, epochs=20)
    tab.folds_spin.setValue(2)
    with qtbot.waitSignal(tab.crossval_task.finished, timeout=TIMEOUT_MS):
        click(qtbot, tab.crossval_button)
        click(qtbot, tab.stop_button)
    assert tab.progress.bar.format() == "Stopped"
    assert "before the first fold" in tab.progress.label.text()
    assert tab.crossval_view.stack.currentIndex() == 0
    assert tab.crossval_view.table.rowCount() == 0
    assert tab.crossval_button.isEnabled()


def test_shutdown_during_cross_validation_joins_its_worker(qtbot: QtBot, tab: TrainTab, digits_npz: Path) -> None:
    configure(tab, digits_npz, epochs=20)
    tab.folds_spin.setValue(2)
    click(qtbot, tab.crossval_button)
    qtbot.waitUntil(lambda: tab.progress.bar.format().startswith("Fold 1 of 2  ·  epoch"), timeout=TIMEOUT_MS)
    tab.shutdown()
    assert not tab.crossval_task.is_running()


def test_training_and_cross_validation_exclude_each_other(qtbot: QtBot, tab: TrainTab, digits_npz: Path) -> None:
    configure(tab, digits_npz, epochs=1)
    with qtbot.waitSignal(tab.task.finished, timeout=TIMEOUT_MS):
        click(qtbot, tab.train_button)
        assert not tab.crossval_button.isEnabled() and not tab.folds_spin.isEnabled()
    assert tab.crossval_button.isEnabled() and tab.folds_spin.isEnabled()


def test_unreadable_data_is_said_in_the_banner(qtbot: QtBot, tab: TrainTab, tmp_path: Path) -> None:
    configure(tab, tmp_path / "missing.npz", epochs=1)
    with qtbot.waitSignal(tab.crossval_task.finished, timeout=TIMEOUT_MS):
        click(qtbot, tab.crossval_button)
    assert tab.error_banner.isVisible()
    assert "missing.npz" in tab.error_label.text()
    assert tab.progress.bar.format() == "Failed"
    assert tab.crossval_view.stack.currentIndex() == 0
    assert tab.crossval_button.isEnabled()


def test_view_states_a_stopped_run_and_the_notes_of_its_data(qtbot: QtBot) -> None:
    """Without TensorFlow: two folds of a three-fold run, scored by a fixed answer."""
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(10), 2)
    answers = np.eye(10)[np.where(rng.random(len(y)) < 0.9, y, (y + 1) % 10)]
    evaluation = evaluate(lambda x: answers[: len(x)], np.zeros((len(y), 28, 28), np.uint8), y)
    history = {"loss": [0.5, 0.3], "accuracy": [0.8, 0.9], "val_loss": [0.4, 0.35], "val_accuracy": [0.85, 0.9]}
    folds = tuple(
        FoldResult(index=i, accuracy=accuracy, loss=0.3, history=history, held_out=20, duration_s=2.0,
                   evaluation=evaluation)
        for i, accuracy in ((1, 0.90), (2, 0.95))
    )
    result = CrossValidation(folds=folds, fold_count=3, spec=TrainingSpec(), data_name="tiny", images=60,
                             duration_s=4.0, stopped=True)
    view = CrossValidationView()
    qtbot.addWidget(view)
    view.show()
    view.show_result(FinishedCrossValidation(result, ("Label(s) 3 have fewer images than 3 folds.",)))
    assert view.accuracy_label.text() == "accuracy 92.5 % ± 2.5"
    assert view.table.rowCount() == 2
    assert column_texts(view.table, 2) == ["90.00 %", "95.00 %"]
    assert view.notes_label.text().splitlines() == [
        "Stopped after 2 of 3 folds: the mean and spread are those of the finished folds only.",
        "Label(s) 3 have fewer images than 3 folds.",
    ]
    assert plotted_curves(view.curves) == 4
    view.clear()
    assert view.stack.currentIndex() == 0 and view.table.rowCount() == 0
