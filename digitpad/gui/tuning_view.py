"""Hyperparameter search in the Train tab: the worker's job and the "Tuning" page.

The job is the core's `tuning_job` (`digitpad.core.tuning`, KerasTuner), run in the engine
process through a `BackgroundTask`, with the form's recipe as the base and the page's choices as
the search space. The trial under way shows on the Training page's progress card and curves, as
a training does; each finished trial lands
at once in the page's table (sortable; the best row marked) and selecting rows overlays their
validation curves. A Stop drops the trial under way and keeps the finished ones; the best of
them is saved to the library all the same.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidgetItem,
    QWidget,
)

from digitpad.core.errors import DigitpadError
from digitpad.core.training import OPTIMIZERS
from digitpad.core.tuning import ALGORITHMS, SearchSpace, TrialResult, TuningResult
from digitpad.gui.i18n import QT_TRANSLATE_NOOP, decimal, decimal_sign, format_duration, format_percent
from digitpad.gui.training_curves import TrainingCurves
from digitpad.gui.training_form import LogSpinBox
from digitpad.gui.widgets import card, cell, fit_columns, muted_label, named, read_only_table

TRIAL_COLUMNS = (
    QT_TRANSLATE_NOOP("TuningView", "Trial"), QT_TRANSLATE_NOOP("TuningView", "Hyperparameters"),
    QT_TRANSLATE_NOOP("TuningView", "Val accuracy"), QT_TRANSLATE_NOOP("TuningView", "Val loss"),
    QT_TRANSLATE_NOOP("TuningView", "Time"), QT_TRANSLATE_NOOP("TuningView", "Status"),
)
ALGORITHM_NAMES = {
    "random": QT_TRANSLATE_NOOP("TuningView", "Random search"),
    "grid": QT_TRANSLATE_NOOP("TuningView", "Grid search"),
    "hyperband": QT_TRANSLATE_NOOP("TuningView", "Hyperband"),
}
_TRIAL, _VALUES, _ACCURACY, _LOSS, _TIME, _STATUS = range(6)
SETTINGS_WIDTH = 320  # px: the search's settings, the rest of the page for trials and curves
_SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class _SortItem(QTableWidgetItem):
    """A cell that sorts by its number, not by its text ("9.5 %" after "10.2 %")."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(_SORT_ROLE), other.data(_SORT_ROLE)
        if isinstance(mine, int | float) and isinstance(theirs, int | float):
            return mine < theirs
        return super().__lt__(other)


def _sort_cell(text: str, value: float | None) -> QTableWidgetItem:
    item = _SortItem(text)
    item.setData(_SORT_ROLE, -1.0 if value is None else float(value))
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def values_text(hyperparameters: dict[str, Any]) -> str:
    """"learning_rate 0.0021, optimizer adam": one trial's values in one cell."""
    return ", ".join(f"{key} {decimal_sign(f'{value:.2g}')}" if isinstance(value, float) else f"{key} {value}"
                     for key, value in hyperparameters.items())


