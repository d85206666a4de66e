"""Why the model gave its answer, painted over the drawing.

The map is `digitpad.core.explanation.explain`'s: it blanks patches of the model's 28x28 input
and measures how much the answer's probability falls, which is faithful to the model (what it
shows truly changes the answer) but costs a batch of predictions, tens of milliseconds. So it
runs on a worker, and only once the pen is lifted: a map computed mid-stroke would be stale
before it arrived and would hold up the one wanted after the stroke. The draw tab runs
`explain_drawing` on a `LatestTask` and shows a result only if nothing changed since it asked.

The map is laid over the canvas where preprocessing took the model's input from
(`input_geometry`: the crop, the scale to 20 px and the centring shift), so a warm patch sits on
the stroke that caused it, whatever the size and place of the drawing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from digitpad.core.cancellation import raise_if_stopped
from digitpad.core.explanation import Explanation, explain, saliency_rgba
from digitpad.core.preprocess_stages import InputGeometry, input_geometry
from digitpad.gui import style
from digitpad.gui.i18n import decimal
from digitpad.gui.widgets import caption, muted_label, named, rgba_image

INPUT_SIDE = 28
OVERLAY_SIDE = 8 * INPUT_SIDE      # the map's colours are upsampled smoothly to this, then scaled by Qt
LEGEND_SIZE = QSize(120, 12)

Predict = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class CanvasExplanation:
    """An explanation of one drawing, ready to lay over the canvas."""

    serial: int                  # the request it answers: an older one is dropped on arrival
    explanation: Explanation
    colours: np.ndarray          # (OVERLAY_SIDE, OVERLAY_SIDE, 4) uint8 RGBA, `saliency_rgba`'s colours
    area: tuple[float, float, float, float]   # left, top, width, height of the model's input on the drawing
    elapsed_ms: float            # the worker's time for the explanation and its placement


def explain_drawing(predict: Predict, drawing: np.ndarray, model_input: np.ndarray, serial: int,
                    _progress: Callable[[Any], None], stop_event: threading.Event, *,
                    geometry: InputGeometry | None = None) -> CanvasExplanation:
    """The worker's job: explain `model_input` (the preprocessed `drawing`) and place it on the
    drawing, where the digit recipe put it or, for a whole-picture model, at `geometry`."""
    raise_if_stopped(stop_event, QCoreApplication.translate("ExplanationOverlay", "explaining the drawing"))
    start = time.perf_counter()
    explanation = explain(predict, model_input)
    geometry = geometry if geometry is not None else input_geometry(drawing)
    colours = saliency_rgba(explanation.saliency, OVERLAY_SIDE)
    side = INPUT_SIDE * geometry.scale
    return CanvasExplanation(serial, explanation, colours, (geometry.left, geometry.top, side, side),
                             (time.perf_counter() - start) * 1000.0)


def legend_pixmap(size: QSize) -> QPixmap:
    """The overlay's colour scale from "argues against" (left) to "supports" (right), drawn by the
    same `saliency_rgba` as the overlay, on white paper as on the canvas, so the key cannot
    disagree with the map."""
    ramp = np.linspace(-1.0, 1.0, size.width(), dtype=np.float32)[np.newaxis]
    pixmap = QPixmap(size)
    pixmap.fill(QColor(style.SURFACE))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(QRectF(0, 0, size.width(), size.height()), rgba_image(saliency_rgba(ramp)))
    painter.end()
    return pixmap


class WhyLegend(QWidget):
    """The key under the canvas while "Why?" is on: which colour argues for the answer, which
    against it, and how the map was made and how long it took."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whyLegend")
        self.against = muted_label(self.tr("against"))
        self.against.setWordWrap(False)
        self.strip = named(QLabel(), "whyStrip")
        self.strip.setPixmap(legend_pixmap(LEGEND_SIZE))
        self.strip.setToolTip(self.tr("The overlay's colours: how much blanking that part of the drawing lowers (warm)\n"
                              "or raises (cool) the model's confidence in its answer"))
        self.support = named(QLabel(), "whySupport")
        self.status = muted_label("")
        self.status.setObjectName("whyStatus")
        self.status.setWordWrap(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addStretch(1)
        layout.addWidget(caption(self.tr("Why?")))
        layout.addWidget(self.against)
        layout.addWidget(self.strip)
        layout.addWidget(self.support)
        layout.addSpacing(12)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.show_waiting(working=False)

    def show_waiting(self, *, working: bool) -> None:
        """No map for this drawing yet: it is being made (`working`), or follows when the pen is lifted."""
        self.support.setText(self.tr("for the answer"))
        self.status.setText(self.tr("working it out…") if working else self.tr("appears when you lift the pen"))

    def show_explanation(self, result: CanvasExplanation, class_names: Sequence[str]) -> None:
        self.support.setText(self.tr("for {value}").format(value=class_names[result.explanation.label]))
        self.status.setText(self.tr("{method} · {elapsed_ms} ms").format(method=result.explanation.method,
                                                                      elapsed_ms=decimal(result.elapsed_ms, 0)))

    def show_failed(self) -> None:
        """The map could not be made (the status bar says why)."""
        self.support.setText(self.tr("for the answer"))
        self.status.setText(self.tr("could not be worked out"))
