"""Live loss and accuracy plots for one training run, or several saved runs overlaid.

Training points arrive per batch, far faster than a screen refreshes, so `add_batch` and
`add_epoch` only append to growable NumPy buffers and a single-shot timer redraws at most
`MAX_REDRAWS_PER_SECOND` times a second. Every curve is one `PlotDataItem` made once and updated
with `setData`: creating items per update leaks scene items and is what crashed PySide6 6.12.

During a live run the axes do not auto-range: the x axis spans the planned run (up to
`FIRST_VIEW_EPOCHS` epochs, then grows by doubling) and the loss axis grows only when a point
leaves it. Re-laying out and re-rendering the axes on every redraw costs
more than drawing the curves, and the GUI thread must stay free while training runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsItem, QHBoxLayout, QWidget

from digitpad.gui.style import MUTED, SERIES, SURFACE, TEXT

LEGEND_TEXT_SIZE = "8pt"
FIRST_VIEW_EPOCHS = 8  # the x axis of a live run spans this many epochs at first (fewer if the run is shorter)
MAX_REDRAWS_PER_SECOND = 5  # enough to watch a curve grow; every redraw costs the training thread time
SMOOTHING = 0.9
TRAIN_COLOR = SERIES[0]
VALIDATION_COLOR = SERIES[4]


class _Series:
    """Append-only float buffer that grows by doubling, so appends are O(1) amortised and
    `setData` gets views instead of a fresh list-to-array conversion on every redraw."""

    def __init__(self) -> None:
        self._x = np.empty(256)
        self._y = np.empty(256)
        self.size = 0
        self.drawn = -1  # `size` when last handed to its plot item; -1: never

    def append(self, x: float, y: float) -> None:
        if self.size == len(self._x):
            self._x = np.concatenate([self._x, np.empty(len(self._x))])
            self._y = np.concatenate([self._y, np.empty(len(self._y))])
        self._x[self.size] = x
        self._y[self.size] = y
        self.size += 1

    def replace(self, x: np.ndarray, y: np.ndarray) -> None:
        self._x = np.array(x, dtype=float)
        self._y = np.array(y, dtype=float)
        self.size = len(self._x)
        self.drawn = -1

    def draw(self, item: pg.PlotDataItem) -> None:
        """Hand the points to `item` if they changed since the last time."""
        if self.drawn != self.size:
            item.setData(self.x, self.y)
            self.drawn = self.size

    def reset(self) -> None:
        self.size = 0
        self.drawn = -1

    @property
    def x(self) -> np.ndarray:
        return self._x[: self.size]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self.size]


class _Smoother:
    """Exponential moving average with TensorBoard's bias correction, so the first points of a
    run are not dragged towards zero."""

    def __init__(self, beta: float) -> None:
        self._beta = beta
        self._average = 0.0
        self._steps = 0

    def __call__(self, value: float) -> float:
        self._steps += 1
        self._average = self._beta * self._average + (1.0 - self._beta) * value
        return self._average / (1.0 - self._beta**self._steps)

    def reset(self) -> None:
        self._average = 0.0
        self._steps = 0


def smooth(values: Sequence[float], beta: float = SMOOTHING) -> np.ndarray:
    smoother = _Smoother(beta)
    return np.array([smoother(float(v)) for v in values], dtype=float)


def _epoch_item(color: str, size: int, outline: QPen | None) -> pg.PlotDataItem:
    """A line with a marker per epoch. The legend draws its marker from the scatter's own
    defaults, which pyqtgraph only fills in on the first data, so they are set here too."""
    item = pg.PlotDataItem(
        pen=pg.mkPen(color, width=2), symbol="o", symbolSize=size, symbolBrush=color, symbolPen=outline, antialias=True
    )
    item.scatter.setBrush(pg.mkBrush(color))
    item.scatter.setPen(outline if outline is not None else pg.mkPen(None))
    item.scatter.setSize(size)
    # These points change once an epoch, but the training curve beside them is redrawn several
    # times a second, and every redraw repainted them too: the markers alone took 0.45 of the
    # 1.05 ms a loss plot repaint cost (measured). Cached as a pixmap, they are only blitted
    # until their data or the axes change; the picture is pixel for pixel the same.
    item.scatter.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    item.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    return item


class CountAxis(pg.AxisItem):
    """An x axis of batches or epochs: ticks on whole numbers only, so three epochs read 1, 2, 3
    and not 1.0, 1.5, 2.0 (pyqtgraph would place ticks for a continuous axis)."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        levels = [(spacing, values) for spacing, values in super().tickValues(minVal, maxVal, size)
                  if spacing >= 1 and float(spacing).is_integer()]
        if levels:
            return levels
        return [(1.0, [float(value) for value in range(math.ceil(minVal), math.floor(maxVal) + 1)])]


