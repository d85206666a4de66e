"""The confusion matrix as a heatmap one can click: which classes the model mixes up, and a way in.

A table of a hundred numbers hides the pattern; colour shows it at a glance, and the numbers
stay written in the cells. Colour always follows each row's share (a class with few images is
as readable as a large one), while the text shows either the counts or the row percentages.
Clicking a cell emits `cellClicked(true, predicted)`, which the evaluation view turns into the
gallery of exactly those images.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QWidget

from digitpad.core.palette import confusion_cell_colours
from digitpad.gui import style
from digitpad.gui.i18n import QT_TRANSLATE_NOOP, decimal, format_count

CellMode = Literal["counts", "row"]

# Right answers need most of a row to look strong, while a few percent of wrong answers should
# already show: the off-diagonal share is amplified, and any mistake at all gets a faint tint
# (the report's confusion figure uses the same rule, so both look alike).
WHITE_TEXT_FROM = 0.55     # cells at least this opaque carry white text
MIN_POINT_SIZE = 6.0       # below this the numbers are left to the tooltips
SHORT_NAME = 3             # class names up to this long fit under a column; longer ones become indices
HINT = QT_TRANSLATE_NOOP("ConfusionHeatmap", "Rows: the true class; columns: the model's answer. Click a cell to see its images.")


def cell_text(count: int, row_total: int, mode: CellMode) -> str:
    """What a cell says: its count, or its share of the row in percent. Empty cells stay blank so
    the mistakes stand out, and a part of a row never reads "0" or "100": one misread 4 in 209
    is 99.5, not a perfect row."""
    if count == 0:
        return ""
    if mode == "counts":
        return format_count(count)
    percent = 100.0 * count / row_total
    if count == row_total:
        return "100"
    if percent < 0.05:
        return "<" + decimal(0.1, 1)
    if percent >= 99.5:
        return decimal(math.floor(percent * 10) / 10, 1)
    return decimal(percent, 1) if percent < 9.95 else decimal(percent, 0)


class ConfusionHeatmap(pg.PlotWidget):
    """Rows: the true class (top to bottom); columns: the model's answer (left to right)."""

    cellClicked = Signal(int, int)   # true class, predicted class

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, background=style.SURFACE, enableMenu=False)
        self.setObjectName("confusionHeatmap")
        self.setAccessibleName(self.tr("Confusion matrix"))
        self.setMenuEnabled(False)
        self.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(QCoreApplication.translate("ConfusionHeatmap", HINT))
        self.setMinimumSize(200, 150)
        self._confusion: np.ndarray | None = None
        self._class_names: tuple[str, ...] = ()
        self._mode: CellMode = "counts"
        self._selected: tuple[int, int] | None = None

        plot = self.getPlotItem()
        plot.setContentsMargins(2, 2, 6, 2)
        view = plot.getViewBox()
        view.invertY(True)
        view.disableAutoRange()
        self._image = pg.ImageItem(axisOrder="row-major")
        plot.addItem(self._image)
        self._texts = _CellTexts(QFont(self.font()))
        plot.addItem(self._texts)
        self._outline = QGraphicsRectItem()
        outline_pen = QPen(QColor(style.TEXT), 2.5)
        outline_pen.setCosmetic(True)
        self._outline.setPen(outline_pen)
        self._outline.setVisible(False)
        plot.addItem(self._outline)
        self._tick_font = QFont(self.font())
        for side, title in (("left", self.tr("true class")), ("bottom", self.tr("the model's answer"))):
            axis = plot.getAxis(side)
            axis.setStyle(tickLength=0, tickFont=self._tick_font)
            axis.setPen(pg.mkPen(None))
            axis.setTextPen(pg.mkPen(style.TEXT))
            axis.setLabel(title, color=style.MUTED)

    # ---- public API -------------------------------------------------------------------------

    def set_confusion(self, confusion: np.ndarray, class_names: Sequence[str]) -> None:
        """Show a (classes, classes) count matrix, rows = true class; clears the selected cell."""
        confusion = np.asarray(confusion, dtype=np.int64)
        names = tuple(str(name) for name in class_names)
        if confusion.ndim != 2 or confusion.shape[0] != confusion.shape[1] or len(names) != len(confusion):
            raise ValueError(f"A confusion matrix of shape {confusion.shape} does not fit {len(names)} class names.")
        self._confusion, self._class_names = confusion, names
        count = len(confusion)
        rgb, alpha = confusion_cell_colours(confusion)
        self._image.setImage(rgb, autoLevels=False, levels=(0, 255))
        self._image.setRect(QRectF(0, 0, count, count))
        self.getPlotItem().getViewBox().setRange(xRange=(0, count), yRange=(0, count), padding=0.0)
        self._set_ticks(names)
        self._texts.set_cells(self._cell_texts(), alpha >= WHITE_TEXT_FROM)
        self.select_cell(None)

    def clear_confusion(self) -> None:
        """Show nothing. Not named `clear`: `pg.PlotWidget` copies its PlotItem's `clear` (which
        removes every item for good) onto each instance, hiding any method of that name."""
        self._confusion = None
        self._image.clear()
        self._texts.set_cells([], np.zeros((0, 0), dtype=bool))
        self.select_cell(None)

    def set_mode(self, mode: CellMode) -> None:
        """"counts" writes each cell's count, "row" its share of the true class in percent."""
        if mode != self._mode:
            self._mode = mode
            if self._confusion is not None:
                self._texts.set_cells(self._cell_texts(), self._texts.white)

    def mode(self) -> CellMode:
        return self._mode

    def select_cell(self, cell: tuple[int, int] | None) -> None:
        """Outline one cell (true, predicted), or none."""
        self._selected = cell if self._confusion is not None else None
        if self._selected is None:
            self._outline.setVisible(False)
            return
        true, predicted = self._selected
        self._outline.setRect(QRectF(predicted, true, 1.0, 1.0))
        self._outline.setVisible(True)

    def selected_cell(self) -> tuple[int, int] | None:
        return self._selected

    def cell_texts(self) -> list[list[str]]:
        """The text written in each cell, row by row (what a reader sees, for tests)."""
        return [list(row) for row in self._texts.texts]

    def cell_at(self, position: QPointF) -> tuple[int, int] | None:
        """(true, predicted) of the cell under a point in widget coordinates, or None."""
        if self._confusion is None:
            return None
        point = self.getPlotItem().getViewBox().mapSceneToView(self.mapToScene(position.toPoint()))
        column, row = int(np.floor(point.x())), int(np.floor(point.y()))
        count = len(self._confusion)
        return (row, column) if 0 <= row < count and 0 <= column < count else None

    def cell_center(self, true: int, predicted: int) -> QPoint:
        """Widget coordinates of a cell's centre: where a click selects it."""
        view = self.getPlotItem().getViewBox()
        return self.mapFromScene(view.mapViewToScene(QPointF(predicted + 0.5, true + 0.5)))

    # ---- events -----------------------------------------------------------------------------

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position()) if event.button() == Qt.MouseButton.LeftButton else None
        if cell is not None:
            event.accept()
            self.select_cell(cell)
            self.cellClicked.emit(*cell)
            return
        super().mouseReleaseEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        self.setToolTip(self._tooltip(*cell) if cell is not None else QCoreApplication.translate("ConfusionHeatmap", HINT))
        super().mouseMoveEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(360, 320)

    # ---- helpers ----------------------------------------------------------------------------

    def _cell_texts(self) -> list[list[str]]:
        assert self._confusion is not None
        totals = self._confusion.sum(axis=1)
        return [[cell_text(int(count), int(totals[row]), self._mode) for count in counts]
                for row, counts in enumerate(self._confusion)]

    def _set_ticks(self, names: tuple[str, ...]) -> None:
        """Full names down the side; under the columns short names, or indices that the side
        labels then carry too ("0 T-shirt/top"), so long names never overlap."""
        short = all(len(name) <= SHORT_NAME for name in names)
        columns = names if short else tuple(str(i) for i in range(len(names)))
        rows = names if short else tuple(f"{i} {name}" for i, name in enumerate(names))
        plot = self.getPlotItem()
        plot.getAxis("bottom").setTicks([[(i + 0.5, name) for i, name in enumerate(columns)]])
        left = plot.getAxis("left")
        left.setTicks([[(i + 0.5, name) for i, name in enumerate(rows)]])
        left.setWidth(max(QFontMetrics(self._tick_font).horizontalAdvance(name) for name in rows) + 30)

    def _tooltip(self, true: int, predicted: int) -> str:
        assert self._confusion is not None
        count = int(self._confusion[true, predicted])
        total = int(self._confusion[true].sum())
        share = self.tr(" ({percent} % of the {name})").format(
            percent=decimal(100.0 * count / total, 1), name=self._class_names[true]) if total else ""
        verdict = (self.tr("{value} read right").format(value=self._class_names[true]) if true == predicted
                   else self.tr("{value} read as {value2}").format(value=self._class_names[true], value2=self._class_names[predicted]))
        if count == 1:
            return self.tr("{verdict}: 1 image{share}.\nClick to see it.").format(verdict=verdict, share=share)
        return self.tr("{verdict}: {count} images{share}.\nClick to see them.").format(
            verdict=verdict, count=format_count(count), share=share)


