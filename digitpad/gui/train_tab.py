"""The Train tab: pick data and a network, train it on a worker thread while the curves grow,
then see its test scores, save it to the library and draw with it.

Keras reports after every batch, hundreds of times a second for small models. The worker
therefore bundles those reports and crosses to the GUI thread at most `REPORTS_PER_SECOND`
times a second, and the curves redraw at most as often; the event loop stays free for the
user (benchmarks/bench_gui_training.py measures its stalls).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer, Slot
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.architectures import ArchitectureSpec, build_model, summarize
from digitpad.core.datasets import Dataset, image_warnings, load_dataset
from digitpad.core.errors import DigitpadError
from digitpad.core.evaluation import Evaluation, evaluate
from digitpad.core.inference import Predictor
from digitpad.core.library import LibraryEntry
from digitpad.core.training import TrainingProgress, TrainingRun, TrainingSpec, train
from digitpad.core.workflows import describe, keras_predict_function
from digitpad.gui.style import ACCENT, BORDER, MUTED, SURFACE, TEXT
from digitpad.gui.training_curves import TrainingCurves
from digitpad.gui.training_form import TrainingForm
from digitpad.gui.workers import BackgroundTask

if TYPE_CHECKING:
    from digitpad.gui.app_state import AppState

REPORTS_PER_SECOND = 30
SUMMARY_DELAY_MS = 150          # rebuild the layer summary once the user stops clicking
SHUTDOWN_TIMEOUT_MS = 60_000    # a stop ends training within a batch; this only bounds a hung thread
MISTAKES_SHOWN = 40
PROGRESS_STEPS = 1000

STYLESHEET = f"""
QFrame#errorBanner {{ background: #fef2f2; border: 1px solid #fecaca; border-radius: 8px; }}
QLabel#errorLabel {{ color: #991b1b; }}
QLabel#testAccuracyLabel {{ color: {TEXT}; font-size: 22pt; font-weight: 700; }}
QLabel#testLossLabel, QLabel#macroF1Label {{ color: {TEXT}; font-size: 14pt; font-weight: 600; }}
QLabel#progressLabel, QLabel#resultDetailsLabel, QLabel#metricCaption {{ color: {MUTED}; }}
QLabel#resultsPlaceholder {{ color: {MUTED}; font-size: 11pt; }}
QLabel#paramCountLabel {{ color: {TEXT}; font-weight: 600; }}
QGroupBox {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 10px;
    margin-top: 0px; padding: 26px 6px 4px 6px; }}
QGroupBox::title {{ subcontrol-origin: padding; subcontrol-position: top left; left: 14px; top: 10px;
    color: {MUTED}; font-size: 9pt; font-weight: 600; }}
QProgressBar {{ border: 1px solid {BORDER}; border-radius: 6px; background: {SURFACE}; text-align: center;
    min-height: 22px; color: {TEXT}; }}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 5px; }}
