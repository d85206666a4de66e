"""The Models tab: the library as a sortable table, one model's details, several compared.

Every change to the library goes through `ModelLibrary` and is announced with
`AppState.libraryChanged`, which is also what refreshes this table, so the Draw tab's picker and
this tab can never disagree about what is saved. Failures are shown as a message and leave the
library as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices, QDragEnterEvent, QDropEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.errors import DigitpadError, ModelError
from digitpad.core.inference import Predictor
from digitpad.core.model_file import read_metadata, read_model_archive
from digitpad.core.weights_file import count_weights
from digitpad.core.resources import default_model_path
from digitpad.gui import style
from digitpad.gui.app_state import SETTINGS_MODEL_DIR, AppState
from digitpad.gui.compare_view import CompareView
from digitpad.gui.model_details import ModelDetails
from digitpad.gui.model_table import DATE, NAME, ModelRow, ModelSortProxy, ModelTableModel

STATUS_MS = 5000
LIBRARY_ROWS = (4, 8)  # the table shows at least and at most this many rows at first
LIBRARY_MAX_SHARE = 0.35  # of the tab's height


@dataclass(frozen=True)
class _Stamp:
    modified_ns: int
    size: int


class PredictorCache:
    """Loaded predictors by file, reloaded when the file changes; load errors are remembered
    too, so a corrupt file in the library is read once, not on every refresh."""

    def __init__(self) -> None:
        self._cache: dict[Path, tuple[_Stamp, Predictor | DigitpadError]] = {}

    def load(self, path: Path) -> Predictor:
        """Raises the `DigitpadError` that explains why the file cannot be used."""
        key = path.resolve()
        try:
            info = key.stat()
        except OSError as error:  # deleted or moved since the table was filled
            raise ModelError(f"Cannot load {path}: {error.strerror or error}.") from error
        stamp = _Stamp(info.st_mtime_ns, info.st_size)
        cached = self._cache.get(key)
        if cached is None or cached[0] != stamp:
            try:
                outcome: Predictor | DigitpadError = Predictor.load(key)
            except DigitpadError as error:
                outcome = error
            cached = (stamp, outcome)
            self._cache[key] = cached
        if isinstance(cached[1], DigitpadError):
            raise cached[1]
        return cached[1]

    def forget_missing(self) -> None:
        for key in [key for key in self._cache if not key.exists()]:
            del self._cache[key]


def count_stored_weights(path: Path) -> int:
    """A .keras file's parameter count from its weights file alone (see `count_weights`)."""
    return count_weights(path, read_model_archive(path).weights)


