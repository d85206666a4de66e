"""Fine-tune a model to the user's handwriting, from the My digits tab.

The work is the core's `finetune` (the same one `digitpad finetune` runs), as
`training_jobs.finetune_job` in the engine process, its reports bundled by the same
`ProgressRelay` and shown by the same progress card and live curves as the Train tab, so a
fine-tune looks and stops like a training. Start waits for `AppState.tensorflowReady` (the
engine has imported TensorFlow). At the end the panel shows what was gained and what was lost,
side by side: accuracy on the user's held-out digits and on MNIST held-out digits, before and
after. The model arrives as a file (with its lineage in its metadata); saving copies it.
"""

from __future__ import annotations

import threading
from collections import Counter
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.digit_store import StoredDigit
from digitpad.core.finetune import MIN_PER_LABEL, FineTuneResult, FineTuneSettings, Score
from digitpad.core.model_jobs import LibraryListing
from digitpad.core.training_jobs import FinishedFineTune, finetune_job
from digitpad.gui import style
from digitpad.gui.i18n import QT_TRANSLATE_NOOP, decimal, format_count, format_percent
from digitpad.gui.library_save import SaveToLibrary
from digitpad.gui.training_curves import TrainingCurves
from digitpad.gui.training_run import LiveTraining, ProgressCard
from digitpad.gui.widgets import card, cell, muted_label, named, read_only_table
from digitpad.gui.workers import BackgroundTask

if TYPE_CHECKING:
    from digitpad.gui.app_state import AppState

SHIPPED_LABEL = QT_TRANSLATE_NOOP("FinetunePanel", "Shipped default model")
MAX_EPOCHS = 50
RESULT_COLUMNS = (QT_TRANSLATE_NOOP("FinetunePanel", "Measured on"), QT_TRANSLATE_NOOP("FinetunePanel", "Before"), QT_TRANSLATE_NOOP("FinetunePanel", "After"), QT_TRANSLATE_NOOP("FinetunePanel", "Change"))

def missing_labels(digits: list[StoredDigit]) -> list[int]:
    """The digits 0-9 with fewer stored examples than fine-tuning needs (one to learn from and
    one to measure on)."""
    counts = Counter(digit.label for digit in digits)
    return [label for label in range(10) if counts[label] < MIN_PER_LABEL]


def score_text(score: Score) -> str:
    return format_percent(score.accuracy, 1)


def change_text(before: Score, after: Score) -> str:
    """The change in percentage points, signed: "+12.0 points"."""
    points = 100 * (after.accuracy - before.accuracy)
    sign = "+" if round(points, 1) >= 0 else ""  # decimal() writes the minus sign itself
    return QCoreApplication.translate("FinetunePanel", "{points} points").format(points=sign + decimal(points, 1))