"""


# ---------------------------------------------------------------------------------------------
# Messages from the worker thread


@dataclass(frozen=True)
class StageProgress:
    """A phase without batches (loading data, testing), with its fraction done if known."""

    text: str
    fraction: float | None


@dataclass(frozen=True)
class BatchProgress:
    """Every batch since the previous report, as (loss, accuracy), plus the newest counters."""

    points: tuple[tuple[float, float], ...]
    latest: TrainingProgress


@dataclass(frozen=True)
class TrainingResult:
    """What a finished (or stopped) run hands back: the model, its data and its test scores."""

    run: TrainingRun
    dataset: Dataset
    evaluation: Evaluation


class ProgressRelay:
    """Runs on the worker: collects per-batch reports and forwards them in bundles, at most
    `REPORTS_PER_SECOND` times a second, so the GUI thread is not flooded with queued signals."""

    def __init__(self, emit: Callable[[object], None]) -> None:
        self._emit = emit
        self._interval = 1.0 / REPORTS_PER_SECOND
        self._last = 0.0
        self._points: list[tuple[float, float]] = []
        self._latest: TrainingProgress | None = None

    def training(self, report: TrainingProgress) -> None:
        if report.kind == "batch":
            self._points.append((report.logs.get("loss", np.nan), report.logs.get("accuracy", np.nan)))
            self._latest = report
            if time.monotonic() - self._last >= self._interval:
                self.flush()
        else:
            self.flush()
            self._emit(report)

    def stage(self, text: str, fraction: float | None) -> None:
        done = fraction is None or fraction >= 1.0
        if done or time.monotonic() - self._last >= self._interval:
            self._last = time.monotonic()
            self._emit(StageProgress(text, fraction))

    def flush(self) -> None:
        if self._points and self._latest is not None:
            self._emit(BatchProgress(tuple(self._points), self._latest))
            self._points = []
        self._last = time.monotonic()


def run_training(
    source: str,
    spec: TrainingSpec,
    training_stop: threading.Event,
    progress: Callable[[object], None],
    stop_event: threading.Event,
) -> TrainingResult | None:
    """The worker's whole job: load, train, test. Returns None if stopped before any batch.

    `training_stop` (the Stop button) ends training but still tests the weights learnt so far;
    `stop_event` (closing the window) ends everything as soon as possible.
    """
    relay = ProgressRelay(progress)
    label = source if len(source) < 60 else "…" + source[-58:]
    relay.stage(f"Loading {label}…", None)
    dataset = load_dataset(source, progress=partial(relay.stage, f"Loading {label}…"))
    if training_stop.is_set() or stop_event.is_set():
        return None
    relay.stage("Building the model…", None)
    run = train(dataset.x_train, dataset.y_train, spec, progress=relay.training, stop_event=training_stop)
    relay.flush()
    if not run.batch_history["loss"] or stop_event.is_set():
        return None
    testing = f"Testing on {len(dataset.x_test):,} images it has never seen…"
    relay.stage(testing, 0.0)
    evaluation = evaluate(
        keras_predict_function(run.model),
        dataset.x_test,
        dataset.y_test,
        progress=partial(relay.stage, testing),
        stop_event=stop_event,
    )
    return TrainingResult(run=run, dataset=dataset, evaluation=evaluation)


# ---------------------------------------------------------------------------------------------
# Formatting


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "estimating time left"
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s left"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}:{seconds:02d} left"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min left"


def format_duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds:02d} s"


def format_shape(shape: tuple[int | None, ...]) -> str:
    dims = [d for d in shape[1:]] if shape and shape[0] is None else list(shape)
    return " × ".join("?" if d is None else str(d) for d in dims)


def accuracy_text(accuracy: float) -> str:
    return f"{100 * accuracy:.2f} %"


def default_model_name(result: TrainingResult) -> str:
    return f"{result.run.spec.architecture.name} {result.dataset.name} {100 * result.evaluation.accuracy:.1f}"


def digit_pixmap(image: np.ndarray, size: int) -> QPixmap:
    """A dataset image (uint8 28x28, ink bright) as dark ink on white, like on paper."""
    ink = np.ascontiguousarray(255 - np.asarray(image, dtype=np.uint8))
    height, width = ink.shape
    qimage = QImage(ink.data, width, height, width, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(qimage).scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation)


def _card(title: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame(objectName="card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 12)
    layout.setSpacing(8)
    caption = QLabel(title.upper(), objectName="caption")
    layout.addWidget(caption)
    return frame, layout


def _read_only_table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(24)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setFrameShape(QFrame.Shape.NoFrame)
    return table


def _cell(text: str, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    alignment = Qt.AlignmentFlag.AlignRight if align_right else Qt.AlignmentFlag.AlignLeft
    item.setTextAlignment(alignment | Qt.AlignmentFlag.AlignVCenter)
    return item


# ---------------------------------------------------------------------------------------------
# The tab


class TrainTab(QWidget):
    """Settings on the left; progress, live curves, layer summary and test results on the right."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainTab")
        self.setStyleSheet(STYLESHEET)
        self._state = state
        self._training_stop = threading.Event()
        self._running = False
        self._closing = False
        self._batches_per_epoch_known = False
        self._tensorflow_error = ""
        self.result: TrainingResult | None = None
        self.saved_entry: LibraryEntry | None = None

        self.task = BackgroundTask(self)
        self.task.progressed.connect(self._on_progress)
        self.task.succeeded.connect(self._on_succeeded)
        self.task.failed.connect(self._on_failed)
        self.task.finished.connect(self._on_finished)

        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(SUMMARY_DELAY_MS)
        self._summary_timer.timeout.connect(self._refresh_summary)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_settings_panel())
        splitter.addWidget(self._build_main_panel())
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 1000])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(splitter)

        self.form.load_settings(state.settings)
        self.form.architectureChanged.connect(self._schedule_summary)
        state.tensorflowReady.connect(self._on_tensorflow_ready)
        state.tensorflowFailed.connect(self._on_tensorflow_failed)
        self._update_buttons()
        if state.tensorflow_ready:
            self._schedule_summary()

    # ------------------------------------------------------------------ layout

    def _build_settings_panel(self) -> QWidget:
        self.form = TrainingForm()
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.train_button = QPushButton("Start training", objectName="trainButton")
        self.train_button.setProperty("primary", True)
        self.train_button.setMinimumHeight(34)
        self.train_button.clicked.connect(self._start)
        self.stop_button = QPushButton("Stop", objectName="stopButton")
        self.stop_button.setMinimumHeight(34)
        self.stop_button.setToolTip("Stop after the current batch and keep what the model has learnt.")
        self.stop_button.clicked.connect(self._stop)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self._start)

        buttons = QHBoxLayout()
        buttons.addWidget(self.train_button, 2)
        buttons.addWidget(self.stop_button, 1)
        panel = QWidget()
        panel.setMinimumWidth(300)
        panel.setMaximumWidth(420)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        return panel

    def _build_main_panel(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self._build_error_banner())
        layout.addWidget(self._build_progress_card())
        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.setChildrenCollapsible(False)
        curves_card, curves_layout = _card("Training curves")
        self.curves = TrainingCurves()
        curves_layout.addWidget(self.curves)
        vertical.addWidget(curves_card)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.setChildrenCollapsible(False)
        bottom.addWidget(self._build_summary_card())
        bottom.addWidget(self._build_results_card())
        bottom.setStretchFactor(0, 2)
        bottom.setStretchFactor(1, 3)
        bottom.setSizes([360, 640])
        vertical.addWidget(bottom)
        vertical.setStretchFactor(0, 4)
        vertical.setStretchFactor(1, 5)
        vertical.setSizes([400, 500])
        layout.addWidget(vertical, 1)
        return panel

    def _build_error_banner(self) -> QFrame:
        self.error_banner = QFrame(objectName="errorBanner")
        row = QHBoxLayout(self.error_banner)
        row.setContentsMargins(12, 8, 8, 8)
        self.error_label = QLabel(objectName="errorLabel", wordWrap=True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(text="✕", objectName="errorCloseButton")
        close.setToolTip("Dismiss")
        close.setAutoRaise(True)
        close.clicked.connect(self.error_banner.hide)
        row.addWidget(self.error_label, 1)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.error_banner.hide()
        return self.error_banner

    def _build_progress_card(self) -> QFrame:
        card, layout = _card("Progress")
        self.progress_bar = QProgressBar(objectName="trainingProgress")
        self.progress_bar.setRange(0, PROGRESS_STEPS)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("Ready")
        self.progress_label = QLabel(objectName="progressLabel")
        self.progress_label.setText("Choose data and a model, then press Start training.")
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.progress_label)
        return card

    def _build_summary_card(self) -> QFrame:
        card, layout = _card("Model summary")
        self.param_label = QLabel(objectName="paramCountLabel", wordWrap=True)
        self.summary_table = _read_only_table(["Layer", "Output shape", "Parameters"])
        self.summary_table.setObjectName("summaryTable")
        header = self.summary_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.summary_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.param_label)
        layout.addWidget(self.summary_table, 1)
        return card

    def _build_results_card(self) -> QFrame:
        card, layout = _card("Test results")
        self.results_stack = QStackedWidget(objectName="resultsStack")
        placeholder = QLabel(
            "When training ends, the model is tested on images it has never seen.\n"
            "Its scores appear here, ready to save to the library and to draw with.",
            objectName="resultsPlaceholder",
            wordWrap=True,
            alignment=Qt.AlignmentFlag.AlignCenter,
        )
        self.results_stack.addWidget(placeholder)
        self.results_stack.addWidget(self._build_results_page())
        layout.addWidget(self.results_stack, 1)
        return card

    def _build_results_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        metrics = QGridLayout()
        metrics.setHorizontalSpacing(28)
        self.accuracy_label = QLabel(objectName="testAccuracyLabel")
        self.loss_label = QLabel(objectName="testLossLabel")
        self.f1_label = QLabel(objectName="macroF1Label")
        for column, (caption, value) in enumerate(
            (("test accuracy", self.accuracy_label), ("test loss", self.loss_label), ("macro F1", self.f1_label))
        ):
            metrics.addWidget(value, 0, column, Qt.AlignmentFlag.AlignBottom)
            metrics.addWidget(QLabel(caption, objectName="metricCaption"), 1, column)
        metrics.setColumnStretch(3, 1)
        layout.addLayout(metrics)
        self.result_details = QLabel(objectName="resultDetailsLabel", wordWrap=True)
        layout.addWidget(self.result_details)

        self.result_tabs = QTabWidget(objectName="resultTabs")
        self.result_tabs.setDocumentMode(True)
        self.per_class_table = _read_only_table(["Class", "Precision", "Recall", "F1", "Images"])
        self.per_class_table.setObjectName("perClassTable")
        self.per_class_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confusion_table = QTableWidget(objectName="confusionTable")
        self.confusion_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.confusion_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.confusion_table.setFrameShape(QFrame.Shape.NoFrame)
        self.confusion_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confusion_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.mistakes_list = QListWidget(objectName="mistakesList")
        self.mistakes_list.setViewMode(QListView.ViewMode.IconMode)
        self.mistakes_list.setIconSize(QSize(48, 48))
        self.mistakes_list.setGridSize(QSize(84, 84))
        self.mistakes_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.mistakes_list.setMovement(QListView.Movement.Static)
        self.mistakes_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.result_tabs.addTab(self.per_class_table, "Per class")
        self.result_tabs.addTab(self.confusion_table, "Confusion matrix")
        self.result_tabs.addTab(self.mistakes_list, "Mistakes")
        layout.addWidget(self.result_tabs, 1)

        save_row = QHBoxLayout()
        self.name_edit = QLineEdit(objectName="modelNameEdit")
        self.name_edit.setPlaceholderText("Model name")
        self.name_edit.textEdited.connect(self._on_name_edited)
        self.save_button = QPushButton("Save to library", objectName="saveButton")
        self.save_button.clicked.connect(self._save_clicked)
        self.use_button = QPushButton("Use for drawing", objectName="useButton")
        self.use_button.setProperty("primary", True)
        self.use_button.setToolTip("Save the model if needed and recognise drawings with it right away.")
        self.use_button.clicked.connect(self._use_for_drawing)
        save_row.addWidget(self.name_edit, 1)
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.use_button)
        layout.addLayout(save_row)
        return page

    # ------------------------------------------------------------------ TensorFlow and summary

    @Slot()
    def _on_tensorflow_ready(self) -> None:
        self._update_buttons()
        self._schedule_summary()

    @Slot(str)
    def _on_tensorflow_failed(self, message: str) -> None:
        self._tensorflow_error = f"TensorFlow could not be loaded, so models cannot be built or trained: {message}"
        self.param_label.setText(self._tensorflow_error)
        self._update_buttons()

    @Slot()
    def _schedule_summary(self) -> None:
        if self._state.tensorflow_ready:
            self._summary_timer.start()

    @Slot()
    def _refresh_summary(self) -> None:
        """Build the chosen network (no training) to list its layers; Keras takes a few tens of ms."""
        try:
            spec = self.form.architecture_spec()
            model = build_model(spec)
        except DigitpadError as error:
            self.param_label.setText(str(error))
            self.summary_table.setRowCount(0)
            return
        self._show_summary(spec, model)

    def _show_summary(self, spec: ArchitectureSpec, model: object) -> None:
        layers = summarize(model)
        total = sum(layer.params for layer in layers)
        trainable = sum(int(np.prod(weight.shape)) for weight in model.trainable_weights)
        text = f"{spec.name}: {total:,} parameters"
        if trainable != total:
            text += f" ({trainable:,} trainable)"
        self.param_label.setText(text)
        self.summary_table.setRowCount(len(layers))
        for row, layer in enumerate(layers):
            kind = _cell(layer.kind)
            kind.setToolTip(layer.name)
            self.summary_table.setItem(row, 0, kind)
            self.summary_table.setItem(row, 1, _cell(format_shape(layer.output_shape)))
            self.summary_table.setItem(row, 2, _cell(f"{layer.params:,}", align_right=True))

    # ------------------------------------------------------------------ start / stop

    @Slot()
    def _start(self) -> None:
        if self._running or not self._state.tensorflow_ready:
            return
        self.error_banner.hide()
        source = self.form.source()
        if source is None:
            self._show_error("Choose a dataset file or folder first (the File… or Folder… button).")
            return
        try:
            spec = self.form.training_spec()
        except DigitpadError as error:
            self._show_error(str(error))
            return
        self.form.save_settings(self._state.settings)
        self.result = None
        self.saved_entry = None
        self.results_stack.setCurrentIndex(0)
        self.curves.clear()
        self._batches_per_epoch_known = False
        self._training_stop = threading.Event()
        self._running = True
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setFormat("Starting…")
        self.progress_label.setText("Loading the data…")
        self._update_buttons()
        self.task.start(partial(run_training, source, spec, self._training_stop))
        self._state.show_status(f"Training {spec.architecture.name} for {spec.epochs} epochs…")

    @Slot()
    def _stop(self) -> None:
        if not self._running:
            return
        self._training_stop.set()
        self.stop_button.setEnabled(False)
        self.progress_label.setText("Stopping after this batch…")

    def shutdown(self) -> None:
        """Stop training and join the worker; the main window calls this when it closes."""
        self._closing = True
        self._summary_timer.stop()
        self.form.save_settings(self._state.settings)
        self._training_stop.set()
        self.task.stop_and_wait(SHUTDOWN_TIMEOUT_MS)

    def is_training(self) -> bool:
        return self._running

    # ------------------------------------------------------------------ worker reports

    @Slot(object)
    def _on_progress(self, report: object) -> None:
        if self._closing:
            return
        if isinstance(report, BatchProgress):
            self._show_batches(report)
        elif isinstance(report, TrainingProgress):
            self._show_epoch(report)
        elif isinstance(report, StageProgress):
            self._show_stage(report)

    def _show_batches(self, report: BatchProgress) -> None:
        latest = report.latest
        if not self._batches_per_epoch_known:
            self.curves.set_batches_per_epoch(latest.batches_per_epoch, latest.epochs)
            self._batches_per_epoch_known = True
            self.progress_bar.setRange(0, PROGRESS_STEPS)
        for loss, accuracy in report.points:
            self.curves.add_batch(loss, accuracy)
        done = (latest.epoch - 1) * latest.batches_per_epoch + latest.batch
        total = latest.epochs * latest.batches_per_epoch
        self.progress_bar.setValue(round(PROGRESS_STEPS * done / max(total, 1)))
        self.progress_bar.setFormat(
            f"Epoch {latest.epoch} of {latest.epochs}  ·  batch {latest.batch:,} of {latest.batches_per_epoch:,}"
        )
        if self._training_stop.is_set():
            return
        self.progress_label.setText(
            f"{latest.samples_per_second:,.0f} samples/s  ·  {format_seconds(latest.seconds_left)}  ·  "
            f"loss {latest.logs.get('loss', np.nan):.4f}  ·  accuracy {100 * latest.logs.get('accuracy', np.nan):.2f} %"
        )

    def _show_epoch(self, report: TrainingProgress) -> None:
        if "val_loss" in report.logs and "val_accuracy" in report.logs:
            self.curves.add_epoch(report.logs["val_loss"], report.logs["val_accuracy"])
            self._state.show_status(
                f"Epoch {report.epoch} of {report.epochs}: validation accuracy "
                f"{100 * report.logs['val_accuracy']:.2f} %, loss {report.logs['val_loss']:.4f}."
            )

    def _show_stage(self, report: StageProgress) -> None:
        self.curves.flush()
        if report.fraction is None:
            self.progress_bar.setRange(0, 0)
        else:
            self.progress_bar.setRange(0, PROGRESS_STEPS)
            self.progress_bar.setValue(round(PROGRESS_STEPS * report.fraction))
        self.progress_bar.setFormat(report.text.rstrip("…") if len(report.text) < 50 else "%p%")
        self.progress_label.setText(report.text)

    @Slot(object)
    def _on_succeeded(self, outcome: object) -> None:
        if self._closing:
            return
        self.curves.flush()
        if outcome is None:
            self.progress_bar.setRange(0, PROGRESS_STEPS)
            self.progress_bar.setValue(0)
            self.progress_bar.setFormat("Stopped")
            self.progress_label.setText("Stopped before the first batch: there is no model to test or save.")
            return
        assert isinstance(outcome, TrainingResult)
        self.result = outcome
        self._show_result(outcome)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self._closing:
            return
        self.curves.flush()
        self.progress_bar.setRange(0, PROGRESS_STEPS)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("Failed")
        self.progress_label.setText("Training did not finish; see the message above.")
        self._show_error(message)

    @Slot()
    def _on_finished(self) -> None:
        self._running = False
        if not self._closing:
            self._update_buttons()

    # ------------------------------------------------------------------ results

    def _show_result(self, result: TrainingResult) -> None:
        run, evaluation, dataset = result.run, result.evaluation, result.dataset
        self.progress_bar.setRange(0, PROGRESS_STEPS)
        self.progress_bar.setValue(PROGRESS_STEPS if not run.stopped_by_user else self.progress_bar.value())
        self.progress_bar.setFormat("Stopped — weights kept" if run.stopped_by_user else "Done")
        how = f"{run.epochs_completed} epoch{'s' if run.epochs_completed != 1 else ''} in {format_duration(run.duration_s)}"
        if run.stopped_by_user:
            how = f"stopped by you after {len(run.batch_history['loss']):,} batches ({how})"
        elif run.stopped_early:
            how += ", early stopping kept the best epoch"
        self.progress_label.setText(f"Trained {how} at {run.samples_per_second:,.0f} samples/s.")
        self.accuracy_label.setText(accuracy_text(evaluation.accuracy))
        self.loss_label.setText(f"{evaluation.loss:.4f}")
        self.f1_label.setText(f"{evaluation.macro_f1:.4f}")
        details = [f"Tested on {dataset.test_label} (images the model never saw): "
                   f"{len(evaluation.misclassified):,} wrong."]
        details.extend([*dataset.notes, *image_warnings(dataset.x_train)])
        self.result_details.setText(" ".join(details))
        self._fill_per_class(evaluation, dataset.class_names)
        self._fill_confusion(evaluation, dataset.class_names)
        self._fill_mistakes(evaluation, dataset)
        self.name_edit.setText(default_model_name(result))
        self.save_button.setText("Save to library")
        self.results_stack.setCurrentIndex(1)
        self._update_buttons()
        self._state.show_status(
            f"Training finished: {accuracy_text(evaluation.accuracy)} on the test images. Save it or draw with it."
        )

    def _fill_per_class(self, evaluation: Evaluation, class_names: tuple[str, ...]) -> None:
        table = self.per_class_table
        table.setRowCount(len(evaluation.per_class))
        for row, metrics in enumerate(evaluation.per_class):
            name = class_names[metrics.label] if metrics.label < len(class_names) else str(metrics.label)
            table.setItem(row, 0, _cell(name))
            table.setItem(row, 1, _cell(f"{100 * metrics.precision:.1f} %", True))
            table.setItem(row, 2, _cell(f"{100 * metrics.recall:.1f} %", True))
            table.setItem(row, 3, _cell(f"{metrics.f1:.3f}", True))
            table.setItem(row, 4, _cell(f"{metrics.support:,}", True))

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
        accent, warning = QColor(ACCENT), QColor("#dc2626")
        for true in range(count):
            for predicted in range(count):
                value = int(confusion[true, predicted])
                share = value / totals[true] if totals[true] else 0.0
                item = QTableWidgetItem(str(value) if value else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                color = QColor(accent if true == predicted else warning)
                color.setAlphaF(min(1.0, share * (0.8 if true == predicted else 4.0)) * 0.85)
                item.setBackground(color)
                if true == predicted and share > 0.6:
                    item.setForeground(QColor("white"))
                item.setToolTip(f"True {class_names[true]}, predicted {class_names[predicted]}: {value:,} images")
                table.setItem(true, predicted, item)
        table.setToolTip("Rows: true class. Columns: the model's answer.")

    def _fill_mistakes(self, evaluation: Evaluation, dataset: Dataset) -> None:
        """The most confident mistakes first: the ones worth looking at."""
        self.mistakes_list.clear()
        names = dataset.class_names
        for mistake in evaluation.misclassified[:MISTAKES_SHOWN]:
            icon = QIcon(digit_pixmap(dataset.x_test[mistake.index], 48))
            text = f"{names[mistake.true]} → {names[mistake.predicted]}" if len(names[0]) <= 3 else f"→ {names[mistake.predicted]}"
            item = QListWidgetItem(icon, f"{text}\n{100 * mistake.confidence:.0f} %")
            item.setToolTip(
                f"Test image {mistake.index}: really {names[mistake.true]}, the model said "
                f"{names[mistake.predicted]} with {100 * mistake.confidence:.1f} % confidence."
            )
            self.mistakes_list.addItem(item)
        self.result_tabs.setTabText(2, f"Mistakes ({len(evaluation.misclassified):,})")

    # ------------------------------------------------------------------ save and use

    @Slot()
    def _on_name_edited(self) -> None:
        # A new name after saving means "save another copy under this name".
        if self.saved_entry is not None:
            self.saved_entry = None
            self.save_button.setText("Save to library")
            self._update_buttons()

    @Slot()
    def _save_clicked(self) -> None:
        self.save()

    def save(self) -> LibraryEntry | None:
        """Save the last trained model to the library (once per name); None if it failed."""
        if self.result is None:
            return None
        if self.saved_entry is not None:
            return self.saved_entry
        name = self.name_edit.text().strip() or default_model_name(self.result)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            metadata = describe(self.result.run, self.result.dataset, self.result.evaluation, name)
            entry = self._state.library.save(self.result.run.model, metadata)
        except DigitpadError as error:
            self._show_error(str(error))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.saved_entry = entry
        self.name_edit.setText(entry.name)
        self.save_button.setText("Saved ✓")
        self._update_buttons()
        self._state.notify_library_changed()
        self._state.show_status(f"Saved “{entry.name}” to the library ({entry.path}).")
        return entry

    @Slot()
    def _use_for_drawing(self) -> None:
        entry = self.save()
        if entry is None:
            return
        try:
            predictor = Predictor.load(entry.path)
        except DigitpadError as error:
            self._show_error(str(error))
            return
        self._state.set_predictor(predictor)
        self._state.show_status(f"Now drawing with “{entry.name}”.")

    # ------------------------------------------------------------------ helpers

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_banner.show()
        self._state.show_status(message)

    def _update_buttons(self) -> None:
        ready = self._state.tensorflow_ready
        self.train_button.setEnabled(ready and not self._running)
        self.stop_button.setEnabled(self._running and not self._training_stop.is_set())
        self.form.setEnabled(not self._running)
        if not ready:
            waiting = "TensorFlow is still loading; training can start in a few seconds."
            self.train_button.setToolTip(self._tensorflow_error or waiting)
            if not self.param_label.text():
                self.param_label.setText("Loading TensorFlow… the layer summary follows in a moment.")
        else:
            self.train_button.setToolTip("Train the model on the chosen data (Ctrl+Enter).")
        has_result = self.result is not None and not self._running
        self.save_button.setEnabled(has_result and self.saved_entry is None)
        self.use_button.setEnabled(has_result)
        self.name_edit.setEnabled(has_result)
