"""The Train tab: pick data and a network, train it in the engine process while the curves grow,
then see its test scores, save it to the library and draw with it.

The tab lays out its parts and wires them: the settings (`TrainingForm`), the run's progress
(`training_run`), the live curves (`TrainingCurves`), the test results (`EvaluationView`), the
runs recorded so far (`RunsView`) and a k-fold cross-validation of the same recipe
(`crossval_view`), each on a page of its own so tables and galleries get room. The work itself
is the core's `training_jobs.train_job`, sent to the engine (`core.engine`) by a
`BackgroundTask`; its reports reach this thread in bundles, a few a second
(benchmarks/bench_gui_training.py measures what the window costs the training), and the model
comes back as a file. Cross-validation and tuning run their core jobs the same way on tasks of
their own and share the progress card, the curves and Stop; one job runs at a time. Building
the network for the layer summary runs in the engine too; saving copies the file on a worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.crossval import crossval_job
from digitpad.core.engine import ShortJob
from digitpad.core.errors import DigitpadError
from digitpad.core.formatting import format_shape
from digitpad.core.model_jobs import evaluated_set
from digitpad.core.trained_predictor import TrainedPredictor
from digitpad.core.training import ModelSummary, TrainingSpec, summarize_architecture
from digitpad.core.training_jobs import FinishedTraining, train_job
from digitpad.core.tuning import TuningProgress, TuningResult, tuning_job
from digitpad.core.workflows import TrainedModel, default_name
from digitpad.gui import style
from digitpad.gui.crossval_view import (
    DEFAULT_FOLDS,
    MAX_FOLDS,
    MIN_FOLDS,
    CrossValidationView,
    FinishedCrossValidation,
    LiveCrossValidation,
    crossval_accuracy_text,
)
from digitpad.gui.evaluation_view import EvaluationView
from digitpad.gui.i18n import accuracy_text, decimal, format_count
from digitpad.gui.library_save import SaveToLibrary
from digitpad.gui.runs_view import RunsView
from digitpad.gui.training_curves import TrainingCurves
from digitpad.gui.training_form import TrainingForm
from digitpad.gui.training_run import LiveTraining, ProgressCard
from digitpad.gui.tuning_view import TuningView
from digitpad.gui.widgets import card, cell, named, read_only_table
from digitpad.gui.workers import BackgroundTask, LatestTask

if TYPE_CHECKING:
    from digitpad.gui.app_state import AppState

SUMMARY_DELAY_MS = 150  # rebuild the layer summary once the user stops clicking
DEFAULT_TUNING_VALIDATION = 0.1  # trials are compared on validation images: a form without a split gets this
FOLDS_SETTING = "crossval/folds"
SETTINGS_MIN_WIDTH, SETTINGS_RIGHT_MARGIN = 300, 6  # px: the settings column
_TRAINING_PAGE, _RESULTS_PAGE, _CROSSVAL_PAGE, _TUNING_PAGE = 0, 1, 3, 4
_PLACEHOLDER, _RESULTS = 0, 1


class TrainTab(QWidget):
    """Settings on the left; progress, live curves, layer summary and test results on the right."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainTab")
        self.setStyleSheet(style.TRAIN_TAB_STYLESHEET)
        self._state = state
        self._end_training = threading.Event()
        self._running = False
        self._cross_validating = False
        self._crossval_stopping = False
        self._tuning = False
        self._tuning_stopping = False
        self._closing = False
        self._tensorflow_error = ""
        self.result: TrainedModel | None = None

        self.task = BackgroundTask(self)
        self.task.progressed.connect(self._on_progress)
        self.task.succeeded.connect(self._on_succeeded)
        self.task.failed.connect(self._on_failed)
        self.task.finished.connect(self._on_finished)
        self.crossval_task = BackgroundTask(self)
        self.crossval_task.progressed.connect(self._on_crossval_progress)
        self.crossval_task.succeeded.connect(self._on_crossval_succeeded)
        self.crossval_task.failed.connect(self._on_crossval_failed)
        self.crossval_task.finished.connect(self._on_crossval_finished)
        self.tuning_task = BackgroundTask(self)
        self.tuning_task.progressed.connect(self._on_tuning_progress)
        self.tuning_task.succeeded.connect(self._on_tuning_succeeded)
        self.tuning_task.failed.connect(self._on_tuning_failed)
        self.tuning_task.finished.connect(self._on_tuning_finished)
        # Saving converts the model for the fast path: a worker's job too.

        # The summary builds the network with Keras: on a worker, the newest settings only.
        self._summary_task = LatestTask(self)
        self._summary_task.succeeded.connect(self._on_summary_ready)
        self._summary_task.failed.connect(self._on_summary_failed)
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(SUMMARY_DELAY_MS)
        self._summary_timer.timeout.connect(self._on_summary_timer)

        # Four pages, so the results get the tab's whole width rather than a corner beside the settings.
        self.pages = named(QTabWidget(), "trainPages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(self._build_training_page(), self.tr("Training"))
        self.pages.addTab(self._build_results_page(), self.tr("Test results"))
        self.runs = RunsView(state.run_log)
        self.pages.addTab(self.runs, self.tr("Runs"))
        self.crossval_view = CrossValidationView()
        self.pages.addTab(self.crossval_view, self.tr("Cross-validation"))
        self.live_crossval = LiveCrossValidation(self.live, self.crossval_view)
        self.tuning_view = TuningView()
        self.pages.addTab(self.tuning_view, self.tr("Tuning"))
        self.tuning_view.startRequested.connect(self._on_tuning_start)
        self.tuning_view.stopRequested.connect(self._on_stop_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self._build_error_banner())
        layout.addWidget(self.pages, 1)

        self.form.load_settings(state.settings)
        self._fit_settings_width()
        self.folds_spin.setValue(state.int_setting(FOLDS_SETTING, DEFAULT_FOLDS))
        self.form.architectureChanged.connect(self._on_architecture_changed)
        state.tensorflowReady.connect(self._on_tensorflow_ready)
        state.tensorflowFailed.connect(self._on_tensorflow_failed)
        self._update_buttons()
        if state.tensorflow_ready:
            self._summary_timer.start()

    # ------------------------------------------------------------------ layout

    def _build_settings_panel(self) -> QWidget:
        self.form = TrainingForm(state=self._state)
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._settings_scroll = scroll

        self.train_button = named(QPushButton(self.tr("Start training")), "trainButton")
        self.train_button.setProperty("primary", True)
        self.train_button.setMinimumHeight(34)
        self.train_button.clicked.connect(self._on_start_clicked)
        self.stop_button = named(QPushButton(self.tr("Stop")), "stopButton")
        self.stop_button.setMinimumHeight(34)
        self.stop_button.clicked.connect(self._on_stop_clicked)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self._on_start_clicked)

        self.crossval_button = named(QPushButton(self.tr("Cross-validate")), "crossvalButton")
        self.crossval_button.setMinimumHeight(30)
        self.crossval_button.clicked.connect(self._on_crossval_clicked)
        self.folds_spin = named(QSpinBox(), "foldsSpin")
        self.folds_spin.setRange(MIN_FOLDS, MAX_FOLDS)
        self.folds_spin.setSuffix(self.tr(" folds"))
        self.folds_spin.setMinimumHeight(30)
        self.folds_spin.setToolTip(self.tr("How many folds the training images are dealt into: each is held out once."))

        buttons = QHBoxLayout()
        buttons.addWidget(self.train_button, 2)
        buttons.addWidget(self.stop_button, 1)
        self.tune_button = named(QPushButton(self.tr("Tune…")), "tuneButton")
        self.tune_button.setMinimumHeight(30)
        self.tune_button.clicked.connect(self._on_tune_clicked)
        crossval_row = QHBoxLayout()
        crossval_row.addWidget(self.crossval_button, 2)
        crossval_row.addWidget(self.folds_spin, 1)
        crossval_row.addWidget(self.tune_button, 1)
        panel = self._settings_panel = QWidget()
        panel.setMaximumWidth(480)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 8, SETTINGS_RIGHT_MARGIN, 0)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        layout.addLayout(crossval_row)
        return panel

    def _build_training_page(self) -> QWidget:
        """Settings on the left; the run's progress, live curves and layer summary on the right."""
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        settings = self._build_settings_panel()
        self._fit_settings_width()
        splitter.addWidget(settings)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 8, 0, 0)
        layout.setSpacing(10)
        self.progress = ProgressCard()
        layout.addWidget(self.progress.frame)
        layout.addWidget(self._build_learning_page(), 1)
        splitter.addWidget(panel)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([max(340, settings.minimumWidth()), 1000])
        return splitter

    def _build_learning_page(self) -> QWidget:
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        curves_card, curves_layout = card(self.tr("Training curves"))
        self.curves = TrainingCurves()
        self.live = LiveTraining(self.curves, self.progress)
        curves_layout.addWidget(self.curves)
        split.addWidget(curves_card)
        split.addWidget(self._build_summary_card())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([600, 400])
        return split

    def _build_results_page(self) -> QWidget:
        self.saver = SaveToLibrary(self._state)
        self.saver.busyChanged.connect(self._on_save_busy)
        self.saver.failed.connect(self._show_error)
        self.saver.saved.connect(self._on_model_saved)
        self.evaluation = EvaluationView(settings=self._state.settings)
        results = QWidget()
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 8, 0, 0)
        results_layout.addWidget(self.saver)
        results_layout.addWidget(self.evaluation, 1)
        placeholder = named(
            QLabel(self.tr(
                "When training ends, the model is tested on images it has never seen.\n"
                "Its scores, its confusion matrix and every answer appear here, ready to save and to draw with."
            )),
            "resultsPlaceholder",
        )
        placeholder.setWordWrap(True)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.results_stack = named(QStackedWidget(), "resultsStack")
        self.results_stack.addWidget(placeholder)
        self.results_stack.addWidget(results)
        return self.results_stack

    def _build_error_banner(self) -> QFrame:
        self.error_banner = named(QFrame(), "errorBanner")
        row = QHBoxLayout(self.error_banner)
        row.setContentsMargins(12, 8, 8, 8)
        self.error_label = named(QLabel(), "errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = named(QToolButton(), "errorCloseButton")
        close.setText("✕")
        close.setToolTip(self.tr("Dismiss"))
        close.setAutoRaise(True)
        close.clicked.connect(self.error_banner.hide)
        row.addWidget(self.error_label, 1)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.error_banner.hide()
        return self.error_banner

    def _build_summary_card(self) -> QFrame:
        frame, layout = card(self.tr("Model summary"))
        self.param_label = named(QLabel(), "paramCountLabel")
        self.param_label.setWordWrap(True)
        self.summary_table = named(read_only_table([self.tr("Layer"), self.tr("Output shape"), self.tr("Parameters")]), "summaryTable")
        header = self.summary_table.horizontalHeader()
        # Every column as wide as its widest entry; the table then asks for that width (see
        # `_fit_summary_width`), so no count is cut to "131,..." beside a vertical scroll bar.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.summary_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.param_label)
        layout.addWidget(self.summary_table, 1)
        return frame

    # ------------------------------------------------------------------ TensorFlow and summary

    @Slot()
    def _on_tensorflow_ready(self) -> None:
        self._update_buttons()
        self._summary_timer.start()

    @Slot(str)
    def _on_tensorflow_failed(self, message: str) -> None:
        self._tensorflow_error = self.tr(
            "TensorFlow could not be loaded, so models cannot be built or trained: {message}").format(message=message)
        self.param_label.setText(self._tensorflow_error)
        self._update_buttons()

    def _fit_settings_width(self) -> None:
        """The form scrolls vertically at the default window size: its column leaves room for the
        bar, or the bar covers the right edge of every field. Measured again once the settings are
        loaded and when the architecture changes (its name and description change the form's
        width, and French labels make it wider still)."""
        scroll = self._settings_scroll
        width = self.form.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 2 * scroll.frameWidth()
        scroll.setMinimumWidth(width)
        # The splitter reads its child's own minimum, so the column itself must ask for the room.
        self._settings_panel.setMinimumWidth(max(SETTINGS_MIN_WIDTH, width + SETTINGS_RIGHT_MARGIN))

    @Slot()
    def _on_architecture_changed(self) -> None:
        self._fit_settings_width()
        if self._state.tensorflow_ready:
            self._summary_timer.start()

    @Slot()
    def _on_summary_timer(self) -> None:
        try:
            spec = self.form.architecture_spec()
        except DigitpadError as error:
            self._on_summary_failed(str(error))
            return
        self._summary_task.submit(self._state.engine_job(ShortJob(summarize_architecture, (spec,))))

    @Slot(str)
    def _on_summary_failed(self, message: str) -> None:
        self.param_label.setText(message)
        self.summary_table.setRowCount(0)

    @Slot(object)
    def _on_summary_ready(self, summary: object) -> None:
        if not isinstance(summary, ModelSummary):
            return
        if summary.trainable != summary.total:
            text = self.tr("{name}: {total} parameters ({trainable} trainable)").format(
                name=summary.name, total=format_count(summary.total), trainable=format_count(summary.trainable))
        else:
            text = self.tr("{name}: {total} parameters").format(name=summary.name, total=format_count(summary.total))
        self.param_label.setText(text)
        self.summary_table.setRowCount(len(summary.layers))
        for row, layer in enumerate(summary.layers):
            self.summary_table.setItem(row, 0, cell(layer.kind, tooltip=layer.name))
            self.summary_table.setItem(row, 1, cell(format_shape(layer.output_shape)))
            self.summary_table.setItem(row, 2, cell(format_count(layer.params), right=True))
        self._fit_summary_width()

    def _fit_summary_width(self) -> None:
        table, header = self.summary_table, self.summary_table.horizontalHeader()
        columns = sum(
            max(table.sizeHintForColumn(column), header.sectionSizeHint(column)) for column in range(table.columnCount())
        )
        slack = 16  # the style sheet's cell padding and the scroll bar's margins
        table.setMinimumWidth(columns + table.verticalScrollBar().sizeHint().width() + 2 * table.frameWidth() + slack)

    # ------------------------------------------------------------------ start / stop

    def _checked_recipe(self) -> tuple[str, TrainingSpec] | None:
        """The form's data and recipe when a job may start now, or None: while another job runs
        or TensorFlow loads (the buttons are disabled then, but a shortcut may still fire), or
        after saying what is missing. Saves the settings."""
        if self._busy() or not self._state.tensorflow_ready:
            return None
        self.error_banner.hide()
        source = self.form.source()
        if source is None:
            self._show_error(self.tr("Choose a dataset file or folder first (the File… or Folder… button)."))
            return None
        try:
            spec = self.form.training_spec()
        except DigitpadError as error:
            self._show_error(str(error))
            return None
        self.form.save_settings(self._state.settings)
        return source, spec

    @Slot()
    def _on_start_clicked(self) -> None:
        recipe = self._checked_recipe()
        if recipe is None:
            return
        source, spec = recipe
        self.result = None
        self.saver.withdraw()
        self.evaluation.clear()
        self.results_stack.setCurrentIndex(_PLACEHOLDER)
        self.pages.setCurrentIndex(_TRAINING_PAGE)
        self._end_training = threading.Event()
        self._running = True
        self.live.restart()
        self._update_buttons()
        self.task.start(self._state.engine_job(
            partial(train_job, source, spec, self._state.run_log, self.form.tensorboard_dir()), self._end_training))
        self._state.show_status(self.tr("Training {name} for {epochs} epochs…").format(
            name=spec.architecture.name, epochs=format_count(spec.epochs)))

    @Slot()
    def _on_crossval_clicked(self) -> None:
        recipe = self._checked_recipe()
        if recipe is None:
            return
        source, spec = recipe
        folds = self.folds_spin.value()
        self._state.settings.setValue(FOLDS_SETTING, folds)
        self.pages.setCurrentIndex(_TRAINING_PAGE)
        self._cross_validating = True
        self._crossval_stopping = False
        self.live_crossval.restart(folds)
        self._update_buttons()
        self.crossval_task.start(self._state.engine_job(partial(crossval_job, source, spec, folds)))
        self._state.show_status(self.tr("Cross-validating {name} over {folds} folds…").format(
            name=spec.architecture.name, folds=folds))

    @Slot()
    def _on_tune_clicked(self) -> None:
        """The Tuning page, where the search is set up and started."""
        self.pages.setCurrentIndex(_TUNING_PAGE)

    @Slot()
    def _on_tuning_start(self) -> None:
        recipe = self._checked_recipe()
        if recipe is None:
            return
        source, spec = recipe
        view = self.tuning_view
        try:
            space = view.search_space()
        except DigitpadError as error:
            self._show_error(str(error))
            return
        spec = replace(spec, epochs=view.epochs_spin.value(),
                       validation_split=spec.validation_split or DEFAULT_TUNING_VALIDATION)
        max_trials = view.trials_spin.value()
        self._tuning = True
        self._tuning_stopping = False
        self.live.restart()
        view.start(max_trials)
        self._update_buttons()
        self.tuning_task.start(self._state.engine_job(
            partial(tuning_job, source, space, spec, view.algorithm(), max_trials, self._state.library)))
        self._state.show_status(self.tr("Searching hyperparameters for {name}: up to {trials} trials…").format(
            name=spec.architecture.name, trials=max_trials))

    @Slot()
    def _on_stop_clicked(self) -> None:
        if self._tuning:
            self._tuning_stopping = True
            self.tuning_task.request_stop()
            self._update_buttons()
            self.progress.label.setText(self.tr("Stopping: the trial under way is dropped, the finished ones are kept…"))
            return
        if self._cross_validating:
            self._crossval_stopping = True
            self.crossval_task.request_stop()
            self.stop_button.setEnabled(False)
            self.live_crossval.show_stopping()
            return
        if not self._running:
            return
        self._end_training.set()
        self.stop_button.setEnabled(False)
        self.progress.show_stopping()

    def shutdown(self) -> None:
        """Stop the run and join the worker; the main window calls this when it closes.

        The join has no timeout: the job checks the task's stop event between batches, images
        and loading steps, so it ends within one of them and no thread outlives the window.
        """
        self._closing = True
        self._summary_timer.stop()
        self._summary_task.stop_and_wait()
        self.saver.shutdown()
        self.evaluation.shutdown()
        self.runs.shutdown()
        self.form.save_settings(self._state.settings)
        self._end_training.set()
        self.form.shutdown()
        self.task.stop_and_wait()
        self.crossval_task.stop_and_wait()
        self.tuning_task.stop_and_wait()

    def is_training(self) -> bool:
        return self._running

    # ------------------------------------------------------------------ worker reports

    @Slot(object)
    def _on_progress(self, bundle: object) -> None:
        """A bundle of reports of one phase (see `ProgressRelay`): every batch goes to the
        curves, only the newest one to the progress card."""
        if self._closing or not isinstance(bundle, tuple):
            return
        for report in self.live.show(bundle, stopping=self._end_training.is_set()):
            self._state.show_status(self.tr("Epoch {epoch} of {epochs}: validation accuracy {accuracy}, loss {loss}.").format(
                epoch=report.epoch, epochs=report.epochs, accuracy=accuracy_text(report.logs["val_accuracy"]),
                loss=decimal(report.logs["val_loss"], 4)))

    @Slot(object)
    def _on_succeeded(self, outcome: object) -> None:
        if self._closing:
            return
        self.curves.flush()
        if not isinstance(outcome, FinishedTraining):
            self.progress.show_nothing_trained()
            return
        trained = self.result = outcome.trained
        self.progress.show_done(trained.run)
        dataset = trained.dataset  # its notes already say what the training images warned of
        self.evaluation.show_evaluation(
            evaluated_set(dataset, trained.evaluation, trained.metadata.name, dataset.notes), TrainedPredictor(trained)
        )
        self.results_stack.setCurrentIndex(_RESULTS)
        self.pages.setCurrentIndex(_RESULTS_PAGE)
        self.saver.offer(trained, default_name(trained.run, dataset, trained.evaluation), outcome.recorded)
        self._update_buttons()
        self.runs.refresh()
        self._state.show_status(self.tr("Training finished: {accuracy} on the test images. Save it or draw with it.").format(
            accuracy=accuracy_text(trained.evaluation.accuracy)))

    @Slot(object)
    def _on_model_saved(self, _entry: object) -> None:
        """The save also named the model in the run's record: the Runs page shows it."""
        self.runs.refresh()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._report_failure(self.progress.show_failed, message)

    @Slot()
    def _on_finished(self) -> None:
        self._running = False
        if not self._closing:
            self._update_buttons()

    @Slot(object)
    def _on_crossval_progress(self, bundle: object) -> None:
        """A bundle of one fold's reports (see `ProgressRelay`); each finished fold is announced."""
        if self._closing or not isinstance(bundle, tuple):
            return
        for fold in self.live_crossval.show(bundle, stopping=self._crossval_stopping):
            self._state.show_status(self.tr("Fold {fold}: {accuracy} on its {images} held-out images.").format(
                fold=fold.index, accuracy=accuracy_text(fold.accuracy), images=format_count(fold.held_out)))

    @Slot(object)
    def _on_crossval_succeeded(self, outcome: object) -> None:
        if self._closing:
            return
        self.curves.flush()
        if not isinstance(outcome, FinishedCrossValidation):
            self.live_crossval.show_nothing_finished()
            return
        result = outcome.result
        self.live_crossval.show_done(result)
        self.crossval_view.show_result(outcome)
        self.pages.setCurrentIndex(_CROSSVAL_PAGE)
        if result.stopped:
            text = self.tr("Cross-validation stopped after {done} of {folds} folds: {accuracy}.").format(
                done=len(result.folds), folds=result.fold_count, accuracy=crossval_accuracy_text(result))
        else:
            text = self.tr("Cross-validation finished: {accuracy}.").format(accuracy=crossval_accuracy_text(result))
        self._state.show_status(text)

    @Slot(str)
    def _on_crossval_failed(self, message: str) -> None:
        self._report_failure(self.live_crossval.show_failed, message)

    def _report_failure(self, show_failed: Callable[[], None], message: str) -> None:
        """A training or a cross-validation failed: its card says so, the banner says why."""
        if self._closing:
            return
        self.curves.flush()
        show_failed()
        self._show_error(message)

    @Slot()
    def _on_crossval_finished(self) -> None:
        self._cross_validating = False
        if not self._closing:
            self._update_buttons()

    @Slot(object)
    def _on_tuning_progress(self, bundle: object) -> None:
        """A bundle of one trial's reports: its start restarts the card and curves, its batches
        feed them, its result joins the Tuning page's table."""
        if self._closing or not isinstance(bundle, tuple):
            return
        training = []
        for report in bundle:
            if not isinstance(report, TuningProgress):
                continue
            if report.training is not None:
                training.append(report.training)
            elif report.result is not None:
                self.tuning_view.add_trial(report.result)
            else:
                self.live.restart()
                self.progress.bar.setFormat(self.tr("Trial {trial} of at most {trials}").format(
                    trial=report.trial, trials=report.trials))
        if training:
            self.live.show(tuple(training), stopping=self._tuning_stopping)

    @Slot(object)
    def _on_tuning_succeeded(self, outcome: object) -> None:
        if self._closing:
            return
        self.curves.flush()
        if not isinstance(outcome, TuningResult):
            self.tuning_view.show_message(self.tr("Stopped before the first trial was finished: nothing to show."))
            self.progress.show_nothing_trained()
            return
        self.tuning_view.show_result(outcome)
        self.pages.setCurrentIndex(_TUNING_PAGE)
        self._state.refresh_library()
        self._state.show_status(self.tr("Search finished; the best model was saved to the library as {path}.").format(
            path=outcome.best_path))

    @Slot(str)
    def _on_tuning_failed(self, message: str) -> None:
        self._report_failure(self.progress.show_failed, message)
        self.tuning_view.show_message(self.tr("The search did not finish; see the message above."))

    @Slot()
    def _on_tuning_finished(self) -> None:
        self._tuning = False
        if not self._closing:
            self._update_buttons()

    @Slot(bool)
    def _on_save_busy(self, _saving: bool) -> None:
        self._update_buttons()

    # ------------------------------------------------------------------ helpers

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_banner.show()
        self._state.show_status(message)

    def _busy(self) -> bool:
        """A training or a cross-validation runs: one at a time, they share the card and the curves."""
        return self._running or self._cross_validating or self._tuning

    def _update_buttons(self) -> None:
        ready = self._state.tensorflow_ready
        busy = self._busy()
        self.train_button.setEnabled(ready and not busy)
        self.crossval_button.setEnabled(ready and not busy)
        self.tune_button.setEnabled(ready and not busy)
        self.tuning_view.set_running(self._tuning and not self._tuning_stopping, ready=ready and not busy)
        self.folds_spin.setEnabled(not busy)
        stoppable = (
            (self._running and not self._end_training.is_set())
            or (self._cross_validating and not self._crossval_stopping)
            or (self._tuning and not self._tuning_stopping)
        )
        self.stop_button.setEnabled(stoppable)
        self.stop_button.setToolTip(
            self.tr("Stop now: the fold under way is dropped, the finished folds are kept.") if self._cross_validating
            else self.tr("Stop after the current batch and keep what the model has learnt.")
        )
        self.form.setEnabled(not busy)
        if not ready:
            waiting = self.tr("TensorFlow is still loading; training can start in a few seconds.")
            self.train_button.setToolTip(self._tensorflow_error or waiting)
            self.crossval_button.setToolTip(self._tensorflow_error or waiting)
            if not self.param_label.text():
                self.param_label.setText(self.tr("Loading TensorFlow… the layer summary follows in a moment."))
        else:
            self.train_button.setToolTip(self.tr("Train the model on the chosen data (Ctrl+Enter)."))
            self.crossval_button.setToolTip(self.tr(
                "Train this recipe once per fold from scratch, each time testing on the fold held out: "
                "the mean accuracy and its spread (the Cross-validation page)."
            ))
        self.saver.set_available(not busy)
