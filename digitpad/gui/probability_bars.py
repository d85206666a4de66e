"""Ten horizontal probability bars, one per class, with the most likely class highlighted.

Horizontal bars keep long class names (Fashion-MNIST's "Ankle boot") readable and let several
widgets stand side by side when models are compared. Each update only changes the data of two
long-lived `BarGraphItem`s and one label item, so the widget survives thousands of redraws
while the pen moves. Where a click on a class means something (the Draw tab keeps the drawing as
that digit), `set_clickable` makes every row, its name included, emit `classClicked`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter
from PySide6.QtWidgets import QWidget

from digitpad.core.datasets import MNIST_CLASS_NAMES
from digitpad.gui import style
from digitpad.gui.i18n import decimal

BAR_HEIGHT = 0.72
INSIDE_LABEL_FROM = 0.78   # bars longer than this carry their percentage inside, in white


class ProbabilityBars(pg.PlotWidget):
    """Per-class probabilities as bars; `set_probabilities(None)` shows an empty chart."""

    classClicked = Signal(int)     # the row clicked, 0..9 (only once `set_clickable(True)`)

    def __init__(
        self,
        class_names: Sequence[str] = MNIST_CLASS_NAMES,
        parent: QWidget | None = None,
        *,
        title: str | None = None,
    ) -> None:
        # No context menus: building them costs a third of a chart's start-up, which matters
        # when the Compare page creates several at once on the GUI thread.
        super().__init__(parent=parent, background=style.SURFACE, enableMenu=False)
        self.setObjectName("probabilityBars")
        self.setAccessibleName(self.tr("Class probabilities"))
        self._probabilities: np.ndarray | None = None
        self._highlight = style.ACCENT
        self._top_brush = pg.mkBrush(style.ACCENT)
        self._bar_brush = pg.mkBrush(style.BAR)
        self._class_names: tuple[str, ...] = ()
        self._clickable = False

        self.setMenuEnabled(False)
        self.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self.setMinimumSize(180, 200)
        plot = self.getPlotItem()
        plot.hideAxis("bottom")
        plot.setContentsMargins(4, 4, 10, 4)
        view = plot.getViewBox()
        view.invertY(True)
        view.disableAutoRange()
        view.setRange(xRange=(0.0, 1.0), yRange=(-0.55, 9.55), padding=0.0)

        self._label_font = QFont(self.font())
        self._label_font.setPointSizeF(self._label_font.pointSizeF() * 1.05)
        self._value_font = QFont(self.font())
        self._value_font.setPointSizeF(self._value_font.pointSizeF() * 0.9)
        axis = plot.getAxis("left")
        axis.setStyle(tickLength=0, tickTextOffset=8, tickFont=self._label_font)
        axis.setPen(pg.mkPen(None))
        axis.setTextPen(pg.mkPen(style.TEXT))

        rows = np.arange(10, dtype=float)
        self._track = pg.BarGraphItem(x0=np.zeros(10), y=rows, height=BAR_HEIGHT, width=np.ones(10),
                                      brush=pg.mkBrush(style.TRACK), pen=pg.mkPen(None))
        self._bars = pg.BarGraphItem(x0=np.zeros(10), y=rows, height=BAR_HEIGHT, width=np.zeros(10),
                                     brush=pg.mkBrush(style.BAR), pen=pg.mkPen(None))
        plot.addItem(self._track)
        plot.addItem(self._bars)
        self._values = _ValueLabels(self._value_font)
        plot.addItem(self._values)
        if title:
            self.set_title(title)
        self.set_class_names(class_names)

    # ---- public API -------------------------------------------------------------------------

    def set_class_names(self, names: Sequence[str]) -> None:
        """Label the ten rows; fewer or more than ten names is a programming error."""
        names = tuple(str(name) for name in names)
        if len(names) != 10:
            raise ValueError(f"ProbabilityBars needs 10 class names, got {len(names)}.")
        if names == self._class_names:
            return
        self._class_names = names
        axis = self.getPlotItem().getAxis("left")
        axis.setTicks([[(row, name) for row, name in enumerate(names)]])
        metrics = QFontMetrics(self._label_font)
        axis.setWidth(max(metrics.horizontalAdvance(name) for name in names) + 16)

    def class_names(self) -> tuple[str, ...]:
        return self._class_names

    def set_probabilities(self, probabilities: np.ndarray | None) -> None:
        """Show ten probabilities (any non-negative values, shown as given); None clears the chart."""
        if probabilities is None:
            self._probabilities = None
            self._bars.setOpts(width=np.zeros(10), brushes=[self._bar_brush] * 10)
            self._values.set_values(None, 0)
            return
        values = np.asarray(probabilities, dtype=float).reshape(-1)
        if values.shape != (10,):
            raise ValueError(f"ProbabilityBars needs 10 probabilities, got shape {np.shape(probabilities)}.")
        values = np.clip(np.nan_to_num(values, nan=0.0), 0.0, 1.0)
        self._probabilities = values
        top = int(np.argmax(values))
        brushes = [self._top_brush if row == top else self._bar_brush for row in range(10)]
        self._bars.setOpts(width=values, brushes=brushes)
        self._values.set_values(values, top)

    def probabilities(self) -> np.ndarray | None:
        """The values shown (a copy), or None when the chart is empty."""
        return None if self._probabilities is None else self._probabilities.copy()

    def top_index(self) -> int | None:
        return None if self._probabilities is None else int(np.argmax(self._probabilities))

    def set_highlight_color(self, color: str) -> None:
        """Colour of the top bar, e.g. `style.WARNING` where compared models disagree."""
        if color != self._highlight:
            self._highlight = color
            self._top_brush = pg.mkBrush(color)
            if self._probabilities is not None:
                self.set_probabilities(self._probabilities)

    def set_title(self, title: str | None, *, color: str = style.TEXT) -> None:
        self.getPlotItem().setTitle(title, color=color, size="11pt", bold=True)

    def set_clickable(self, on: bool, tooltip: str = "") -> None:
        """Let a click on a row emit `classClicked`, with a pointing cursor and `tooltip`."""
        self._clickable = on
        self.setCursor(Qt.CursorShape.PointingHandCursor if on else Qt.CursorShape.ArrowCursor)
        self.setToolTip(tooltip if on else "")

    def row_at(self, position: QPointF) -> int | None:
        """The class row under a point in widget coordinates (names included), or None."""
        view = self.getPlotItem().getViewBox()
        scene = self.mapToScene(position.toPoint())
        if not self.getPlotItem().sceneBoundingRect().contains(scene):
            return None
        row = round(view.mapSceneToView(scene).y())
        return row if 0 <= row <= 9 else None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        row = self.row_at(event.position()) if self._clickable else None
        if row is not None and event.button() == Qt.MouseButton.LeftButton:
            event.accept()
            self.classClicked.emit(row)
            return
        super().mouseReleaseEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(320, 300)


class _ValueLabels(pg.GraphicsObject):
    """The ten percentages, painted in one go in screen pixels.

    pyqtgraph's TextItem lays out a QTextDocument per label, which made each update cost
    several milliseconds; plain `drawText` at positions mapped from data coordinates keeps a
    redraw well under one.
    """

    def __init__(self, font: QFont) -> None:
        super().__init__()
        self._font = font
        self._values: np.ndarray | None = None
        self._top = 0
        self._colors = {"inside": QColor(style.ON_ACCENT), "top": QColor(style.TEXT), "other": QColor(style.MUTED)}

    def set_values(self, values: np.ndarray | None, top: int) -> None:
        self._values, self._top = values, top
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(0.0, -0.6, 1.0, 10.2)   # the whole view: labels stay inside the bars' area

    def paint(self, painter: QPainter, *args: object) -> None:
        if self._values is None:
            return
        to_device = painter.transform()
        painter.resetTransform()
        painter.setFont(self._font)
        metrics = QFontMetrics(self._font)
        half_height = (metrics.ascent() - metrics.descent()) / 2
        gap = metrics.horizontalAdvance(" ")
        for row, value in enumerate(self._values):
            text = _percent(float(value))
            end = to_device.map(QPointF(float(value), float(row)))
            inside = value >= INSIDE_LABEL_FROM
            x = end.x() - gap - metrics.horizontalAdvance(text) if inside else end.x() + gap
            painter.setPen(self._colors["inside" if inside and row == self._top else
                                        "top" if row == self._top else "other"])
            painter.drawText(QPointF(x, end.y() + half_height), text)


def _percent(value: float) -> str:
    if value >= 0.9995:
        return "100%"
    if value < 0.001:
        return "<" + decimal(0.1, 1) + "%" if value > 0 else "0%"
    return decimal(value * 100, 1) + "%"
