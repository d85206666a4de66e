"""The runs view with real clicks: recorded runs listed and sorted, ticked runs' curves overlaid,
new runs ticked on refresh, Delete asks first and deletes on the worker, the empty state."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QStyle, QStyleOptionViewItem, QTableView
from pytestqt.qtbot import QtBot

from digitpad.core.errors import StorageError
from digitpad.core.run_log import RecordedRun, RunLog
from digitpad.gui import style
from digitpad.gui.runs_view import (
    ACCURACY,
    COLUMNS,
    DATE,
    EMPTY_TEXT,
    EPOCHS,
    MODEL,
    RunsView,
    legend_names,
)
from tests.core.test_run_log import fake_trained

HISTORIES = [
    {"loss": [1.5, 0.9], "accuracy": [0.5, 0.7], "val_loss": [1.2, 0.8], "val_accuracy": [0.6, 0.75]},
    {"loss": [1.1, 0.6, 0.4], "accuracy": [0.6, 0.8, 0.9], "val_loss": [0.9, 0.5, 0.45],
     "val_accuracy": [0.7, 0.85, 0.88]},
    {"loss": [2.0], "accuracy": [0.3], "val_loss": [1.9], "val_accuracy": [0.35]},
]


def record(log: RunLog, history: dict[str, list[float]], *, accuracy: float, name: str,
           saved: bool = True) -> RecordedRun:
    """A run as `RunLog.record` writes it, with its own curves and test accuracy."""
    trained = fake_trained(history=history, name=name)
    trained = replace(trained, evaluation=replace(trained.evaluation, accuracy=accuracy),
                      run=replace(trained.run, epochs_completed=len(history["loss"])))
    return log.record(trained, origin="window", model_path=Path(f"/models/{name}.keras") if saved else None)


@pytest.fixture
def log(tmp_path: Path) -> RunLog:
    return RunLog(tmp_path / "runs")


@pytest.fixture
def recorded(log: RunLog) -> list[RecordedRun]:
    """Three runs, oldest first: accuracies 0.90, 0.97, 0.80."""
    return [
        record(log, HISTORIES[0], accuracy=0.90, name="first"),
        record(log, HISTORIES[1], accuracy=0.97, name="second"),
        record(log, HISTORIES[2], accuracy=0.80, name="third", saved=False),
    ]


@pytest.fixture
def view(qtbot: QtBot, log: RunLog) -> Iterator[RunsView]:
    widget = RunsView(log)
    qtbot.addWidget(widget)
    widget.resize(1000, 650)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def refreshed(view: RunsView, qtbot: QtBot) -> RunsView:
    view.refresh()
    qtbot.waitUntil(lambda: not view.is_busy())
    return view


def shown_ids(view: RunsView) -> list[str]:
    """Run ids in the table's (sorted) order."""
    return [
        view.table_model.runs()[view.proxy.mapToSource(view.proxy.index(row, 0)).row()].id
        for row in range(view.proxy.rowCount())
    ]


def overlaid(view: RunsView) -> dict[str, np.ndarray]:
    """Legend name -> validation loss values of every curve the loss plot shows."""
    legend = view.curves.loss_plot.getPlotItem().legend
    return {label.text: np.asarray(sample.item.yData) for sample, label in legend.items}


def click_check_box(view: RunsView, qtbot: QtBot, run_id: str) -> None:
    """A real click on the tick box of the run's row, wherever the table sorted it.

    Pending layout is done first: on a loaded machine the table may not have laid out its rows
    since the last listing, and a box computed from stale geometry lands on the wrong row."""
    table: QTableView = view.table
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    ticked_before = is_checked(view, run_id)
    row = shown_ids(view).index(run_id)
    index = view.proxy.index(row, DATE)
    table.scrollTo(index)
    option = QStyleOptionViewItem()
    option.initFrom(table.viewport())
    option.rect = table.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    box = table.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, table)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=box.center())
    assert is_checked(view, run_id) != ticked_before, "the click must toggle this run's box"


