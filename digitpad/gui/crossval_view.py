"""k-fold cross-validation in the Train tab: the worker's job, its live progress and the results page.

The job is the core's `crossval_job` (`digitpad.core.crossval`), run in the engine process
through a `BackgroundTask`: it trains the form's recipe once per fold, each time testing on the
fold it held out. While it runs, the Training page's progress card counts folds and the live
curves show the fold under way (its held-out fold is the validation data, so the curves read as
in a plain training). Each finished
fold lands at once in the "Cross-validation" page's table and overlaid curves: minutes of folds
are worth seeing before the last one ends, and a Stop keeps them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from digitpad.core.crossval import (
    CrossValidation,
    FinishedCrossValidation,
    FoldProgress,
    FoldResult,
)
from digitpad.core.training import TrainingProgress
from digitpad.core.workflows import StageProgress
from digitpad.gui import style
from digitpad.gui.i18n import (
    QT_TRANSLATE_NOOP,
    decimal,
    format_count,
    format_duration,
    format_percent,
    format_seconds,
    say,
)
from digitpad.gui.training_curves import TrainingCurves
from digitpad.gui.training_run import PROGRESS_STEPS, LiveTraining, ProgressCard
from digitpad.gui.widgets import card, cell, muted_label, named, read_only_table

MIN_FOLDS, MAX_FOLDS, DEFAULT_FOLDS = 2, 10, 5
FOLD_COLUMNS = (QT_TRANSLATE_NOOP("CrossvalView", "Fold"), QT_TRANSLATE_NOOP("CrossvalView", "Held out"), QT_TRANSLATE_NOOP("CrossvalView", "Accuracy"), QT_TRANSLATE_NOOP("CrossvalView", "Loss"), QT_TRANSLATE_NOOP("CrossvalView", "Time"))
_PLACEHOLDER, _CONTENT = 0, 1


def crossval_accuracy_text(result: CrossValidation) -> str:
    """"accuracy 97.1 % ± 0.4" in the window's language: the core's `accuracy_text`, localised."""
    return QCoreApplication.translate("CrossvalView", "accuracy {mean} % ± {std}").format(
        mean=decimal(100 * result.accuracy_mean, 1), std=decimal(100 * result.accuracy_std, 1))


def crossval_loss_text(result: CrossValidation) -> str:
    """"loss 0.0912 ± 0.0100" in the window's language."""
    return QCoreApplication.translate("CrossvalView", "loss {mean} ± {std}").format(
        mean=decimal(result.loss_mean, 4), std=decimal(result.loss_std, 4))