class FineTunePanel(QWidget):
    """Parent model and epochs, Start/Stop, live curves, then before/after and save/use."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("finetunePanel")
        self.setStyleSheet(style.FINETUNE_PANEL_STYLESHEET)
        self._state = state
        self._digits: list[StoredDigit] = []
        self._short: list[int] = list(range(10))   # digits with too few examples to fine-tune
        self._running = False
        self._closing = False
        self._end_training = threading.Event()
        self._tensorflow_error = ""
        self._parent_name = ""
        self.result: FineTuneResult | None = None

        self.task = BackgroundTask(self)
        self.task.progressed.connect(self._on_progress)
        self.task.succeeded.connect(self._on_succeeded)
        self.task.failed.connect(self._on_failed)
        self.task.finished.connect(self._on_finished)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self._build_settings_card())
        self.progress = ProgressCard()
        layout.addWidget(self.progress.frame)
        # Hidden until a fine-tune ends, then right under the progress, where the eye already is;
        # while it runs, the curves take that place.
        self.result_card = self._build_result_card()
        self.result_card.hide()
        layout.addWidget(self.result_card)
        curves_card, curves_layout = card(self.tr("Fine-tuning curves"))
        self.curves = TrainingCurves(validation=False)
        self.live = LiveTraining(self.curves, self.progress)
        self.curves.setMinimumHeight(220)
        curves_layout.addWidget(self.curves)
        layout.addWidget(curves_card, 1)

        state.libraryListed.connect(self._on_library_listed)
        state.tensorflowReady.connect(self._on_tensorflow_ready)
        state.tensorflowFailed.connect(self._on_tensorflow_failed)
        if state.listing is not None:
            self._on_library_listed(state.listing)
        else:
            self._fill_parents(None)
        self._show_idle()
        self._update_buttons()

    # ------------------------------------------------------------------ layout

    def _build_settings_card(self) -> QWidget:
        frame, layout = card(self.tr("Fine-tune to your handwriting"))
        layout.addWidget(muted_label(
            self.tr("Trains a copy of a model on your digits plus a sample of MNIST, so it learns your hand "
            "without forgetting everyone else's. Some of your digits are kept aside to measure it.")
        ))
        form = QFormLayout()
        self.parent_combo = named(QComboBox(), "parentCombo")
        self.parent_combo.setToolTip(self.tr("The model to start from; it is left as it is."))
        self.parent_combo.currentIndexChanged.connect(self._on_parent_changed)
        self.epochs_spin = named(QSpinBox(), "epochsSpin")
        self.epochs_spin.setRange(1, MAX_EPOCHS)
        self.epochs_spin.setValue(FineTuneSettings().epochs)
        form.addRow(self.tr("Start from"), self.parent_combo)
        form.addRow(self.tr("Epochs"), self.epochs_spin)
        layout.addLayout(form)
        self.digits_label = named(QLabel(), "finetuneDigitsLabel")
        self.digits_label.setWordWrap(True)
        layout.addWidget(self.digits_label)
        self.error_label = named(QLabel(), "finetuneError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        buttons = QHBoxLayout()
        self.start_button = named(QPushButton(self.tr("Start fine-tuning")), "finetuneStartButton")
        self.start_button.setProperty("primary", True)
        self.start_button.setMinimumHeight(32)
        self.start_button.clicked.connect(self._on_start_clicked)
        self.stop_button = named(QPushButton(self.tr("Stop")), "finetuneStopButton")
        self.stop_button.setMinimumHeight(32)
        self.stop_button.setToolTip(self.tr("Stop after the current batch, keep what it has learnt and measure it."))
        self.stop_button.clicked.connect(self._on_stop_clicked)
        buttons.addWidget(self.start_button, 2)
        buttons.addWidget(self.stop_button, 1)
        layout.addLayout(buttons)
        return frame

    def _build_result_card(self) -> QWidget:
        frame, layout = card(self.tr("Before and after"))
        self.result_label = named(muted_label(""), "resultLabel")
        self.result_label.setWordWrap(True)
        self.result_table = named(read_only_table([QCoreApplication.translate("FinetunePanel", column) for column in RESULT_COLUMNS]), "resultTable")
        self.result_table.horizontalHeader().setStretchLastSection(True)
        self.result_table.setFixedHeight(90)    # a header and two rows, not a stretch of blank table
        layout.addWidget(self.result_table)
        layout.addWidget(self.result_label)
        self.saver = SaveToLibrary(self._state, prefix="finetune")
        self.saver.busyChanged.connect(self._on_save_busy)
        self.saver.failed.connect(self._show_error)
        layout.addWidget(self.saver)
        return frame

    # ------------------------------------------------------------------ inputs

    def set_digits(self, digits: list[StoredDigit]) -> None:
        """The stored digits a fine-tune would learn from (the My digits tab's latest listing)."""
        self._digits = list(digits)
        self._short = missing_labels(digits)
        text = self.tr("Your digits: {value}.").format(value=format_count(len(digits)))
        if self._short:
            listed = ", ".join(str(label) for label in self._short)
            text += self.tr(" Fine-tuning needs at least {MIN_PER_LABEL} of every digit; keep more of: {listed}.").format(MIN_PER_LABEL=MIN_PER_LABEL, listed=listed)
        self.digits_label.setText(text)
        self._update_buttons()

    def parent_path(self) -> Path | None:
        """The chosen parent model's file; None for the shipped default."""
        data = self.parent_combo.currentData()
        return Path(data) if data else None

    @Slot(object)
    def _on_library_listed(self, listing: object) -> None:
        if isinstance(listing, LibraryListing):
            self._fill_parents(listing)

    def _fill_parents(self, listing: LibraryListing | None) -> None:
        """The shipped model first, then every usable library model; the choice is kept."""
        current = self.parent_combo.currentData()
        self.parent_combo.blockSignals(True)
        self.parent_combo.clear()
        self.parent_combo.addItem(QCoreApplication.translate("FinetunePanel", SHIPPED_LABEL), "")
        if listing is not None:
            for model in listing.models:
                if not model.shipped and model.problem is None:
                    self.parent_combo.addItem(model.entry.name, str(model.entry.path))
        index = self.parent_combo.findData(current) if current else 0
        self.parent_combo.setCurrentIndex(max(index, 0))
        self.parent_combo.blockSignals(False)

    @Slot()
    def _on_parent_changed(self) -> None:
        if self.result is None:
            self._show_idle()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._state.ensure_listing()

    # ------------------------------------------------------------------ start / stop

    @Slot()
    def _on_start_clicked(self) -> None:
        if self._running or self.saver.is_saving() or not self._state.tensorflow_ready or self._closing:
            return
        if self._short:
            self._show_error(self.digits_label.text())
            return
        self.error_label.hide()
        self.result = None
        self.saver.withdraw()
        self._parent_name = self.parent_combo.currentText()
        self.result_card.hide()
        self._end_training = threading.Event()
        self._running = True
        self.live.restart()
        self.progress.label.setText(self.tr("Preparing {value} of your digits…").format(value=format_count(len(self._digits))))
        self._update_buttons()
        settings = FineTuneSettings(epochs=self.epochs_spin.value())
        self.task.start(self._state.engine_job(
            partial(finetune_job, self.parent_path(), list(self._digits), settings, self._state.run_log),
            self._end_training))
        self._state.show_status(self.tr("Fine-tuning {parent_name} on your digits…").format(parent_name=self._parent_name))

    @Slot()
    def _on_stop_clicked(self) -> None:
        if not self._running:
            return
        self._end_training.set()
        self.stop_button.setEnabled(False)
        self.progress.show_stopping()

    def is_running(self) -> bool:
        return self._running

    def shutdown(self) -> None:
        """Stop the fine-tune and join the workers; a save in progress finishes its file first."""
        self._closing = True
        self.saver.shutdown()
        self._end_training.set()
        self.task.stop_and_wait()

    # ------------------------------------------------------------------ worker reports

    @Slot(object)
    def _on_progress(self, bundle: object) -> None:
        """A bundle of one phase's reports: every batch to the curves, the newest to the card."""
        if self._closing or not isinstance(bundle, tuple):
            return
        self.live.show(bundle, stopping=self._end_training.is_set())

    @Slot(object)
    def _on_succeeded(self, outcome: object) -> None:
        if self._closing:
            return
        self.curves.flush()
        if not isinstance(outcome, FinishedFineTune):
            self.progress.show_nothing_trained()
            return
        result = self.result = outcome.result
        self.progress.show_done(result.trained.run)
        self._show_result(result)
        self.saver.offer(result.trained, result.trained.metadata.name, outcome.recorded)  # "<parent> + my hand"
        gained = change_text(result.personal_before, result.personal_after)
        self._state.show_status(self.tr("Fine-tuning finished: {gained} on your held-out digits. Save it or draw with it.").format(gained=gained))

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self._closing:
            return
        self.curves.flush()
        self.progress.show_failed()
        self._show_error(message)

    @Slot()
    def _on_finished(self) -> None:
        self._running = False
        if not self._closing:
            self._update_buttons()

    def _show_result(self, result: FineTuneResult) -> None:
        rows = (
            (result.personal_before, result.personal_after),
            (result.mnist_before, result.mnist_after),
        )
        table = self.result_table
        table.setRowCount(len(rows))
        for row, (before, after) in enumerate(rows):
            table.setItem(row, 0, cell(f"{before.data} ({format_count(before.count)})"))
            table.setItem(row, 1, cell(score_text(before), right=True))
            table.setItem(row, 2, cell(score_text(after), right=True))
            table.setItem(row, 3, cell(change_text(before, after), right=True))
        table.resizeColumnsToContents()
        self.result_card.show()
        how = (
            self.tr("Learnt from {personal_train} of your digits and {replayed} replayed MNIST digits; {personal_held_out} of yours were kept aside to measure it.").format(personal_train=format_count(result.personal_train), replayed=format_count(result.replayed), personal_held_out=format_count(result.personal_held_out))
        )
        if result.stopped:
            how = self.tr("Stopped by you; the weights learnt so far were measured. ") + how
        self.result_label.setText(how)

    @Slot(bool)
    def _on_save_busy(self, _saving: bool) -> None:
        self._update_buttons()

    # ------------------------------------------------------------------ TensorFlow

    @Slot()
    def _on_tensorflow_ready(self) -> None:
        self._update_buttons()

    @Slot(str)
    def _on_tensorflow_failed(self, message: str) -> None:
        self._tensorflow_error = self.tr("TensorFlow could not be loaded, so models cannot be fine-tuned: {message}").format(message=message)
        self._update_buttons()

    # ------------------------------------------------------------------ helpers

    def _show_idle(self) -> None:
        if not self._running:
            self.progress.show_idle()
            self.progress.label.setText(self.tr("Choose the model to start from, then press Start fine-tuning."))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self._state.show_status(message)

    def _update_buttons(self) -> None:
        ready = self._state.tensorflow_ready
        self.start_button.setEnabled(ready and not self._running and not self.saver.is_saving() and not self._short)
        self.stop_button.setEnabled(self._running and not self._end_training.is_set())
        for widget in (self.parent_combo, self.epochs_spin):
            widget.setEnabled(not self._running)
        if not ready:
            waiting = self.tr("TensorFlow is still loading; fine-tuning can start in a few seconds.")
            self.start_button.setToolTip(self._tensorflow_error or waiting)
        elif self._short:
            self.start_button.setToolTip(
                self.tr("Keep at least {MIN_PER_LABEL} of every digit first: draw one in the Draw tab and press its digit key.").format(MIN_PER_LABEL=MIN_PER_LABEL))
        else:
            self.start_button.setToolTip(self.tr("Fine-tune the chosen model on your digits."))
        self.saver.set_available(not self._running)