def is_checked(view: RunsView, run_id: str) -> bool:
    return run_id in {run.id for run in view.table_model.checked_runs()}


def test_no_runs_shows_what_the_view_is_for(view: RunsView, qtbot: QtBot) -> None:
    refreshed(view, qtbot)
    assert view.pages.currentWidget() is view.empty
    assert view.empty.text.text() == EMPTY_TEXT
    assert view.table_model.rowCount() == 0


def test_recorded_runs_are_listed_newest_first_with_their_figures(
    view: RunsView, qtbot: QtBot, recorded: list[RecordedRun]
) -> None:
    refreshed(view, qtbot)
    assert view.pages.currentIndex() == 1
    assert shown_ids(view) == [run.id for run in reversed(recorded)]
    assert [view.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))] == list(COLUMNS)
    top = [view.proxy.index(0, column).data() for column in range(len(COLUMNS))]
    assert top[1:] == ["mlp (not saved)", "digits", "1 of 3", "80.00 %", "12.5 s", "Window"]
    second = [view.proxy.index(1, column).data() for column in range(len(COLUMNS))]
    assert second[MODEL] == "second" and second[EPOCHS] == "3 of 3"
    assert "digits test, 20" in view.proxy.index(1, ACCURACY).data(Qt.ItemDataRole.ToolTipRole)
    assert "3 runs recorded in" in view.summary.text()


