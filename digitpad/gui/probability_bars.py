"""Ten horizontal probability bars, one per class, with the most likely class highlighted.

Horizontal bars keep long class names (Fashion-MNIST's "Ankle boot") readable and let several
widgets stand side by side when models are compared. Each update only changes the data of two
long-lived `BarGraphItem`s and ten text items, so the widget survives thousands of redraws
while the pen moves.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QWidget

from digitpad.core.datasets import MNIST_CLASS_NAMES
from digitpad.gui import style

BAR_HEIGHT = 0.72
INSIDE_LABEL_FROM = 0.78   # bars longer than this carry their percentage inside, in white


class ProbabilityBars(pg.PlotWidget):
    """Per-class probabilities as bars; `set_probabilities(None)` shows an empty chart."""

    def __init__(
        self,
        class_names: Sequence[str] = MNIST_CLASS_NAMES,
        parent: QWidget | None = None,
        *,
        title: str | None = None,
    ) -> None:
        super().__init__(parent=parent, background=style.SURFACE)
        self.setObjectName("probabilityBars")
        self.setAccessibleName("Class probabilities")
        self._probabilities: np.ndarray | None = None
        self._highlight = style.ACCENT
        self._class_names: tuple[str, ...] = ()

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
                                      brush=pg.mkBrush("#f1f5f9"), pen=pg.mkPen(None))
        self._bars = pg.BarGraphItem(x0=np.zeros(10), y=rows, height=BAR_HEIGHT, width=np.zeros(10),
                                     brush=pg.mkBrush(style.BAR), pen=pg.mkPen(None))
        plot.addItem(self._track)
        plot.addItem(self._bars)
        self._values: list[pg.TextItem] = []
        for row in range(10):
            text = pg.TextItem("", color=style.MUTED, anchor=(0, 0.5))
            text.setFont(self._value_font)
            text.setPos(0.0, row)
            plot.addItem(text)
            self._values.append(text)
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
            self._bars.setOpts(width=np.zeros(10), brushes=[pg.mkBrush(style.BAR)] * 10)
            for text in self._values:
                text.setText("")
            return
        values = np.asarray(probabilities, dtype=float).reshape(-1)
        if values.shape != (10,):
            raise ValueError(f"ProbabilityBars needs 10 probabilities, got shape {np.shape(probabilities)}.")
        values = np.clip(np.nan_to_num(values, nan=0.0), 0.0, 1.0)
        self._probabilities = values
        top = int(np.argmax(values))
        brushes = [pg.mkBrush(self._highlight if row == top else style.BAR) for row in range(10)]
        self._bars.setOpts(width=values, brushes=brushes)
        for row, (text, value) in enumerate(zip(self._values, values, strict=True)):
            text.setText(_percent(value))
            inside = value >= INSIDE_LABEL_FROM
            text.setAnchor((1, 0.5) if inside else (0, 0.5))
            text.setPos(value - 0.015 if inside else value + 0.015, row)
            text.setColor(QColor("white") if inside and row == top else
                          QColor(style.TEXT) if row == top else QColor(style.MUTED))

    def probabilities(self) -> np.ndarray | None:
        """The values shown (a copy), or None when the chart is empty."""
        return None if self._probabilities is None else self._probabilities.copy()

    def top_index(self) -> int | None:
        return None if self._probabilities is None else int(np.argmax(self._probabilities))

    def set_highlight_color(self, color: str) -> None:
        """Colour of the top bar, e.g. `style.WARNING` where compared models disagree."""
        if color != self._highlight:
            self._highlight = color
            if self._probabilities is not None:
                self.set_probabilities(self._probabilities)

    def set_title(self, title: str | None, *, color: str = style.TEXT) -> None:
        self.getPlotItem().setTitle(title, color=color, size="11pt", bold=True)

    def sizeHint(self) -> QSize:
        return QSize(320, 300)


def _percent(value: float) -> str:
    if value >= 0.9995:
        return "100%"
    if value < 0.001:
        return "<0.1%" if value > 0 else "0%"
    return f"{value * 100:.1f}%"
