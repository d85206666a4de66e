"""The learning-rate finder as a window: the range test of `digitpad.core.lr_finder`, drawn live.

Guessing a learning rate costs whole training runs; the range test costs a few hundred batches
and shows why: the loss hardly moves at tiny rates, falls fast at good ones and explodes past
them. So the dialog draws the loss against the rate while the sweep runs, marks the rate it
suggests with the rule that chose it in words, and hands that rate to the Train tab's form
("Use 1.5e-3"), rounded to two digits since the sweep cannot tell 1.53e-3 from 1.5e-3.

The sweep is the core's `sweep_job` (`find_learning_rate`), run in the engine process through a
`BackgroundTask`, so TensorFlow never loads in the window's; its per-batch reports are bundled
there by a `ProgressRelay`, so the plot is redrawn a few times a second, not once per batch.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from digitpad.core.engine import Engine, EngineJob
from digitpad.core.lr_finder import EXPLODED_FACTOR, LrFinderProgress, LrFinderRequest, LrFinderResult, sweep_job
from digitpad.gui import style
from digitpad.gui.i18n import decimal, decimal_sign, format_duration, say
from digitpad.gui.widgets import card, muted_label, named, set_style_property
from digitpad.gui.workers import BackgroundTask

Y_HEADROOM = 1.2  # room above the highest smoothed loss; raw spikes beyond it are noise, cut off
DIALOG_SIZE = (760, 560)


def rate_text(rate: float) -> str:
    """A rate as people write it in papers and on the command line: "1.5e-3", "1e-4", "1"."""
    mantissa, exponent = f"{rate:.1e}".split("e")
    mantissa = mantissa.removesuffix(".0")
    return decimal_sign(mantissa if int(exponent) == 0 else f"{mantissa}e{int(exponent)}")


def rounded_rate(rate: float) -> float:
    """The rate as `rate_text` shows it: the number that "Use …" puts in the form."""
    return float(f"{rate:.1e}")


class LrFinderDialog(QDialog):
    """Runs one sweep (`start`) and shows it; `rateChosen` carries the rate "Use …" accepted.

    Cancel, Esc and the close button stop a running sweep and close the dialog once the worker
    has ended, so the window never waits on it; `shutdown` instead stops and joins at once, for
    the main window's close.
    """

    rateChosen = Signal(float)

    def __init__(self, request: LrFinderRequest, parent: QWidget | None = None, *, engine: Engine) -> None:
        super().__init__(parent)
        self.setObjectName("lrFinderDialog")
        self.setWindowTitle(self.tr("Find a learning rate — digitpad"))
        self.setStyleSheet(style.LR_FINDER_STYLESHEET)
        self.request = request
        self._engine = engine  # where the sweep runs: TensorFlow stays out of the window's process
        self.sweep: LrFinderResult | None = None
        self._rates: list[float] = []
        self._losses: list[float] = []
        self._smoothed: list[float] = []
        self._close_when_done = False
        self._closing = False

        self.task = BackgroundTask(self)
        self.task.progressed.connect(self._on_progress)
        self.task.succeeded.connect(self._on_succeeded)
        self.task.failed.connect(self._on_failed)
        self.task.cancelled.connect(self._on_cancelled)
        self.task.finished.connect(self._on_finished)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(10)
        layout.addWidget(muted_label(
            self.tr("A fresh {network} trains on batches of {batch_size} while its learning rate grows "
                    "from {low} to {high}, for up to {batches} batches. "
                    "Where the loss falls fastest, the network learns fastest; where it climbs, the rate is too high."
                    ).format(network=request.title, batch_size=request.batch_size, low=rate_text(request.min_lr),
                             high=rate_text(request.max_lr), batches=request.batches)
        ))
        layout.addWidget(self._build_plot_card(), 1)
        self.status_label = named(QLabel(), "lrFinderStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rule_label = named(muted_label(""), "lrFinderRule")
        self.progress_bar = named(QProgressBar(), "lrFinderProgress")
        self.progress_bar.setRange(0, request.batches)
        self.progress_bar.setTextVisible(False)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addWidget(self.rule_label)
        layout.addLayout(self._build_buttons())
        self.resize(*DIALOG_SIZE)

    # ------------------------------------------------------------------ layout

    def _build_plot_card(self) -> QWidget:
        frame, layout = card(self.tr("Loss against learning rate"))
        self.plot = named(pg.PlotWidget(background=style.SURFACE), "lrFinderPlot")
        self.plot.setLogMode(x=True, y=False)
        for side in ("left", "bottom"):
            axis = self.plot.getAxis(side)
            axis.setPen(pg.mkPen(style.MUTED))
            axis.setTextPen(pg.mkPen(style.MUTED))
            axis.enableAutoSIPrefix(False)
        self.plot.setLabel("bottom", self.tr("learning rate"), color=style.MUTED)
        self.plot.setLabel("left", self.tr("loss"), color=style.MUTED)
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.plot.setMenuEnabled(False)
        self.plot.setMinimumSize(360, 240)
        legend = self.plot.getPlotItem().addLegend(offset=(-10, 10))
        self.raw_item = pg.PlotDataItem(pen=pg.mkPen(style.LR_RAW_LOSS, width=1), antialias=True)
        self.smoothed_item = pg.PlotDataItem(pen=pg.mkPen(style.LR_SMOOTHED_LOSS, width=2), antialias=True)
        self.plot.addItem(self.raw_item)
        self.plot.addItem(self.smoothed_item)
        legend.addItem(self.raw_item, self.tr("loss per batch"))
        legend.addItem(self.smoothed_item, self.tr("smoothed"))
        # In log mode the view's x is log10 of the rate; the line is placed in view coordinates.
        self.suggestion_line = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen(style.LR_SUGGESTION, width=2, style=Qt.PenStyle.DashLine),
            label="", labelOpts={"position": 0.92, "color": style.LR_SUGGESTION, "fill": style.SURFACE},
        )
        self.suggestion_line.hide()
        self.plot.addItem(self.suggestion_line, ignoreBounds=True)
        self._y_limit = 0.0
        # The x axis spans the whole planned sweep from the start, so the curve grows into it.
        self.plot.setXRange(math.log10(self.request.min_lr), math.log10(self.request.max_lr), padding=0.02)
        self.plot.setYRange(0, 1, padding=0)
        self.plot.getViewBox().disableAutoRange()
        layout.addWidget(self.plot, 1)
        return frame

    def _build_buttons(self) -> QHBoxLayout:
        self.cancel_button = named(QPushButton(self.tr("Cancel")), "lrFinderCancelButton")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.use_button = named(QPushButton(self.tr("Use")), "lrFinderUseButton")
        self.use_button.setProperty("primary", True)
        self.use_button.setEnabled(False)
        self.use_button.setToolTip(self.tr("Put the suggested rate in the Train tab's Learning rate field."))
        self.use_button.clicked.connect(self._on_use_clicked)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.use_button)
        return row

    # ------------------------------------------------------------------ running

    def start(self) -> None:
        """Start the sweep; the reports, and then the result or the error, follow on this thread."""
        self._set_status(self.tr("Building the network and loading the data…"))
        self.progress_bar.setRange(0, 0)  # busy until the first batch
        self.task.start(EngineJob(self._engine, partial(sweep_job, self.request)))

    def is_running(self) -> bool:
        return self.task.is_running()

    def reject(self) -> None:
        """Cancel, Esc and the close button: stop a running sweep and close once it has ended."""
        if self.task.is_running():
            self._close_when_done = True
            self.task.request_stop()
            self.cancel_button.setEnabled(False)
            self._set_status(self.tr("Stopping after this batch…"))
            return
        super().reject()

    def shutdown(self) -> None:
        """Stop the sweep and join its thread now; the main window's close waits for this."""
        self._closing = True
        self.task.stop_and_wait()
        self.close()

    # ------------------------------------------------------------------ worker reports

    @Slot(object)
    def _on_progress(self, bundle: object) -> None:
        if self._closing or not isinstance(bundle, tuple) or not bundle:
            return
        for report in bundle:
            if isinstance(report, LrFinderProgress):
                self._rates.append(report.learning_rate)
                self._losses.append(report.loss)
                self._smoothed.append(report.smoothed)
        latest = bundle[-1]
        if not isinstance(latest, LrFinderProgress):
            return
        self._draw()
        self.progress_bar.setRange(0, latest.batches)
        self.progress_bar.setValue(latest.batch)
        if not self._close_when_done:
            self._set_status(
                self.tr("Batch {batch} of {batches}: rate {rate}, loss {loss} (smoothed).").format(
                    batch=latest.batch, batches=latest.batches, rate=rate_text(latest.learning_rate),
                    loss=decimal(latest.smoothed, 3))
            )

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        if self._closing or not isinstance(result, LrFinderResult):
            return
        self.sweep = result
        self._rates, self._losses, self._smoothed = (
            list(result.learning_rates), list(result.losses), list(result.smoothed)
        )
        self._draw()
        suggested = rate_text(result.suggested)
        self.suggestion_line.show()  # first: a hidden line's label ignores new text
        self.suggestion_line.setValue(math.log10(result.suggested))
        self.suggestion_line.label.setFormat(suggested)
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(1)
        ending = (
            self.tr("stopped once the loss passed {factor}× its lowest").format(factor=f"{EXPLODED_FACTOR:g}")
            if result.exploded
            else self.tr("the loss never exploded, so higher rates were not tried")
        )
        self._set_status(self.tr("Suggested learning rate: {rate}.").format(rate=suggested))
        self.rule_label.setText(
            self.tr("Chosen as {rule}. {done} of {batches} batches in {duration}; {ending}.").format(
                rule=say(result.rule), done=len(result.losses), batches=self.request.batches,
                duration=format_duration(result.duration_s), ending=ending)
        )
        self.use_button.setText(self.tr("Use {rate}").format(rate=suggested))
        self.use_button.setEnabled(True)
        self.use_button.setDefault(True)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self._closing:
            return
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self._set_status(message, error=True)

    @Slot()
    def _on_cancelled(self) -> None:
        if self._closing:
            return
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self._set_status(self.tr("Cancelled: a sweep cut short suggests no rate."))

    @Slot()
    def _on_finished(self) -> None:
        if self._closing:
            return
        if self._close_when_done:
            super().reject()
            return
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Close"))

    @Slot()
    def _on_use_clicked(self) -> None:
        if self.sweep is None:
            return
        self.rateChosen.emit(rounded_rate(self.sweep.suggested))
        self.accept()

    # ------------------------------------------------------------------ helpers

    def _draw(self) -> None:
        rates = np.asarray(self._rates, dtype=float)
        self.raw_item.setData(rates, np.asarray(self._losses, dtype=float))
        smoothed = np.asarray(self._smoothed, dtype=float)
        self.smoothed_item.setData(rates, smoothed)
        finite = smoothed[np.isfinite(smoothed)]
        top = float(finite.max()) * Y_HEADROOM if len(finite) else 0.0
        if top > self._y_limit:  # grow only: a steady axis is easier to read and cheaper to draw
            self._y_limit = top
            self.plot.setYRange(0, top, padding=0)

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        set_style_property(self.status_label, "kind", "error" if error else "")
