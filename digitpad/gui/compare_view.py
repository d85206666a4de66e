"""The Compare page: chosen models on the current drawing, on a test set, and as learning curves.

Evaluating several models on 10,000 images takes seconds, so it runs in a `BackgroundTask`
with a progress bar and Cancel; the live panels keep following the canvas meanwhile.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.inference import Predictor
from digitpad.core.model_jobs import JobProgress, TestSetComparison, compare_on_test_set
from digitpad.gui.app_state import AppState
from digitpad.gui.compare_live import ComparedModel, LiveComparison
from digitpad.gui.compare_results import PairwiseTable, ResultsTable
from digitpad.gui.evaluation_dialog import EvaluationDialog
from digitpad.gui.i18n import QT_TRANSLATE_NOOP
from digitpad.gui.model_details import EmptyState
from digitpad.gui.model_table import ModelRow
from digitpad.gui.test_source_picker import TestSetControls
from digitpad.gui.training_curves import TrainingCurves
from digitpad.gui.widgets import card, muted_label
from digitpad.gui.workers import BackgroundTask

EMPTY_TEXT = (
    QT_TRANSLATE_NOOP("CompareView", "Select two or more models in the table (Ctrl+click) and press Compare: watch them read your drawing "
    "side by side, measure them on the same test set, and overlay how they learnt.")
)
IDLE_STATUS = QT_TRANSLATE_NOOP("CompareView", "Choose a test set and press Evaluate to measure every model on the same images.")
CANCELLED_STATUS = QT_TRANSLATE_NOOP("CompareView", "Evaluation cancelled.")
SETTINGS_SOURCE = "models/compareTestSet"


class CompareView(QWidget):
    """Set the models with `set_models`; `shutdown` joins the evaluation thread."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareView")
        self._state = state
        self._rows: list[ModelRow] = []
        self._predictors: list[Predictor] = []
        self._names: list[str] = []
        self._drawing_stale = True
        self._cancelling = False
        # Bumped by set_models: results of an evaluation started for other models are ignored.
        self._generation = 0
        self._evaluated_generation = 0
        self._task = BackgroundTask(self)
        self._task.progressed.connect(self._on_progress)
        self._task.succeeded.connect(self._on_succeeded)
        self._task.failed.connect(self._on_failed)
        self._task.cancelled.connect(self._on_cancelled)
        self._task.finished.connect(self._on_finished)
        self._outcome: TestSetComparison | None = None
        self._dialog: EvaluationDialog | None = None

        self.live = LiveComparison()
        live_card, live_layout = card(self.tr("On your drawing"))
        live_layout.addWidget(self.live, 1)

        self.controls = TestSetControls(state.settings, SETTINGS_SOURCE, "compare", QCoreApplication.translate("CompareView", IDLE_STATUS))
        self.controls.evaluate_button.clicked.connect(self.evaluate)
        self.controls.cancel_button.clicked.connect(self.cancel)
        self.picker = self.controls.picker
        self.dataset, self.file_button, self.folder_button = self.picker.combo, self.picker.file_button, self.picker.folder_button
        self.evaluate_button, self.cancel_button = self.controls.evaluate_button, self.controls.cancel_button
        self.progress, self.status = self.controls.progress, self.controls.status
        self.results = ResultsTable()
        self.pairwise = PairwiseTable()
        self.results.cellDoubleClicked.connect(self._on_result_double_clicked)
        self.inspect_button = QPushButton(self.tr("Look inside…"))
        self.inspect_button.setObjectName("compareInspectButton")
        self.inspect_button.setToolTip(
            self.tr("Open the selected model's confusion matrix, gallery of answers and explanations (or double-click a row)")
        )
        self.inspect_button.clicked.connect(self.inspect_selected)
        results_caption = muted_label(
            self.tr("Best of each column in green; hover a heading for what it means. "
            "Double-click a model to see its every answer.")
        )
        results_caption.setObjectName("resultsCaption")
        pairwise_caption = muted_label(
            self.tr("Where they differ: each cell counts the test images the row's model gets right "
            "and the column's model gets wrong.")
        )
        pairwise_caption.setObjectName("pairwiseCaption")
        self.results_block = QWidget()  # shown once there are results: empty tables are only noise
        self.results_block.setObjectName("compareResultsBlock")
        results_layout = QVBoxLayout(self.results_block)
        results_layout.setContentsMargins(0, 4, 0, 0)
        results_layout.addWidget(self.results)
        caption_row = QHBoxLayout()
        caption_row.addWidget(results_caption, 1)
        caption_row.addWidget(self.inspect_button)
        results_layout.addLayout(caption_row)
        results_layout.addSpacing(8)
        results_layout.addWidget(pairwise_caption)
        results_layout.addWidget(self.pairwise)

        test_page = QWidget()
        test_layout = QVBoxLayout(test_page)
        test_layout.setContentsMargins(4, 8, 4, 4)
        test_layout.addWidget(self.controls)
        test_layout.addWidget(self.results_block)
        test_layout.addStretch(1)

        self.curves = TrainingCurves()
        self.curves.setObjectName("compareCurves")
        self.curves_note = muted_label("")
        self.curves_note.setObjectName("compareCurvesNote")
        curves_caption = muted_label(self.tr("Validation solid with dots, training dashed; one colour per model."))
        curves_page = QWidget()
        curves_layout = QVBoxLayout(curves_page)
        curves_layout.setContentsMargins(4, 8, 4, 4)
        curves_layout.addWidget(curves_caption)
        curves_layout.addWidget(self.curves, 1)
        curves_layout.addWidget(self.curves_note)

        self.measures = QTabWidget()  # the test set and the curves take turns: the drawing keeps its height
        self.measures.setObjectName("compareMeasures")
        self.measures.setDocumentMode(True)
        test_scroll = QScrollArea()  # many models make tall tables; scroll rather than squash them
        test_scroll.setWidgetResizable(True)
        test_scroll.setFrameShape(QFrame.Shape.NoFrame)
        test_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        test_scroll.setWidget(test_page)
        self.measures.addTab(test_scroll, self.tr("On a test set"))
        self.measures.addTab(curves_page, self.tr("How they learnt"))
        measures_card, measures_layout = card()
        measures_layout.setContentsMargins(8, 6, 8, 8)
        measures_layout.addWidget(self.measures)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(live_card)
        split.addWidget(measures_card)
        split.setChildrenCollapsible(False)
        split.setSizes([3000, 2200])  # proportions; Qt scales them to the real width
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 6, 0, 0)
        content_layout.addWidget(split)
        self._pages = QStackedWidget()
        self._pages.addWidget(EmptyState(self.tr("Compare models"), QCoreApplication.translate("CompareView", EMPTY_TEXT)))
        self._pages.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)

        state.drawingChanged.connect(self.refresh_drawing)
        self._clear_results()
        self._update_buttons()

    # ------------------------------------------------------------------ models

    def set_models(self, rows: list[ModelRow], predictors: list[Predictor]) -> None:
        """Show these models; an evaluation of the earlier set is stopped and its results dropped."""
        if self._task.is_running():
            self._task.request_stop()
        self._generation += 1
        self._rows, self._predictors = list(rows), list(predictors)
        self._names = [row.display_name for row in rows]
        self._pages.setCurrentIndex(1 if rows else 0)
        self.live.set_models(
            [
                ComparedModel(row.display_name, predictor, row.class_names)
                for row, predictor in zip(rows, predictors, strict=True)
            ]
        )
        self._clear_results()
        self.status.setText(QCoreApplication.translate("CompareView", IDLE_STATUS))
        self.progress.hide()
        histories = {
            row.display_name: row.metadata.history
            for row in rows
            if row.metadata is not None and any(row.metadata.history.values())
        }
        self.curves.overlay(histories)
        without = [row.display_name for row in rows if row.display_name not in histories]
        self.curves_note.setText(
            self.tr("No training history stored with: {without}.").format(without=', '.join(without)) if without else ""
        )
        self.curves_note.setVisible(bool(without))
        self._drawing_stale = True
        self.refresh_drawing()
        self._update_buttons()

    def forget_missing(self) -> None:
        """Drops models whose file was deleted or renamed since they were compared."""
        kept = [(row, p) for row, p in zip(self._rows, self._predictors, strict=True) if row.path.exists()]
        if len(kept) != len(self._rows):
            self.set_models([row for row, _ in kept], [p for _, p in kept])

    # ------------------------------------------------------------------- live

    @Slot()
    def refresh_drawing(self) -> None:
        """Runs every model on the canvas; skipped while hidden and caught up on `showEvent`."""
        if not self.isVisible():
            self._drawing_stale = True
            return
        self._drawing_stale = False
        self.live.show_drawing(self._state.current_drawing())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._drawing_stale:
            self.refresh_drawing()

    # ------------------------------------------------------------- test set

    def test_source(self) -> str:
        return self.picker.source()

    def set_test_source(self, source: str | Path) -> None:
        self.picker.set_source(source)

    @Slot()
    def evaluate(self) -> None:
        if not self._predictors or self._task.is_running():
            return
        self.picker.remember()
        self._clear_results()
        self._cancelling = False
        self._evaluated_generation = self._generation
        self.controls.show_started(self.tr("Reading the test set…"))
        self._task.start(partial(compare_on_test_set, self.test_source(), list(self._predictors), list(self._names)))
        self._update_buttons()

    @Slot()
    def cancel(self) -> None:
        if self._task.is_running():
            self._cancelling = True
            self._task.request_stop()
            self.status.setText(self.tr("Cancelling…"))
            self.cancel_button.setEnabled(False)

    def is_evaluating(self) -> bool:
        return self._task.is_running()

    def is_preparing(self) -> bool:
        """The live panels of the models just set are still being built."""
        return self.live.is_building()

    def shutdown(self) -> None:
        """Stop the evaluation at its next batch and join its thread, and the evaluation window's."""
        self._task.stop_and_wait()
        if self._dialog is not None:
            self._dialog.shutdown()

    @Slot(object)
    def _on_progress(self, update: object) -> None:
        if isinstance(update, JobProgress) and not self._cancelling and not self._stale():
            self.controls.show_progress(update.fraction, update.text)

    @Slot(object)
    def _on_succeeded(self, outcome: object) -> None:
        if self._stale() or not isinstance(outcome, TestSetComparison):
            return
        self._outcome = outcome
        self.results.show_comparison(self._names, outcome.comparison)
        self.results.selectRow(0)
        self.pairwise.show_comparison(self._names, outcome.comparison)
        self.results_block.show()
        self.measures.setCurrentIndex(0)
        source = self.dataset.currentText()
        self.status.setText(
            " ".join([f"{len(self._names)} models on the same images: {outcome.test_label}.", *outcome.warnings])
        )
        self._state.statusMessage.emit(self.tr("Compared {names} models on {source}.").format(names=len(self._names), source=source), 5000)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if not self._stale():
            self.status.setText(self.tr("Could not evaluate: {message}").format(message=message))

    @Slot()
    def _on_cancelled(self) -> None:
        if not self._stale():
            self.status.setText(QCoreApplication.translate("CompareView", CANCELLED_STATUS))

    @Slot()
    def _on_finished(self) -> None:
        self.controls.show_finished()
        self._update_buttons()

    def _stale(self) -> bool:
        return self._evaluated_generation != self._generation

    @Slot(int, int)
    def _on_result_double_clicked(self, row: int, _column: int) -> None:
        self.inspect(row)

    @Slot()
    def inspect_selected(self) -> None:
        rows = self.results.selectionModel().selectedRows()
        self.inspect(rows[0].row() if rows else 0)

    def inspect(self, index: int) -> None:
        """Open model `index`'s evaluation (confusion matrix, gallery, explanations) in its own window."""
        if self._outcome is None or not 0 <= index < len(self._predictors):
            return
        if self._dialog is None:
            self._dialog = EvaluationDialog(self._state.settings, self)
        self._dialog.show_evaluation(self._outcome.evaluated(index), self._predictors[index])

    def _clear_results(self) -> None:
        self._outcome = None
        self.results.clear_results()
        self.pairwise.clear_results()
        self.results_block.hide()

    def _update_buttons(self) -> None:
        running = self._task.is_running()
        self._cancelling = self._cancelling and running
        self.controls.set_running(running, can_start=bool(self._predictors))
