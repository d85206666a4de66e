"""One training run as the Train tab sees it: the card that shows its progress.

The job is the core's `training_jobs.train_job`, run in the engine; its reports come in bundles
(`ProgressRelay`, a few a second). The card turns the newest report of each
bundle into a progress bar and one line of text; the curves (`TrainingCurves`) get every batch
of the bundle.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QProgressBar

from digitpad.core.training import TrainingProgress, TrainingRun
from digitpad.core.workflows import StageProgress
from digitpad.gui.i18n import decimal, format_count, format_duration, format_percent, format_seconds, say
from digitpad.gui.training_curves import TrainingCurves
from digitpad.gui.widgets import LiveText, card, named

PROGRESS_STEPS = 1000

JobReport = StageProgress | TrainingProgress


class ProgressCard:
    """The "Progress" card: a bar over the whole run and a line saying what happens now."""

    def __init__(self) -> None:
        self.frame, layout = card(QCoreApplication.translate("ProgressCard", "Progress"))
        self.bar = named(QProgressBar(), "trainingProgress")
        self.label = named(LiveText(), "progressLabel")
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self._batches_known = False
        self.show_idle()

    def show_idle(self) -> None:
        self._set_fraction(0.0, QCoreApplication.translate("ProgressCard", "Ready"))
        self.label.setText(QCoreApplication.translate("ProgressCard", "Choose data and a model, then press Start training."))

    def show_starting(self) -> None:
        self._batches_known = False
        self._set_busy(QCoreApplication.translate("ProgressCard", "Starting…"))
        self.label.setText(QCoreApplication.translate("ProgressCard", "Loading the data…"))

    def show_stage(self, report: StageProgress) -> None:
        text = say(report.text)   # the core's sentence in the window's language
        if report.fraction is None:
            self._set_busy(text.rstrip("…"))
        else:
            self._set_fraction(report.fraction, text.rstrip("…") if len(text) < 50 else "%p%")
        self.label.setText(text)

    def show_batch(self, latest: TrainingProgress, *, stopping: bool) -> None:
        """The newest counters; the rate and time left are left alone once Stop was pressed."""
        done = (latest.epoch - 1) * latest.batches_per_epoch + latest.batch
        total = latest.epochs * latest.batches_per_epoch
        self._set_fraction(
            done / max(total, 1),
            QCoreApplication.translate("ProgressCard", "Epoch {epoch} of {epochs}  ·  batch {batch} of {batches_per_epoch}").format(epoch=latest.epoch, epochs=latest.epochs, batch=format_count(latest.batch), batches_per_epoch=format_count(latest.batches_per_epoch)),
        )
        if not stopping:
            self.label.setText(
                QCoreApplication.translate("ProgressCard", "{samples_per_second} samples/s  ·  {seconds_left}  ·  loss {value}  ·  accuracy {value2}").format(samples_per_second=format_count(round(latest.samples_per_second)), seconds_left=format_seconds(latest.seconds_left), value=decimal(latest.logs.get('loss', float('nan')), 4), value2=format_percent(latest.logs.get('accuracy', float('nan'))))
            )

    def show_stopping(self) -> None:
        self.label.setText(QCoreApplication.translate("ProgressCard", "Stopping after this batch…"))

    def show_done(self, run: TrainingRun) -> None:
        if run.stopped_by_user:
            self.bar.setFormat(QCoreApplication.translate("ProgressCard", "Stopped — weights kept"))
        else:
            self._set_fraction(1.0, QCoreApplication.translate("ProgressCard", "Done"))
        how = (QCoreApplication.translate("ProgressCard", "1 epoch in {duration_s}") if run.epochs_completed == 1
               else QCoreApplication.translate("ProgressCard", "{epochs_completed} epochs in {duration_s}")).format(
            epochs_completed=format_count(run.epochs_completed), duration_s=format_duration(run.duration_s))
        speed = QCoreApplication.translate("ProgressCard", "{samples_per_second} samples/s").format(
            samples_per_second=format_count(round(run.samples_per_second)))
        if run.stopped_by_user:
            batches = format_count(len(run.batch_history["loss"]))
            self.label.setText(QCoreApplication.translate("ProgressCard", "Stopped by you after {batches} batches ({how}) at {speed}.").format(batches=batches, how=how, speed=speed))
            return
        if run.stopped_early:
            how += QCoreApplication.translate("ProgressCard", ", early stopping kept the best epoch")
        self.label.setText(QCoreApplication.translate("ProgressCard", "Trained {how} at {speed}.").format(how=how, speed=speed))

    def show_nothing_trained(self) -> None:
        self._set_fraction(0.0, QCoreApplication.translate("ProgressCard", "Stopped"))
        self.label.setText(QCoreApplication.translate("ProgressCard", "Stopped before the first batch: there is no model to test or save."))

    def show_failed(self) -> None:
        self._set_fraction(0.0, QCoreApplication.translate("ProgressCard", "Failed"))
        self.label.setText(QCoreApplication.translate("ProgressCard", "Training did not finish; see the message above."))

    def _set_busy(self, text: str) -> None:
        self.bar.setRange(0, 0)
        self.bar.setFormat(text)

    def _set_fraction(self, fraction: float, text: str) -> None:
        # `QProgressBar.setValue` repaints the bar at once, and `setFormat` asks for a second
        # paint; with updates held back meanwhile, the bar is painted once, with the line below
        # it, in the window's next paint (a few times a second while training shares the CPU).
        self.bar.setUpdatesEnabled(False)
        self.bar.setRange(0, PROGRESS_STEPS)
        self.bar.setValue(round(PROGRESS_STEPS * fraction))
        self.bar.setFormat(text)
        self.bar.setUpdatesEnabled(True)


class LiveTraining:
    """What the Train tab and the fine-tune panel both show of a running job: the progress card
    and the curves, fed from the bundles a `ProgressRelay` delivers."""

    def __init__(self, curves: TrainingCurves, progress: ProgressCard) -> None:
        self.curves = curves
        self.progress = progress
        self._batches_per_epoch_known = False

    def restart(self) -> None:
        """A new run: empty curves, the card at its start."""
        self.curves.clear()
        self._batches_per_epoch_known = False
        self.progress.show_starting()

    def show(self, bundle: tuple[object, ...], *, stopping: bool) -> list[TrainingProgress]:
        """Every batch of `bundle` to the curves, the newest to the card; returns the epoch
        reports that carried validation figures (already plotted), for the caller to announce."""
        latest_batch: TrainingProgress | None = None
        validated: list[TrainingProgress] = []
        for report in bundle:
            if isinstance(report, StageProgress):
                self.curves.flush()
                self.progress.show_stage(report)
            elif isinstance(report, TrainingProgress) and report.kind == "batch":
                if not self._batches_per_epoch_known:
                    self.curves.set_batches_per_epoch(report.batches_per_epoch, report.epochs)
                    self._batches_per_epoch_known = True
                self.curves.add_batch(report.logs.get("loss", float("nan")), report.logs.get("accuracy", float("nan")))
                latest_batch = report
            elif isinstance(report, TrainingProgress) and "val_loss" in report.logs and "val_accuracy" in report.logs:
                self.curves.add_epoch(report.logs["val_loss"], report.logs["val_accuracy"])
                self.curves.flush()  # the validation point is what people wait for
                validated.append(report)
        if latest_batch is not None:
            self.progress.show_batch(latest_batch, stopping=stopping)
        return validated
