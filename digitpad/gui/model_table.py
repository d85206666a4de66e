"""The model library as rows of a table, for the Models tab's sortable list.

The table model is deliberately passive: an inline rename only *asks* for the rename through
`renameRequested`, because renaming touches files and may fail; the tab does it, reports errors
and then hands fresh rows back with `set_rows`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from digitpad.core.formatting import MISSING
from digitpad.core.library import LibraryEntry
from digitpad.core.model_file import ModelMetadata
from digitpad.core.model_jobs import ListedModel
from digitpad.gui import style
from digitpad.gui.i18n import QT_TRANSLATE_NOOP, format_count, format_percent, format_size, test_set_text

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = (QT_TRANSLATE_NOOP("ModelTable", "Name"), QT_TRANSLATE_NOOP("ModelTable", "Architecture"),
           QT_TRANSLATE_NOOP("ModelTable", "Dataset"), QT_TRANSLATE_NOOP("ModelTable", "Test accuracy"),
           QT_TRANSLATE_NOOP("ModelTable", "Tested on"), QT_TRANSLATE_NOOP("ModelTable", "Parameters"),
           QT_TRANSLATE_NOOP("ModelTable", "File size"), QT_TRANSLATE_NOOP("ModelTable", "Date"))
NAME, ARCHITECTURE, DATASET, ACCURACY, TESTED_ON, PARAMETERS, FILE_SIZE, DATE = range(len(COLUMNS))

# Translated where shown (`QCoreApplication.translate("ModelTable", …)`); the English texts are the keys.
SHIPPED_NAME = QT_TRANSLATE_NOOP("ModelTable", "Shipped default")
PLAIN_KERAS = QT_TRANSLATE_NOOP("ModelTable", "plain Keras file")
UNREADABLE = QT_TRANSLATE_NOOP("ModelTable", "unreadable file")

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible parent of a flat table's rows


def format_date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def parse_created(text: str | None) -> datetime | None:
    """The metadata's ISO date, shown in local time; None when missing or malformed."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.astimezone() if moment.tzinfo is not None else moment


@dataclass(frozen=True)
class ModelRow:
    """One model as the Models tab sees it: a library entry, or the read-only shipped default."""

    name: str
    path: Path
    metadata: ModelMetadata | None
    file_size: int
    modified: datetime
    shipped: bool = False
    param_count: int | None = None
    problem: str | None = None  # why the file cannot be used, e.g. it is corrupt

    @classmethod
    def from_entry(
        cls, entry: LibraryEntry, *, param_count: int | None = None, problem: str | None = None
    ) -> ModelRow:
        if param_count is None and entry.metadata is not None:
            param_count = entry.metadata.param_count or None  # 0: a file from before it was recorded
        return cls(
            name=entry.name,
            path=Path(entry.path),
            metadata=entry.metadata,
            file_size=entry.file_size,
            modified=entry.modified,
            param_count=param_count,
            problem=problem,
        )

    @classmethod
    def from_listed(cls, model: ListedModel) -> ModelRow:
        """A row of the library listing read on the worker (`model_jobs.list_models`)."""
        row = cls.from_entry(model.entry, param_count=model.param_count, problem=model.problem)
        return replace(row, shipped=model.shipped)

    @property
    def display_name(self) -> str:
        return QCoreApplication.translate("ModelTable", SHIPPED_NAME) if self.shipped else self.name

    @property
    def architecture(self) -> str:
        if self.metadata is None:
            return QCoreApplication.translate("ModelTable", UNREADABLE if self.problem is not None else PLAIN_KERAS)
        return str(self.metadata.architecture.get("name", "custom"))

    @property
    def dataset(self) -> str:
        return MISSING if self.metadata is None else self.metadata.dataset

    @property
    def tested_on(self) -> str:
        """The data set and size behind `test_accuracy`: an accuracy means little without them."""
        return MISSING if self.metadata is None or self.test_accuracy is None else test_set_text(self.metadata)

    @property
    def test_accuracy(self) -> float | None:
        if self.metadata is None:
            return None
        value = self.metadata.test_metrics.get("accuracy")
        return float(value) if isinstance(value, (int, float)) else None

    @property
    def date(self) -> datetime:
        created = parse_created(self.metadata.created) if self.metadata is not None else None
        return created or self.modified

    @property
    def class_names(self) -> tuple[str, ...]:
        if self.metadata is not None and len(self.metadata.class_names) == 10:
            return tuple(str(name) for name in self.metadata.class_names)
        return tuple(str(digit) for digit in range(10))


