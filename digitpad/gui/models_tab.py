"""The Models tab: the library as a sortable table, one model's details, several compared.

Every change to the library goes through `ModelLibrary` and is announced with
`AppState.libraryChanged`, which is also what refreshes this table, so the Draw tab's picker and
this tab can never disagree about what is saved. Failures are shown as a message and leave the
library as it was.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
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

from digitpad.core import model_jobs
from digitpad.core.engine import Engine
from digitpad.core.file_cache import FileCache
from digitpad.core.inference import Predictor
from digitpad.core.library import LibraryEntry, ModelLibrary
from digitpad.core.model_jobs import (
    DeleteOutcome,
    ImportOutcome,
    LibraryListing,
    ModelLayers,
)
from digitpad.gui import style
from digitpad.gui.app_state import SETTINGS_MODEL_DIR, AppState, same_file
from digitpad.gui.compare_view import CompareView
from digitpad.gui.export_dialog import ExportDialog
from digitpad.gui.i18n import QT_TRANSLATE_NOOP
from digitpad.gui.model_details import ModelDetails
from digitpad.gui.model_evaluation import ModelEvaluationPage
from digitpad.gui.model_table import (
    DATE,
    NAME,
    ModelRow,
    ModelSortProxy,
    ModelTableModel,
)
from digitpad.gui.widgets import RememberingFileDialog, fit_columns
from digitpad.gui.workers import BackgroundTask, LatestTask, Work

STATUS_MS = 5000
LIBRARY_ROWS = (4, 8)  # the table shows at least and at most this many rows at first
EVALUATING_ROWS = 2  # and this many while the Evaluate page is open
LIBRARY_MAX_SHARE = 0.35  # of the tab's height
MODEL_FILTER = QT_TRANSLATE_NOOP("ModelsTab", "Keras models (*.keras);;All files (*)")


@dataclass(frozen=True)
class _Loaded:
    """A worker's answer, with the rows it was asked about, so a late answer is recognised."""

    rows: tuple[ModelRow, ...]
    predictors: tuple[Predictor, ...]


@dataclass(frozen=True)
class _Described:
    row: ModelRow
    layers: ModelLayers


@dataclass(frozen=True)
class _Renamed:
    old: ModelRow
    entry: LibraryEntry


def _load_rows(
    rows: tuple[ModelRow, ...], cache: FileCache[Predictor], engine: Engine,
    progress: model_jobs.ProgressCallback, stop_event: threading.Event,
) -> _Loaded:
    predictors = model_jobs.load_predictors([row.path for row in rows], progress, stop_event, cache=cache,
                                            engine=engine)
    return _Loaded(rows, tuple(predictors))


def _describe_row(
    row: ModelRow, layers: FileCache[ModelLayers], predictors: FileCache[Predictor],
    progress: model_jobs.ProgressCallback, stop_event: threading.Event,
) -> _Described:
    return _Described(row, model_jobs.describe_layers(row.path, progress, stop_event, cache=layers,
                                                       predictors=predictors))


def _rename(
    library: ModelLibrary, row: ModelRow, new_name: str,
    progress: model_jobs.ProgressCallback, stop_event: threading.Event,
) -> _Renamed:
    return _Renamed(row, model_jobs.rename_model(library, row.name, new_name, progress, stop_event))


