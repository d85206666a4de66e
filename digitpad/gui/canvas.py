"""The drawing surface: black ink on white paper, like a pen on a sheet.

Strokes are painted into a fixed 280x280 image (ten times MNIST's 28x28) rather than into the
widget, so a digit does not change with the window's size and the recogniser always gets the
same resolution; the widget only shows that image scaled into the largest square that fits.
Every change (stroke, eraser, clear, opened/dropped/pasted image) pushes a snapshot onto the
undo stack, which is cheap at this size (300 KB each, at most `UNDO_LIMIT`).

Besides the pixels, the canvas keeps what the pen did as vectors (`drawing()`: each stroke's
points with timestamps and pen width), so a digit the user keeps can later be re-drawn at other
pen widths and slants to teach a model from few examples. An opened, dropped or pasted image has
no strokes; a drawing made on top of one has none either, since strokes alone would not show it.

An overlay (an explanation of the answer, see `explanation_overlay`) can be laid over the
drawing. It describes one drawing, so any change to the pixels removes it: a stale map over a
changed digit would point at ink that is no longer there.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import NamedTuple

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.core.errors import ImageError
from digitpad.core.imageio import read_image
from digitpad.core.strokes import Drawing, PenStroke
from digitpad.gui import style
from digitpad.gui.i18n import QT_TRANSLATE_NOOP

RESOLUTION = 280
MIN_BRUSH = 4
MAX_BRUSH = 64
DEFAULT_BRUSH = 22      # about MNIST's stroke width relative to a digit filling the canvas
UNDO_LIMIT = 50
BAKE_AFTER_ELEMENTS = 400   # path elements repainted per mouse move before the stroke is baked in
FIT_MARGIN = 0.08       # opened images keep this fraction of the canvas free on each side
INK_THRESHOLD = 128     # a pixel darker than this counts as ink for `is_blank`
PLACEHOLDER = QT_TRANSLATE_NOOP("Canvas", "Draw a digit here")

_PAPER = QColor("white")
_INK = QColor("black")
_LUMA = np.array([0.299, 0.587, 0.114], np.float32)   # ITU-R BT.601, as Pillow's "L" mode


class _Snapshot(NamedTuple):
    """One undo step: the pixels and the strokes that made them (None: not made by strokes alone)."""

    image: QImage
    strokes: tuple[PenStroke, ...] | None


class Canvas(QWidget):
    """A square drawing surface with undo/redo, eraser, and image open/drop/paste."""

    imageChanged = Signal()          # after every stroke segment, undo, redo, clear or load
    undoAvailable = Signal(bool)
    redoAvailable = Signal(bool)
    brushSizeChanged = Signal(int)
    loadFailed = Signal(str)         # a dropped or pasted image could not be used (message)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvas")
        self.setAccessibleName(self.tr("Drawing canvas"))
        self.setAccessibleDescription(self.tr("Draw a digit with the mouse; it is recognised as you draw."))
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAcceptDrops(True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(RESOLUTION, RESOLUTION)

        self._image = QImage(RESOLUTION, RESOLUTION, QImage.Format.Format_RGB32)
        self._image.fill(_PAPER)
        self._undo: list[_Snapshot] = []
        self._redo: list[_Snapshot] = []
        self._strokes: tuple[PenStroke, ...] | None = ()    # None once an image was loaded
        self._points: list[tuple[float, float, float]] = []  # the stroke in progress: x, y, seconds
        self._clock_start = 0.0                               # when the drawing's first stroke began
        self._brush_size = DEFAULT_BRUSH
        self._eraser = False
        self._stroke_base: QImage | None = None    # the image as it was when the current stroke began
        self._stroke_path = QPainterPath()
        self._last_point = QPointF()
        self._last_mid = QPointF()
        self._hover: QPointF | None = None
        self._blank = True
        self._placeholder = QCoreApplication.translate("Canvas", PLACEHOLDER)
        self._overlay: QImage | None = None
        self._overlay_area = QRectF()
        # The picture last opened, dropped or pasted, as long as nothing has changed it since: a
        # model of whole pictures (Fashion-MNIST) reads it rather than its fitted copy on the canvas.
        self._loaded_picture: np.ndarray | None = None

    # ---- public API -------------------------------------------------------------------------

    def loaded_picture(self) -> np.ndarray | None:
        """The image last opened, dropped or pasted, untouched since; None once drawn on."""
        return self._loaded_picture

    def loaded_picture_square(self) -> tuple[float, float, float] | None:
        """(left, top, side) in canvas pixels of the square the opened picture was fitted into
        (its longer side spans it, centred); None once drawn on. A model that reads whole pictures
        sees exactly this square, so its explanation is painted there."""
        if self._loaded_picture is None:
            return None
        room = round(RESOLUTION * (1 - 2 * FIT_MARGIN))
        offset = float((RESOLUTION - room) // 2)
        return offset, offset, float(room)

    def image_array(self) -> np.ndarray:
        """The drawing as shown: uint8 (280, 280), 255 = paper, 0 = ink."""
        bits = np.frombuffer(self._image.constBits(), dtype=np.uint8)
        rows = bits.reshape(RESOLUTION, self._image.bytesPerLine())
        return rows[:, 0 : RESOLUTION * 4 : 4].copy()   # blue byte of each 0xffRRGGBB pixel; all channels equal

    def is_blank(self) -> bool:
        return self._blank

    def drawing(self) -> Drawing | None:
        """The strokes of the drawing shown (with the one in progress), or None when it is blank
        or holds an opened image that strokes alone cannot reproduce."""
        if self._blank or self._strokes is None:
            return None
        strokes = self._strokes
        if self._stroke_base is not None and self._points:
            strokes = (*strokes, self._current_stroke())
        return Drawing(strokes, RESOLUTION) if strokes else None

    def brush_size(self) -> int:
        return self._brush_size

    def is_stroke_in_progress(self) -> bool:
        """Whether the pen is down: work that only matters once a stroke is finished can wait."""
        return self._stroke_base is not None

    def set_overlay(self, overlay: QImage | None, area: QRectF | None = None) -> None:
        """Lay `overlay` (with its own transparency) over the drawing, stretched over `area` in
        canvas pixels (0..RESOLUTION; it may reach past the edges, which cut it off). None
        removes it; so does the next change to the drawing."""
        if overlay is None and self._overlay is None:
            return   # asked on every stroke; a repaint of the whole canvas would slow the pen
        self._overlay = overlay if overlay is not None and not overlay.isNull() else None
        self._overlay_area = QRectF(area) if area is not None and self._overlay is not None else QRectF()
        self.update()

    def overlay(self) -> QImage | None:
        return self._overlay

    def overlay_area(self) -> QRectF:
        """Where the overlay lies in canvas pixels; empty when there is none."""
        return QRectF(self._overlay_area)

    def set_placeholder(self, text: str) -> None:
        """What the blank canvas invites the user to draw ("Draw a 3" in the guided mode)."""
        self._placeholder = text or QCoreApplication.translate("Canvas", PLACEHOLDER)
        self.update()

    def placeholder(self) -> str:
        return self._placeholder

    def set_brush_size(self, size: int) -> None:
        size = max(MIN_BRUSH, min(MAX_BRUSH, int(size)))
        if size != self._brush_size:
            if self._stroke_base is not None:
                self._bake_stroke()      # the part already drawn keeps its width
                self._split_stroke()
            self._brush_size = size
            self.brushSizeChanged.emit(size)
            self.update()

    def is_eraser(self) -> bool:
        return self._eraser

    def set_eraser(self, on: bool) -> None:
        if self._stroke_base is not None:
            self._bake_stroke()
            self._split_stroke()
        self._eraser = bool(on)
        self.update()

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> None:
        if self._undo:
            self._redo.append(_Snapshot(self._image, self._strokes))
            self._image, self._strokes = self._undo.pop()
            self._after_history_change()

    def redo(self) -> None:
        if self._redo:
            self._undo.append(_Snapshot(self._image, self._strokes))
            self._image, self._strokes = self._redo.pop()
            self._after_history_change()

    def clear(self) -> None:
        """Wipe the canvas (undoable); clearing an empty canvas does nothing."""
        if self._blank:
            return
        self._push_undo()
        self._image.fill(_PAPER)
        self._strokes = ()
        self._changed()

    def load_image_file(self, path: str | Path) -> None:
        """Replace the drawing with an image file scaled to fit; ImageError leaves it unchanged."""
        self.load_array(read_image(path), source=Path(path).name)

    def load_array(self, array: np.ndarray, *, source: str = QCoreApplication.translate("Canvas", "The image")) -> None:
        """Replace the drawing with `array` (gray/RGB/RGBA, either polarity), scaled to fit."""
        gray = _as_ink_on_paper(array, source)
        picture_as_loaded = np.array(array)
        height, width = gray.shape
        picture = QImage(gray.data, width, height, width, QImage.Format.Format_Grayscale8)
        room = round(RESOLUTION * (1 - 2 * FIT_MARGIN))
        scaled = picture.scaled(room, room, Qt.AspectRatioMode.KeepAspectRatio,
                                Qt.TransformationMode.SmoothTransformation)
        self._push_undo()
        self._loaded_picture = picture_as_loaded
        self._image.fill(_PAPER)
        self._strokes = None
        painter = QPainter(self._image)
        painter.drawImage((RESOLUTION - scaled.width()) // 2, (RESOLUTION - scaled.height()) // 2, scaled)
        painter.end()
        self._changed()

    def paste(self) -> None:
        """Use the clipboard's image, or the image file it names; `loadFailed` otherwise."""
        self._load_mime(QGuiApplication.clipboard().mimeData(), self.tr("The clipboard"))

    # ---- drawing ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        point = self._to_image(event.position())
        self._push_undo()
        self._stroke_base = self._undo[-1].image
        if self._blank and self._strokes is not None:
            self._strokes = ()                 # a fresh drawing: its clock starts now
            self._clock_start = time.monotonic()
        self._points = []
        self._record(point)
        self._stroke_path = QPainterPath(point)
        self._last_point = self._last_mid = point
        self._render_stroke(point, [point])
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        previous_hover = self._hover
        self._hover = event.position()
        self._update_cursor(previous_hover)
        if self._stroke_base is None:
            return
        point = self._to_image(event.position())
        self._record(point)
        touched = [self._last_mid, self._last_point, point]
        # Quadratics through the samples' midpoints give a smooth curve that lags the pointer
        # by at most half a sample; the straight tail to the pointer closes that gap.
        mid = (self._last_point + point) / 2
        self._stroke_path.quadTo(self._last_point, mid)
        self._last_point, self._last_mid = point, mid
        if self._stroke_path.elementCount() > BAKE_AFTER_ELEMENTS:
            self._bake_stroke()
        self._render_stroke(point, touched)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._stroke_base is None:
            super().mouseReleaseEvent(event)
            return
        point = self._to_image(event.position())
        self._record(point)
        self._render_stroke(point, [self._last_mid, self._last_point, point])
        if self._strokes is not None:
            self._strokes = (*self._strokes, self._current_stroke())
        self._points = []
        self._stroke_base = None
        event.accept()

    def leaveEvent(self, event: QEvent) -> None:
        previous_hover, self._hover = self._hover, None
        self._update_cursor(previous_hover)

    # ---- drag and drop ----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasImage() or any(url.isLocalFile() for url in mime.urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        event.acceptProposedAction()
        self._load_mime(event.mimeData(), self.tr("The dropped item"))

    # ---- painting ---------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(560, 560)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        target = self._target_rect()
        painter.drawImage(target, self._image)
        if self._overlay is not None:
            painter.save()
            painter.setClipRect(target)
            painter.drawImage(self._to_widget_rect(self._overlay_area), self._overlay)
            painter.restore()
        painter.setPen(QPen(QColor(style.BORDER), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(target.adjusted(0, 0, -1, -1))
        if self._blank and self._stroke_base is None:
            painter.setPen(QColor(style.PLACEHOLDER))
            font = painter.font()
            font.setPointSizeF(max(11.0, target.width() / 32))
            painter.setFont(font)
            painter.drawText(target, Qt.AlignmentFlag.AlignCenter, self._placeholder)
        if self._hover is not None and target.contains(self._hover.toPoint()):
            radius = self._brush_size * target.width() / RESOLUTION / 2
            painter.setPen(QPen(QColor(style.ACCENT if not self._eraser else style.WARNING), 1.2))
            painter.drawEllipse(self._hover, radius, radius)
        painter.end()

    # ---- internals --------------------------------------------------------------------------

    def _target_rect(self) -> QRect:
        side = min(self.width(), self.height())
        return QRect((self.width() - side) // 2, (self.height() - side) // 2, side, side)

    def _to_image(self, position: QPointF) -> QPointF:
        target = self._target_rect()
        scale = RESOLUTION / max(1, target.width())
        return QPointF((position.x() - target.x()) * scale, (position.y() - target.y()) * scale)

    def _to_widget(self, rect: QRectF) -> QRect:
        return self._to_widget_rect(rect).toAlignedRect()

    def _to_widget_rect(self, rect: QRectF) -> QRectF:
        target = self._target_rect()
        scale = target.width() / RESOLUTION
        return QRectF(target.x() + rect.x() * scale, target.y() + rect.y() * scale,
                      rect.width() * scale, rect.height() * scale)

    def _pen(self) -> QPen:
        return QPen(_PAPER if self._eraser else _INK, self._brush_size, Qt.PenStyle.SolidLine,
                    Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)

    def _render_stroke(self, tail: QPointF, touched: list[QPointF]) -> None:
        """Repaint the stroke so far over the image it started on, only where it changed.

        Painting each new segment on top of the last would blend their anti-aliased edges
        twice and leave a scalloped rim; painting the whole stroke as one path does not.
        """
        assert self._stroke_base is not None
        half = self._brush_size / 2 + 2
        xs = [p.x() for p in touched]
        ys = [p.y() for p in touched]
        dirty = QRectF(min(xs) - half, min(ys) - half, max(xs) - min(xs) + 2 * half, max(ys) - min(ys) + 2 * half)
        path = QPainterPath(self._stroke_path)
        path.lineTo(tail)
        painter = QPainter(self._image)
        painter.setClipRect(dirty)
        painter.drawImage(0, 0, self._stroke_base)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self._pen())
        painter.drawPath(path)
        painter.end()
        self._changed(dirty)

    def _record(self, point: QPointF) -> None:
        """Keep the pen's position in canvas pixels, with the time since the drawing began."""
        x, y = round(point.x(), 2), round(point.y(), 2)
        if self._points and self._points[-1][:2] == (x, y):
            return    # the release repeats the last move's position
        self._points.append((x, y, round(time.monotonic() - self._clock_start, 3)))

    def _current_stroke(self) -> PenStroke:
        return PenStroke(tuple(self._points), float(self._brush_size), self._eraser)

    def _split_stroke(self) -> None:
        """The pen changed mid-stroke: what was drawn so far becomes a stroke of its own."""
        if self._strokes is not None and self._points:
            self._strokes = (*self._strokes, self._current_stroke())
        self._points = self._points[-1:]

    def _bake_stroke(self) -> None:
        """Start a new path at the last midpoint so a long scribble stays cheap to repaint."""
        if self._stroke_base is None:
            return  # no stroke in progress: nothing to bake
        painter = QPainter(self._image)
        painter.drawImage(0, 0, self._stroke_base)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self._pen())
        painter.drawPath(self._stroke_path)
        painter.end()
        self._stroke_base = self._image.copy()
        self._stroke_path = QPainterPath(self._last_mid)

    def _push_undo(self) -> None:
        self._loaded_picture = None  # every change starts here: the picture is no longer as opened
        self._undo.append(_Snapshot(self._image.copy(), self._strokes))
        del self._undo[:-UNDO_LIMIT]
        self._redo.clear()
        self._emit_history()

    def _after_history_change(self) -> None:
        self._loaded_picture = None
        self._stroke_base = None
        self._emit_history()
        self._changed()

    def _emit_history(self) -> None:
        self.undoAvailable.emit(bool(self._undo))
        self.redoAvailable.emit(bool(self._redo))

    def _changed(self, dirty: QRectF | None = None) -> None:
        if self._eraser or dirty is None:
            self._blank = not bool((self.image_array() < INK_THRESHOLD).any())
        else:
            self._blank = False
        if dirty is None or self._overlay is not None:
            self._overlay, self._overlay_area = None, QRectF()   # it explained the drawing as it was
            self.update()
        else:
            self.update(self._to_widget(dirty).adjusted(-2, -2, 2, 2))
        self.imageChanged.emit()

    def _update_cursor(self, previous: QPointF | None) -> None:
        target = self._target_rect()
        radius = self._brush_size * target.width() / RESOLUTION / 2 + 3
        for centre in (previous, self._hover):
            if centre is not None:
                self.update(QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius).toAlignedRect())

    def _load_mime(self, mime: QMimeData | None, what: str) -> None:
        """A local file named in `mime` wins over image data (a copied file may carry an icon)."""
        try:
            files = [url.toLocalFile() for url in (mime.urls() if mime is not None else []) if url.isLocalFile()]
            if files:
                self.load_image_file(files[0])
            elif mime is not None and mime.hasImage():
                self.load_array(qimage_to_array(QImage(mime.imageData())), source=what)
            else:
                raise ImageError(self.tr("{what} holds no image or image file.").format(what=what))
        except ImageError as error:
            self.loadFailed.emit(str(error))


