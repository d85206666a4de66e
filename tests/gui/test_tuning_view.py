"""The Train tab's hyperparameter search, by clicks: Tune… opens the Tuning page, a 2-trial search
fills the table live, marks the best, overlays the curves and saves the best model to the library;
Stop keeps the finished trials. No thread may outlive its test."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from digitpad.gui.app_state import AppState
from digitpad.gui.train_tab import TrainTab
from tests.gui.conftest import plotted_curves
from tests.gui.test_train_tab import click, column_texts, configure

TIMEOUT_MS = 180_000
TUNING_PAGE = 4


@pytest.fixture
def tab(train_tab: TrainTab) -> TrainTab:
    return train_tab   # tests/gui/conftest.py: shown, and every job joined afterwards


def test_a_two_trial_search_by_clicks_fills_the_table_and_saves_the_best(
    qtbot: QtBot, tab: TrainTab, digits_npz: Path, ready_state: AppState
) -> None:
    configure(tab, digits_npz, epochs=1)
    click(qtbot, tab.tune_button)
    assert tab.pages.currentIndex() == TUNING_PAGE and tab.pages.tabText(TUNING_PAGE) == "Tuning"
    view = tab.tuning_view
    view.trials_spin.setValue(2)
    view.epochs_spin.setValue(2)
    view.vary_optimizer.setChecked(True)
    view.optimizers_edit.setText("adam, sgd")
    before = {entry.name for entry in ready_state.library.entries()}

    with qtbot.waitSignal(tab.tuning_task.finished, timeout=TIMEOUT_MS):
        click(qtbot, view.start_button)
        assert not view.start_button.isEnabled() and view.stop_button.isEnabled()
        assert not tab.train_button.isEnabled() and not tab.tune_button.isEnabled() and not tab.form.isEnabled()
        qtbot.waitUntil(lambda: view.table.rowCount() >= 1, timeout=TIMEOUT_MS)  # live, before the end

    assert column_texts(view.table, 0) == ["1", "2"]
    assert all("learning_rate" in text and "optimizer" in text for text in column_texts(view.table, 1))
    accuracies = [float(text.rstrip(" %")) for text in column_texts(view.table, 2)]
    statuses = column_texts(view.table, 5)
    assert sorted(statuses) == ["best", "finished"]
    assert statuses.index("best") == accuracies.index(max(accuracies))
    assert plotted_curves(tab.tuning_view.curves) == 2 * 2  # validation and training curve per trial, none selected: all shown
    view.table.selectRow(0)
    assert plotted_curves(tab.tuning_view.curves) == 2
    # Sorted by validation accuracy (what a header click does), by the number, not the text.
    view.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert float(column_texts(view.table, 2)[0].rstrip(" %")) == max(accuracies)

    added = {entry.name for entry in ready_state.library.entries()} - before
    assert len(added) == 1 and next(iter(added)).startswith("tuned mlp")
    assert "saved to the library as" in view.status_label.text() and next(iter(added)) in view.status_label.text()
    assert view.start_button.isEnabled() and not view.stop_button.isEnabled() and tab.train_button.isEnabled()


def test_stop_keeps_the_finished_trials(qtbot: QtBot, tab: TrainTab, digits_npz: Path) -> None:
    configure(tab, digits_npz, epochs=1)
    click(qtbot, tab.tune_button)
    view = tab.tuning_view
    view.trials_spin.setValue(5)
    view.epochs_spin.setValue(3)
    with qtbot.waitSignal(tab.tuning_task.finished, timeout=TIMEOUT_MS):
        click(qtbot, view.start_button)
        qtbot.waitUntil(lambda: view.table.rowCount() >= 1, timeout=TIMEOUT_MS)
        click(qtbot, view.stop_button)
        assert not view.stop_button.isEnabled()
        assert "finished ones are kept" in tab.progress.label.text()

    kept = view.table.rowCount()
    assert 1 <= kept < 5
    assert "(stopped)" in view.status_label.text()
    assert "best" in column_texts(view.table, 5)
    assert view.start_button.isEnabled()
