"""The gallery of test images with the model's answers: the digits behind the numbers.

Each tile shows the image as people write it (dark on white), framed red when the model got it
wrong, and "true → answer" with the answer's confidence. The order and the filters (true class,
answer, all / mistakes / correct) come from `EvaluatedSet.select`, the same rules the report
uses: the most confident mistakes first, the ones worth a look. Thumbnails are made lazily, for
the tiles the view paints, and a bounded number kept: a test set has up to 10,000 images.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QMargins,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QGridLayout, QLabel, QListView, QVBoxLayout, QWidget

from digitpad.core.evaluated_set import EvaluatedSet, Shown
from digitpad.gui import style
from digitpad.gui.i18n import QT_TRANSLATE_NOOP, format_count, format_percent
from digitpad.gui.widgets import digit_pixmap, muted_label, named

THUMBNAIL = 56
FRAME = 3
PIXMAPS_KEPT = 600        # several screens of tiles; older ones are made again when scrolled back
SHORT_NAME = 3            # names this short fit "7 → 1" on one line of a tile
TILE_WIDTH = 80           # at least; long class names widen the tiles to fit them
COMBO_CHARACTERS = 4
TILE_GAP = 2             # pixels around a tile, so selected neighbours stay apart
SHOWN_CHOICES: tuple[tuple[str, Shown], ...] = ((QT_TRANSLATE_NOOP("PredictionGallery", "All"), "all"), (QT_TRANSLATE_NOOP("PredictionGallery", "Mistakes"), "mistakes"), (QT_TRANSLATE_NOOP("PredictionGallery", "Correct"), "correct"))
_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class PredictionGalleryModel(QAbstractListModel):
    """The images of one `EvaluatedSet` at the rows given by `set_indices` (gallery order)."""

    SampleRole = Qt.ItemDataRole.UserRole + 1    # the image's index in the evaluated set

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._evaluated: EvaluatedSet | None = None
        self._indices = np.zeros(0, dtype=np.int64)
        self._predicted = np.zeros(0, dtype=np.int64)
        self._confidence = np.zeros(0, dtype=np.float32)
        self._pixmaps: OrderedDict[int, QPixmap] = OrderedDict()
        self._tile_size = QSize()

    def set_evaluated(self, evaluated: EvaluatedSet | None, tile_size: QSize) -> None:
        """Show `evaluated`'s images in tiles of `tile_size`, which every tile reports as its
        size hint: the view then never makes a thumbnail only to measure a tile."""
        self.beginResetModel()
        self._evaluated = evaluated
        self._tile_size = tile_size
        self._indices = np.zeros(0, dtype=np.int64)
        # Computed once here rather than per painted tile: each is an argmax over the whole set.
        self._predicted = evaluated.predicted if evaluated is not None else np.zeros(0, dtype=np.int64)
        self._confidence = evaluated.confidence if evaluated is not None else np.zeros(0, dtype=np.float32)
        self._pixmaps.clear()
        self.endResetModel()

    def set_indices(self, indices: np.ndarray) -> None:
        self.beginResetModel()
        self._indices = np.asarray(indices, dtype=np.int64)
        self.endResetModel()

    def indices(self) -> np.ndarray:
        return self._indices.copy()

    def sample(self, row: int) -> int:
        return int(self._indices[row])

    def row_of(self, sample: int) -> int | None:
        rows = np.flatnonzero(self._indices == sample)
        return int(rows[0]) if len(rows) else None

    # ---- Qt's model interface

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._indices)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        evaluated = self._evaluated
        if evaluated is None or not index.isValid() or not 0 <= index.row() < len(self._indices):
            return None
        sample = int(self._indices[index.row()])
        true, answer = int(evaluated.labels[sample]), int(self._predicted[sample])
        wrong = true != answer
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tile_text(evaluated.class_names, true, answer, float(self._confidence[sample]))
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnail(evaluated, sample, wrong)
        if role == Qt.ItemDataRole.ForegroundRole and wrong:
            return QColor(style.ERROR_TEXT)
        if role == Qt.ItemDataRole.ToolTipRole:
            names = evaluated.class_names
            verdict = self.tr("read it right") if not wrong else self.tr("read it as {value}").format(value=names[answer])
            return (self.tr("Image {sample}: really {value}; the model {verdict} ({value2} sure).").format(sample=sample, value=names[true], verdict=verdict, value2=format_percent(float(self._confidence[sample]), 1)))
        if role == Qt.ItemDataRole.SizeHintRole:
            return self._tile_size
        if role == self.SampleRole:
            return sample
        return None

    @staticmethod
    def tile_text(names: tuple[str, ...], true: int, answer: int, confidence: float) -> str:
        """"7 → 1" over the confidence; long names get a line each."""
        percent = format_percent(confidence, 0)
        if all(len(name) <= SHORT_NAME for name in names):
            return f"{names[true]} → {names[answer]}\n{percent}"
        return f"{names[true]}\n→ {names[answer]}\n{percent}"

    def _thumbnail(self, evaluated: EvaluatedSet, sample: int, wrong: bool) -> QPixmap:
        pixmap = self._pixmaps.get(sample)
        if pixmap is not None:
            self._pixmaps.move_to_end(sample)
            return pixmap
        pixmap = _framed_digit(evaluated.image(sample), wrong)
        self._pixmaps[sample] = pixmap
        if len(self._pixmaps) > PIXMAPS_KEPT:
            self._pixmaps.popitem(last=False)
        return pixmap


def _framed_digit(image: np.ndarray, wrong: bool) -> QPixmap:
    """The digit as people write it, framed red when misread and faint green when right: the
    mistakes are what the eye should find."""
    pixmap = digit_pixmap(image, THUMBNAIL, paper=True)
    painter = QPainter(pixmap)
    painter.setPen(QPen(QColor(style.ERROR if wrong else style.SUCCESS_BORDER), FRAME))
    inset = FRAME // 2
    painter.drawRect(pixmap.rect().adjusted(inset, inset, -inset - 1, -inset - 1))
    painter.end()
    return pixmap


def describe_selection(names: tuple[str, ...], count: int, true: int | None, predicted: int | None,
                       shown: Shown) -> str:
    """The gallery's selection in words, with its order: "12 images of 7 read as 1 · most
    confident first", "No mistakes of 3."."""
    singular, plural = {"all": (QCoreApplication.translate("PredictionGallery", "image"), QCoreApplication.translate("PredictionGallery", "images")),
                        "mistakes": (QCoreApplication.translate("PredictionGallery", "mistake"), QCoreApplication.translate("PredictionGallery", "mistakes")),
                        "correct": (QCoreApplication.translate("PredictionGallery", "right answer"), QCoreApplication.translate("PredictionGallery", "right answers"))}[shown]
    what = singular if count == 1 else plural
    if true is not None:
        what = QCoreApplication.translate("PredictionGallery", "{what} of {name}").format(what=what, name=names[true])
    if predicted is not None:
        what = (QCoreApplication.translate("PredictionGallery", "{what} read right") if predicted == true
                else QCoreApplication.translate("PredictionGallery", "{what} read as {name}")).format(what=what, name=names[predicted])
    if count == 0:
        return QCoreApplication.translate("PredictionGallery", "No {what}.").format(what=what)
    if count == 1:
        return QCoreApplication.translate("PredictionGallery", "1 {what}.").format(what=what)
    right: bool | None = {"all": None, "mistakes": False, "correct": True}[shown]
    if true is not None and predicted is not None:   # one cell: all right or all wrong
        right = true == predicted
    order = {None: QCoreApplication.translate("PredictionGallery", "mistakes first"), False: QCoreApplication.translate("PredictionGallery", "most confident first"),
             True: QCoreApplication.translate("PredictionGallery", "least confident first")}[right]
    return QCoreApplication.translate("PredictionGallery", "{count} {what} · {order}.").format(count=format_count(count), what=what, order=order)