class TuningView(QWidget):
    """The "Tuning" page: the search's settings and Start/Stop, the trials as they finish, and
    the curves of the rows selected."""

    startRequested = Signal()
    stopRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tuningView")
        self._histories: dict[int, dict[str, list[float]]] = {}
        self._best: int | None = None

        settings = self._build_settings()
        trials, trials_layout = card(self.tr("Trials"))
        self.status_label = named(QLabel(self.tr("Choose what varies, then start: each trial trains the form's "
                                                 "network with one set of values.")), "tuningStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = named(read_only_table([QCoreApplication.translate("TuningView", text) for text in TRIAL_COLUMNS]),
                           "tuningTable")
        header = self.table.horizontalHeader()
        fit_columns(header, _VALUES)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # rows to compare
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(_TRIAL, Qt.SortOrder.AscendingOrder)  # in order of trial until a header is clicked
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        trials_layout.addWidget(self.status_label)
        trials_layout.addWidget(self.table, 1)

        curves, curves_layout = card(self.tr("Curves of the selected trials: validation solid, training dashed"))
        self.curves = TrainingCurves()
        curves_layout.addWidget(self.curves)

        # The table over the curves, both as wide as the page: six columns of figures need the
        # width more than the curves do, and the curves read well short and wide.
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(trials)
        split.addWidget(curves)
        split.setSizes([300, 340])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(settings, 0)
        layout.addWidget(split, 1)

    def _build_settings(self) -> QWidget:
        frame, outer = card(self.tr("Search"))
        frame.setFixedWidth(SETTINGS_WIDTH)
        grid = QGridLayout()
        self.algorithm_combo = named(QComboBox(), "tuningAlgorithm")
        for algorithm in ALGORITHMS:
            self.algorithm_combo.addItem(QCoreApplication.translate("TuningView", ALGORITHM_NAMES[algorithm]),
                                         algorithm)
        self.algorithm_combo.setToolTip(self.tr("Random tries values at random; grid tries every combination "
                                                "(ranges need steps); Hyperband trains many trials briefly and "
                                                "continues the best."))
        self.trials_spin = named(QSpinBox(), "tuningTrials")
        self.trials_spin.setRange(1, 200)
        self.trials_spin.setValue(10)
        self.epochs_spin = named(QSpinBox(), "tuningEpochs")
        self.epochs_spin.setRange(1, 200)
        self.epochs_spin.setValue(3)
        self.epochs_spin.setToolTip(self.tr("Epochs each trial trains (Hyperband: the most any trial trains)."))
        rows: list[tuple[str, QWidget]] = [(self.tr("Algorithm"), self.algorithm_combo),
                                           (self.tr("At most"), self.trials_spin),
                                           (self.tr("Epochs per trial"), self.epochs_spin)]
        self.trials_spin.setSuffix(self.tr(" trials"))

        self.vary_rate = named(QCheckBox(self.tr("Learning rate")), "varyLearningRate")
        self.vary_rate.setChecked(True)
        self.rate_low, self.rate_high = self._rate_box(1e-4), self._rate_box(1e-2)
        self.vary_dropout = named(QCheckBox(self.tr("Dropout")), "varyDropout")
        self.dropout_low, self.dropout_high, self.dropout_step = (self._fraction_box(v) for v in (0.0, 0.5, 0.1))
        self.vary_batch_norm = named(QCheckBox(self.tr("Batch normalization on and off")), "varyBatchNorm")
        self.vary_optimizer = named(QCheckBox(self.tr("Optimizer")), "varyOptimizer")
        self.optimizers_edit = named(QLineEdit(", ".join(OPTIMIZERS)), "optimizersEdit")
        self.vary_batch_size = named(QCheckBox(self.tr("Batch size")), "varyBatchSize")
        self.batch_sizes_edit = named(QLineEdit("32, 64, 128"), "batchSizesEdit")
        self.rate_low.setToolTip(self.tr("Sampled on a log scale between the two rates; grid search steps by 10."))

        form = QFormLayout()   # its label column takes the longest label, in any language
        for label, widget in rows:
            form.addRow(label, widget)
        outer.addLayout(form)
        # What varies: each check box on its own line, its range under it, so no label is cut.
        row = 0
        grid.addWidget(self.vary_rate, row, 0, 1, 5)
        grid.addWidget(QLabel(self.tr("from")), row + 1, 1)
        grid.addWidget(self.rate_low, row + 1, 2)
        grid.addWidget(QLabel(self.tr("to")), row + 1, 3)
        grid.addWidget(self.rate_high, row + 1, 4)
        grid.addWidget(self.vary_dropout, row + 2, 0, 1, 5)
        grid.addWidget(QLabel(self.tr("from")), row + 3, 1)
        grid.addWidget(self.dropout_low, row + 3, 2)
        grid.addWidget(QLabel(self.tr("to")), row + 3, 3)
        grid.addWidget(self.dropout_high, row + 3, 4)
        grid.addWidget(QLabel(self.tr("step")), row + 4, 3)
        grid.addWidget(self.dropout_step, row + 4, 4)
        grid.addWidget(self.vary_batch_norm, row + 5, 0, 1, 5)
        grid.addWidget(self.vary_optimizer, row + 6, 0, 1, 5)
        grid.addWidget(self.optimizers_edit, row + 7, 2, 1, 3)
        grid.addWidget(self.vary_batch_size, row + 8, 0, 1, 5)
        grid.addWidget(self.batch_sizes_edit, row + 9, 2, 1, 3)
        grid.setColumnMinimumWidth(0, 16)   # the indent of a range under its check box
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(4, 1)
        outer.addLayout(grid)
        outer.addWidget(muted_label(self.tr("The other settings come from the form. Trials are compared on its "
                                            "validation split; the best is tested on the test images and saved "
                                            "to your library.")))
        self.start_button = named(QPushButton(self.tr("Start search")), "tuningStartButton")
        self.start_button.setProperty("primary", True)
        self.start_button.clicked.connect(self.startRequested)
        self.stop_button = named(QPushButton(self.tr("Stop")), "tuningStopButton")
        self.stop_button.setToolTip(self.tr("Stop now: the trial under way is dropped, the finished ones are kept "
                                            "and the best of them saved."))
        self.stop_button.clicked.connect(self.stopRequested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button, 2)
        buttons.addWidget(self.stop_button, 1)
        outer.addStretch(1)
        outer.addLayout(buttons)
        return frame

    @staticmethod
    def _rate_box(value: float) -> LogSpinBox:
        box = LogSpinBox()   # the form's: 1, 2, 5 steps and "1e-4" typed, as rates are thought of
        box.setValue(value)
        return box

    @staticmethod
    def _fraction_box(value: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setDecimals(2)
        box.setRange(0.0, 0.95)
        box.setSingleStep(0.05)
        box.setValue(value)
        return box

    # ------------------------------------------------------------------ reading the choices

    def algorithm(self) -> str:
        return str(self.algorithm_combo.currentData())

    def search_space(self) -> SearchSpace:
        """The page's choices (DigitpadError with one sentence when they do not make a space)."""
        grid = self.algorithm() == "grid"
        try:
            optimizers = tuple(name.strip() for name in self.optimizers_edit.text().split(",") if name.strip())
            sizes = tuple(int(size) for size in self.batch_sizes_edit.text().split(",") if size.strip())
        except ValueError:
            raise DigitpadError(self.tr("Batch sizes are whole numbers separated by commas, such as 32, 64, 128.")) \
                from None
        space = SearchSpace(
            learning_rate=(self.rate_low.value(), self.rate_high.value()) if self.vary_rate.isChecked() else None,
            learning_rate_factor=10.0 if grid else None,
            dropout=(self.dropout_low.value(), self.dropout_high.value(), self.dropout_step.value())
            if self.vary_dropout.isChecked() else None,
            batch_norm=self.vary_batch_norm.isChecked(),
            optimizers=optimizers if self.vary_optimizer.isChecked() else None,
            batch_sizes=sizes if self.vary_batch_size.isChecked() else None,
        )
        space.check_for(self.algorithm())
        return space

    def set_running(self, running: bool, *, ready: bool = True) -> None:
        """Start while nothing runs (and TensorFlow is there), Stop while the search runs."""
        self.start_button.setEnabled(ready and not running)
        self.stop_button.setEnabled(running)

    # ------------------------------------------------------------------ trials

    def start(self, max_trials: int) -> None:
        """A new search: the previous rows and curves go."""
        self._histories = {}
        self._best = None
        self.table.setSortingEnabled(False)
        self.table.setRowCount(0)
        self.table.setSortingEnabled(True)
        self.curves.clear()
        self.status_label.setText(self.tr("Search under way: up to {trials} trials, each appears here once "
                                          "finished.").format(trials=max_trials))

    def add_trial(self, trial: TrialResult) -> None:
        """A finished trial's row; its curves join the view when no row is selected."""
        self.table.setSortingEnabled(False)
        row = self.table.rowCount()
        self.table.insertRow(row)
        completed = trial.status == "completed"
        items = (
            _sort_cell(str(trial.number), trial.number),
            cell(values_text(trial.hyperparameters)),
            _sort_cell(format_percent(trial.val_accuracy) if completed else "—", trial.val_accuracy),
            _sort_cell("—" if trial.val_loss is None else decimal(trial.val_loss, 4), trial.val_loss),
            _sort_cell(format_duration(trial.duration_s), trial.duration_s),
            cell(self.tr("finished") if completed else self.tr("failed"), tooltip=trial.message),
        )
        for column, item in enumerate(items):
            self.table.setItem(row, column, item)
        self.table.setSortingEnabled(True)
        self._histories[trial.number] = trial.history
        if completed and (self._best is None or (trial.val_accuracy or 0.0) > self._best_accuracy()):
            self._best = trial.number
        self._mark_best()
        self._on_selection_changed()

    def show_result(self, result: TuningResult) -> None:
        """The whole search: every trial (again, in case a report was not shown) and where the best went."""
        self.start(len(result.trials))
        for trial in result.trials:
            self.add_trial(trial)
        stopped = self.tr(" (stopped)") if result.stopped else ""
        if result.best is not None and result.test_evaluation is not None:
            self.status_label.setText(self.tr(
                "{count} trials in {duration}{stopped}. Best: trial {number}, {accuracy} on the validation images, "
                "{test} on {test_label}; saved to the library as {path}."
            ).format(count=len(result.trials), duration=format_duration(result.duration_s), stopped=stopped,
                     number=result.best.number, accuracy=format_percent(result.best.val_accuracy),
                     test=format_percent(result.test_evaluation.accuracy), test_label=result.test_label,
                     path=result.best_path))

    def show_message(self, text: str) -> None:
        self.status_label.setText(text)

    def trial_numbers(self) -> list[int]:
        """The trials in the table's current order (after any sorting by a header click)."""
        return [int(self._item(row, _TRIAL).text()) for row in range(self.table.rowCount())]

    def _item(self, row: int, column: int) -> QTableWidgetItem:
        """A cell of a filled row: every row gets all its cells in `add_trial`."""
        item = self.table.item(row, column)
        assert item is not None
        return item

    def best_trial(self) -> int | None:
        return self._best

    def _best_accuracy(self) -> float:
        for row in range(self.table.rowCount()):
            if int(self._item(row, _TRIAL).text()) == self._best:
                return float(self._item(row, _ACCURACY).data(_SORT_ROLE))
        return -1.0

    def _mark_best(self) -> None:
        for row in range(self.table.rowCount()):
            best = int(self._item(row, _TRIAL).text()) == self._best
            for column in range(self.table.columnCount()):
                font = self._item(row, column).font()
                font.setBold(best)
                self._item(row, column).setFont(font)
            status = self._item(row, _STATUS)
            if best:
                status.setText(self.tr("best"))
            elif status.text() == self.tr("best"):
                status.setText(self.tr("finished"))

    @Slot()
    def _on_selection_changed(self) -> None:
        """The selected trials' curves overlaid (every trial's when none is selected)."""
        rows = sorted({index.row() for index in self.table.selectedIndexes()}) or range(self.table.rowCount())
        numbers = [int(self._item(row, _TRIAL).text()) for row in rows]
        label = QCoreApplication.translate("TuningView", "trial {number}")
        self.curves.overlay({label.format(number=number): self._histories[number] for number in numbers
                             if self._histories.get(number)})