class LiveCrossValidation:
    """Shows a running cross-validation: the fold under way on the Training page's card and
    curves (through `LiveTraining`), each finished fold on the results page at once."""

    def __init__(self, live: LiveTraining, view: CrossValidationView) -> None:
        self.live = live
        self.view = view
        self._fold_durations: list[float] = []

    def restart(self, folds: int) -> None:
        self._fold_durations = []
        self.live.restart()
        self.view.start(folds)

    def show(self, bundle: tuple[object, ...], *, stopping: bool) -> list[FoldResult]:
        """Hand `bundle`'s reports on in order; returns the folds it finished, for the caller to announce."""
        finished: list[FoldResult] = []
        training: list[FoldProgress] = []
        for report in bundle:
            if isinstance(report, FoldProgress) and report.training is not None:
                training.append(report)
                continue
            self._show_training(training, stopping=stopping)
            training = []
            if isinstance(report, StageProgress):
                self.live.progress.show_stage(report)
            elif isinstance(report, FoldProgress) and report.result is not None:
                self._fold_durations.append(report.result.duration_s)
                self.view.add_fold(report.result)
                finished.append(report.result)
            elif isinstance(report, FoldProgress):
                self._show_fold_start(report, stopping=stopping)
        self._show_training(training, stopping=stopping)
        return finished

    def _show_fold_start(self, report: FoldProgress, *, stopping: bool) -> None:
        """A new fold: its curves start empty, the bar at the folds already done."""
        self.live.restart()
        progress = self.live.progress
        self._set_bar(progress, (report.fold - 1) / report.folds, QCoreApplication.translate("LiveCrossValidation", "Fold {fold} of {folds}").format(fold=report.fold, folds=report.folds))
        if not stopping:
            progress.label.setText(QCoreApplication.translate("LiveCrossValidation", "Building the model for fold {fold}: it learns from the other {value} folds and is tested on this one.").format(fold=report.fold, value=report.folds - 1))

    def _show_training(self, reports: list[FoldProgress], *, stopping: bool) -> None:
        """A fold's batches to the curves; the bar and the time left over the whole job."""
        if not reports:
            return
        self.live.show(tuple(report.training for report in reports if report.training is not None), stopping=stopping)
        report = reports[-1]
        latest = report.training
        if latest is None:
            return
        done = (latest.epoch - 1) * latest.batches_per_epoch + latest.batch
        within = done / max(latest.epochs * latest.batches_per_epoch, 1)
        self._set_bar(
            self.live.progress,
            (report.fold - 1 + within) / report.folds,
            QCoreApplication.translate("LiveCrossValidation", "Fold {fold} of {folds}  ·  epoch {epoch} of {epochs}  ·  batch {batch} of {batches_per_epoch}").format(fold=report.fold, folds=report.folds, epoch=latest.epoch, epochs=latest.epochs, batch=format_count(latest.batch), batches_per_epoch=format_count(latest.batches_per_epoch)),
        )
        if not stopping:
            left = self._seconds_left(report, latest, within)
            left_text = (format_seconds(None) if left is None else QCoreApplication.translate(
                "LiveCrossValidation", "{time_left} in all").format(time_left=format_seconds(left)))
            self.live.progress.label.setText(
                QCoreApplication.translate("LiveCrossValidation", "{samples_per_second} samples/s  ·  {left_text}  ·  loss {value}  ·  accuracy {value2}").format(samples_per_second=format_count(round(latest.samples_per_second)), left_text=left_text, value=decimal(latest.logs.get('loss', float('nan')), 4), value2=format_percent(latest.logs.get('accuracy', float('nan'))))
            )

    def _seconds_left(self, report: FoldProgress, latest: TrainingProgress, within: float) -> float | None:
        """This fold's time left, plus the folds to come at the pace of those already finished
        (or of this one, from its own estimate, while none has)."""
        if latest.seconds_left is None:
            return None
        if self._fold_durations:
            per_fold = sum(self._fold_durations) / len(self._fold_durations)
        elif within < 1.0:
            per_fold = latest.seconds_left / (1.0 - within)
        else:
            per_fold = 0.0
        return latest.seconds_left + (report.folds - report.fold) * per_fold

    @staticmethod
    def _set_bar(progress: ProgressCard, fraction: float, text: str) -> None:
        progress.bar.setRange(0, PROGRESS_STEPS)
        progress.bar.setValue(round(PROGRESS_STEPS * fraction))
        progress.bar.setFormat(text)

    def show_stopping(self) -> None:
        self.live.progress.label.setText(QCoreApplication.translate("LiveCrossValidation", "Stopping: the fold under way is dropped, the finished folds are kept…"))

    def show_done(self, result: CrossValidation) -> None:
        progress = self.live.progress
        if result.stopped:
            progress.bar.setFormat(QCoreApplication.translate("LiveCrossValidation", "Stopped — {folds} of {fold_count} folds kept").format(folds=len(result.folds), fold_count=result.fold_count))
        else:
            self._set_bar(progress, 1.0, QCoreApplication.translate("LiveCrossValidation", "Done"))
        progress.label.setText(QCoreApplication.translate("LiveCrossValidation", "{folds} folds in {duration_s}: {value}.").format(folds=len(result.folds), duration_s=format_duration(result.duration_s), value=crossval_accuracy_text(result)))

    def show_nothing_finished(self) -> None:
        self.view.clear()
        self._set_bar(self.live.progress, 0.0, QCoreApplication.translate("LiveCrossValidation", "Stopped"))
        self.live.progress.label.setText(QCoreApplication.translate("LiveCrossValidation", "Stopped before the first fold was finished: there is nothing to show."))

    def show_failed(self) -> None:
        self.view.clear()
        self._set_bar(self.live.progress, 0.0, QCoreApplication.translate("LiveCrossValidation", "Failed"))
        self.live.progress.label.setText(QCoreApplication.translate("LiveCrossValidation", "Cross-validation did not finish; see the message above."))


