"""The My digits tab: the digits a person kept, per label, to correct, export and learn from.

Every store operation goes through the window's `DigitsService` (its worker thread); this tab
only shows what the service reports. The gallery is re-read after each change while the tab is
visible, and once when it is shown again otherwise, so digits kept in the Draw tab never cost a
listing nobody looks at. The drawing model's answers are computed on a worker (`LatestTask`)
for the digits it has not read yet, so adding one digit reads one digit, and a new model reads
them all again. Thumbnails are made lazily on the GUI thread, for the rows the view paints.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import (
    QCoreApplication,
    QItemSelectionModel,
    QPoint,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.digit_exchange import ImportReport
from digitpad.core.digit_reading import Readings, read_digits
from digitpad.core.digit_store import StoredDigit
from digitpad.core.inference import Predictor
from digitpad.gui import style
from digitpad.gui.app_state import model_label
from digitpad.gui.digit_gallery import THUMBNAIL, DigitGalleryModel
from digitpad.gui.digits_service import NUM_LABELS, DigitsService, ExportOutcome
from digitpad.gui.finetune_panel import FineTunePanel
from digitpad.gui.i18n import QT_TRANSLATE_NOOP, format_count, format_percent
from digitpad.gui.widgets import RememberingFileDialog, caption, muted_label, named, set_style_property
from digitpad.gui.workers import LatestTask

if TYPE_CHECKING:
    from digitpad.gui.app_state import AppState

SETTINGS_DIGITS_DIR = "digits/lastDirectory"
NPZ_FILTER = QT_TRANSLATE_NOOP("MyDigitsTab", "NumPy arrays (*.npz);;All files (*)")
FOLDER_FILTER = QT_TRANSLATE_NOOP("MyDigitsTab", "Folder (*)")     # the PNG and IDX exports go into a new folder of this name
GRID = QSize(76, 88)
SKIPPED_SHOWN = 3          # skipped files named in the import's one-line report; the rest in the tooltip
ALL = NUM_LABELS           # the filter button that shows every label (QButtonGroup reserves -1)

GUIDE_TEXT = (
    QT_TRANSLATE_NOOP("MyDigitsTab", "No digits kept yet.\n\n"
    "Draw a digit in the Draw tab, then press its digit key (0-9) to keep it here under that label; "
    "or import a folder with subfolders 0-9, or an .npz file with x and y arrays.\n\n"
    "A few dozen of your own digits are enough to fine-tune a model to your handwriting.")
)

# ---- the tab --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Undo:
    """One step Ctrl+Z takes back: a delete (the digits to restore) or a relabel (old labels)."""

    done: str                                  # "Deleted 3 digits."
    deleted: tuple[StoredDigit, ...] = ()
    old_labels: tuple[tuple[int, int], ...] = ()   # (id, label before the relabel)


class MyDigitsTab(QWidget):
    """The gallery of kept digits with counts, corrections, import/export and the model's
    accuracy on them on the left; the fine-tune panel on the right."""

    drawRequested = Signal()   # "Go to the Draw tab" in the empty guide: the window switches tabs

    def __init__(self, state: AppState, service: DigitsService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("myDigitsTab")
        self.setStyleSheet(style.TRAIN_TAB_STYLESHEET + style.MY_DIGITS_TAB_STYLESHEET)
        self._state = state
        self._service = service
        self._closing = False
        self._stale = True              # the listing is older than the store
        self._listing = False           # a listing was asked for and has not come back
        self._listing_again = False     # the store changed while it was being listed
        self._importing = False
        self._import_name = ""
        self._exporting = False
        self._pending_deletes: list[frozenset[int]] = []
        self._undo: list[_Undo] = []
        self._readings = LatestTask(self)
        self._readings.succeeded.connect(self._on_readings)
        self._readings.failed.connect(self._on_readings_failed)
        self._answers: dict[int, tuple[int, float]] = {}
        self._answers_model: Predictor | None = None
        self._files = RememberingFileDialog(state.settings, SETTINGS_DIGITS_DIR)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_gallery_panel())
        self.finetune_panel = FineTunePanel(state)
        scroll = QScrollArea()
        scroll.setWidget(self.finetune_panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumWidth(520)   # leaves the gallery room for its French buttons at 1200 wide
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(splitter)

        service.opened.connect(self._on_counts)
        service.changed.connect(self._on_changed)
        service.listed.connect(self._on_listed)
        service.deleted.connect(self._on_deleted)
        service.imported.connect(self._on_imported)
        service.importProgressed.connect(self._on_import_progressed)
        service.exported.connect(self._on_exported)
        service.failed.connect(self._on_failed)
        service.notice.connect(self._on_notice)
        state.predictorChanged.connect(self._on_predictor_changed)
        self._on_counts(service.counts())
        self._update_actions()
        self._show_accuracy()

    # ------------------------------------------------------------------ layout

    def _build_gallery_panel(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(8)

        title = QHBoxLayout()
        title.addWidget(caption(self.tr("My digits")))
        self.total_label = named(QLabel(), "totalLabel")
        title.addWidget(self.total_label)
        title.addStretch(1)
        layout.addLayout(title)
        layout.addLayout(self._build_filter_row())
        layout.addLayout(self._build_action_row())

        accuracy_row = QHBoxLayout()
        self.accuracy_label = named(QLabel(), "accuracyLabel")
        self.accuracy_label.setWordWrap(True)
        self.misread_only = named(QCheckBox(self.tr("Only misread")), "misreadOnly")
        self.misread_only.setToolTip(self.tr("Show only the digits the drawing model reads as another digit."))
        self.misread_only.toggled.connect(self._on_filter_changed)
        accuracy_row.addWidget(self.accuracy_label, 1)
        accuracy_row.addWidget(self.misread_only)
        layout.addLayout(accuracy_row)
        layout.addWidget(self._build_notice_bar())

        self.model = DigitGalleryModel(self)
        self.gallery = named(QListView(), "gallery")
        self.gallery.setModel(self.model)
        self.gallery.setViewMode(QListView.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.gallery.setGridSize(GRID)
        self.gallery.setResizeMode(QListView.ResizeMode.Adjust)
        self.gallery.setMovement(QListView.Movement.Static)
        self.gallery.setUniformItemSizes(True)
        self.gallery.setLayoutMode(QListView.LayoutMode.Batched)   # thousands of digits lay out in steps
        self.gallery.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.gallery.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.gallery.customContextMenuRequested.connect(self._on_context_menu)
        self.gallery.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.gallery.setToolTip("")
        for digit in range(NUM_LABELS):
            shortcut = QShortcut(QKeySequence(str(digit)), self.gallery)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(partial(self.relabel_selected, digit))
        for key in (QKeySequence.StandardKey.Delete, QKeySequence(Qt.Key.Key_Backspace)):
            delete = QShortcut(QKeySequence(key), self.gallery)
            delete.setContext(Qt.ShortcutContext.WidgetShortcut)
            delete.activated.connect(self.delete_selected)
        undo = QShortcut(QKeySequence.StandardKey.Undo, self)
        undo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo.activated.connect(self.undo)

        self.guide = named(QLabel(QCoreApplication.translate("MyDigitsTab", GUIDE_TEXT)), "galleryGuide")
        self.guide.setWordWrap(True)
        self.guide.setAlignment(Qt.AlignmentFlag.AlignCenter)
        guide_page = QWidget()
        guide_layout = QVBoxLayout(guide_page)
        guide_layout.addStretch(1)
        guide_layout.addWidget(self.guide)
        self.draw_button = named(QPushButton(self.tr("Go to the Draw tab")), "goDrawButton")
        self.draw_button.clicked.connect(self.drawRequested)
        guide_layout.addWidget(self.draw_button, 0, Qt.AlignmentFlag.AlignHCenter)
        guide_layout.addStretch(2)
        self.pages = QStackedWidget()
        self.pages.addWidget(guide_page)
        self.pages.addWidget(self.gallery)
        layout.addWidget(self.pages, 1)
        layout.addWidget(muted_label(
            self.tr("Select digits (Ctrl or Shift for several), then press 0-9 to give them that label or "
            "Delete to remove them; Ctrl+Z takes it back.")
        ))
        return panel

    def _build_filter_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(4)
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[int, QToolButton] = {}
        for label in (ALL, *range(NUM_LABELS)):
            button = named(QToolButton(), f"filter{'All' if label == ALL else label}")
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            # the label above its count: eleven buttons share the row at the window's default size
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            button.setProperty("filter", True)
            self.filter_group.addButton(button, label)
            self.filter_buttons[label] = button
            row.addWidget(button)
        self.filter_buttons[ALL].setChecked(True)
        self.filter_group.idToggled.connect(self._on_filter_toggled)
        return row

    def _build_action_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.import_folder_button = named(QPushButton(self.tr("Import folder…")), "importFolderButton")
        self.import_folder_button.setToolTip(self.tr("Import the images of a folder with subfolders 0 to 9."))
        self.import_folder_button.clicked.connect(self._on_import_folder_clicked)
        self.import_file_button = named(QPushButton(self.tr("Import .npz…")), "importFileButton")
        self.import_file_button.setToolTip(self.tr("Import an .npz file with arrays x (images) and y (labels)."))
        self.import_file_button.clicked.connect(self._on_import_file_clicked)
        self.export_button = named(QToolButton(), "exportButton")
        self.export_button.setText(self.tr("Export"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        export_menu = QMenu(self.export_button)
        self.export_npz_action = export_menu.addAction(self.tr("NumPy .npz file…"))
        self.export_npz_action.triggered.connect(self._on_export_npz)
        self.export_png_action = export_menu.addAction(self.tr("Folder of PNG images…"))
        self.export_png_action.triggered.connect(self._on_export_png)
        self.export_idx_action = export_menu.addAction(self.tr("IDX files (like MNIST)…"))
        self.export_idx_action.triggered.connect(self._on_export_idx)
        self.export_button.setMenu(export_menu)

        self.relabel_button = named(QToolButton(), "relabelButton")
        self.relabel_button.setText(self.tr("Label as"))
        self.relabel_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.relabel_button.setMenu(self._relabel_menu(self.relabel_button))
        self.delete_button = named(QPushButton(self.tr("Delete")), "deleteButton")
        self.delete_button.setToolTip(self.tr("Delete the selected digits (Delete key; Ctrl+Z brings them back)."))
        self.delete_button.clicked.connect(self.delete_selected)
        for widget in (self.import_folder_button, self.import_file_button, self.export_button):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.relabel_button)
        row.addWidget(self.delete_button)
        for index in range(row.count()):   # a button squeezed below its text would cut it (French is longer)
            if (item := row.itemAt(index)) is not None and (button := item.widget()) is not None:
                button.setSizePolicy(QSizePolicy.Policy.Minimum, button.sizePolicy().verticalPolicy())
        return row

    def _relabel_menu(self, parent: QWidget) -> QMenu:
        menu = QMenu(self.tr("Label as"), parent)
        for digit in range(NUM_LABELS):
            action = QAction(f"{digit}", menu)
            action.triggered.connect(partial(self.relabel_selected, digit))
            menu.addAction(action)
        return menu

    def _build_notice_bar(self) -> QFrame:
        self.notice_bar = named(QFrame(), "noticeBar")
        row = QHBoxLayout(self.notice_bar)
        row.setContentsMargins(10, 4, 4, 4)
        self.notice_label = named(QLabel(), "noticeLabel")
        self.notice_label.setWordWrap(True)
        self.notice_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.undo_button = named(QPushButton(self.tr("Undo")), "undoButton")
        self.undo_button.setToolTip(self.tr("Take back the last delete or relabel (Ctrl+Z)."))
        self.undo_button.clicked.connect(self.undo)
        close = named(QToolButton(), "noticeCloseButton")
        close.setText("✕")
        close.setToolTip(self.tr("Dismiss"))
        close.setAutoRaise(True)
        close.clicked.connect(self.notice_bar.hide)
        row.addWidget(self.notice_label, 1)
        row.addWidget(self.undo_button)
        row.addWidget(close)
        self.notice_bar.hide()
        return self.notice_bar

    # ------------------------------------------------------------------ public actions

    def selected_ids(self) -> list[int]:
        return [self.model.digit(row).id for row in self._selected_rows()]

    @Slot()
    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids or self._closing:
            return
        self._pending_deletes.append(frozenset(ids))
        self._service.delete(ids)

    def relabel_selected(self, label: int) -> None:
        """Give the selected digits `label`; a digit that has it already is left alone."""
        if self._closing:
            return
        chosen = [self.model.digit(row) for row in self._selected_rows()]
        old = tuple((digit.id, digit.label) for digit in chosen if digit.label != label)
        if not old:
            return
        self._service.relabel([digit_id for digit_id, _label in old], label)
        self._push_undo(_Undo(self.tr("{value} now labelled {label}.").format(value=_digits_text(len(old)), label=label), old_labels=old))

    @Slot()
    def undo(self) -> None:
        """Take back the newest delete or relabel made here."""
        if not self._undo or self._closing:
            return
        step = self._undo.pop()
        if step.deleted:
            self._service.restore(list(step.deleted))
            self._show_notice(self.tr("Restored {value}.").format(value=_digits_text(len(step.deleted))))
        else:
            by_label: dict[int, list[int]] = {}
            for digit_id, label in step.old_labels:
                by_label.setdefault(label, []).append(digit_id)
            for label, ids in by_label.items():
                self._service.relabel(ids, label)
            self._show_notice(self.tr("Labels put back on {value}.").format(value=_digits_text(len(step.old_labels))))

    def import_path(self, path: str | Path) -> None:
        """Import a folder (subfolders 0-9) or an .npz; the report follows in the notice bar."""
        if self._importing or self._closing:
            return
        self._importing = True
        self._import_name = Path(path).name
        self._update_actions()
        self._show_notice(self.tr("Importing {import_name}…").format(import_name=self._import_name), undo=False)
        self._service.import_from(path)

    def export_path(self, path: str | Path, export_format: str) -> None:
        """Export every kept digit as "npz", "png" (a folder) or "idx" (a folder)."""
        if self._exporting or self._closing:
            return
        self._exporting = True
        self._update_actions()
        self._show_notice(self.tr("Exporting to {path}…").format(path=path), undo=False)
        self._service.export_to(path, export_format)

    def refresh(self) -> None:
        """Re-read the store now (one listing at a time; a change meanwhile reads it again)."""
        if self._closing:
            return
        if self._listing:
            self._listing_again = True
            return
        self._listing = True
        self._stale = False
        self._service.list_digits()

    def shutdown(self) -> None:
        """Stop the workers this tab started (the model's reading, the fine-tune) and join them;
        the service is the window's and is shut down by it."""
        self._closing = True
        self._readings.stop_and_wait()
        self.finetune_panel.shutdown()

    # ------------------------------------------------------------------ Qt events

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # ------------------------------------------------------------------ service answers

    @Slot(object)
    def _on_counts(self, counts: dict[int, int]) -> None:
        total = sum(counts.values())
        self.total_label.setText((self.tr("{total} digit") if total == 1 else self.tr("{total} digits")).format(total=format_count(total)))
        self.filter_buttons[ALL].setText(self.tr("All\n{total}").format(total=format_count(total)))
        for label in range(NUM_LABELS):
            self.filter_buttons[label].setText(f"{label}\n{format_count(counts.get(label, 0))}")

    @Slot(object)
    def _on_changed(self, counts: dict[int, int]) -> None:
        self._on_counts(counts)
        self._stale = True
        if self.isVisible():
            self.refresh()

    @Slot(object)
    def _on_listed(self, digits: list[StoredDigit]) -> None:
        if self._closing:
            return
        self._listing = False
        selected = set(self.selected_ids())
        self.model.set_digits(digits)
        self._reselect(selected)
        self.pages.setCurrentIndex(1 if digits else 0)
        self.finetune_panel.set_digits(digits)
        self._update_actions()
        self._read_unread()
        if self._listing_again:
            self._listing_again = False
            self.refresh()

    @Slot(object)
    def _on_deleted(self, digits: list[StoredDigit]) -> None:
        ids = frozenset(digit.id for digit in digits)
        if ids not in self._pending_deletes:
            return  # deleted elsewhere (the Draw tab's undo of a kept digit): not ours to undo
        self._pending_deletes.remove(ids)
        self._push_undo(_Undo(self.tr("Deleted {value}.").format(value=_digits_text(len(digits))), deleted=tuple(digits)))

    @Slot(object)
    def _on_imported(self, report: ImportReport) -> None:
        self._importing = False
        self._update_actions()
        text = self.tr("Imported {added}.").format(added=_digits_text(report.added))
        if report.skipped:
            named_files = ", ".join(f"{name} ({why})" for name, why in report.skipped[:SKIPPED_SHOWN])
            more = len(report.skipped) - SKIPPED_SHOWN
            text += self.tr(" Skipped {count}: {files}").format(count=format_count(len(report.skipped)), files=named_files)
            text += self.tr(" and {more} more.").format(more=format_count(more)) if more > 0 else "."
        self._show_notice(text, undo=False)
        self.notice_label.setToolTip("\n".join(f"{name}: {why}" for name, why in report.skipped))
        self._state.show_status(text)

    @Slot(object)
    def _on_import_progressed(self, bundle: tuple[object, ...]) -> None:
        """The import's newest fraction done, as a percentage in the notice bar."""
        if bundle and self._importing and isinstance(bundle[-1], float) and self._import_name:
            self._show_notice(self.tr("Importing {import_name}… {value}").format(import_name=self._import_name, value=format_percent(bundle[-1], 0)), undo=False)

    @Slot(object)
    def _on_exported(self, outcome: ExportOutcome) -> None:
        self._exporting = False
        self._update_actions()
        text = self.tr("Exported {count} to {path}.").format(count=_digits_text(outcome.count), path=outcome.path)
        self._show_notice(text, undo=False)
        self._state.show_status(text)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        # The service runs one request at a time in order, so a failure while an import or
        # export is outstanding is that one's.
        self._importing = self._exporting = False
        self._listing = False
        self._update_actions()
        self._show_notice(message, error=True)

    @Slot(str)
    def _on_notice(self, message: str) -> None:
        self._show_notice(message, undo=False)
        self._state.show_status(message, 0)

    # ------------------------------------------------------------------ the drawing model's answers

    @Slot(object)
    def _on_predictor_changed(self, _predictor: object) -> None:
        self._answers = {}
        self._answers_model = None
        self.model.set_answers({})
        self._read_unread()

    def _read_unread(self) -> None:
        """Ask the drawing model about the digits it has not read; nothing when all are read."""
        predictor = self._state.predictor
        if predictor is None or self._closing:
            self._show_accuracy()
            return
        unread = self.model.unread()
        if unread:
            ids = [digit.id for digit in unread]
            images = np.stack([digit.image for digit in unread]).astype(np.float32, copy=False)
            self._readings.submit(partial(read_digits, predictor, ids, images))
        self._show_accuracy()

    @Slot(object)
    def _on_readings(self, readings: object) -> None:
        if self._closing or not isinstance(readings, Readings) or readings.predictor is not self._state.predictor:
            return  # stopped, or read by a model no longer used for drawing
        if self._answers_model is not readings.predictor:
            self._answers = {}
            self._answers_model = readings.predictor
        self._answers.update(readings.answers)
        self.model.set_answers(self._answers)
        self._show_accuracy()
        if self.model.unread():
            self._read_unread()   # digits kept while it was reading

    @Slot(str)
    def _on_readings_failed(self, message: str) -> None:
        self.accuracy_label.setText(self.tr("The drawing model could not read your digits: {message}").format(message=message))

    def _show_accuracy(self) -> None:
        predictor = self._state.predictor
        total = len(self.model.digits())
        if total == 0:
            self.accuracy_label.setText("")
        elif predictor is None:
            self.accuracy_label.setText(self.tr("Once a model is loaded for drawing, its accuracy on your digits shows here."))
        else:
            right, read = self.model.score()
            name = model_label(self._state, predictor)
            if read < total:
                self.accuracy_label.setText(self.tr("{model} is reading your digits…").format(model=name[0].upper() + name[1:]))
            else:
                wrong = read - right
                marked = self.tr("; {wrong} misread, marked in red").format(wrong=format_count(wrong)) if wrong else ""
                self.accuracy_label.setText(
                    self.tr("{model} reads {percent} of your {read} right{marked}.").format(model=name[0].upper() + name[1:], percent=format_percent(right / read, 1), read=_digits_text(read), marked=marked)
                )

    # ------------------------------------------------------------------ UI reactions

    @Slot(int, bool)
    def _on_filter_toggled(self, _label: int, checked: bool) -> None:
        if checked:
            self._on_filter_changed()

    @Slot()
    def _on_filter_changed(self) -> None:
        selected = set(self.selected_ids())
        label = self.filter_group.checkedId()
        self.model.set_filter(None if label == ALL else label, misread_only=self.misread_only.isChecked())
        self._reselect(selected)

    @Slot()
    def _on_selection_changed(self) -> None:
        self._update_actions()

    @Slot(QPoint)
    def _on_context_menu(self, position: QPoint) -> None:
        if not self.selected_ids():
            return
        menu = QMenu(self)
        menu.addMenu(self._relabel_menu(menu))
        menu.addAction(self.tr("Delete"), self.delete_selected)
        menu.exec(self.gallery.viewport().mapToGlobal(position))
        menu.deleteLater()   # a menu per right-click, not kept for the tab's lifetime

    @Slot()
    def _on_import_folder_clicked(self) -> None:
        folder = self._files.open_folder(self, self.tr("Import digits from a folder with subfolders 0-9"))
        if folder is not None:
            self.import_path(folder)

    @Slot()
    def _on_import_file_clicked(self) -> None:
        path = self._files.open_file(self, self.tr("Import digits from an .npz file"), QCoreApplication.translate("MyDigitsTab", NPZ_FILTER))
        if path is not None:
            self.import_path(path)

    @Slot()
    def _on_export_npz(self) -> None:
        path = self._files.save_file(self, self.tr("Export your digits"), QCoreApplication.translate("MyDigitsTab", NPZ_FILTER), "my-digits.npz")
        if path is not None:
            self.export_path(path if path.suffix.lower() == ".npz" else path.with_name(f"{path.name}.npz"), "npz")

    @Slot()
    def _on_export_png(self) -> None:
        folder = self._files.save_file(
            self, self.tr("Export your digits as PNG images into a new folder"), QCoreApplication.translate("MyDigitsTab", FOLDER_FILTER), "my-digits")
        if folder is not None:
            self.export_path(folder, "png")

    @Slot()
    def _on_export_idx(self) -> None:
        folder = self._files.save_file(
            self, self.tr("Export your digits as IDX files into a folder"), QCoreApplication.translate("MyDigitsTab", FOLDER_FILTER), "my-digits-idx")
        if folder is not None:
            self.export_path(folder, "idx")

    # ------------------------------------------------------------------ helpers

    def _selected_rows(self) -> list[int]:
        return sorted(index.row() for index in self.gallery.selectionModel().selectedIndexes())

    def _reselect(self, ids: set[int]) -> None:
        """Keep the user's selection across a re-listing or a new filter."""
        selection = self.gallery.selectionModel()
        for digit_id in ids:
            row = self.model.row_of(digit_id)
            if row is not None:
                selection.select(self.model.index(row), QItemSelectionModel.SelectionFlag.Select)
        self._update_actions()

    def _push_undo(self, step: _Undo) -> None:
        self._undo.append(step)
        self._show_notice(step.done, undo=True)

    def _show_notice(self, text: str, *, undo: bool = False, error: bool = False) -> None:
        set_style_property(self.notice_bar, "kind", "error" if error else "info")
        self.notice_label.setText(text)
        self.notice_label.setToolTip("")
        self.undo_button.setVisible(undo and bool(self._undo))
        self.notice_bar.show()

    def _update_actions(self) -> None:
        busy = self._importing or self._exporting
        has_digits = bool(self.model.digits())
        selected = bool(self.gallery.selectionModel().selectedIndexes())
        self.import_folder_button.setEnabled(not self._importing)
        self.import_file_button.setEnabled(not self._importing)
        self.export_button.setEnabled(has_digits and not busy)
        self.relabel_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)


def _digits_text(count: int) -> str:
    """ "1 digit", "1,200 digits"."""
    if count == 1:
        return QCoreApplication.translate("MyDigitsTab", "1 digit")
    return QCoreApplication.translate("MyDigitsTab", "{count} digits").format(count=format_count(count))