class ModelsTab(QWidget):
    """The library, one model's details and comparisons; every file is read on a worker.

    Three workers keep the window responsive: `_details_task` reads the selected model's
    layers, `_compare_task` loads the models to compare, and `_library_task` imports, renames
    and deletes; the Export dialog has its own. The listing itself comes from
    `AppState.libraryListed`. `shutdown()` stops and joins them all.
    """

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelsTab")
        self.setAcceptDrops(True)
        self.setStyleSheet(style.MODELS_TAB_STYLESHEET)
        self._state = state
        self._shown: tuple[tuple[Path, ...], Path | None] | None = None  # what the details page shows
        self._selecting = False  # `_select_paths` is changing the selection
        self._select_after_listing: list[Path] | None = None  # an imported or renamed model, once listed
        self._files = RememberingFileDialog(state.settings, SETTINGS_MODEL_DIR)
        self._layers = model_jobs.layers_cache(state.engine)
        self._details_task = LatestTask(self)
        self._details_task.succeeded.connect(self._on_details_loaded)
        self._details_task.failed.connect(self._on_details_failed)
        self._compare_task = LatestTask(self)
        self._compare_task.succeeded.connect(self._on_compare_loaded)
        self._compare_task.failed.connect(self._on_compare_failed)
        self._library_task = BackgroundTask(self)
        self._library_task.succeeded.connect(self._on_library_changed_here)
        self._library_task.failed.connect(self._on_library_failed)
        self._library_task.finished.connect(self._on_selection_changed)
        self._export_dialog: ExportDialog | None = None  # made on first use, then reused

        make = self._button
        self.open_button = make(self.tr("Open .keras…"), "openModelButton",
                                  self.tr("Import a Keras model file into the library (or drop .keras files here)"))
        self.rename_button = make(self.tr("Rename…"), "renameModelButton", self.tr("Rename the selected model (F2)"))
        self.delete_button = make(self.tr("Delete"), "deleteModelButton", self.tr("Delete the selected models from the library (Del)"))
        self.use_button = make(self.tr("Use for drawing"), "useModelButton", self.tr("Recognise drawings with the selected model"))
        self.use_button.setProperty("primary", True)
        self.compare_button = make(self.tr("Compare"), "compareButton",
                                     self.tr("Select two or more models (Ctrl+click), then compare them"))
        self.export_button = make(self.tr("Export…"), "exportModelButton",
                                    self.tr("Write the selected model as ONNX, LiteRT or a TensorFlow SavedModel for other programs"))
        self.open_button.clicked.connect(self.open_model_file)
        self.rename_button.clicked.connect(self.rename_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.use_button.clicked.connect(self.use_selected)
        self.compare_button.clicked.connect(self.compare_selected)
        self.export_button.clicked.connect(self.export_selected)
        self.filter = QLineEdit()
        self.filter.setObjectName("modelFilter")
        self.filter.setPlaceholderText(self.tr("Filter models…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setMaximumWidth(240)

        toolbar = QHBoxLayout()
        for button in (self.open_button, self.rename_button, self.delete_button):
            toolbar.addWidget(button)
        toolbar.addSpacing(12)
        toolbar.addWidget(self.use_button)
        toolbar.addWidget(self.compare_button)
        toolbar.addWidget(self.export_button)
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
        self.table.setMinimumHeight(84)  # a header and two rows
        header = self.table.horizontalHeader()
        fit_columns(header, NAME)
        header.setHighlightSections(False)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_selection_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._add_actions()

        self.hint = QLabel()
        self.hint.setObjectName("modelsHint")
        self.hint.setOpenExternalLinks(False)
        self.hint.linkActivated.connect(self._on_library_link)
        self.hint.setProperty("muted", True)

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
        self.evaluation = ModelEvaluationPage(state)
        self.inspector.addTab(self.details, self.tr("Details"))
        self.inspector.addTab(self.evaluation, self.tr("Evaluate"))
        self.inspector.addTab(self.compare, self.tr("Compare"))
        self.inspector.currentChanged.connect(self._on_inspector_page_changed)

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

        state.libraryListed.connect(self._on_library_listed)
        state.predictorChanged.connect(self._on_predictor_changed)
        if state.listing is not None:
            self._on_library_listed(state.listing)
        else:
            self._update_hint(0, None)
            state.ensure_listing()
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
            (self.tr("Use for drawing"), None, self.use_selected, self.use_button),
            (self.tr("Rename…"), None, self.rename_selected, self.rename_button),
            (self.tr("Delete"), QKeySequence.StandardKey.Delete, self.delete_selected, self.delete_button),
            (self.tr("Compare"), None, self.compare_selected, self.compare_button),
            (self.tr("Export…"), None, self.export_selected, self.export_button),
            (self.tr("Open .keras…"), None, self.open_model_file, self.open_button),
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
        """Re-read the library (on a worker); the table follows once it is listed."""
        self._state.refresh_library()

    def is_busy(self) -> bool:
        """Something is still being read or changed; tests and benchmarks wait for this to end."""
        return (self._state.is_listing() or self._state.is_loading_model() or self._details_task.is_busy()
                or self._compare_task.is_busy() or self._library_task.is_running() or self.compare.is_preparing())

    @Slot(object)
    def _on_library_listed(self, listing: LibraryListing) -> None:
        """Show a fresh listing, keeping the selection on the same files where they still exist."""
        if self._select_after_listing is not None:
            wanted, self._select_after_listing = self._select_after_listing, None
            selected, current_path = set(wanted), (wanted[0] if wanted else None)
        else:
            selected = {row.path for row in self.selected_rows()}
            current = self.current_row()
            current_path = current.path if current is not None else None
        self.table_model.set_rows([ModelRow.from_listed(model) for model in listing.models])
        self._select_paths(selected, current_path)
        self._state.predictors.forget_missing()
        self.compare.forget_missing()
        self._update_hint(listing.library_count, listing.problem)
        self._shown = None  # the rows are new objects: show them even if the same files are selected
        self._on_selection_changed()

    def _update_hint(self, library_count: int, problem: str | None) -> None:
        root = self._state.library.root
        link = f'<a href="{QUrl.fromLocalFile(str(root)).toString()}">{root}</a>'
        if problem is not None:
            self.hint.setText(f"⚠ {problem}")
        elif library_count == 0:
            self.hint.setText(
                self.tr("Your library is empty: train a model on the Train tab, or open a .keras file. Library folder: {link}").format(link=link)
            )
        else:
            noun = self.tr("model") if library_count == 1 else self.tr("models")
            self.hint.setText(
                self.tr("{library_count} {noun} in {link} · ● marks the model used for drawing · Ctrl+click selects several to compare · double-click or F2 renames").format(library_count=library_count, noun=noun, link=link)
            )

    @Slot(str)
    def _on_library_link(self, url: str) -> None:
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
        """Select these rows in one step: the details are shown once, for the final selection,
        not for each row on the way (each showing redraws the details page)."""
        selection = self.table.selectionModel()
        resolved = {path.resolve() for path in paths}
        current_resolved = current.resolve() if current is not None else None
        chosen = QItemSelection()
        current_index: QModelIndex | None = None
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            path = self.proxy.row(index).path.resolve()
            if path in resolved:
                chosen.select(index, index)
            if path == current_resolved:
                current_index = index
        self._selecting = True
        try:
            selection.select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect
                             | QItemSelectionModel.SelectionFlag.Rows)
            if current_index is not None:
                selection.setCurrentIndex(current_index, QItemSelectionModel.SelectionFlag.NoUpdate)
                self.table.scrollTo(current_index)
        finally:
            self._selecting = False
        self._on_selection_changed()

    @Slot()
    def _on_selection_changed(self) -> None:
        if self._selecting:
            return  # `_select_paths` calls this once it has selected every row
        rows = self.selected_rows()
        editable = [row for row in rows if not row.shipped]
        usable = [row for row in rows if row.problem is None]
        idle = not self._library_task.is_running()
        enabled = {
            self.open_button: idle,
            self.rename_button: idle and len(rows) == 1 and bool(editable),
            self.delete_button: idle and bool(editable),
            self.use_button: len(rows) == 1 and bool(usable),
            self.compare_button: len(usable) >= 2,
            self.export_button: len(rows) == 1 and bool(usable),
        }
        for button, on in enabled.items():
            button.setEnabled(on)
            self._actions[button].setEnabled(on)
        current = self.current_row()
        shown = (tuple(row.path for row in rows), current.path if current is not None else None)
        if shown != self._shown:  # selection and current-row signals often both fire for one click
            self._shown = shown
            self._show_details(current)
            self.evaluation.set_model(current if len(rows) == 1 else None)

    def _show_details(self, row: ModelRow | None) -> None:
        """What the listing knows is shown at once; the layers follow from the worker, unless
        the model was read before (the caches answer without reading anything)."""
        if row is None:
            count = len(self.selected_rows())
            if count > 1:
                self.details.show_nothing(
                    self.tr("Press Compare to see them read your drawing side by side, measure them on a test set "
                    "and overlay how they learnt."),
                    title=self.tr("{count} models selected").format(count=count),
                )
            else:
                self.details.show_nothing()
            return
        if row.problem is not None:
            self.details.show_model(row, None, row.problem)
            return
        predictor = self._state.predictors.peek(row.path)
        layers = ModelLayers.of(predictor) if predictor is not None else self._layers.peek(row.path)
        self.details.show_model(row, layers, loading=layers is None)
        if layers is None:
            self._details_task.submit(partial(_describe_row, row, self._layers, self._state.predictors))

    @Slot(object)
    def _on_details_loaded(self, described: object) -> None:
        if isinstance(described, _Described) and self.current_row() == described.row:
            self.details.show_model(described.row, described.layers)

    @Slot(str)
    def _on_details_failed(self, message: str) -> None:
        row = self.current_row()
        if row is not None:
            self.details.show_model(row, None, message)

    @Slot(object)
    def _on_predictor_changed(self, predictor: object) -> None:
        self.table_model.set_in_use(Path(predictor.path) if isinstance(predictor, Predictor) else None)

    # ----------------------------------------------------------------- actions

    @Slot()
    def open_model_file(self) -> None:
        path = self._files.open_file(self, self.tr("Open a Keras model"), QCoreApplication.translate("ModelsTab", MODEL_FILTER))
        if path is not None:
            self.import_files([path])

    def import_files(self, paths: list[Path]) -> None:
        """Copy validated models into the library on the worker; bad files change nothing and say why."""
        if paths and self._start_library_job(partial(model_jobs.import_models, self._state.library, paths, engine=self._state.engine)):
            self._state.statusMessage.emit(self.tr("Checking {value}…").format(value=', '.join(path.name for path in paths)), 0)

    @Slot()
    def rename_selected(self) -> None:
        rows = self.selected_rows()
        if len(rows) != 1 or rows[0].shipped:
            return
        new_name, accepted = QInputDialog.getText(
            self, self.tr("Rename model"), self.tr("New name for “{name}”:").format(name=rows[0].name),
            QLineEdit.EchoMode.Normal, rows[0].name,
        )
        if accepted and new_name.strip() and new_name.strip() != rows[0].name:
            self.rename(rows[0], new_name.strip())

    @Slot(object, str)
    def _on_rename_requested(self, row: ModelRow, new_name: str) -> None:
        self.rename(row, new_name)

    def rename(self, row: ModelRow, new_name: str) -> None:
        """Rename on the worker; the table, the selection and the model in use follow."""
        self._start_library_job(partial(_rename, self._state.library, row, new_name))

    @Slot()
    def delete_selected(self) -> None:
        rows = [row for row in self.selected_rows() if not row.shipped]
        if not rows:
            return
        if len(rows) == 1:
            question = self.tr("Delete “{name}” from the library?").format(name=rows[0].name)
        else:
            question = self.tr("Delete these {rows} models from the library?\n\n").format(rows=len(rows)) + "\n".join(
                f"• {row.name}" for row in rows
            )
        if any(self.table_model.is_in_use(row) for row in rows):
            question += self.tr("\n\nDrawing switches back to the shipped model.")
        question += self.tr("\n\nThe files are removed from disk; this cannot be undone.")
        answer = QMessageBox.question(
            self,
            self.tr("Delete model") if len(rows) == 1 else self.tr("Delete models"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._start_library_job(partial(model_jobs.delete_models, self._state.library, [row.name for row in rows]))

    @Slot()
    def use_selected(self) -> None:
        """The model is loaded on the worker (at once when cached); the Draw tab follows."""
        row = self.current_row()
        if row is not None and row.problem is None:
            self._state.load_predictor(row.path)

    @Slot()
    def compare_selected(self) -> None:
        rows = tuple(row for row in self.selected_rows() if row.problem is None)
        if len(rows) < 2:
            return
        self.inspector.setCurrentWidget(self.compare)
        self._compare_task.submit(partial(_load_rows, rows, self._state.predictors, self._state.engine))

    @Slot()
    def export_selected(self) -> None:
        """Open the Export dialog for the selected model (window-modal; it exports on its own worker)."""
        row = self.current_row()
        if row is None or row.problem is not None:
            return
        if self._export_dialog is None:
            self._export_dialog = ExportDialog(self._state.settings, self, engine=self._state.engine)
        self._export_dialog.set_model(row)
        self._export_dialog.open()

    @Slot(object)
    def _on_compare_loaded(self, loaded: object) -> None:
        if isinstance(loaded, _Loaded):
            self.compare.set_models(list(loaded.rows), list(loaded.predictors))

    @Slot(str)
    def _on_compare_failed(self, message: str) -> None:
        self._error(self.tr("Cannot compare models"), message)

    def _start_library_job(self, work: Work) -> bool:
        if self._library_task.is_running():
            self._state.statusMessage.emit(self.tr("Wait a moment: the library is still being changed."), STATUS_MS)
            return False
        self._library_task.start(work)
        self._on_selection_changed()
        return True

    @Slot(object)
    def _on_library_changed_here(self, outcome: object) -> None:
        """Report an import, rename or delete, and keep drawing with a renamed or deleted model."""
        in_use = self._state.predictor.path if self._state.predictor is not None else None
        if isinstance(outcome, ImportOutcome):
            for failure in outcome.failures:
                self._error(self.tr("Cannot open model"), failure)
            if not outcome.imported:
                return
            self._select_after_listing = [Path(entry.path) for entry in outcome.imported]
            names = ", ".join(entry.name for entry in outcome.imported)
            message = self.tr("Added {names} to the model library.").format(names=names)
        elif isinstance(outcome, _Renamed):
            self._select_after_listing = [Path(outcome.entry.path)]
            if in_use is not None and same_file(in_use, outcome.old.path):
                self._state.load_predictor(outcome.entry.path, announce=False)
            message = self.tr("Renamed {name} to {name2}.").format(name=outcome.old.name, name2=outcome.entry.name)
        elif isinstance(outcome, DeleteOutcome):
            if outcome.failure is not None:
                self._error(self.tr("Cannot delete model"), outcome.failure)
            if not outcome.deleted:
                return
            if in_use is not None and not in_use.exists():
                self._state.load_predictor(None, announce=False)
            message = self.tr("Deleted {deleted}.").format(deleted=', '.join(outcome.deleted))
        else:
            return
        self._state.libraryChanged.emit()
        self._state.statusMessage.emit(message, STATUS_MS)

    @Slot(str)
    def _on_library_failed(self, message: str) -> None:
        self._error(self.tr("Cannot change the library"), message)

    def _error(self, title: str, message: str) -> None:
        self._state.statusMessage.emit(message, STATUS_MS)
        QMessageBox.warning(self, title, message)

    # ------------------------------------------------------------ drag & drop

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.toLocalFile().endswith(".keras") for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.import_files([Path(url.toLocalFile()) for url in event.mimeData().urls()
                           if url.toLocalFile().endswith(".keras")])
        event.acceptProposedAction()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._split_fitted:
            self._split_fitted = True
            QTimer.singleShot(0, self._on_fit_library_height)  # once the splitter has its real height

    @Slot()
    @Slot(int)
    def _on_inspector_page_changed(self, _index: int) -> None:
        if self._split_fitted:
            self._on_fit_library_height()

    def _on_fit_library_height(self) -> None:
        """The table gets room for a few rows (up to 8) and the details and comparisons the rest;
        an evaluation, whose matrix, gallery and bars need the height, leaves it two rows."""
        total = sum(self._split.sizes())
        evaluating = self.inspector.currentWidget() is self.evaluation
        fewest, most = (EVALUATING_ROWS, EVALUATING_ROWS) if evaluating else LIBRARY_ROWS
        rows = min(max(self.proxy.rowCount(), fewest), most)
        table = (
            self.table.horizontalHeader().sizeHint().height()
            + rows * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
        )
        wanted = self.open_button.sizeHint().height() + table + self.hint.sizeHint().height() + 16
        library = min(wanted, int(total * LIBRARY_MAX_SHARE))
        self._split.setSizes([library, total - library])
        current = self.table.currentIndex()
        if current.isValid():
            self.table.scrollTo(current)

    # ---------------------------------------------------------------- closing

    def shutdown(self) -> None:
        """Stop and join every worker of the tab; a library change in progress finishes first."""
        for task in (self._details_task, self._compare_task, self._library_task):
            task.stop_and_wait()
        self.compare.shutdown()
        self.evaluation.shutdown()
        if self._export_dialog is not None:
            self._export_dialog.shutdown()