class ModelsTab(QWidget):
    """`shutdown()` stops and joins the comparison's evaluation thread."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelsTab")
        self.setAcceptDrops(True)
        self._state = state
        self._predictors = PredictorCache()
        self._shown: tuple[tuple[Path, ...], Path | None] | None = None  # what the details page shows

        button = self._button
        self.open_button = button("Open .keras…", "openModelButton",
                                  "Import a Keras model file into the library (or drop .keras files here)")
        self.rename_button = button("Rename…", "renameModelButton", "Rename the selected model (F2)")
        self.delete_button = button("Delete", "deleteModelButton", "Delete the selected models from the library (Del)")
        self.use_button = button("Use for drawing", "useModelButton", "Recognise drawings with the selected model")
        self.use_button.setProperty("primary", True)
        self.compare_button = button("Compare", "compareButton",
                                     "Select two or more models (Ctrl+click), then compare them")
        self.open_button.clicked.connect(self.open_model_file)
        self.rename_button.clicked.connect(self.rename_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.use_button.clicked.connect(self.use_selected)
        self.compare_button.clicked.connect(self.compare_selected)
        self.filter = QLineEdit()
        self.filter.setObjectName("modelFilter")
        self.filter.setPlaceholderText("Filter models…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setMaximumWidth(240)

        toolbar = QHBoxLayout()
        for button in (self.open_button, self.rename_button, self.delete_button):
            toolbar.addWidget(button)
        toolbar.addSpacing(12)
        toolbar.addWidget(self.use_button)
        toolbar.addWidget(self.compare_button)
        toolbar.addStretch(1)
        toolbar.addWidget(self.filter)

        self.table_model = ModelTableModel(self)
        # Queued: the rename resets the table model, which must not happen inside the editor's commit.
        self.table_model.renameRequested.connect(
            self._on_rename_requested, Qt.ConnectionType.QueuedConnection
        )
        self.proxy = ModelSortProxy(self)
        self.proxy.setSourceModel(self.table_model)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setObjectName("modelTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setMinimumHeight(120)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_selection_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._add_actions()

        self.hint = QLabel()
        self.hint.setObjectName("modelsHint")
        self.hint.setOpenExternalLinks(False)
        self.hint.linkActivated.connect(self._open_library_folder)
        self.hint.setStyleSheet(f"color: {style.MUTED};")

        library_panel = QWidget()
        library_layout = QVBoxLayout(library_panel)
        library_layout.setContentsMargins(0, 0, 0, 0)
        library_layout.addLayout(toolbar)
        library_layout.addWidget(self.table, 1)
        library_layout.addWidget(self.hint)

        self.details = ModelDetails()
        self.compare = CompareView(state)
        self.inspector = QTabWidget()
        self.inspector.setObjectName("modelsInspector")
        self.inspector.setDocumentMode(True)
        self.inspector.addTab(self.details, "Details")
        self.inspector.addTab(self.compare, "Compare")

        self._split = QSplitter(Qt.Orientation.Vertical)
        self._split.addWidget(library_panel)
        self._split.addWidget(self.inspector)
        self._split.setChildrenCollapsible(False)
        self._split.setStretchFactor(0, 0)
        self._split.setStretchFactor(1, 1)
        self._split_fitted = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(self._split)

        state.libraryChanged.connect(self.refresh)
        state.predictorChanged.connect(self._on_predictor_changed)
        self.refresh()
        if state.predictor is not None:
            self._on_predictor_changed(state.predictor)

    @staticmethod
    def _button(text: str, name: str, tooltip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tooltip)
        return button

    def _add_actions(self) -> None:
        entries = (
            ("Use for drawing", None, self.use_selected, self.use_button),
            ("Rename…", None, self.rename_selected, self.rename_button),
            ("Delete", QKeySequence.StandardKey.Delete, self.delete_selected, self.delete_button),
            ("Compare", None, self.compare_selected, self.compare_button),
            ("Open .keras…", None, self.open_model_file, self.open_button),
        )
        self._actions: dict[QPushButton, QAction] = {}
        for text, shortcut, slot, button in entries:
            action = QAction(text, self.table)
            if shortcut is not None:
                action.setShortcut(shortcut)
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.table.addAction(action)
            self._actions[button] = action

    # ----------------------------------------------------------------- listing

    @Slot()
    def refresh(self) -> None:
        """Re-reads the library, keeping the selection on the same files where they still exist."""
        selected = {row.path for row in self.selected_rows()}
        current = self.current_row()
        rows = self._shipped_rows()
        problem = None
        try:
            entries = self._state.library.entries()
        except (DigitpadError, OSError) as error:
            entries = []
            problem = f"Cannot read the model library: {error}"
        self._predictors.forget_missing()
        rows.extend(ModelRow.from_entry(entry) for entry in entries)
        self.table_model.set_rows([self._with_parameter_count(row) for row in rows])
        self._select_paths(selected, current.path if current is not None else None)
        self.compare.forget_missing()
        self._update_hint(len(entries), problem)
        self._shown = None  # the rows are new objects: show them even if the same files are selected
        self._on_selection_changed()

    @staticmethod
    def _with_parameter_count(row: ModelRow) -> ModelRow:
        """Plain Keras files carry no metadata, but their weights say how many there are; a file
        that cannot be read is marked with the reason instead."""
        if row.param_count is not None:
            return row
        try:
            return replace(row, param_count=count_stored_weights(row.path))
        except DigitpadError as error:
            return replace(row, problem=str(error))

    def _shipped_rows(self) -> list[ModelRow]:
        path = default_model_path()
        if not path.is_file():
            return []
        info = path.stat()
        try:
            metadata = read_metadata(path)
        except DigitpadError:
            metadata = None
        return [
            ModelRow(
                name=metadata.name if metadata is not None else path.stem,
                path=path,
                metadata=metadata,
                file_size=info.st_size,
                modified=datetime.fromtimestamp(info.st_mtime).astimezone(),
                shipped=True,
                param_count=(metadata.param_count or None) if metadata is not None else None,
            )
        ]

    def _update_hint(self, library_count: int, problem: str | None) -> None:
        root = self._state.library.root
        link = f'<a href="{QUrl.fromLocalFile(str(root)).toString()}">{root}</a>'
        if problem is not None:
            self.hint.setText(f"⚠ {problem}")
        elif library_count == 0:
            self.hint.setText(
                "Your library is empty: train a model on the Train tab, or open a .keras file. "
                f"Library folder: {link}"
            )
        else:
            noun = "model" if library_count == 1 else "models"
            self.hint.setText(
                f"{library_count} {noun} in {link} · ● marks the model used for drawing · "
                "Ctrl+click selects several to compare · double-click or F2 renames"
            )

    @Slot(str)
    def _open_library_folder(self, url: str) -> None:
        QDesktopServices.openUrl(QUrl(url))

    # --------------------------------------------------------------- selection

    def selected_rows(self) -> list[ModelRow]:
        """In table order, so the comparison lists models as the user sees them."""
        indexes = sorted(self.table.selectionModel().selectedRows(), key=lambda index: index.row())
        return [self.proxy.row(index) for index in indexes]

    def current_row(self) -> ModelRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            selected = self.selected_rows()
            return selected[0] if len(selected) == 1 else None
        return self.proxy.row(index)

    def select_paths(self, paths: list[Path]) -> None:
        """Selects the rows of these files (e.g. for automation or after an import)."""
        self._select_paths(set(paths), paths[0] if paths else None)

    def _select_paths(self, paths: set[Path], current: Path | None) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        resolved = {path.resolve() for path in paths}
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            row = self.proxy.row(index)
            if row.path.resolve() in resolved:
                selection.select(index, flags)
            if current is not None and row.path.resolve() == current.resolve():
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
                self.table.scrollTo(index)

    @Slot()
    def _on_selection_changed(self) -> None:
        rows = self.selected_rows()
        editable = [row for row in rows if not row.shipped]
        usable = [row for row in rows if row.problem is None]
        enabled = {
            self.rename_button: len(rows) == 1 and bool(editable),
            self.delete_button: bool(editable),
            self.use_button: len(rows) == 1 and bool(usable),
            self.compare_button: len(usable) >= 2,
        }
        for button, on in enabled.items():
            button.setEnabled(on)
            self._actions[button].setEnabled(on)
        current = self.current_row()
        shown = (tuple(row.path for row in rows), current.path if current is not None else None)
        if shown != self._shown:  # selection and current-row signals often both fire for one click
            self._shown = shown
            self._show_details(current)

    def _show_details(self, row: ModelRow | None) -> None:
        if row is None:
            count = len(self.selected_rows())
            if count > 1:
                self.details.show_nothing(
                    "Press Compare to see them read your drawing side by side, measure them on a test set "
                    "and overlay how they learnt.",
                    title=f"{count} models selected",
                )
            else:
                self.details.show_nothing()
            return
        try:
            predictor = self._predictors.load(row.path)
        except DigitpadError as error:
            self.details.show_model(row, None, str(error))
        else:
            self.details.show_model(row, predictor)

    @Slot(object)
    def _on_predictor_changed(self, predictor: object) -> None:
        self.table_model.set_in_use(Path(predictor.path) if isinstance(predictor, Predictor) else None)

    # ----------------------------------------------------------------- actions

    @Slot()
    def open_model_file(self) -> None:
        start = self._state.settings.value(SETTINGS_MODEL_DIR, str(Path.home()))
        path, _ = QFileDialog.getOpenFileName(
            self, "Open a Keras model", str(start), "Keras models (*.keras);;All files (*)"
        )
        if path:
            self._state.settings.setValue(SETTINGS_MODEL_DIR, str(Path(path).parent))
            self.import_file(Path(path))

    def import_file(self, path: Path) -> bool:
        """Copies a validated model into the library; a bad file changes nothing and says why."""
        try:
            entry = self._state.library.import_file(path)
        except DigitpadError as error:
            self._error("Cannot open model", str(error))
            return False
        except OSError as error:
            self._error("Cannot open model", f"Cannot read {path}: {error.strerror}.")
            return False
        self._state.libraryChanged.emit()
        self.select_paths([Path(entry.path)])
        self._state.statusMessage.emit(f"Added {entry.name} to the model library.", STATUS_MS)
        return True

    @Slot()
    def rename_selected(self) -> None:
        rows = self.selected_rows()
        if len(rows) != 1 or rows[0].shipped:
            return
        new_name, accepted = QInputDialog.getText(
            self, "Rename model", f"New name for “{rows[0].name}”:",
            QLineEdit.EchoMode.Normal, rows[0].name,
        )
        if accepted and new_name.strip() and new_name.strip() != rows[0].name:
            self.rename(rows[0], new_name.strip())

    @Slot(object, str)
    def _on_rename_requested(self, row: ModelRow, new_name: str) -> None:
        self.rename(row, new_name)

    def rename(self, row: ModelRow, new_name: str) -> bool:
        was_in_use = self.table_model.is_in_use(row)
        try:
            entry = self._state.library.rename(row.name, new_name)
        except DigitpadError as error:
            self._error("Cannot rename model", str(error))
            return False
        except OSError as error:
            self._error("Cannot rename model", f"Cannot rename {row.path}: {error.strerror}.")
            return False
        if was_in_use:  # keep drawing with it, under its new file name
            self._set_predictor_quietly(Path(entry.path))
        self._state.libraryChanged.emit()
        self.select_paths([Path(entry.path)])
        self._state.statusMessage.emit(f"Renamed {row.name} to {entry.name}.", STATUS_MS)
        return True

    @Slot()
    def delete_selected(self) -> None:
        rows = [row for row in self.selected_rows() if not row.shipped]
        if not rows:
            return
        if len(rows) == 1:
            question = f"Delete “{rows[0].name}” from the library?"
        else:
            question = f"Delete these {len(rows)} models from the library?\n\n" + "\n".join(
                f"• {row.name}" for row in rows
            )
        in_use = [row for row in rows if self.table_model.is_in_use(row)]
        if in_use:
            question += "\n\nDrawing switches back to the shipped model."
        question += "\n\nThe files are removed from disk; this cannot be undone."
        answer = QMessageBox.question(
            self,
            "Delete model" if len(rows) == 1 else "Delete models",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        deleted: list[str] = []
        for row in rows:
            try:
                self._state.library.delete(row.name)
            except DigitpadError as error:
                self._error("Cannot delete model", str(error))
                break
            except OSError as error:
                self._error("Cannot delete model", f"Cannot delete {row.path}: {error.strerror}.")
                break
            deleted.append(row.name)
        if in_use and in_use[0].name in deleted:
            self._set_predictor_quietly(None)
        if deleted:
            self._state.libraryChanged.emit()
            self._state.statusMessage.emit(f"Deleted {', '.join(deleted)}.", STATUS_MS)

    @Slot()
    def use_selected(self) -> None:
        row = self.current_row()
        if row is None:
            return
        try:
            predictor = self._predictors.load(row.path)
        except DigitpadError as error:
            self._error("Cannot use model", str(error))
            return
        self._state.set_predictor(predictor)
        self._state.statusMessage.emit(f"Drawings are now read by {row.display_name}.", STATUS_MS)

    @Slot()
    def compare_selected(self) -> None:
        rows = [row for row in self.selected_rows() if row.problem is None]
        if len(rows) < 2:
            return
        predictors: list[Predictor] = []
        for row in rows:
            try:
                predictors.append(self._predictors.load(row.path))
            except DigitpadError as error:
                self._error("Cannot compare models", str(error))
                return
        self.compare.set_models(rows, predictors)
        self.inspector.setCurrentWidget(self.compare)

    def _set_predictor_quietly(self, path: Path | None) -> None:
        """After a rename or delete of the live model; failing here must not undo the change."""
        try:
            predictor = self._predictors.load(path or default_model_path())
        except DigitpadError as error:
            self._state.statusMessage.emit(str(error), STATUS_MS)
            return
        self._state.set_predictor(predictor)

    def _error(self, title: str, message: str) -> None:
        self._state.statusMessage.emit(message, STATUS_MS)
        QMessageBox.warning(self, title, message)

    # ------------------------------------------------------------ drag & drop

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.toLocalFile().endswith(".keras") for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.toLocalFile().endswith(".keras"):
                self.import_file(Path(url.toLocalFile()))
        event.acceptProposedAction()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._split_fitted:
            self._split_fitted = True
            QTimer.singleShot(0, self._fit_library_height)  # once the splitter has its real height

    @Slot()
    def _fit_library_height(self) -> None:
        """The table gets room for a few rows (up to 8) and the details and comparisons the rest."""
        total = sum(self._split.sizes())
        rows = min(max(self.proxy.rowCount(), LIBRARY_ROWS[0]), LIBRARY_ROWS[1])
        table = (
            self.table.horizontalHeader().sizeHint().height()
            + rows * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
        )
        wanted = self.open_button.sizeHint().height() + table + self.hint.sizeHint().height() + 16
        library = min(wanted, int(total * LIBRARY_MAX_SHARE))
        self._split.setSizes([library, total - library])

    # ---------------------------------------------------------------- closing

    def shutdown(self) -> None:
        self.compare.shutdown()
