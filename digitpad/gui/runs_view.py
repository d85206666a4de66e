"""Every recorded training run in one sortable table, the ticked runs' curves overlaid below it,
as TensorBoard's scalar dashboard compares runs.

The run log is a folder of files, so reading and deleting happen on a worker, one job at a time:
what is asked for meanwhile waits and is merged (refreshes into one, deletions into one, which
also lists), so a refresh never drops a deletion and no stale listing is shown. Ticks follow the
runs by id across refreshes, and a run that appears in a refresh (one just trained) is ticked, so
it shows at once beside the runs chosen before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.errors import DigitpadError
from digitpad.core.formatting import MISSING
from digitpad.core.run_log import FINE_TUNE, RecordedRun, RunLog
from digitpad.gui import style
from digitpad.gui.i18n import QT_TRANSLATE_NOOP, format_count, format_duration, format_percent
from digitpad.gui.model_details import EmptyState
from digitpad.gui.model_table import SORT_ROLE, format_date
from digitpad.gui.training_curves import TrainingCurves
from digitpad.gui.widgets import fit_columns, muted_label, named
from digitpad.gui.workers import BackgroundTask

COLUMNS = (QT_TRANSLATE_NOOP("RunsView", "Date"), QT_TRANSLATE_NOOP("RunsView", "Model"), QT_TRANSLATE_NOOP("RunsView", "Data"), QT_TRANSLATE_NOOP("RunsView", "Epochs"), QT_TRANSLATE_NOOP("RunsView", "Test accuracy"), QT_TRANSLATE_NOOP("RunsView", "Duration"), QT_TRANSLATE_NOOP("RunsView", "Origin"))
DATE, MODEL, DATA, EPOCHS, ACCURACY, DURATION, ORIGIN = range(len(COLUMNS))
_NUMERIC = (EPOCHS, ACCURACY, DURATION)
ORIGIN_NAMES = {"window": QT_TRANSLATE_NOOP("RunsView", "Window"), "cli": QT_TRANSLATE_NOOP("RunsView", "Command line")}

EMPTY_TITLE = QT_TRANSLATE_NOOP("RunsView", "No runs recorded yet")
EMPTY_TEXT = (
    QT_TRANSLATE_NOOP("RunsView", "Every model trained or fine-tuned here or with “digitpad train” is recorded: its settings, its "
    "data, its curves and its test result. Tick runs to overlay their curves and compare them.")
)
READING_TEXT = QT_TRANSLATE_NOOP("RunsView", "Reading the recorded runs…")

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


@dataclass(frozen=True)
class RunListing:
    """What a worker job read: the runs, newest first, and what went wrong deleting, if anything."""

    runs: list[RecordedRun]
    problem: str | None = None


def list_runs(run_log: RunLog, _progress: Callable[[object], None], _stop: threading.Event) -> RunListing:
    return RunListing(run_log.runs())


def delete_then_list(
    run_log: RunLog, run_ids: list[str], _progress: Callable[[object], None], _stop: threading.Event
) -> RunListing:
    """Delete, then list whatever is left: after a failure the table shows what is really there."""
    try:
        run_log.delete(run_ids)
    except DigitpadError as error:
        return RunListing(run_log.runs(), str(error))
    return RunListing(run_log.runs())


def run_title(run: RecordedRun) -> str:
    """The model a run made, or its architecture while nothing was saved."""
    return run.model_name or QCoreApplication.translate("RunsView", "{architecture} (not saved)").format(architecture=run.architecture)


def legend_names(runs: Iterable[RecordedRun]) -> list[str]:
    """One distinct legend name per run, "title · date", numbered when two would read the same."""
    names: list[str] = []
    for run in runs:
        base = f"{run.model_name or run.architecture} · {format_date(run.created_at.astimezone())}"
        name, copy = base, 2
        while name in names:
            name, copy = f"{base} ({copy})", copy + 1
        names.append(name)
    return names


class RunTableModel(QAbstractTableModel):
    """The runs as rows, a tick box in the date column; `SORT_ROLE` gives raw values for sorting."""

    checkedChanged = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._runs: list[RecordedRun] = []
        self._checked: set[str] = set()
        self._colors: dict[str, str] = {}

    def set_runs(self, runs: list[RecordedRun]) -> None:
        """New rows; ticks stay on runs still there, the newest is ticked on the first listing that
        has runs, and any run new since the last listing is ticked too."""
        known = {run.id for run in self._runs}
        present = {run.id for run in runs}
        fresh = present - known if self._runs else {run.id for run in runs[:1]}
        self.beginResetModel()
        self._runs = list(runs)
        self._checked = (self._checked & present) | fresh
        self.endResetModel()
        self.checkedChanged.emit()

    def runs(self) -> list[RecordedRun]:
        return list(self._runs)

    def checked_runs(self) -> list[RecordedRun]:
        """Newest first, as the run log lists them, whatever the table's sort order."""
        return [run for run in self._runs if run.id in self._checked]

    def set_checked(self, run_ids: Iterable[str]) -> None:
        self._checked = set(run_ids) & {run.id for run in self._runs}
        self._changed_all()
        self.checkedChanged.emit()

    def set_colors(self, colors: dict[str, str]) -> None:
        """Each overlaid run's curve colour, shown beside its name so rows and curves match."""
        self._colors = dict(colors)
        self._changed_all()

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._runs)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate("RunsView", COLUMNS[section])
            if role == Qt.ItemDataRole.TextAlignmentRole and section in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == DATE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        run = self._runs[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(run, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == DATE:
            return Qt.CheckState.Checked if run.id in self._checked else Qt.CheckState.Unchecked
        if role == SORT_ROLE:
            return self._sort_key(run, column)
        if role == Qt.ItemDataRole.DecorationRole and column == MODEL and run.id in self._colors:
            return QColor(self._colors[run.id])
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == MODEL and run.model_name is None:
            return QColor(style.MUTED)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(run)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != DATE or not index.isValid():
            return False
        run_id = self._runs[index.row()].id
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._checked.add(run_id)
        else:
            self._checked.discard(run_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checkedChanged.emit()
        return True

    def _changed_all(self) -> None:
        if self._runs:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._runs) - 1, len(COLUMNS) - 1))

    @staticmethod
    def _display(run: RecordedRun, column: int) -> str:
        if column == DATE:
            return format_date(run.created_at.astimezone())
        if column == MODEL:
            return run_title(run)
        if column == DATA:
            return run.dataset
        if column == EPOCHS:
            planned = run.epochs_planned
            done = format_count(run.epochs_completed)
            text = QCoreApplication.translate("RunsView", "{done} of {planned}").format(
                done=done, planned=format_count(planned)) if planned else done
            return QCoreApplication.translate("RunsView", "{epochs} · stopped").format(epochs=text) \
                if run.stopped_by_user else text
        if column == ACCURACY:
            return format_percent(run.test_accuracy)
        if column == DURATION:
            return format_duration(run.duration_s)
        origin = QCoreApplication.translate("RunsView", ORIGIN_NAMES[run.origin]) if run.origin in ORIGIN_NAMES else run.origin
        return QCoreApplication.translate("RunsView", "{origin} · fine-tune").format(origin=origin) \
            if run.kind == FINE_TUNE else origin

    @staticmethod
    def _sort_key(run: RecordedRun, column: int) -> Any:
        if column == DATE:
            return run.created_at.timestamp()
        if column == EPOCHS:
            return run.epochs_completed
        if column == ACCURACY:
            return -1.0 if run.test_accuracy is None else run.test_accuracy
        if column == DURATION:
            return run.duration_s
        return RunTableModel._display(run, column).casefold()

    @staticmethod
    def _tooltip(run: RecordedRun) -> str:
        settings = run.settings
        lines = [
            QCoreApplication.translate("RunTableModel", "Tested on {value}: accuracy {test_accuracy}").format(value=run.test_label or MISSING, test_accuracy=format_percent(run.test_accuracy)),
            QCoreApplication.translate("RunTableModel", "{value}, learning rate {value2}, batch size {value3}").format(value=settings.get('optimizer', MISSING), value2=settings.get('learning_rate', MISSING), value3=settings.get('batch_size', MISSING)),
        ]
        if run.parent:
            lines.append(QCoreApplication.translate("RunTableModel", "Fine-tuned from {parent}").format(parent=run.parent))
        lines.append(QCoreApplication.translate("RunTableModel", "Model: {model_path}").format(model_path=run.model_path) if run.model_path else QCoreApplication.translate("RunTableModel", "The model was not saved."))
        if run.tensorboard_dir:
            lines.append(QCoreApplication.translate("RunTableModel", "TensorBoard logs: {tensorboard_dir}").format(tensorboard_dir=run.tensorboard_dir))
        return "\n".join(lines)


