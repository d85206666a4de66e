"""The Compare page: chosen models on the current drawing, on a test set, and as learning curves.

Evaluating several models on 10,000 images takes seconds, so it runs in a `BackgroundTask`
with a progress bar and Cancel; the live panels keep following the canvas meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.comparison import Comparison, compare_models
from digitpad.core.datasets import load_test_arrays
from digitpad.core.evaluation import EvaluationCancelled
from digitpad.core.inference import Predictor
from digitpad.gui.app_state import AppState
from digitpad.gui.compare_live import ComparedModel, LiveComparison
from digitpad.gui.compare_results import PairwiseTable, ResultsTable
from digitpad.gui.model_table import ModelRow
from digitpad.gui.training_curves import TrainingCurves
from digitpad.gui.workers import BackgroundTask

BUILTIN_SOURCES = (("MNIST test set", "mnist"), ("Fashion-MNIST test set", "fashion-mnist"))
LOAD_SHARE = 0.1  # of the progress bar, for reading the test set before the models run


@dataclass(frozen=True)
class _Progress:
    fraction: float
    text: str


@dataclass(frozen=True)
class _Outcome:
    comparison: Comparison | None  # None: cancelled
    image_count: int


def _card(title: str) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame()
    card.setObjectName("card")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(12, 10, 12, 12)
    caption = QLabel(title.upper())
    caption.setObjectName("caption")
    layout.addWidget(caption)
    return card, layout


def comparison_work(
    source: str, predictors: list[Predictor], names: list[str]
) -> Callable[[Callable[[object], None], threading.Event], _Outcome]:
    """The worker's job: read the test set, then every model on it, checking the stop event."""

    def work(progress: Callable[[object], None], stop_event: threading.Event) -> _Outcome:
        progress(_Progress(0.0, "Reading the test set…"))
        x, y = load_test_arrays(
            source, progress=lambda f: progress(_Progress(LOAD_SHARE * f, "Reading the test set…"))
        )
        if stop_event.is_set():
            return _Outcome(None, len(y))

        def model_progress(fraction: float) -> None:
            index = min(int(fraction * len(names)), len(names) - 1)
            text = f"Evaluating {names[index]} ({index + 1} of {len(names)}) on {len(y):,} images…"
            progress(_Progress(LOAD_SHARE + (1 - LOAD_SHARE) * fraction, text))

        model_progress(0.0)
        try:
            comparison = compare_models(predictors, x, y, progress=model_progress, stop_event=stop_event)
        except EvaluationCancelled:
            return _Outcome(None, len(y))
        return _Outcome(comparison, len(y))

    return work


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
        self._task = BackgroundTask(self)
        self._task.progressed.connect(self._on_progress)
        self._task.succeeded.connect(self._on_succeeded)
        self._task.failed.connect(self._on_failed)
        self._task.finished.connect(self._on_finished)

        self.live = LiveComparison()
        live_card, live_layout = _card("On your drawing")
        live_layout.addWidget(self.live, 1)

        self.dataset = QComboBox()
        self.dataset.setObjectName("compareDataset")
        self.dataset.setMinimumContentsLength(18)
        for label, source in BUILTIN_SOURCES:
            self.dataset.addItem(label, source)
        self.file_button = QPushButton("File…")
        self.file_button.setObjectName("compareFileButton")
        self.file_button.setToolTip("A .npz file (x_test/y_test or x/y) or an IDX file")
        self.file_button.clicked.connect(self._choose_file)
        self.folder_button = QPushButton("Folder…")
        self.folder_button.setObjectName("compareFolderButton")
        self.folder_button.setToolTip("An IDX folder, or a folder of images with one subfolder per label 0-9")
        self.folder_button.clicked.connect(self._choose_folder)
        self.evaluate_button = QPushButton("Evaluate")
        self.evaluate_button.setObjectName("compareEvaluateButton")
        self.evaluate_button.setProperty("primary", True)
        self.evaluate_button.clicked.connect(self.evaluate)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("compareCancelButton")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Test set:"))
        controls.addWidget(self.dataset, 1)
        controls.addWidget(self.file_button)
        controls.addWidget(self.folder_button)
        controls.addSpacing(8)
        controls.addWidget(self.evaluate_button)
        controls.addWidget(self.cancel_button)

        self.progress = QProgressBar()
        self.progress.setObjectName("compareProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.hide()
        self.status = QLabel("Choose a test set and press Evaluate to measure every model on the same images.")
        self.status.setObjectName("compareStatus")
        self.status.setWordWrap(True)
        self.results = ResultsTable()
        self.pairwise = PairwiseTable()
        pairwise_caption = QLabel("Right where the other is wrong: row model right, column model wrong")
        pairwise_caption.setObjectName("caption")

        test_card, test_layout = _card("On a test set")
        test_layout.addLayout(controls)
        test_layout.addWidget(self.progress)
        test_layout.addWidget(self.status)
        test_layout.addWidget(self.results, 3)
        test_layout.addWidget(pairwise_caption)
        test_layout.addWidget(self.pairwise, 2)

        self.curves = TrainingCurves()
        self.curves.setObjectName("compareCurves")
        self.curves_note = QLabel()
        self.curves_note.setObjectName("compareCurvesNote")
        self.curves_note.setWordWrap(True)
        curves_card, curves_layout = _card("How they learnt (validation solid, training dashed)")
        curves_layout.addWidget(self.curves, 1)
        curves_layout.addWidget(self.curves_note)

        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(test_card)
        bottom.addWidget(curves_card)
        bottom.setStretchFactor(0, 5)
        bottom.setStretchFactor(1, 4)
        bottom.setChildrenCollapsible(False)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(live_card)
        split.addWidget(bottom)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

        state.drawingChanged.connect(self.refresh_drawing)
        self._update_buttons()

    # ------------------------------------------------------------------ models

    def set_models(self, rows: list[ModelRow], predictors: list[Predictor]) -> None:
        """Show these models; results of an earlier set are cleared (they no longer match)."""
        if self._task.is_running():
            self._task.stop_and_wait()
        self._rows, self._predictors = list(rows), list(predictors)
        self._names = [row.display_name for row in rows]
        self.live.set_models(
            [
                ComparedModel(row.display_name, predictor, row.class_names)
                for row, predictor in zip(rows, predictors, strict=True)
            ]
        )
        self._clear_results()
        histories = {
            row.display_name: row.metadata.history
            for row in rows
            if row.metadata is not None and any(row.metadata.history.values())
        }
        self.curves.overlay(histories)
        without = [row.display_name for row in rows if row.display_name not in histories]
        self.curves_note.setText(
            f"No training history stored with: {', '.join(without)}." if without else ""
        )
        self.curves_note.setVisible(bool(without))
        self._drawing_stale = True
        self.refresh_drawing()
        self._update_buttons()

    def model_paths(self) -> list[Path]:
        return [row.path for row in self._rows]

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

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._drawing_stale:
            self.refresh_drawing()

    # ------------------------------------------------------------- test set

    def test_source(self) -> str:
        return str(self.dataset.currentData())

    def set_test_source(self, source: str | Path) -> None:
        """Selects a built-in name or a file/folder, adding it to the picker once."""
        text = str(source)
        index = self.dataset.findData(text)
        if index < 0:
            path = Path(text)
            self.dataset.addItem(f"{path.name}  ({path.parent})", text)
            index = self.dataset.count() - 1
            self.dataset.setItemData(index, text, Qt.ItemDataRole.ToolTipRole)
        self.dataset.setCurrentIndex(index)

    @Slot()
    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a test set", str(Path.home()),
            "Datasets (*.npz *-ubyte *-ubyte.gz);;All files (*)",
        )
        if path:
            self.set_test_source(path)

    @Slot()
    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Choose a test-set folder", str(Path.home()))
        if path:
            self.set_test_source(path)

    @Slot()
    def evaluate(self) -> None:
        if len(self._predictors) < 1 or self._task.is_running():
            return
        self._clear_results()
        self._cancelling = False
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText("Reading the test set…")
        self._task.start(comparison_work(self.test_source(), list(self._predictors), list(self._names)))
        self._update_buttons()

    @Slot()
    def cancel(self) -> None:
        if self._task.is_running():
            self._cancelling = True
            self._task.request_stop()
            self.status.setText("Cancelling…")
            self.cancel_button.setEnabled(False)

    def is_evaluating(self) -> bool:
        return self._task.is_running()

    def shutdown(self) -> None:
        self._task.stop_and_wait()

    @Slot(object)
    def _on_progress(self, update: object) -> None:
        if isinstance(update, _Progress) and not self._cancelling:
            self.progress.setValue(round(1000 * update.fraction))
            self.status.setText(update.text)

    @Slot(object)
    def _on_succeeded(self, outcome: object) -> None:
        assert isinstance(outcome, _Outcome)
        if outcome.comparison is None:
            self.status.setText("Evaluation cancelled.")
            return
        self.results.show_comparison(self._names, outcome.comparison)
        self.pairwise.show_comparison(self._names, outcome.comparison)
        source = self.dataset.currentText()
        self.status.setText(f"{len(self._names)} models on the same {outcome.image_count:,} images of {source}.")
        self._state.statusMessage.emit(f"Compared {len(self._names)} models on {source}.", 5000)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.status.setText(f"Could not evaluate: {message}")

    @Slot()
    def _on_finished(self) -> None:
        self.progress.hide()
        self._update_buttons()

    def _clear_results(self) -> None:
        self.results.setRowCount(0)
        self.pairwise.setRowCount(0)
        self.pairwise.setColumnCount(0)

    def _update_buttons(self) -> None:
        running = self._task.is_running()
        self._cancelling = self._cancelling and running
        self.evaluate_button.setEnabled(bool(self._predictors) and not running)
        self.cancel_button.setEnabled(running)
        for widget in (self.dataset, self.file_button, self.folder_button):
            widget.setEnabled(not running)
