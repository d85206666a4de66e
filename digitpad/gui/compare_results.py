"""The numbers of a test-set comparison as two tables: per-model metrics and the pairwise matrix.

The pairwise matrix answers the question accuracy alone hides: two models at 98 % may fail on
entirely different digits, which is exactly what makes an ensemble, or a lesson, interesting.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from digitpad.core.comparison import Comparison
from digitpad.core.formatting import MISSING
from digitpad.gui import style
from digitpad.gui.i18n import QT_TRANSLATE_NOOP, decimal, format_count, format_percent, format_size
from digitpad.gui.widgets import cell, make_read_only

RESULT_COLUMNS = (QT_TRANSLATE_NOOP("CompareResults", "Model"), QT_TRANSLATE_NOOP("CompareResults", "Accuracy"), QT_TRANSLATE_NOOP("CompareResults", "Loss"), "F1", QT_TRANSLATE_NOOP("CompareResults", "Params"), QT_TRANSLATE_NOOP("CompareResults", "ms/img"), QT_TRANSLATE_NOOP("CompareResults", "Size"))
RESULT_TOOLTIPS = (
    QT_TRANSLATE_NOOP("CompareResults", "The model"),
    QT_TRANSLATE_NOOP("CompareResults", "Share of test images classified correctly"),
    QT_TRANSLATE_NOOP("CompareResults", "Cross-entropy loss on the test images (lower is better)"),
    QT_TRANSLATE_NOOP("CompareResults", "Macro F1: the mean over the ten classes of the harmonic mean of precision and recall"),
    QT_TRANSLATE_NOOP("CompareResults", "Number of weights"),
    QT_TRANSLATE_NOOP("CompareResults", "Milliseconds per image for digitpad's predictor (LiteRT) on this computer"),
    QT_TRANSLATE_NOOP("CompareResults", "Size of the .keras file"),
)
ROW_HEIGHT = 26


def _make_read_only(table: QTableWidget, object_name: str) -> None:
    """A report table that grows with its rows instead of scrolling."""
    table.setObjectName(object_name)
    make_read_only(table, row_height=ROW_HEIGHT)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    _fit_height(table)


def _fit_height(table: QTableWidget) -> None:
    """As tall as its rows: a handful of models never needs a scroll bar or empty space."""
    header = table.horizontalHeader().sizeHint().height()
    table.setFixedHeight(header + ROW_HEIGHT * table.rowCount() + 2 * table.frameWidth() + 2)


class ResultsTable(QTableWidget):
    """One row per model; the best value of each metric column is shown in green."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _make_read_only(self, "compareResults")
        # One model at a time can be picked, to look inside it (CompareView.inspect_selected).
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setColumnCount(len(RESULT_COLUMNS))
        self.setHorizontalHeaderLabels([QCoreApplication.translate("CompareResults", column) for column in RESULT_COLUMNS])
        for column, tooltip in enumerate(RESULT_TOOLTIPS):
            self.setHorizontalHeaderItem(column, cell(QCoreApplication.translate("CompareResults", RESULT_COLUMNS[column]), tooltip=QCoreApplication.translate("CompareResults", tooltip)))
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
        items: list[tuple[QTableWidgetItem, ...]] = []
        for row, (name, result) in enumerate(zip(names, results, strict=True)):
            evaluation = result.evaluation
            ms = evaluation.seconds_per_image
            cells = (
                cell(name, tooltip=str(result.path)),
                cell(format_percent(evaluation.accuracy), right=True),
                cell(decimal(evaluation.loss, 4), right=True),
                cell(decimal(evaluation.macro_f1, 4), right=True),
                cell(format_count(result.num_params), right=True),
                cell(MISSING if ms is None else decimal(1000 * ms, 3), right=True),
                cell(format_size(result.file_size), right=True),
            )
            items.append(cells)
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
                        self._mark_best(items[row][column])
        _fit_height(self)

    @staticmethod
    def _mark_best(item: QTableWidgetItem) -> None:
        item.setBackground(QColor(style.SUCCESS_SOFT))
        item.setForeground(QColor(style.SUCCESS_TEXT))
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
        item.setToolTip(QCoreApplication.translate("ResultsTable", "Best of the compared models"))

    def values(self, column: int) -> list[str]:
        return [_text(self.item(row, column)) for row in range(self.rowCount())]


class PairwiseTable(QTableWidget):
    """Cell (row i, column j): test images model i gets right and model j gets wrong."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _make_read_only(self, "comparePairwise")
        self.verticalHeader().setVisible(True)  # the row's model
        self.setAlternatingRowColors(False)     # the shades carry the meaning
        self.setShowGrid(True)                  # a matrix reads cell by cell
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
        accent = QColor(style.ACCENT)
        for i in range(count):
            for j in range(count):
                if i == j:
                    item = cell(MISSING)
                    item.setForeground(QColor(style.PLACEHOLDER))
                else:
                    value = int(matrix[i, j])
                    item = cell(
                        format_count(value),
                        tooltip=self.tr("{value} gets {value2} test images right that {value3} gets wrong.").format(value=names[i], value2=format_count(value), value3=names[j]),
                    )
                    if largest:
                        shade = QColor(style.ACCENT_SOFT) if value < largest else QColor(accent.lighter(175))
                        if value:
                            item.setBackground(shade)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.setItem(i, j, item)
        _fit_height(self)

    def counts(self) -> list[list[str]]:
        return [[_text(self.item(i, j)) for j in range(self.columnCount())] for i in range(self.rowCount())]


def _text(item: QTableWidgetItem | None) -> str:
    return item.text() if item is not None else ""
