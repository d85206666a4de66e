"""The Evaluate page of the Models tab: one model on a test set, looked at closely.

The model's details say what it scored when it was made; this page measures it now, on any
test set, and opens the result in the clickable `EvaluationView` (confusion matrix, per-class
table, gallery, explanations, report). Loading the model and predicting thousands of images
run on a `BackgroundTask` with a progress bar and Cancel.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import QVBoxLayout, QWidget

from digitpad.core.model_jobs import JobProgress, ModelEvaluation, evaluate_model_file
from digitpad.gui.app_state import AppState
from digitpad.gui.evaluation_view import EvaluationView
from digitpad.gui.i18n import QT_TRANSLATE_NOOP
from digitpad.gui.model_table import ModelRow
from digitpad.gui.test_source_picker import TestSetControls
from digitpad.gui.workers import BackgroundTask

SETTINGS_SOURCE = "models/evaluateTestSet"
NO_MODEL = QT_TRANSLATE_NOOP("ModelEvaluation", "Select one model in the table to measure it on a test set.")
IDLE = QT_TRANSLATE_NOOP("ModelEvaluation", "Press Evaluate to measure {name} on these images and look at every answer.")


class ModelEvaluationPage(QWidget):
    """`set_model(row)` chooses the model; `evaluate()` measures it; `shutdown()` joins the worker."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelEvaluation")
        self._state = state
        self._row: ModelRow | None = None
        self._evaluating: ModelRow | None = None
        self._task = BackgroundTask(self)
        self._task.progressed.connect(self._on_progress)
        self._task.succeeded.connect(self._on_succeeded)
        self._task.failed.connect(self._on_failed)
        self._task.cancelled.connect(self._on_cancelled)
        self._task.finished.connect(self._on_finished)

        self.controls = TestSetControls(state.settings, SETTINGS_SOURCE, "evaluate", QCoreApplication.translate("ModelEvaluation", NO_MODEL), one_row=True)
        self.controls.evaluate_button.clicked.connect(self.evaluate)
        self.controls.cancel_button.clicked.connect(self.cancel)
        self.status = self.controls.status
        self.view = EvaluationView(settings=state.settings)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 4, 4)
        layout.addWidget(self.controls)
        layout.addWidget(self.view, 1)
        self._update_buttons()

    def set_model(self, row: ModelRow | None) -> None:
        """The model the page measures; results of another model are cleared, a run for it stopped."""
        usable = row if row is not None and row.problem is None else None
        if usable == self._row:
            return
        self._row = usable
        if self._task.is_running():
            self._task.request_stop()
        self.view.clear()
        self.status.setText(QCoreApplication.translate("ModelEvaluation", IDLE).format(name=f"“{usable.display_name}”") if usable is not None
                            else QCoreApplication.translate("ModelEvaluation", NO_MODEL))
        self.status.show()
        self._update_buttons()

    @Slot()
    def evaluate(self) -> None:
        if self._row is None or self._task.is_running():
            return
        self.controls.picker.remember()
        self._evaluating = self._row
        self.view.clear()
        self.controls.show_started(self.tr("Loading {display_name}…").format(display_name=self._row.display_name))
        self.status.show()
        self._task.start(partial(evaluate_model_file, self._row.path, self.controls.picker.source(),
                                 engine=self._state.engine, cache=self._state.predictors))
        self._update_buttons()

    @Slot()
    def cancel(self) -> None:
        if self._task.is_running():
            self._task.request_stop()
            self.status.setText(self.tr("Cancelling…"))

    def is_evaluating(self) -> bool:
        return self._task.is_running()

    def shutdown(self) -> None:
        self._task.stop_and_wait()
        self.view.shutdown()

    @Slot(object)
    def _on_progress(self, update: object) -> None:
        if isinstance(update, JobProgress) and self._current():
            self.controls.show_progress(update.fraction, update.text)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        if not isinstance(result, ModelEvaluation) or not self._current():
            return
        outcome = result.outcome
        self.view.show_evaluation(outcome.evaluated, result.predictor)  # its headline names the data and its notes
        self.status.setText(self.tr("Measured on {test_label}.").format(test_label=outcome.test_label))
        self.status.hide()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self._current():
            self.status.setText(self.tr("Could not evaluate: {message}").format(message=message))

    @Slot()
    def _on_cancelled(self) -> None:
        if self._current():
            self.status.setText(self.tr("Evaluation cancelled."))

    @Slot()
    def _on_finished(self) -> None:
        self.controls.show_finished()
        self._update_buttons()

    def _current(self) -> bool:
        """The result belongs to the model still selected (another selection drops it)."""
        return self._evaluating is not None and self._evaluating == self._row

    def _update_buttons(self) -> None:
        self.controls.set_running(self._task.is_running(), can_start=self._row is not None)
