"""The Draw tab's "Inside the network" page: the first layer's filters and each layer's maps.

One layer at a time, picked from a list (or stepped through with ◀ ▶), fills the whole page:
in the ~400x330 pixels the page gets, 64 maps of one layer are ~30 px each and readable, where
every layer at once would need a long scroll. The sentence under the list says what the layer
does. The Keras work (loading the model, the maps of each drawing) is `network_inside.look_inside`,
run in the engine process (`core.engine`), so the window never imports Keras for it; a
`LatestTask` waits for it, so a drawing that changes faster than the maps arrive never queues a
backlog. The engine loads a model file once and keeps it (`network_inside.MODELS`). Nothing runs
while the page is hidden: the view remembers what changed and catches up when it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QRect, QSize, Qt, Slot
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPixmap, QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QToolTip, QVBoxLayout, QWidget

from digitpad.core import network_inside
from digitpad.core.cancellation import StopSignal
from digitpad.core.engine import Engine, EngineJob
from digitpad.core.network_inside import InsidePicture
from digitpad.core.resources import default_model_path
from digitpad.gui import style
from digitpad.gui.i18n import format_count, format_percent, say
from digitpad.gui.widgets import digit_pixmap, muted_label, named
from digitpad.gui.workers import LatestTask

FILTERS = "filters"  # the key of the list's first entry; the others are layer names
TILE_GAP = 3


@dataclass(frozen=True)
class _Entry:
    key: str         # FILTERS or a layer name
    label: str       # as the list shows it
    sentence: str    # what it shows, for people


@dataclass(frozen=True)
class _Delivery:
    generation: int  # which set_model / set_input the picture answers
    picture: InsidePicture


class NetworkView(QWidget):
    """Feed it the model (`set_model`) and the current 28x28 input (`set_input`); `shutdown()` on close.

    `engine` runs the Keras work: the window's (`AppState.engine`), so that Keras stays out of
    the window's process; without one (a view on its own) it runs in this process.
    """

    def __init__(self, parent: QWidget | None = None, *, engine: Engine) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Inside the network"))
        self._engine = engine
        self._path: Path | None = None   # nothing to show until the first set_model
        self._input: np.ndarray | None = None
        self._generation = 0       # bumped by every set_model / set_input
        self._requested = -1       # the generation of the last job submitted
        self._answered = -1        # the generation of the last answer handled (picture or failure)
        self._picture: InsidePicture | None = None
        self._entries: list[_Entry] = []
        self._closed = False

        self._task = LatestTask(self)
        self._task.succeeded.connect(self._on_picture)
        self._task.failed.connect(self._on_failed)

        self.previous_button = named(QToolButton(), "previousLayer")
        self.previous_button.setText("◀")
        self.previous_button.setToolTip(self.tr("The layer before"))
        self.previous_button.clicked.connect(self._on_previous_clicked)
        self.next_button = named(QToolButton(), "nextLayer")
        self.next_button.setText("▶")
        self.next_button.setToolTip(self.tr("The layer after"))
        self.next_button.clicked.connect(self._on_next_clicked)
        self.layer_choice = named(QComboBox(), "layerChoice")
        self.layer_choice.setAccessibleName(self.tr("Layer shown"))
        self.layer_choice.currentIndexChanged.connect(self._on_layer_chosen)
        self.explanation: QLabel = named(muted_label(""), "networkExplanation")
        self.explanation.setMinimumHeight(self.explanation.fontMetrics().lineSpacing() * 2)
        self.grid = _TileGrid()

        choice_row = QHBoxLayout()
        choice_row.setSpacing(6)
        choice_row.addWidget(self.previous_button)
        choice_row.addWidget(self.layer_choice, 1)
        choice_row.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(choice_row)
        layout.addWidget(self.explanation)
        layout.addWidget(self.grid, 1)
        self._show_entries([])

    # ---- public API -------------------------------------------------------------------------

    def set_model(self, path: Path | None) -> None:
        """Look inside the model at `path` (None: the shipped default model). The same path again
        costs one cache look-up: the file is read again only if it changed on disk."""
        self._path = path if path is not None else default_model_path()
        self._changed()

    def set_input(self, x: np.ndarray | None) -> None:
        """The model's current 28x28 input (float32 in [0, 1], ink bright); None when the canvas is blank."""
        self._input = None if x is None else np.array(x, dtype=np.float32, copy=True)
        self._changed()

    def shutdown(self) -> None:
        """Stop and join the worker; results arriving afterwards are ignored."""
        self._closed = True
        self._task.stop_and_wait()

    def is_busy(self) -> bool:
        """A job is running or waiting, or its answer is on its way: what the page shows may be about
        to change. (The worker's thread may end before its queued answer reaches the GUI thread.)"""
        return not self._closed and (self._task.is_busy() or self._answered != self._requested)

    def picture(self) -> InsidePicture | None:
        """What the page shows now (its model, layers, filters and maps)."""
        return self._picture

    def shown_key(self) -> str | None:
        """FILTERS or the name of the layer shown, None when there is nothing to pick."""
        index = self.layer_choice.currentIndex()
        return self._entries[index].key if 0 <= index < len(self._entries) else None

    # ---- Qt events --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._refresh()

    # ---- internals --------------------------------------------------------------------------

    def _changed(self) -> None:
        self._generation += 1
        self._refresh()

    def _refresh(self) -> None:
        """Submit a job for the current model and input, once, and only while the page is visible."""
        path = self._path
        if self._closed or path is None or not self.isVisible() or self._requested == self._generation:
            return
        self._requested = self._generation
        if self._picture is None or self._picture.model_path != path:
            self.explanation.setText(self.tr("Loading the layers of {name}… (a few seconds if TensorFlow has not started yet)").format(name=path.name))
        job = EngineJob(self._engine, partial(network_inside.look_inside, path, self._input))
        self._task.submit(partial(_look_inside, self._generation, job))

    @Slot(object)
    def _on_picture(self, delivery: object) -> None:
        if self._closed or not isinstance(delivery, _Delivery):
            return
        self._answered = delivery.generation
        if delivery.generation != self._generation:
            return  # the model or drawing changed since: a newer job follows, once the page is visible
        picture = delivery.picture
        if self._picture is None or self._picture.model_path != picture.model_path:
            self._show_entries(_entries(picture))
        self._picture = picture
        self._show_chosen()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self._closed:
            return
        self._answered = self._requested
        if self._requested != self._generation:
            return
        self._picture = None
        self._show_entries([])
        self.grid.set_placeholder("")
        self.explanation.setText(self.tr("Cannot look inside this model: {message}").format(message=message))

    @Slot(int)
    def _on_layer_chosen(self, _index: int) -> None:
        self._show_chosen()

    @Slot()
    def _on_previous_clicked(self) -> None:
        self.layer_choice.setCurrentIndex(max(0, self.layer_choice.currentIndex() - 1))

    @Slot()
    def _on_next_clicked(self) -> None:
        self.layer_choice.setCurrentIndex(min(self.layer_choice.count() - 1, self.layer_choice.currentIndex() + 1))

    def _show_entries(self, entries: list[_Entry]) -> None:
        """Fill the list for a new model, keeping the layer picked before when the new model has one
        of that name (models of one architecture share their layer names)."""
        kept = self.shown_key()
        self._entries = entries
        self.layer_choice.blockSignals(True)
        self.layer_choice.clear()
        self.layer_choice.addItems([entry.label for entry in entries])
        keys = [entry.key for entry in entries]
        self.layer_choice.setCurrentIndex(keys.index(kept) if kept in keys else 0 if entries else -1)
        self.layer_choice.blockSignals(False)
        self.layer_choice.setEnabled(len(entries) > 1)
        self._update_steps()

    def _show_chosen(self) -> None:
        self._update_steps()
        picture, key = self._picture, self.shown_key()
        if picture is None:
            return
        if key is None:
            self.explanation.setText(say(picture.note))
            self.grid.set_placeholder("")
            return
        entry = self._entries[self.layer_choice.currentIndex()]
        self.explanation.setText(" ".join(say(part) for part in (picture.note, entry.sentence) if part))
        if key == FILTERS and picture.filters is not None:
            levels = network_inside.weight_levels(picture.filters.weights)
            self.grid.set_tiles(levels, [self.tr("Filter {value} of {levels}").format(value=i + 1, levels=len(levels)) for i in range(len(levels))])
            return
        maps = next((shown for shown in picture.maps if shown.layer == key), None)
        if maps is None:
            self.grid.set_placeholder(self.tr("Draw a digit to see how {key} responds to it.").format(key=key))
            return
        levels = network_inside.map_levels(maps.maps)
        self.grid.set_tiles(levels, [self.tr("Map {value} of {levels}: strongest response {value2} of the layer's").format(
            value=i + 1, levels=len(levels), value2=format_percent(level.max() / 255, 0)) for i, level in enumerate(levels)])

    def _update_steps(self) -> None:
        index, count = self.layer_choice.currentIndex(), self.layer_choice.count()
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(0 <= index < count - 1)


