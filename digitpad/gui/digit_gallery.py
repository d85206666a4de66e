"""The My digits gallery's model: stored digits as thumbnails, filtered by label or misread.

Thumbnails are made lazily, for the rows the view paints, and kept per digit id: a stored
digit's picture never changes (relabels keep it), so the cache stays valid while it is stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from digitpad.core.digit_store import StoredDigit
from digitpad.gui import style
from digitpad.gui.i18n import format_percent
from digitpad.gui.widgets import digit_pixmap

THUMBNAIL = 56
MISREAD_BORDER = 3
_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()      # the invisible parent of a flat list's rows


class DigitGalleryModel(QAbstractListModel):
    """The stored digits shown as thumbnails: one label (or all, grouped by label), optionally
    only the misread ones. Misread thumbnails get a red border and "label → answer"."""

    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._digits: dict[int, StoredDigit] = {}
        self._shown: list[StoredDigit] = []
        self._answers: dict[int, tuple[int, float]] = {}
        self._label: int | None = None
        self._misread_only = False
        self._pixmaps: dict[tuple[int, bool], QPixmap] = {}

    # ---- contents

    def set_digits(self, digits: list[StoredDigit]) -> None:
        self._digits = {digit.id: digit for digit in digits}
        # An id's picture never changes (relabels keep it, ids are never reused), so its
        # thumbnail stays valid for as long as the digit is stored.
        self._pixmaps = {key: pixmap for key, pixmap in self._pixmaps.items() if key[0] in self._digits}
        self._answers = {key: value for key, value in self._answers.items() if key in self._digits}
        self._refilter()

    def set_answers(self, answers: dict[int, tuple[int, float]]) -> None:
        """The drawing model's answers (id -> answer, confidence); replaces the previous ones."""
        self._answers = {key: value for key, value in answers.items() if key in self._digits}
        if self._misread_only:
            self._refilter()
        elif self._shown:
            self.dataChanged.emit(self.index(0), self.index(len(self._shown) - 1))

    def set_filter(self, label: int | None, *, misread_only: bool) -> None:
        if (label, misread_only) != (self._label, self._misread_only):
            self._label, self._misread_only = label, misread_only
            self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        shown = [
            digit for digit in self._digits.values()
            if (self._label is None or digit.label == self._label) and (not self._misread_only or self.is_misread(digit))
        ]
        shown.sort(key=lambda digit: (digit.label, digit.created, digit.id))
        self._shown = shown
        self.endResetModel()

    # ---- queries

    def digit(self, row: int) -> StoredDigit:
        return self._shown[row]

    def digits(self) -> list[StoredDigit]:
        """Every stored digit (not just the shown ones), oldest first."""
        return sorted(self._digits.values(), key=lambda digit: (digit.created, digit.id))

    def row_of(self, digit_id: int) -> int | None:
        for row, digit in enumerate(self._shown):
            if digit.id == digit_id:
                return row
        return None

    def answer(self, digit_id: int) -> tuple[int, float] | None:
        return self._answers.get(digit_id)

    def is_misread(self, digit: StoredDigit) -> bool:
        answer = self._answers.get(digit.id)
        return answer is not None and answer[0] != digit.label

    def unread(self) -> list[StoredDigit]:
        """The digits the current model has not read yet."""
        return [digit for digit in self._digits.values() if digit.id not in self._answers]

    def score(self) -> tuple[int, int]:
        """(digits read right, digits read) by the current model."""
        read = [digit for digit in self._digits.values() if digit.id in self._answers]
        return sum(not self.is_misread(digit) for digit in read), len(read)

    # ---- Qt's model interface

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._shown)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        digit = self._shown[index.row()]
        misread = self.is_misread(digit)
        if role == Qt.ItemDataRole.DisplayRole:
            answer = self._answers.get(digit.id)
            return f"{digit.label} → {answer[0]}" if misread and answer is not None else str(digit.label)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnail(digit, misread)
        if role == Qt.ItemDataRole.ForegroundRole and misread:
            return QColor(style.ERROR_TEXT)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(digit)
        if role == self.IdRole:
            return digit.id
        return None

    def _thumbnail(self, digit: StoredDigit, misread: bool) -> QPixmap:
        key = (digit.id, misread)
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            pixmap = digit_pixmap(digit.image, THUMBNAIL, paper=True)
            if misread:
                painter = QPainter(pixmap)
                painter.setPen(QPen(QColor(style.ERROR), MISREAD_BORDER))
                inset = MISREAD_BORDER // 2
                painter.drawRect(pixmap.rect().adjusted(inset, inset, -inset - 1, -inset - 1))
                painter.end()
            self._pixmaps[key] = pixmap
        return pixmap

    def _tooltip(self, digit: StoredDigit) -> str:
        when = datetime.fromtimestamp(digit.created).strftime("%Y-%m-%d %H:%M")
        lines = [self.tr("Kept as {label}, {source}, {when}.").format(label=digit.label, source=digit.source, when=when)]
        answer = self._answers.get(digit.id)
        if answer is not None:
            verdict = self.tr("misread it as") if answer[0] != digit.label else self.tr("reads it as")
            lines.append(self.tr("The drawing model {verdict} {value} ({value2}).").format(verdict=verdict, value=answer[0], value2=format_percent(answer[1], 0)))
        if digit.model_name and digit.predicted is not None:
            lines.append(self.tr("When kept, {model_name} read it as {predicted}.").format(model_name=digit.model_name, predicted=digit.predicted))
        return "\n".join(lines)