def test_clicking_a_header_sorts_numerically(view: RunsView, qtbot: QtBot, recorded: list[RecordedRun]) -> None:
    refreshed(view, qtbot)
    header = view.table.horizontalHeader()
    pos = QPoint(header.sectionViewportPosition(ACCURACY) + header.sectionSize(ACCURACY) // 2, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    first_order = shown_ids(view)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    by_accuracy = [recorded[2].id, recorded[0].id, recorded[1].id]  # 80, 90, 97 %
    assert {tuple(first_order), tuple(shown_ids(view))} == {tuple(by_accuracy), tuple(reversed(by_accuracy))}


def test_ticked_runs_are_overlaid_and_unticked_ones_leave(
    view: RunsView, qtbot: QtBot, recorded: list[RecordedRun]
) -> None:
    refreshed(view, qtbot)
    first, second, newest = recorded
    # The first listing ticks the newest run, so the view never opens on empty plots.
    assert [run.id for run in view.table_model.checked_runs()] == [newest.id]
    assert {name: values.tolist() for name, values in overlaid(view).items()} == {legend_names([newest])[0]: [1.9]}

    click_check_box(view, qtbot, first.id)
    click_check_box(view, qtbot, second.id)
    assert is_checked(view, first.id) and is_checked(view, second.id)
    curves = overlaid(view)
    names = legend_names([newest, second, first])
    assert list(curves) == names
    assert curves[names[1]].tolist() == HISTORIES[1]["val_loss"]
    assert curves[names[2]].tolist() == HISTORIES[0]["val_loss"]
    # Each ticked row wears its curve's colour.
    colours = [view.table_model.index(row, MODEL).data(Qt.ItemDataRole.DecorationRole) for row in range(3)]
    assert [c.name() if c is not None else None for c in colours] == list(style.SERIES[:3])

    click_check_box(view, qtbot, newest.id)
    assert not is_checked(view, newest.id)
    assert list(overlaid(view)) == legend_names([second, first])
    assert "2 ticked" in view.summary.text()


def test_a_run_without_epochs_is_named_below_the_curves(view: RunsView, qtbot: QtBot, log: RunLog) -> None:
    stopped = record(log, {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}, accuracy=0.4,
                     name="stopped early")
    refreshed(view, qtbot)
    assert is_checked(view, stopped.id)
    assert overlaid(view) == {}
    assert view.curves_note.isVisible() and "stopped early" in view.curves_note.text()


def test_a_new_run_is_ticked_when_it_appears_and_earlier_ticks_stay(
    view: RunsView, qtbot: QtBot, log: RunLog, recorded: list[RecordedRun]
) -> None:
    refreshed(view, qtbot)
    click_check_box(view, qtbot, recorded[0].id)
    newer = record(log, HISTORIES[1], accuracy=0.99, name="newer")
    refreshed(view, qtbot)
    assert [run.id for run in view.table_model.checked_runs()] == [newer.id, recorded[2].id, recorded[0].id]
    assert len(overlaid(view)) == 3


def test_delete_asks_first_then_deletes_the_ticked_runs_on_the_worker(
    view: RunsView, qtbot: QtBot, log: RunLog, recorded: list[RecordedRun], monkeypatch: pytest.MonkeyPatch
) -> None:
    refreshed(view, qtbot)
    click_check_box(view, qtbot, recorded[0].id)  # ticked: the newest and the first
    questions: list[str] = []
    answer = QMessageBox.StandardButton.No

    def ask(parent, title, text, *rest) -> QMessageBox.StandardButton:
        questions.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", ask)
    qtbot.mouseClick(view.delete_button, Qt.MouseButton.LeftButton)
    assert len(questions) == 1 and "these 2 runs" in questions[0] and "models they made" in questions[0]
    qtbot.waitUntil(lambda: not view.is_busy())
    assert len(log.runs()) == 3

    threads: list[threading.Thread] = []
    original = RunLog.delete

    def deleting(self: RunLog, run_ids) -> None:
        threads.append(threading.current_thread())
        original(self, run_ids)

    monkeypatch.setattr(RunLog, "delete", deleting)
    answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(view.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.is_busy())
    assert threads and threads[0] is not threading.main_thread()
    assert [run.id for run in log.runs()] == [recorded[1].id]
    assert shown_ids(view) == [recorded[1].id]
    assert overlaid(view) == {} and not view.delete_button.isEnabled()


def test_a_refresh_asked_for_during_a_deletion_does_not_drop_it(
    view: RunsView, qtbot: QtBot, log: RunLog, recorded: list[RecordedRun], monkeypatch: pytest.MonkeyPatch
) -> None:
    refreshed(view, qtbot)
    release = threading.Event()
    original = RunLog.runs

    def slow_runs(self: RunLog) -> list[RecordedRun]:
        release.wait(5)
        return original(self)

    monkeypatch.setattr(RunLog, "runs", slow_runs)
    view.refresh()  # busy listing
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(view.delete_button, Qt.MouseButton.LeftButton)  # waits behind the listing
    view.refresh()
    release.set()
    qtbot.waitUntil(lambda: not view.is_busy())
    assert [run.id for run in original(log)] == [recorded[1].id, recorded[0].id]
    assert shown_ids(view) == [recorded[1].id, recorded[0].id]


def test_runs_are_read_on_the_worker_and_a_failure_is_shown(
    view: RunsView, qtbot: QtBot, recorded: list[RecordedRun], monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    original = RunLog.runs

    def reading(self: RunLog) -> list[RecordedRun]:
        threads.append(threading.current_thread())
        return original(self)

    monkeypatch.setattr(RunLog, "runs", reading)
    refreshed(view, qtbot)
    assert threads and all(thread is not threading.main_thread() for thread in threads)

    def broken(self: RunLog) -> list[RecordedRun]:
        raise StorageError("Cannot list the recorded runs in /nowhere: Permission denied.")

    monkeypatch.setattr(RunLog, "runs", broken)
    refreshed(view, qtbot)
    assert view.problem.isVisible() and "Permission denied" in view.problem.text()
    assert view.table_model.rowCount() == 3  # what was shown stays


def test_shutdown_during_a_listing_joins_the_worker(qtbot: QtBot, log: RunLog, recorded: list[RecordedRun]) -> None:
    widget = RunsView(log)
    qtbot.addWidget(widget)
    widget.refresh()
    widget.shutdown()
    assert not widget.is_busy()
    assert widget.table_model.rowCount() == 0  # nothing delivered after shutdown
