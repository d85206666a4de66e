"""The row that ends a training or a fine-tune: a name, "Save to library" and "Use for drawing".

The model arrives from the engine as a file, already converted for the drawing path (LiteRT);
saving copies it into the library under the chosen name, on a worker. It is never interrupted:
a stop waits for the file to be written. A model is saved once per name: editing
the name after a save offers to save another copy. "Use for drawing" saves first when needed,
then loads the saved file like any library model. The Train tab and the fine-tune panel both
use this row, so both behave alike.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from digitpad.core.library import LibraryEntry, ModelLibrary
from digitpad.core.run_log import RecordedRun, RunLog, save_and_note
from digitpad.core.workflows import TrainedModel
from digitpad.gui.app_state import AppState
from digitpad.gui.i18n import QT_TRANSLATE_NOOP
from digitpad.gui.widgets import named
from digitpad.gui.workers import BackgroundTask

SAVE_LABEL, SAVING_LABEL, SAVED_LABEL = QT_TRANSLATE_NOOP("LibrarySave", "Save to library"), QT_TRANSLATE_NOOP("LibrarySave", "Saving…"), QT_TRANSLATE_NOOP("LibrarySave", "Saved ✓")


def _save(trained: TrainedModel, library: ModelLibrary, name: str, run_log: RunLog, run_id: str | None,
          _progress: object, _stop: object) -> LibraryEntry:
    return save_and_note(trained, library, name, run_log, run_id)


class SaveToLibrary(QWidget):
    """Name, Save and Use for one trained model; `offer` it, `withdraw` it when a new run starts."""

    busyChanged = Signal(bool)     # a save started (True) or ended: the owner updates its buttons
    failed = Signal(str)           # the save failed: one sentence for the owner's error line
    saved = Signal(object)         # the LibraryEntry just written

    def __init__(self, state: AppState, *, prefix: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._trained: TrainedModel | None = None
        self._recorded: RecordedRun | None = None
        self._available = True
        self._saving = False
        self._use_after_save = False
        self._closed = False
        self.saved_entry: LibraryEntry | None = None

        self.name_edit = named(QLineEdit(), f"{prefix}NameEdit" if prefix else "modelNameEdit")
        self.name_edit.setPlaceholderText(self.tr("Model name"))
        self.name_edit.textEdited.connect(self._on_name_edited)
        self.save_button = named(QPushButton(SAVE_LABEL), f"{prefix}SaveButton" if prefix else "saveButton")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.use_button = named(QPushButton(self.tr("Use for drawing")), f"{prefix}UseButton" if prefix else "useButton")
        self.use_button.setProperty("primary", True)
        self.use_button.setToolTip(self.tr("Save the model if needed and recognise drawings with it right away."))
        self.use_button.clicked.connect(self._on_use_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name_edit, 1)
        layout.addWidget(self.save_button)
        layout.addWidget(self.use_button)

        self._task = BackgroundTask(self)
        self._task.succeeded.connect(self._on_saved)
        self._task.failed.connect(self._on_save_failed)
        self._update()

    # ---- the owner's side ---------------------------------------------------------------------

    def offer(self, trained: TrainedModel, name: str, recorded: RecordedRun | None = None) -> None:
        """A new model to save, under `name` unless the user types another; its run's record
        (`recorded`) will name the saved file."""
        self._trained = trained
        self._recorded = recorded
        self.saved_entry = None
        self.name_edit.setText(name)
        self.save_button.setText(SAVE_LABEL)
        self._update()

    def withdraw(self) -> None:
        """Nothing to save (a new run started); a save in progress still finishes its file."""
        self._trained = None
        self.saved_entry = None
        self._update()

    def set_available(self, on: bool) -> None:
        """Off while the owner runs a job: the model offered may be about to be replaced."""
        self._available = on
        self._update()

    def is_saving(self) -> bool:
        return self._saving

    def shutdown(self) -> None:
        """Wait for a save in progress: it is not interrupted, it ends with the file written;
        nobody is told about it any more."""
        self._closed = True
        self._task.stop_and_wait()

    # ---- save and use -------------------------------------------------------------------------

    @Slot()
    def _on_name_edited(self) -> None:
        # A new name after saving means "save another copy under this name".
        if self.saved_entry is not None:
            self.saved_entry = None
            self.save_button.setText(SAVE_LABEL)
            self._update()

    @Slot()
    def _on_save_clicked(self) -> None:
        self._start_save(use_after=False)

    @Slot()
    def _on_use_clicked(self) -> None:
        """Draw with the model: saved first (once), then loaded like any library model."""
        if self.saved_entry is not None:
            self._state.load_predictor(self.saved_entry.path)
        else:
            self._start_save(use_after=True)

    def _start_save(self, *, use_after: bool) -> None:
        trained = self._trained
        if trained is None or self._saving:
            return
        library = self._state.library
        name = self.name_edit.text().strip() or trained.metadata.name
        self._saving = True
        self._use_after_save = use_after
        self.save_button.setText(SAVING_LABEL)
        self._update()
        self.busyChanged.emit(True)
        run_id = self._recorded.id if self._recorded is not None else None
        self._task.start(partial(_save, trained, library, name, self._state.run_log, run_id))

    @Slot(object)
    def _on_saved(self, entry: object) -> None:
        self._saving = False
        if self._closed:
            return
        self.busyChanged.emit(False)
        if not isinstance(entry, LibraryEntry):
            return
        self.saved_entry = entry
        self.name_edit.setText(entry.name)
        self.save_button.setText(SAVED_LABEL)
        self._update()
        self._state.notify_library_changed()
        self._state.show_status(self.tr("Saved “{name}” to the library ({path}).").format(name=entry.name, path=entry.path))
        self.saved.emit(entry)
        if self._use_after_save:
            self._state.load_predictor(entry.path)

    @Slot(str)
    def _on_save_failed(self, message: str) -> None:
        self._saving = False
        if self._closed:
            return
        self.busyChanged.emit(False)
        self.save_button.setText(SAVE_LABEL)
        self._update()
        self.failed.emit(message)

    def _update(self) -> None:
        has_result = self._trained is not None and self._available and not self._saving
        self.save_button.setEnabled(has_result and self.saved_entry is None)
        self.use_button.setEnabled(has_result)
        self.name_edit.setEnabled(has_result)
