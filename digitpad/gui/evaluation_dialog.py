"""A window of its own for one compared model's evaluation.

The Compare page is a table of figures side by side; a person who wants to know *why* one
model trails opens that model's confusion matrix, gallery and explanations here, beside the
table, without losing the comparison.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from digitpad.core.evaluated_set import EvaluatedSet
from digitpad.core.trained_predictor import AnsweringModel
from digitpad.gui.evaluation_view import EvaluationView

DIALOG_SIZE = (1100, 700)


class EvaluationDialog(QDialog):
    """Non-modal; `show_evaluation` fills it and raises it. `shutdown` joins the view's workers."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluationDialog")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.view = EvaluationView(settings=settings)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.view)
        self.resize(*DIALOG_SIZE)

    def show_evaluation(self, evaluated: EvaluatedSet, predictor: AnsweringModel | None) -> None:
        self.setWindowTitle(self.tr("{model_name} on {test_label} — digitpad").format(model_name=evaluated.model_name, test_label=evaluated.test_label))
        self.view.show_evaluation(evaluated, predictor)
        self.show()
        self.raise_()
        self.activateWindow()

    def shutdown(self) -> None:
        self.view.shutdown()
        self.close()