class CrossValidationView(QWidget):
    """The "Cross-validation" page: the figure to quote (mean ± std), a row per fold, the fold
    curves overlaid. Folds appear as they finish; `show_result` adds the summary at the end."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crossvalView")
        self.setStyleSheet(style.CROSSVAL_STYLESHEET)
        self._histories: dict[str, dict[str, list[float]]] = {}

        placeholder = named(QLabel(
            self.tr("Cross-validate to see how much a recipe's accuracy owes to the luck of one split.\n"
            "The training images are dealt into K folds; each is held out once while a new model learns "
            "from the others, and the K scores give a mean and its spread.")
        ), "crossvalPlaceholder")
        placeholder.setWordWrap(True)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = named(QStackedWidget(), "crossvalStack")
        self.stack.addWidget(placeholder)
        self.stack.addWidget(self._build_content())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.stack)

    def _build_content(self) -> QWidget:
        summary, summary_layout = card(self.tr("Cross-validation"))
        self.title_label = named(QLabel(), "crossvalTitle")
        self.title_label.setWordWrap(True)
        self.accuracy_label = named(QLabel(), "crossvalAccuracy")
        self.accuracy_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.loss_label = named(QLabel(), "crossvalLoss")
        self.notes_label = named(QLabel(), "crossvalNotes")
        self.notes_label.setWordWrap(True)
        self.notes_label.hide()
        explanation = muted_label(
            self.tr("Every fold's model starts from the same weights (the recipe's seed), so the spread is the data's. "
            "The held-out fold is each model's validation data: the validation split and early stopping are set "
            "aside. ± is the standard deviation over the folds.")
        )
        for widget in (self.title_label, self.accuracy_label, self.loss_label, self.notes_label, explanation):
            summary_layout.addWidget(widget)

        folds, folds_layout = card(self.tr("Folds"))
        self.table = named(read_only_table([QCoreApplication.translate("CrossvalView", column) for column in FOLD_COLUMNS]), "crossvalTable")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        folds_layout.addWidget(self.table)
        folds.setMinimumWidth(360)

        curves, curves_layout = card(self.tr("Fold curves: validation (the held-out fold) solid, training dashed"))
        self.curves = TrainingCurves()
        curves_layout.addWidget(self.curves)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(folds)
        split.addWidget(curves)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([380, 800])
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(summary)
        layout.addWidget(split, 1)
        return content

    def clear(self) -> None:
        """Back to the explanation: a run that finished no fold has nothing to show."""
        self._histories = {}
        self.table.setRowCount(0)
        self.curves.clear()
        self.stack.setCurrentIndex(_PLACEHOLDER)

    def start(self, folds: int) -> None:
        """A new run of `folds` folds: the previous one's rows and curves go."""
        self.clear()
        self.title_label.setText(self.tr("{folds}-fold cross-validation under way: each fold appears here once finished.").format(folds=folds))
        self.accuracy_label.setText("")
        self.loss_label.setText("")
        self._set_notes([])
        self.stack.setCurrentIndex(_CONTENT)

    def add_fold(self, fold: FoldResult) -> None:
        """One finished fold: its row, and its curves with the others'."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        texts = (str(fold.index), format_count(fold.held_out), format_percent(fold.accuracy),
                 decimal(fold.loss, 4), format_duration(fold.duration_s))
        for column, text in enumerate(texts):
            self.table.setItem(row, column, cell(text, right=column > 0))
        self._histories[self.tr("fold {index}").format(index=fold.index)] = fold.history
        self.curves.overlay(self._histories)

    def show_result(self, finished: FinishedCrossValidation) -> None:
        """The whole job: every fold (again, in case some reports were never shown) and the summary."""
        result = finished.result
        self.start(result.fold_count)
        for fold in result.folds:
            self.add_fold(fold)
        self.title_label.setText(
            self.tr("{fold_count}-fold cross-validation of {name} on {data_name} ({images} training images), {duration_s}").format(fold_count=result.fold_count, name=result.spec.architecture.name, data_name=result.data_name, images=format_count(result.images), duration_s=format_duration(result.duration_s))
        )
        self.accuracy_label.setText(crossval_accuracy_text(result))
        self.loss_label.setText(crossval_loss_text(result))
        notes = [say(note) for note in finished.notes]  # the core's sentences, in the window's language
        if result.stopped:
            notes.insert(0, self.tr("Stopped after {folds} of {fold_count} folds: the mean and spread are those of the finished folds only.").format(folds=len(result.folds), fold_count=result.fold_count))
        self._set_notes(notes)

    def _set_notes(self, notes: list[str]) -> None:
        self.notes_label.setText("\n".join(notes))
        self.notes_label.setVisible(bool(notes))