class RunsView(QWidget):
    """The table of recorded runs, the ticked runs' curves overlaid, and Delete.

    Call `refresh()` when the runs may have changed (the view was shown, a run was recorded)
    and `shutdown()` before the window closes.
    """

    def __init__(self, run_log: RunLog | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_log = run_log if run_log is not None else RunLog()
        self._task = BackgroundTask(self)
        self._task.succeeded.connect(self._on_listed)
        self._task.failed.connect(self._on_failed)
        self._task.finished.connect(self._on_task_finished)
        self._refresh_wanted = False
        self._to_delete: list[str] = []
        self._closed = False

        self.table_model = RunTableModel(self)
        self.table_model.checkedChanged.connect(self._on_checked_changed)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setSourceModel(self.table_model)
        self.table = named(QTableView(), "runsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setMinimumHeight(120)
        header = self.table.horizontalHeader()
        fit_columns(header, MODEL)
        header.setHighlightSections(False)

        self.delete_button = named(QPushButton(self.tr("Delete ticked…")), "deleteRunsButton")
        self.delete_button.setToolTip(self.tr("Forget the ticked runs; their models and TensorBoard logs stay"))
        self.delete_button.clicked.connect(self.delete_checked)
        self.summary = named(muted_label(""), "runsSummary")
        self.summary.linkActivated.connect(self._on_folder_link)
        self.problem = named(QLabel(), "runsProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {style.ERROR_TEXT};")
        self.problem.hide()
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.summary, 1)
        toolbar.addWidget(self.delete_button)

        self.curves = named(TrainingCurves(), "runsCurves")
        self.curves_note = named(muted_label(""), "runsCurvesNote")
        self.curves_note.hide()
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.curves, 1)
        lower_layout.addWidget(self.curves_note)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addLayout(toolbar)
        content_layout.addWidget(self.problem)
        content_layout.addWidget(splitter, 1)
        self.empty = named(EmptyState(QCoreApplication.translate("RunsView", EMPTY_TITLE), QCoreApplication.translate("RunsView", READING_TEXT)), "runsEmpty")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.delete_button.setEnabled(False)

    def showEvent(self, event: QShowEvent) -> None:
        """Runs recorded elsewhere meanwhile (a fine-tune, the command line) appear when shown."""
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Read the run log again on the worker; the table and curves follow when it is read."""
        self._refresh_wanted = True
        self._start_next()

    def is_busy(self) -> bool:
        """The runs are being read or deleted, or are about to be; tests wait for this to end."""
        return self._task.is_running() or self._refresh_wanted or bool(self._to_delete)

    def shutdown(self) -> None:
        """Drop waiting jobs, stop and join the running one; called when the window closes."""
        self._closed = True
        self._refresh_wanted, self._to_delete = False, []
        self._task.stop_and_wait()

    def _start_next(self) -> None:
        if self._closed or self._task.is_running():
            return
        if self._to_delete:
            run_ids, self._to_delete = self._to_delete, []
            self._refresh_wanted = False  # the deletion lists the runs afterwards
            self._task.start(partial(delete_then_list, self.run_log, run_ids))
        elif self._refresh_wanted:
            self._refresh_wanted = False
            self._task.start(partial(list_runs, self.run_log))

    @Slot()
    def delete_checked(self) -> None:
        runs = self.table_model.checked_runs()
        if not runs:
            return
        names = "\n".join(f"• {name}" for name in legend_names(runs))
        question = (
            (self.tr("Forget this run?\n\n{names}").format(names=names) if len(runs) == 1 else self.tr("Forget these {runs} runs?\n\n{names}").format(runs=len(runs), names=names))
            + self.tr("\n\nTheir curves and settings are removed from the run log; the models they made and "
            "their TensorBoard logs stay.")
        )
        answer = QMessageBox.question(
            self,
            self.tr("Delete run") if len(runs) == 1 else self.tr("Delete runs"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._to_delete.extend(run.id for run in runs)
            self._start_next()

    @Slot(object)
    def _on_listed(self, listing: RunListing) -> None:
        if self._closed or self._refresh_wanted or self._to_delete:
            return  # a newer listing follows
        self.table_model.set_runs(listing.runs)
        self._show_problem(listing.problem)
        self.empty.text.setText(QCoreApplication.translate("RunsView", EMPTY_TEXT))
        self.pages.setCurrentIndex(1 if listing.runs else 0)
        self._update_summary()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._show_problem(message)
        self.empty.text.setText(message)

    @Slot()
    def _on_task_finished(self) -> None:
        self._start_next()

    @Slot()
    def _on_checked_changed(self) -> None:
        """Overlay the ticked runs that have per-epoch curves; name those that have none."""
        checked = self.table_model.checked_runs()
        with_curves = [run for run in checked if any(run.history.values())]
        names = legend_names(with_curves)
        self.curves.overlay({name: run.history for name, run in zip(names, with_curves, strict=True)})
        # TrainingCurves.overlay colours its n-th model with the n-th series colour.
        self.table_model.set_colors(
            {run.id: style.SERIES[i % len(style.SERIES)] for i, run in enumerate(with_curves)}
        )
        without = [run_title(run) for run in checked if not any(run.history.values())]
        self.curves_note.setText(
            self.tr("No per-epoch curves (stopped before its first epoch ended): {without}.").format(without=', '.join(without)) if without else ""
        )
        self.curves_note.setVisible(bool(without))
        self._update_summary()
        self.delete_button.setEnabled(bool(checked))

    @Slot(str)
    def _on_folder_link(self, url: str) -> None:
        QDesktopServices.openUrl(QUrl(url))

    def _show_problem(self, message: str | None) -> None:
        self.problem.setText(f"⚠ {message}" if message else "")
        self.problem.setVisible(bool(message))

    def _update_summary(self) -> None:
        total = len(self.table_model.runs())
        ticked = len(self.table_model.checked_runs())
        root = self.run_log.root
        link = f'<a href="{QUrl.fromLocalFile(str(root)).toString()}">{root}</a>'
        noun = self.tr("run") if total == 1 else self.tr("runs")
        self.summary.setText(self.tr("{total} {noun} recorded in {link} · {ticked} ticked to overlay").format(total=format_count(total), noun=noun, link=link, ticked=ticked))
