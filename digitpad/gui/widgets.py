"""Small widget pieces every tab uses, kept in one place so the tabs look and behave alike.

A card, a read-only table, a 28x28 digit picture and a file dialog that remembers its folder
each existed three or four times with small differences; the tabs import them from here. The
look itself (colours, the `card`/`caption` style rules) lives in `style`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import numpy as np
from PySide6.QtCore import QObject, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

TABLE_ROW_HEIGHT = 24
SIZED_ROWS = 50  # the rows a list's columns are measured on, when they fit their contents

_Widget = TypeVar("_Widget", bound=QObject)


def named(widget: _Widget, name: str) -> _Widget:
    """`widget` with its object name set: what tests, style rules and `findChild` look it up by.

    PySide6 accepts `objectName=` in constructors, but its type stubs do not; this keeps the
    one-line widget creation and lets mypy check the rest of the call.
    """
    widget.setObjectName(name)
    return widget


def card(title: str = "") -> tuple[QFrame, QVBoxLayout]:
    """A white rounded panel with an optional small caption; widgets go into the returned layout."""
    frame = QFrame()
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 12)
    layout.setSpacing(8)
    if title:
        layout.addWidget(caption(title))
    return frame, layout


def caption(text: str) -> QLabel:
    """The small upper-case heading of a card (styled by `QLabel#caption`)."""
    label = QLabel(text.upper())
    label.setObjectName("caption")
    return label


def muted_label(text: str) -> QLabel:
    """Secondary, word-wrapped text (captions, notes) in the theme's muted colour."""
    label = QLabel(text)
    label.setProperty("muted", True)
    label.setWordWrap(True)
    return label


class LiveText(QWidget):
    """Word-wrapped text that changes several times a second: a running job's counters.

    `QLabel.setText` asks the whole window to lay itself out again on every call, whether or
    not the label's size changed. At the five progress lines a second of a training run, that
    cost the window more than its live curves did (measured: about 2 % of one core, which the
    training in the engine process then lacked). This widget only repaints, and asks for a new
    layout only when its text needs a different number of lines. The colour comes from the
    palette, which style rules set (`LiveText#progressLabel { color: ... }`).
    """

    _FLAGS = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._text = ""
        self._lines = 1

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # QLabel's name, for callers and tests
        if text == self._text:
            return
        self._text = text
        self.setAccessibleName(text)
        self._relayout_if_lines_changed()
        self.update()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._line_count(width) * self.fontMetrics().lineSpacing()

    def sizeHint(self) -> QSize:
        """As wide as the text on one line, capped: a long sentence wraps instead of widening the window."""
        metrics = self.fontMetrics()
        width = min(metrics.horizontalAdvance(self._text), 60 * metrics.averageCharWidth())
        return QSize(width, self.heightForWidth(max(width, 1)))

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(12 * metrics.averageCharWidth(), metrics.lineSpacing())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), self._FLAGS, self._text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout_if_lines_changed()

    def _line_count(self, width: int) -> int:
        if not self._text:
            return 1
        bounds = self.fontMetrics().boundingRect(QRect(0, 0, max(width, 1), 1_000_000), self._FLAGS, self._text)
        return max(1, round(bounds.height() / self.fontMetrics().lineSpacing()))

    def _relayout_if_lines_changed(self) -> None:
        lines = self._line_count(self.contentsRect().width())
        if lines != self._lines:
            self._lines = lines
            self.updateGeometry()


def fit_columns(header: QHeaderView, stretch: int) -> None:
    """Columns as wide as their contents, measured on `SIZED_ROWS` rows (the visible ones
    first), with column `stretch` taking the rest. Qt measures 1,000 rows by default, and a
    list that grows with use (training runs, models, trials) is measured again after every
    change: with 333 runs that was most of the 86-101 ms stall each time a training ended."""
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setResizeContentsPrecision(SIZED_ROWS)


def set_style_property(widget: QWidget, name: str, value: object) -> bool:
    """Set a property that style rules select on (`QLabel[kind="agree"]`) and restyle the widget;
    False, and no costly re-polish, when it already had that value."""
    if widget.property(name) == value:
        return False
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    return True


_Table = TypeVar("_Table", bound=QTableView)  # a QTableWidget, or a QTableView over a model