def _entries(picture: InsidePicture) -> list[_Entry]:
    entries = []
    if picture.filters is not None:
        template = (QCoreApplication.translate("NetworkView", "What {layer} looks for ({count} filters)")
                    if picture.layers else
                    QCoreApplication.translate("NetworkView", "What {layer} looks for ({count} units)"))
        entries.append(_Entry(FILTERS, template.format(layer=picture.filters.layer,
                                                       count=format_count(len(picture.filters.weights))),
                              picture.filters.sentence))
    for layer in picture.layers:
        height, width, channels = layer.shape
        entries.append(_Entry(layer.name, QCoreApplication.translate(
            "NetworkView", "{name}: {channels} maps of {height}×{width}").format(
                name=layer.name, channels=format_count(channels), height=height, width=width), layer.sentence))
    return entries


def _look_inside(generation: int, job: EngineJob,
                 progress: Callable[[object], None], stop_event: StopSignal) -> _Delivery:
    """The worker's wait: the engine's picture (`job`), tagged here with the change it answers."""
    return _Delivery(generation, job(progress, stop_event))


class _TileGrid(QWidget):
    """Small square images in rows, as large as the space allows, with a tooltip per tile."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkGrid")
        self.setMinimumSize(160, 120)
        self._levels: np.ndarray | None = None     # (count, h, w) uint8
        self._tooltips: list[str] = []
        self._placeholder = ""
        self._pixmaps: list[QPixmap] = []
        self._pixmap_side = 0

    def set_tiles(self, levels: np.ndarray, tooltips: list[str]) -> None:
        self._levels, self._tooltips, self._placeholder = levels, tooltips, ""
        self._pixmaps, self._pixmap_side = [], 0
        self.update()

    def set_placeholder(self, text: str) -> None:
        self._levels, self._tooltips, self._placeholder = None, [], text
        self._pixmaps, self._pixmap_side = [], 0
        self.update()

    def tile_count(self) -> int:
        return 0 if self._levels is None else len(self._levels)

    def tile_levels(self) -> np.ndarray | None:
        """The grey levels shown, (tiles, h, w) uint8; None while a placeholder is shown."""
        return self._levels

    def placeholder(self) -> str:
        return self._placeholder

    def tile_rects(self) -> list[QRect]:
        """Where each tile is drawn: in the column count that makes the tiles largest, centred."""
        count = self.tile_count()
        if count == 0:
            return []
        side, columns = _grid_layout(count, self.width(), self.height())
        rows = -(-count // columns)
        left = (self.width() - columns * side - (columns - 1) * TILE_GAP) // 2
        top = (self.height() - rows * side - (rows - 1) * TILE_GAP) // 2
        step = side + TILE_GAP
        return [QRect(left + (i % columns) * step, top + (i // columns) * step, side, side) for i in range(count)]

    def tile_at(self, point: QPoint) -> int | None:
        return next((i for i, rect in enumerate(self.tile_rects()) if rect.contains(point)), None)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rects = self.tile_rects()
        if self._levels is None or not rects:
            painter.setPen(QColor(style.PLACEHOLDER))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._placeholder)
            return
        side = rects[0].width()
        if side != self._pixmap_side:  # rebuilt on resize only
            # Enlarged: sharp blocks, one per map pixel. Shrunk (an MLP's 28x28 weights in small
            # tiles): smoothed, since dropping pixels would turn the pattern into noise.
            smooth = side < self._levels.shape[-1]
            self._pixmaps = [digit_pixmap(level, side, smooth=smooth) for level in self._levels]
            self._pixmap_side = side
        for rect, pixmap in zip(rects, self._pixmaps, strict=True):
            painter.drawPixmap(rect.topLeft(), pixmap)
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tile = self.tile_at(event.pos())
            if tile is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self._tooltips[tile], self)
            return True
        return super().event(event)

    def sizeHint(self) -> QSize:
        return QSize(380, 240)


def _grid_layout(count: int, width: int, height: int) -> tuple[int, int]:
    """(tile side, columns) of the largest square tiles that fit `count` in width x height."""
    best = (1, count)
    for columns in range(1, count + 1):
        rows = -(-count // columns)
        side = min((width - (columns - 1) * TILE_GAP) // columns, (height - (rows - 1) * TILE_GAP) // rows)
        if side > best[0]:
            best = (side, columns)
    return best
