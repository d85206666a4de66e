"""The numbers of a test-set comparison as two tables: per-model metrics and the pairwise matrix.

The pairwise matrix answers the question accuracy alone hides: two models at 98 % may fail on
entirely different digits, which is exactly what makes an ensemble, or a lesson, interesting.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from digitpad.core.comparison import Comparison
from digitpad.gui.model_table import format_count, format_percent, format_size
from digitpad.gui.style import ACCENT, ACCENT_SOFT

RESULT_COLUMNS = ("Model", "Accuracy", "Loss", "F1", "Params", "ms/img", "Size")
RESULT_TOOLTIPS = (
    "The model",
    "Share of test images classified correctly",
    "Cross-entropy loss on the test images (lower is better)",
    "Macro F1: the mean over the ten classes of the harmonic mean of precision and recall",
    "Number of weights",
    "Milliseconds per image for digitpad's NumPy predictor on this computer",
    "Size of the .keras file",
)
ROW_HEIGHT = 26
BEST_BACKGROUND = QColor("#dcfce7")
BEST_FOREGROUND = QColor("#166534")


def _make_read_only(table: QTableWidget, object_name: str) -> None:
    table.setObjectName(object_name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    _fit_height(table)


def _fit_height(table: QTableWidget) -> None:
    """As tall as its rows: a handful of models never needs a scroll bar or empty space."""
    header = table.horizontalHeader().sizeHint().height()
    table.setFixedHeight(header + ROW_HEIGHT * table.rowCount() + 2 * table.frameWidth() + 2)


def _cell(text: str, *, right: bool = True, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if tooltip:
        item.setToolTip(tooltip)
    return item


class ResultsTable(QTableWidget):
    """One row per model; the best value of each metric column is shown in green."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _make_read_only(self, "compareResults")
        self.setColumnCount(len(RESULT_COLUMNS))
        self.setHorizontalHeaderLabels(list(RESULT_COLUMNS))
        for column, tooltip in enumerate(RESULT_TOOLTIPS):
            self.horizontalHeaderItem(column).setToolTip(tooltip)
        self.verticalHeader().hide()
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(RESULT_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def clear_results(self) -> None:
        self.setRowCount(0)
        _fit_height(self)

    def show_comparison(self, names: list[str], comparison: Comparison) -> None:
        results = comparison.results
        self.setRowCount(len(results))
        # (column, value per model, higher is better) for the green "best" marks
        columns: list[tuple[int, list[float | None], bool]] = [
            (1, [r.evaluation.accuracy for r in results], True),
            (2, [r.evaluation.loss for r in results], False),
            (3, [r.evaluation.macro_f1 for r in results], True),
            (5, [r.evaluation.seconds_per_image for r in results], False),
        ]
        for row, (name, result) in enumerate(zip(names, results, strict=True)):
            evaluation = result.evaluation
            ms = evaluation.seconds_per_image
            cells = (
                _cell(name, right=False, tooltip=str(result.path)),
                _cell(format_percent(evaluation.accuracy)),
                _cell(f"{evaluation.loss:.4f}"),
                _cell(f"{evaluation.macro_f1:.4f}"),
                _cell(format_count(result.num_params)),
                _cell("—" if ms is None else f"{1000 * ms:.3f}"),
                _cell(format_size(result.file_size)),
            )
            for column, item in enumerate(cells):
                self.setItem(row, column, item)
        if len(results) > 1:
            for column, values, higher_is_better in columns:
                known = [v for v in values if v is not None]
                if not known:
                    continue
                best = max(known) if higher_is_better else min(known)
                for row, value in enumerate(values):
                    if value == best:
                        self._mark_best(self.item(row, column))
        _fit_height(self)

    @staticmethod
    def _mark_best(item: QTableWidgetItem) -> None:
        item.setBackground(BEST_BACKGROUND)
        item.setForeground(BEST_FOREGROUND)
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
        item.setToolTip("Best of the compared models")

    def values(self, column: int) -> list[str]:
        return [self.item(row, column).text() for row in range(self.rowCount())]


class PairwiseTable(QTableWidget):
    """Cell (row i, column j): test images model i gets right and model j gets wrong."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _make_read_only(self, "comparePairwise")
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideMiddle)

    def clear_results(self) -> None:
        self.setRowCount(0)
        self.setColumnCount(0)
        _fit_height(self)

    def show_comparison(self, names: list[str], comparison: Comparison) -> None:
        matrix = comparison.right_wrong
        count = len(names)
        self.setRowCount(count)
        self.setColumnCount(count)
        self.setHorizontalHeaderLabels(names)
        self.setVerticalHeaderLabels(names)
        largest = max((int(matrix[i, j]) for i in range(count) for j in range(count) if i != j), default=0)
        accent = QColor(ACCENT)
        for i in range(count):
            for j in range(count):
                if i == j:
                    item = _cell("—", right=False)
                    item.setForeground(QColor("#94a3b8"))
                else:
                    value = int(matrix[i, j])
                    item = _cell(
                        format_count(value),
                        right=False,
                        tooltip=f"{names[i]} gets {value:,} test images right that {names[j]} gets wrong.",
                    )
                    if largest:
                        shade = QColor(ACCENT_SOFT) if value < largest else QColor(accent.lighter(175))
                        if value:
                            item.setBackground(shade)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.setItem(i, j, item)
        _fit_height(self)

    def counts(self) -> list[list[str]]:
        return [[self.item(i, j).text() for j in range(self.columnCount())] for i in range(self.rowCount())]