class TrainingCurves(QWidget):
    """Loss and accuracy side by side: training per batch (smoothed), validation per epoch.

    The x axis counts epochs once `set_batches_per_epoch` is known, so validation points sit
    where they were measured, also for a run stopped part-way through an epoch.
    Accuracy is given as a fraction and shown in percent.
    """

    def __init__(self, parent: QWidget | None = None, *, validation: bool = True) -> None:
        """`validation=False` for runs that never measure a validation split (fine-tuning keeps
        its held-out digits for the before/after scores): no legend entry for an empty curve."""
        super().__init__(parent)
        self.setObjectName("trainingCurves")
        self._validation = validation
        self.loss_plot = self._make_plot(self.tr("Loss"), self.tr("loss"))
        self.accuracy_plot = self._make_plot(self.tr("Accuracy"), self.tr("accuracy (%)"))

        self.train_loss_item = self._make_train_item(self.loss_plot)
        self.val_loss_item = self._make_validation_item(self.loss_plot)
        self.train_accuracy_item = self._make_train_item(self.accuracy_plot)
        self.val_accuracy_item = self._make_validation_item(self.accuracy_plot)
        # A size smaller than the axes' keeps "entraînement (lissé)" inside a plot a third of the
        # default window wide.
        self._loss_legend = self.loss_plot.getPlotItem().addLegend(offset=(-6, 8), labelTextSize=LEGEND_TEXT_SIZE)
        self._accuracy_legend = self.accuracy_plot.getPlotItem().addLegend(offset=(-6, -8),
                                                                           labelTextSize=LEGEND_TEXT_SIZE)
        self._single_run_legend: str | None = None  # the training curve's name in the legends; None: overlay
        self._x_label = ""
        # One (validation, training) item pair per overlaid model and plot, reused across calls.
        self._overlay_items: list[tuple[pg.PlotDataItem, ...]] = []

        self._train_loss = _Series()
        self._train_accuracy = _Series()
        self._val_loss = _Series()
        self._val_accuracy = _Series()
        self._loss_smoother = _Smoother(SMOOTHING)
        self._accuracy_smoother = _Smoother(SMOOTHING)
        self._batches = 0
        self._batches_per_epoch: int | None = None
        self._epochs: int | None = None
        self._x_limit = 1.0
        self._loss_limit = 1.0
        self._follow = True  # manage the ranges until the user zooms or pans
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.getViewBox().sigRangeChangedManually.connect(self._on_user_range)

        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(1000 // MAX_REDRAWS_PER_SECOND)
        self._redraw_timer.timeout.connect(self.flush)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.loss_plot)
        layout.addWidget(self.accuracy_plot)
        self.clear()

    @staticmethod
    def _make_plot(title: str, y_label: str) -> pg.PlotWidget:
        """White plots with the theme's colours, whatever the desktop's palette says."""
        plot = pg.PlotWidget(background=SURFACE, axisItems={"bottom": CountAxis("bottom")})
        plot.setTitle(title, color=TEXT, size="11pt")
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            axis.setPen(pg.mkPen(MUTED))
            axis.setTextPen(pg.mkPen(MUTED))
            axis.enableAutoSIPrefix(False)  # a loss reads 0.7, not "700" with "(x0.001)" in the label
        plot.setLabel("left", y_label, color=MUTED)
        plot.showGrid(x=True, y=True, alpha=0.15)
        for name in ("left", "bottom", "top", "right"):
            # Axes change only when the ranges grow; caching them as pixmaps turns the rest of
            # their repaints (one per curve redraw) into a blit.
            plot.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        plot.setMenuEnabled(False)
        plot.setMinimumSize(190, 200)  # two plots and the layer summary leave the settings their width
        return plot

    @staticmethod
    def _make_train_item(plot: pg.PlotWidget) -> pg.PlotDataItem:
        # One pixel wide: Qt's software stroker makes a 2 px antialiased polyline about six times
        # slower to draw (7 ms against 1 ms per redraw of both plots, measured), and this curve
        # is redrawn up to MAX_REDRAWS_PER_SECOND times a second while training competes for the CPU.
        item = pg.PlotDataItem(pen=pg.mkPen(TRAIN_COLOR, width=1), antialias=True)
        plot.addItem(item)  # applies the plot's downsampling defaults, so configure afterwards
        # About one point per pixel: stroking costs time per vertex, and a smoothed curve loses
        # nothing when neighbouring batches are averaged. pyqtgraph has no setter for the factor.
        item.setDownsampling(auto=True, method="mean")
        item.opts["autoDownsampleFactor"] = 1.0
        item.setClipToView(True)
        return item

    @staticmethod
    def _make_validation_item(plot: pg.PlotWidget) -> pg.PlotDataItem:
        item = _epoch_item(VALIDATION_COLOR, size=7, outline=pg.mkPen(SURFACE, width=1))
        plot.addItem(item)
        return item

    # ----------------------------------------------------------------- live run

    def clear(self) -> None:
        """Empty every curve and return to showing a single run."""
        self._reset(self.tr("batch"), self.tr("training (smoothed)"))

    def _reset(self, x_label: str, training_label: str | None) -> None:
        """Empty every curve and name the x axis; with `training_label`, show a single run whose
        training curve has that name (None: the caller shows an overlay and its own legends)."""
        self._redraw_timer.stop()
        for series in (self._train_loss, self._train_accuracy, self._val_loss, self._val_accuracy):
            series.reset()
        self._loss_smoother.reset()
        self._accuracy_smoother.reset()
        self._batches = 0
        self._batches_per_epoch = None
        self._epochs = None
        self._follow = True
        self._x_limit = 1.0
        self._loss_limit = 1.0
        if training_label is not None:
            self._show_single_run(training_label)
        self._set_x_label(x_label)
        self.flush()
        self._apply_ranges()

    def set_batches_per_epoch(self, batches: int, epochs: int | None = None) -> None:
        """Switch the x axis to epochs; call before the first `add_batch` of a run. With `epochs`
        the axis never grows beyond the planned run."""
        self._batches_per_epoch = max(1, int(batches))
        self._epochs = epochs
        self._set_x_label(self.tr("epoch"))
        if epochs is not None and self._follow:
            # A run of up to FIRST_VIEW_EPOCHS epochs is shown whole from its first batch, so its
            # axes never change while it trains (each change re-renders both plots' axes and
            # grids); a longer one starts that wide and doubles, so its first epochs stay readable.
            self._x_limit = float(max(1, min(epochs, FIRST_VIEW_EPOCHS)))
            self._apply_ranges()

    def add_batch(self, loss: float, acc: float) -> None:
        self._batches += 1
        x = self._position()
        self._train_loss.append(x, self._loss_smoother(float(loss)))
        self._train_accuracy.append(x, 100.0 * self._accuracy_smoother(float(acc)))
        self._schedule_redraw()

    def add_epoch(self, val_loss: float, val_acc: float) -> None:
        x = self._position() if self._batches else float(self._val_loss.size + 1)
        self._val_loss.append(x, float(val_loss))
        self._val_accuracy.append(x, 100.0 * float(val_acc))
        self._schedule_redraw()

    @Slot()
    def flush(self) -> None:
        """Draw the points added since the last redraw now (the timer does it otherwise)."""
        self._redraw_timer.stop()
        self._train_loss.draw(self.train_loss_item)
        self._train_accuracy.draw(self.train_accuracy_item)
        self._val_loss.draw(self.val_loss_item)
        self._val_accuracy.draw(self.val_accuracy_item)
        if self._follow:
            self._grow_ranges()

    def _grow_ranges(self) -> None:
        """Widen the axes only when a point falls outside them: rare, so axes are rarely redrawn."""
        x_end = max(self._train_loss.x[-1] if self._train_loss.size else 0.0,
                    self._val_loss.x[-1] if self._val_loss.size else 0.0)
        losses = [series.y for series in (self._train_loss, self._val_loss) if series.size]
        finite = np.concatenate(losses) if losses else np.empty(0)
        finite = finite[np.isfinite(finite)]
        loss_end = float(finite.max()) if len(finite) else 0.0
        changed = False
        if x_end > self._x_limit:
            while self._x_limit < x_end:
                self._x_limit *= 2
            if self._epochs is not None and self._batches_per_epoch is not None:
                self._x_limit = max(min(self._x_limit, float(self._epochs)), x_end)
            changed = True
        if loss_end > self._loss_limit:
            self._loss_limit = loss_end * 1.25
            changed = True
        if changed:
            self._apply_ranges()

    def _apply_ranges(self) -> None:
        self.loss_plot.setRange(xRange=(0, self._x_limit), yRange=(0, self._loss_limit), padding=0.02)
        self.accuracy_plot.setRange(xRange=(0, self._x_limit), yRange=(0, 100), padding=0.02)

    @Slot(object)
    def _on_user_range(self, _mask: object) -> None:
        self._follow = False

    def _position(self) -> float:
        if self._batches_per_epoch is None:
            return float(self._batches)
        return self._batches / self._batches_per_epoch

    def _schedule_redraw(self) -> None:
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    # ------------------------------------------------------------ saved history

    def set_history(
        self,
        epoch_history: Mapping[str, Sequence[float]],
        batch_history: Mapping[str, Sequence[float]] | None = None,
    ) -> None:
        """Show a finished run: Keras-style keys `loss`, `accuracy`, `val_loss`, `val_accuracy`.

        With `batch_history` the training curves are per batch (smoothed), spread evenly over
        the epochs; without it they are the per-epoch training figures.
        """
        epochs = max(len(epoch_history.get("loss", ())), len(epoch_history.get("val_loss", ())))
        if batch_history and batch_history.get("loss"):
            self._reset(self.tr("epoch"), self.tr("training (smoothed)"))
            batches = len(batch_history["loss"])
            x = np.arange(1, batches + 1) * (max(epochs, 1) / batches)
            self._train_loss.replace(x, smooth(batch_history["loss"]))
            accuracy = batch_history.get("accuracy", ())
            self._train_accuracy.replace(x[: len(accuracy)], 100.0 * smooth(accuracy))
        else:
            self._reset(self.tr("epoch"), self.tr("training"))
            self._replace(self._train_loss, epoch_history.get("loss", ()))
            self._replace(self._train_accuracy, epoch_history.get("accuracy", ()), scale=100.0)
        self._replace(self._val_loss, epoch_history.get("val_loss", ()))
        self._replace(self._val_accuracy, epoch_history.get("val_accuracy", ()), scale=100.0)
        self.flush()
        self._auto_range()

    @staticmethod
    def _replace(series: _Series, values: Sequence[float], scale: float = 1.0) -> None:
        y = np.asarray(values, dtype=float) * scale
        series.replace(np.arange(1, len(y) + 1, dtype=float), y)

    # ------------------------------------------------------------------ overlay

    def overlay(self, histories: Mapping[str, Mapping[str, Sequence[float]]]) -> None:
        """Several models' epoch histories in one view: validation solid with markers, training
        dashed, one colour per model, named in the legend."""
        self._reset(self.tr("epoch"), None)
        for item in (self.train_loss_item, self.val_loss_item, self.train_accuracy_item, self.val_accuracy_item):
            item.hide()
        self._loss_legend.clear()
        self._accuracy_legend.clear()
        self._single_run_legend = None
        while len(self._overlay_items) < len(histories):
            self._overlay_items.append(self._make_overlay_items(len(self._overlay_items)))
        for items, (name, history) in zip(self._overlay_items, histories.items(), strict=False):
            loss_val, loss_train, acc_val, acc_train = items
            self._set_epoch_curve(loss_val, history.get("val_loss", ()))
            self._set_epoch_curve(loss_train, history.get("loss", ()))
            self._set_epoch_curve(acc_val, history.get("val_accuracy", ()), scale=100.0)
            self._set_epoch_curve(acc_train, history.get("accuracy", ()), scale=100.0)
            for item in items:
                item.show()
            self._loss_legend.addItem(loss_val if history.get("val_loss") else loss_train, name)
            self._accuracy_legend.addItem(acc_val if history.get("val_accuracy") else acc_train, name)
        for items in self._overlay_items[len(histories):]:
            for item in items:
                item.setData([], [])
                item.hide()
        self._auto_range()

    def _make_overlay_items(self, index: int) -> tuple[pg.PlotDataItem, ...]:
        color = SERIES[index % len(SERIES)]
        items = []
        for plot in (self.loss_plot, self.accuracy_plot):
            validation = _epoch_item(color, size=6, outline=None)
            training = pg.PlotDataItem(pen=pg.mkPen(color, width=1.5, style=Qt.PenStyle.DashLine), antialias=True)
            plot.addItem(validation)
            plot.addItem(training)
            items.extend([validation, training])
        return tuple(items)

    @staticmethod
    def _set_epoch_curve(item: pg.PlotDataItem, values: Sequence[float], scale: float = 1.0) -> None:
        y = np.asarray(values, dtype=float) * scale
        item.setData(np.arange(1, len(y) + 1, dtype=float), y)

    # ------------------------------------------------------------------ helpers

    def _show_single_run(self, training_label: str) -> None:
        for items in self._overlay_items:
            for item in items:
                item.setData([], [])
                item.hide()
        for item in (self.train_loss_item, self.val_loss_item, self.train_accuracy_item, self.val_accuracy_item):
            item.show()
        if self._single_run_legend == training_label:
            return  # rebuilding a legend makes new text items and lays the plot out again
        self._single_run_legend = training_label
        for legend, train, validation in (
            (self._loss_legend, self.train_loss_item, self.val_loss_item),
            (self._accuracy_legend, self.train_accuracy_item, self.val_accuracy_item),
        ):
            legend.clear()
            legend.addItem(train, training_label)
            if self._validation:
                legend.addItem(validation, self.tr("validation"))

    def _set_x_label(self, label: str) -> None:
        if label == self._x_label:
            return
        self._x_label = label
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.setLabel("bottom", label, color=MUTED)

    def _auto_range(self) -> None:
        """Finished runs do not grow, so plain auto-range fits them best."""
        self._follow = False
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.enableAutoRange()