class PredictionGallery(QWidget):
    """The filters, a line saying what is shown, and the tiles; `sampleSelected(index)` when the
    user picks a tile (index into the evaluated set)."""

    sampleSelected = Signal(int)
    filterChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._evaluated: EvaluatedSet | None = None
        self.true_combo = named(QComboBox(), "galleryTrueFilter")
        self.predicted_combo = named(QComboBox(), "galleryPredictedFilter")
        self.shown_combo = named(QComboBox(), "galleryShownFilter")
        for text, shown in SHOWN_CHOICES:
            self.shown_combo.addItem(QCoreApplication.translate("PredictionGallery", text), shown)
        self.summary = named(muted_label(""), "gallerySummary")
        # Two rows, so the gallery stays narrow enough to sit between the heatmap and the image.
        filters = QGridLayout()
        filters.setHorizontalSpacing(6)
        filters.setVerticalSpacing(4)
        for row, column, text, combo in ((0, 0, self.tr("True"), self.true_combo), (0, 2, self.tr("Answer"), self.predicted_combo),
                                         (1, 0, self.tr("Show"), self.shown_combo)):
            if combo is not self.shown_combo:
                # Fashion-MNIST's names would make the combos, and so the gallery, wide: they elide.
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                combo.setMinimumContentsLength(COMBO_CHARACTERS)
            combo.currentIndexChanged.connect(self._on_filter_edited)
            label = QLabel(text)
            label.setBuddy(combo)
            filters.addWidget(label, row, column)
            filters.addWidget(combo, row, column + 1)
        filters.addWidget(self.summary, 1, 2, 1, 3)
        filters.setColumnStretch(4, 1)

        self.model = PredictionGalleryModel(self)
        self.view = named(QListView(), "predictionGallery")
        self.view.setModel(self.model)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setUniformItemSizes(True)
        self.view.setWordWrap(False)   # the tile text has its own lines; a wider one is elided
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        self._fill_class_combos(())

    # ---- public API -------------------------------------------------------------------------

    def set_evaluated(self, evaluated: EvaluatedSet | None) -> None:
        """Show a new evaluation with every filter back to "any"."""
        self._evaluated = evaluated
        names = evaluated.class_names if evaluated is not None else ()
        tile = self._tile_size(names)
        self.view.setGridSize(tile)
        self.model.set_evaluated(evaluated, tile.shrunkBy(QMargins(TILE_GAP, TILE_GAP, TILE_GAP, TILE_GAP)))
        self._fill_class_combos(names)
        self.set_filter(None, None, "all")

    def set_filter(self, true: int | None, predicted: int | None, shown: Shown) -> None:
        """Show exactly the images with this label, this answer and this verdict (None: any)."""
        combos = (self.true_combo, self.predicted_combo, self.shown_combo)
        for combo in combos:
            combo.blockSignals(True)
        try:
            self.true_combo.setCurrentIndex(self.true_combo.findData(true) if true is not None else 0)
            self.predicted_combo.setCurrentIndex(
                self.predicted_combo.findData(predicted) if predicted is not None else 0)
            self.shown_combo.setCurrentIndex(self.shown_combo.findData(shown))
        finally:
            for combo in combos:
                combo.blockSignals(False)
        self._refilter()

    def current_filter(self) -> tuple[int | None, int | None, Shown]:
        shown: Shown = self.shown_combo.currentData() or "all"
        return self.true_combo.currentData(), self.predicted_combo.currentData(), shown

    def shown_indices(self) -> np.ndarray:
        """The evaluated set's indices of the tiles, in gallery order."""
        return self.model.indices()

    def tile_rect(self, row: int) -> QRect:
        """Where tile `row` is drawn in the list's viewport (to click it)."""
        return self.view.visualRect(self.model.index(row))

    # ---- slots and helpers ------------------------------------------------------------------

    @Slot(int)
    def _on_filter_edited(self, _index: int) -> None:
        self._refilter()

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.sampleSelected.emit(self.model.sample(current.row()))

    def _refilter(self) -> None:
        true, predicted, shown = self.current_filter()
        if self._evaluated is None:
            self.model.set_indices(np.zeros(0, dtype=np.int64))
            self.summary.setText("")
        else:
            indices = self._evaluated.select(true=true, predicted=predicted, shown=shown)
            self.model.set_indices(indices)
            self.summary.setText(describe_selection(self._evaluated.class_names, len(indices), true, predicted, shown))
            self.view.scrollToTop()
        self.filterChanged.emit()

    def _tile_size(self, names: tuple[str, ...]) -> QSize:
        """Room for the thumbnail and the tile's text lines (two for digits, three for names)."""
        metrics = self.view.fontMetrics()
        texts = [PredictionGalleryModel.tile_text(names, true, answer, 1.0)
                 for true in range(len(names)) for answer in range(len(names))]
        lines = [line for text in texts for line in text.splitlines()]
        widest = max((metrics.horizontalAdvance(line) for line in lines), default=0)
        line_count = max((len(text.splitlines()) for text in texts), default=2)
        return QSize(max(TILE_WIDTH, widest + 10), THUMBNAIL + 12 + line_count * metrics.lineSpacing())

    def _fill_class_combos(self, names: tuple[str, ...]) -> None:
        for combo in (self.true_combo, self.predicted_combo):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("Any"), None)
            for label, name in enumerate(names):
                combo.addItem(name, label)
            combo.blockSignals(False)