def qimage_to_array(image: QImage) -> np.ndarray:
    """RGBA uint8 (H, W, 4) copy of a QImage; an empty image raises ImageError."""
    if image.isNull() or image.width() == 0 or image.height() == 0:
        raise ImageError(QCoreApplication.translate("Canvas", "The image is empty."))
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    rows = np.frombuffer(rgba.constBits(), dtype=np.uint8).reshape(rgba.height(), rgba.bytesPerLine())
    return rows[:, : rgba.width() * 4].reshape(rgba.height(), rgba.width(), 4).copy()


def _as_ink_on_paper(array: np.ndarray, source: str) -> np.ndarray:
    """Gray uint8 with dark ink on white: what the canvas shows, whatever the file's polarity.

    Transparent pixels are background. Without transparency, a dark border means a dark
    background (an MNIST-style image), which is inverted so the user can keep drawing on it.
    """
    image = np.asarray(array)
    if image.ndim not in (2, 3) or image.shape[0] == 0 or image.shape[1] == 0 or (
        image.ndim == 3 and image.shape[2] not in (1, 2, 3, 4)
    ):
        raise ImageError(QCoreApplication.translate("Canvas", "{source} is not a 2-D grayscale or colour image.").format(source=source))
    if np.issubdtype(image.dtype, np.floating):
        image = np.clip(image, 0.0, 1.0) * 255.0
    image = image.astype(np.float32)
    alpha: np.ndarray | None = None
    if image.ndim == 3:
        if image.shape[2] in (2, 4):
            alpha = image[..., -1] / 255.0
            image = image[..., :-1]
        image = image[..., 0] if image.shape[2] == 1 else image @ _LUMA
    if alpha is not None and alpha.min() < 0.98:
        opaque = alpha > 0.5
        if opaque.any() and image[opaque].mean() > 127:
            image = 255.0 - image           # light ink on a transparent background
        darkness = (255.0 - image) * alpha
        return np.ascontiguousarray(np.clip(255.0 - darkness, 0, 255).astype(np.uint8))
    border = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
    if np.median(border) < 128:
        image = 255.0 - image
    return np.ascontiguousarray(np.clip(image, 0, 255).astype(np.uint8))