def make_read_only(
    table: _Table, *, selectable: bool = False, row_height: int = TABLE_ROW_HEIGHT
) -> _Table:
    """Turn `table` into a flat, read-only report table (no editing, no grid, no row numbers)."""
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    if not selectable:
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(row_height)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setFrameShape(QFrame.Shape.NoFrame)
    return table


def read_only_table(columns: list[str] | tuple[str, ...], parent: QWidget | None = None) -> QTableWidget:
    """A new read-only report table with these column headers and no rows yet."""
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(list(columns))
    return make_read_only(table)


def cell(text: str, *, right: bool = False, tooltip: str = "") -> QTableWidgetItem:
    """A table item; numbers are right-aligned (`right=True`) so their digits line up."""
    item = QTableWidgetItem(text)
    horizontal = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
    item.setTextAlignment(horizontal | Qt.AlignmentFlag.AlignVCenter)
    if tooltip:
        item.setToolTip(tooltip)
    return item


def digit_pixmap(image: np.ndarray | None, size: int, *, paper: bool = False, smooth: bool = True) -> QPixmap:
    """A 28x28 digit (uint8 0-255 or float 0-1, ink bright on black) as a `size` px square pixmap.

    `paper=True` shows dark ink on white, as people write; the default shows what the model
    sees. `smooth=False` scales with nearest neighbour, one block per model pixel. None gives
    a black square (nothing to show yet).
    """
    if image is None:
        pixels = np.zeros((28, 28), np.uint8)
    elif np.issubdtype(np.asarray(image).dtype, np.floating):
        pixels = np.clip(np.asarray(image) * 255.0 + 0.5, 0, 255).astype(np.uint8)
    else:
        pixels = np.asarray(image, dtype=np.uint8)
    if paper:
        pixels = 255 - pixels
    pixels = np.ascontiguousarray(pixels)
    height, width = pixels.shape
    qimage = QImage(pixels.data, width, height, width, QImage.Format.Format_Grayscale8).copy()
    mode = Qt.TransformationMode.SmoothTransformation if smooth else Qt.TransformationMode.FastTransformation
    return QPixmap.fromImage(qimage).scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, mode)


class RememberingFileDialog:
    """Open/choose dialogs that start in the folder the user picked last time (kept in QSettings).

    One instance per kind of file (models, images, datasets), each with its own settings key,
    so picking an image does not move the next model dialog.
    """

    def __init__(self, settings: QSettings, key: str) -> None:
        self._settings = settings
        self._key = key

    def start_folder(self) -> str:
        folder = str(self._settings.value(self._key, "") or "")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def remember(self, path: str | Path) -> None:
        """Remember the folder of `path` (or `path` itself when it is a folder)."""
        chosen = Path(path)
        self._settings.setValue(self._key, str(chosen if chosen.is_dir() else chosen.parent))

    def open_file(self, parent: QWidget | None, title: str, name_filter: str) -> Path | None:
        """Ask for one existing file; None when cancelled."""
        path, _ = QFileDialog.getOpenFileName(parent, title, self.start_folder(), name_filter)
        return self._chosen(path)

    def open_folder(self, parent: QWidget | None, title: str) -> Path | None:
        """Ask for one existing folder; None when cancelled."""
        return self._chosen(QFileDialog.getExistingDirectory(parent, title, self.start_folder()))

    def save_file(self, parent: QWidget | None, title: str, name_filter: str, suggested_name: str = "") -> Path | None:
        """Ask where to save; None when cancelled."""
        start = str(Path(self.start_folder()) / suggested_name) if suggested_name else self.start_folder()
        path, _ = QFileDialog.getSaveFileName(parent, title, start, name_filter)
        return self._chosen(path)

    def _chosen(self, path: str) -> Path | None:
        if not path:
            return None
        self.remember(path)
        return Path(path)


def rgba_image(colours: np.ndarray) -> QImage:
    """A QImage copy of (H, W, 4) uint8 RGBA colours (straight, not premultiplied, alpha)."""
    pixels = np.ascontiguousarray(colours, dtype=np.uint8)
    height, width = pixels.shape[:2]
    return QImage(pixels.data, width, height, 4 * width, QImage.Format.Format_RGBA8888).copy()
