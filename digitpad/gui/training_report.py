"""The "Test results" card of the Train tab: how the new model did on images it never saw.

Three headline figures, then per-class scores, the confusion matrix and the most confident
mistakes (the ones worth looking at), and the row to name, save and use the model. The card
only shows a `TrainedModel`; saving and using it are the tab's business.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.datasets import Dataset, image_warnings
from digitpad.core.evaluation import Evaluation
from digitpad.core.formatting import accuracy_text, format_count, format_percent
from digitpad.core.workflows import TrainedModel
from digitpad.gui import style
from digitpad.gui.widgets import card, cell, digit_pixmap, named, read_only_table

MISTAKES_SHOWN = 40
MISTAKE_ICON = 48
_PLACEHOLDER, _RESULTS = 0, 1


class TrainingReport:
    """The card and its widgets; `show_result` fills it, `clear` goes back to the placeholder."""

    def __init__(self, save_row: QWidget) -> None:
        self.frame, layout = card("Test results")
        self.stack = named(QStackedWidget(), "resultsStack")
        placeholder = named(
            QLabel(
                "When training ends, the model is tested on images it has never seen.\n"
                "Its scores appear here, ready to save to the library and to draw with."
            ),
            "resultsPlaceholder",
        )
        placeholder.setWordWrap(True)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(placeholder)
        self.stack.addWidget(self._build_results_page(save_row))
        layout.addWidget(self.stack, 1)

    def _build_results_page(self, save_row: QWidget) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        metrics = QGridLayout()
        metrics.setHorizontalSpacing(28)
        self.accuracy_label = named(QLabel(), "testAccuracyLabel")
        self.loss_label = named(QLabel(), "testLossLabel")
        self.f1_label = named(QLabel(), "macroF1Label")
        for column, (caption, value) in enumerate(
            (("test accuracy", self.accuracy_label), ("test loss", self.loss_label), ("macro F1", self.f1_label))
        ):
            metrics.addWidget(value, 0, column, Qt.AlignmentFlag.AlignBottom)
            metrics.addWidget(named(QLabel(caption), "metricCaption"), 1, column)
        metrics.setColumnStretch(3, 1)
        layout.addLayout(metrics)
        self.details_label = named(QLabel(), "resultDetailsLabel")
        self.details_label.setWordWrap(True)
        layout.addWidget(self.details_label)

        self.tabs = named(QTabWidget(), "resultTabs")
        self.tabs.setDocumentMode(True)
        self.per_class_table = named(read_only_table(["Class", "Precision", "Recall", "F1", "Images"]), "perClassTable")
        self.per_class_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confusion_table = named(QTableWidget(), "confusionTable")
        self.confusion_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.confusion_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.confusion_table.setFrameShape(QFrame.Shape.NoFrame)
        self.confusion_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confusion_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confusion_table.setToolTip("Rows: true class. Columns: the model's answer.")
        self.mistakes_list = named(QListWidget(), "mistakesList")
        self.mistakes_list.setViewMode(QListView.ViewMode.IconMode)
        self.mistakes_list.setIconSize(QSize(MISTAKE_ICON, MISTAKE_ICON))
        self.mistakes_list.setGridSize(QSize(84, 84))
        self.mistakes_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.mistakes_list.setMovement(QListView.Movement.Static)
        self.mistakes_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tabs.addTab(self.per_class_table, "Per class")
        self.tabs.addTab(self.confusion_table, "Confusion matrix")
        self.tabs.addTab(self.mistakes_list, "Mistakes")
        layout.addWidget(self.tabs, 1)

        layout.addWidget(save_row)
        return page

    def clear(self) -> None:
        self.stack.setCurrentIndex(_PLACEHOLDER)

    def show_result(self, trained: TrainedModel) -> None:
        evaluation, dataset = trained.evaluation, trained.dataset
        self.accuracy_label.setText(accuracy_text(evaluation.accuracy))
        self.loss_label.setText(f"{evaluation.loss:.4f}")
        self.f1_label.setText(f"{evaluation.macro_f1:.4f}")
        tested = (
            f"Tested on {dataset.test_label} (images the model never saw): "
            f"{format_count(len(evaluation.misclassified))} wrong."
        )
        details = [tested, *dataset.notes, *image_warnings(dataset.x_train)]
        self.details_label.setText(" ".join(details))
        self._fill_per_class(evaluation, dataset.class_names)
        self._fill_confusion(evaluation, dataset.class_names)
        self._fill_mistakes(evaluation, dataset)
        self.stack.setCurrentIndex(_RESULTS)

    def _fill_per_class(self, evaluation: Evaluation, class_names: tuple[str, ...]) -> None:
        table = self.per_class_table
        table.setRowCount(len(evaluation.per_class))
        for row, metrics in enumerate(evaluation.per_class):
            name = class_names[metrics.label] if metrics.label < len(class_names) else str(metrics.label)
            table.setItem(row, 0, cell(name))
            table.setItem(row, 1, cell(format_percent(metrics.precision, 1), right=True))
            table.setItem(row, 2, cell(format_percent(metrics.recall, 1), right=True))
            table.setItem(row, 3, cell(f"{metrics.f1:.3f}", right=True))
            table.setItem(row, 4, cell(format_count(metrics.support), right=True))

    def _fill_confusion(self, evaluation: Evaluation, class_names: tuple[str, ...]) -> None:
        """Rows are the true class, columns the prediction; colour shows each row's share."""
        confusion = np.asarray(evaluation.confusion)
        count = len(confusion)
        short = [name if len(name) <= 3 else str(i) for i, name in enumerate(class_names[:count])]
        table = self.confusion_table
        table.setRowCount(count)
        table.setColumnCount(count)
        table.setHorizontalHeaderLabels(short)
        table.setVerticalHeaderLabels(short)
        totals = confusion.sum(axis=1)
        for true in range(count):
            for predicted in range(count):
                value = int(confusion[true, predicted])
                share = value / totals[true] if totals[true] else 0.0
                item = QTableWidgetItem(str(value) if value else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                right = true == predicted
                # Right answers need most of a row to look strong; a few percent wrong already shows.
                color = QColor(style.ACCENT if right else style.ERROR)
                color.setAlphaF(min(1.0, share * (0.8 if right else 4.0)) * 0.85)
                item.setBackground(color)
                if right and share > 0.6:
                    item.setForeground(QColor(style.ON_ACCENT))
                item.setToolTip(
                    f"True {class_names[true]}, predicted {class_names[predicted]}: {format_count(value)} images"
                )
                table.setItem(true, predicted, item)

    def _fill_mistakes(self, evaluation: Evaluation, dataset: Dataset) -> None:
        """The most confident mistakes first: the ones worth looking at."""
        self.mistakes_list.clear()
        names = dataset.class_names
        for mistake in evaluation.misclassified[:MISTAKES_SHOWN]:
            icon = QIcon(digit_pixmap(dataset.x_test[mistake.index], MISTAKE_ICON, paper=True))
            answer = f"→ {names[mistake.predicted]}"
            text = f"{names[mistake.true]} {answer}" if len(names[0]) <= 3 else answer
            item = QListWidgetItem(icon, f"{text}\n{format_percent(mistake.confidence, 0)}")
            item.setToolTip(
                f"Test image {mistake.index}: really {names[mistake.true]}, the model said "
                f"{names[mistake.predicted]} with {format_percent(mistake.confidence, 1)} confidence."
            )
            self.mistakes_list.addItem(item)
        self.tabs.setTabText(2, f"Mistakes ({format_count(len(evaluation.misclassified))})")