class ModelTableModel(QAbstractTableModel):
    """Columns of `COLUMNS`; `SORT_ROLE` gives raw values so sorting is numeric, not textual."""

    renameRequested = Signal(object, str)  # ModelRow, new name

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ModelRow] = []
        self._in_use: Path | None = None
        self._in_use_row: int | None = None  # found once per change, not on every paint

    def set_rows(self, rows: list[ModelRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._find_in_use()
        self.endResetModel()

    def set_in_use(self, path: Path | None) -> None:
        """Marks the model the Draw tab uses, so the table answers "which one is live?"."""
        self._in_use = path.resolve() if path is not None else None
        self._find_in_use()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))

    def is_in_use(self, row: ModelRow) -> bool:
        return self._in_use_row is not None and self._rows[self._in_use_row].path == row.path

    def _find_in_use(self) -> None:
        matches = [i for i, row in enumerate(self._rows) if row.path.resolve() == self._in_use]
        self._in_use_row = matches[0] if matches else None

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate("ModelTable", COLUMNS[section])
            if role == Qt.ItemDataRole.TextAlignmentRole and section in (ACCURACY, PARAMETERS, FILE_SIZE):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == NAME and not self._rows[index.row()].shipped:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.EditRole:
            return row.name
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (ACCURACY, PARAMETERS, FILE_SIZE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role == Qt.ItemDataRole.FontRole and (row.shipped or self.is_in_use(row)):
            font = QFont()
            font.setItalic(row.shipped)
            font.setBold(self.is_in_use(row))
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.problem is not None:
                return QColor(style.ERROR)
            if row.metadata is None and column in (ARCHITECTURE, DATASET, ACCURACY, TESTED_ON):
                return QColor(style.MUTED)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != NAME:
            return False
        row = self._rows[index.row()]
        new_name = str(value).strip()
        if row.shipped or not new_name or new_name == row.name:
            return False
        self.renameRequested.emit(row, new_name)
        return False  # the tab renames the file and resets the rows; nothing to store here

    def _display(self, row: ModelRow, column: int) -> str:
        if column == NAME:
            return f"{row.display_name}  ●" if self.is_in_use(row) else row.display_name
        if column == ARCHITECTURE:
            return row.architecture
        if column == DATASET:
            return row.dataset
        if column == ACCURACY:
            return format_percent(row.test_accuracy)
        if column == TESTED_ON:
            return row.tested_on
        if column == PARAMETERS:
            return format_count(row.param_count)
        if column == FILE_SIZE:
            return format_size(row.file_size)
        return format_date(row.date)

    @staticmethod
    def _sort_key(row: ModelRow, column: int) -> Any:
        if column == NAME:
            return row.display_name.casefold()
        if column == ARCHITECTURE:
            return row.architecture
        if column == DATASET:
            return row.dataset
        if column == ACCURACY:
            return -1.0 if row.test_accuracy is None else row.test_accuracy
        if column == TESTED_ON:
            return row.tested_on
        if column == PARAMETERS:
            return -1 if row.param_count is None else row.param_count
        if column == FILE_SIZE:
            return row.file_size
        return row.date.timestamp()

    def _tooltip(self, row: ModelRow) -> str:
        lines = [str(row.path)]
        if row.shipped:
            lines.append(self.tr("Comes with digitpad: it cannot be renamed or deleted."))
        if self.is_in_use(row):
            lines.append(self.tr("● Used for drawing."))
        if row.problem is not None:
            lines.append(row.problem)
        elif row.metadata is None:
            lines.append(self.tr("No metadata: a plain Keras file."))
        return "\n".join(lines)


class ModelSortProxy(QSortFilterProxyModel):
    """Numeric sorting through `SORT_ROLE` and a case-insensitive filter over every column."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def row(self, proxy_index: QModelIndex) -> ModelRow:
        return self.data(proxy_index, ROW_ROLE)