class _CellTexts(pg.GraphicsObject):
    """The numbers in the cells, painted in one go in screen pixels, at the largest size (up to
    the widget's font) at which the widest number fits its cell."""

    def __init__(self, font: QFont) -> None:
        super().__init__()
        self._font = font
        self.texts: list[list[str]] = []
        self.white = np.zeros((0, 0), dtype=bool)
        self._pens = {True: QColor(style.ON_ACCENT), False: QColor(style.TEXT)}

    def set_cells(self, texts: list[list[str]], white: np.ndarray) -> None:
        self.prepareGeometryChange()
        self.texts, self.white = texts, white
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(0.0, 0.0, float(len(self.texts)), float(len(self.texts)))

    def paint(self, painter: QPainter, *args: object) -> None:
        if not self.texts:
            return
        to_device = painter.transform()
        origin, corner = to_device.map(QPointF(0.0, 0.0)), to_device.map(QPointF(1.0, 1.0))
        cell_width, cell_height = abs(corner.x() - origin.x()), abs(corner.y() - origin.y())
        font = self._fitting_font(cell_width - 4, cell_height - 2)
        if font is None:
            return
        painter.resetTransform()
        painter.setFont(font)
        for row, texts in enumerate(self.texts):
            for column, text in enumerate(texts):
                if not text:
                    continue
                centre = to_device.map(QPointF(column + 0.5, row + 0.5))
                painter.setPen(self._pens[bool(self.white[row, column])])
                box = QRectF(centre.x() - cell_width / 2, centre.y() - cell_height / 2, cell_width, cell_height)
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _fitting_font(self, width: float, height: float) -> QFont | None:
        widest = max((text for texts in self.texts for text in texts), key=len, default="")
        font = QFont(self._font)
        size = self._font.pointSizeF()
        while size >= MIN_POINT_SIZE:
            font.setPointSizeF(size)
            metrics = QFontMetrics(font)
            if metrics.horizontalAdvance(widest) <= width and metrics.height() <= height:
                return font
            size -= 0.5
        return None
