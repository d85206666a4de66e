"""The "Test set:" row, and the controls around it: measure on a built-in test set or one's own.

Comparing models and evaluating one both ask which images to measure on; one widget asks the
same way in both places and remembers the last folder it opened.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from digitpad.gui.i18n import QT_TRANSLATE_NOOP
from digitpad.gui.widgets import RememberingFileDialog, named

BUILTIN_SOURCES = ((QT_TRANSLATE_NOOP("TestSourcePicker", "MNIST test set"), "mnist"), (QT_TRANSLATE_NOOP("TestSourcePicker", "Fashion-MNIST test set"), "fashion-mnist"))
TEST_FILE_FILTER = QT_TRANSLATE_NOOP("TestSourcePicker", "NumPy datasets (*.npz);;All files (*)")
SETTINGS_TEST_DIR = "models/lastTestSetDirectory"
PROGRESS_STEPS = 1000


class TestSourcePicker(QWidget):
    """A combo of test sets plus File… and Folder…; `source()` is what `load_test_set` reads.

    `settings_key` keeps the choice between sessions (a file that has gone is forgotten);
    `prefix` names the child widgets for tests and style sheets ("compare" → "compareDataset").
    """

    sourceChanged = Signal(str)

    __test__ = False  # a widget, not a pytest test class, despite its name

    def __init__(self, settings: QSettings, settings_key: str, prefix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._settings_key = settings_key
        self._files = RememberingFileDialog(settings, SETTINGS_TEST_DIR)
        self.combo = named(QComboBox(), f"{prefix}Dataset")
        self.combo.setMinimumContentsLength(22)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        for label, source in BUILTIN_SOURCES:
            self.combo.addItem(QCoreApplication.translate("TestSourcePicker", label), source)
        last = str(settings.value(settings_key, "") or "")
        if last in dict(BUILTIN_SOURCES).values() or (last and Path(last).exists()):
            self.set_source(last)
        self.combo.currentIndexChanged.connect(self._on_index_changed)
        self.file_button = named(QPushButton(self.tr("File…")), f"{prefix}FileButton")
        self.file_button.setToolTip(self.tr("A .npz file holding x_test/y_test (or x/y), uint8 28×28 digits"))
        self.file_button.clicked.connect(self._on_choose_file)
        self.folder_button = named(QPushButton(self.tr("Folder…")), f"{prefix}FolderButton")
        self.folder_button.setToolTip(self.tr("An IDX folder, or a folder of images with one subfolder per label 0-9"))
        self.folder_button.clicked.connect(self._on_choose_folder)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Test set:")))
        row.addWidget(self.combo, 1)
        row.addWidget(self.file_button)
        row.addWidget(self.folder_button)

    def source(self) -> str:
        return str(self.combo.currentData())

    def remember(self) -> None:
        """Keep the current choice for the next session (called when it is used)."""
        self._settings.setValue(self._settings_key, self.source())

    def set_source(self, source: str | Path) -> None:
        """Selects a built-in name or a file/folder, adding it to the combo once."""
        text = str(source)
        index = self.combo.findData(text)
        if index < 0:
            path = Path(text)
            self.combo.addItem(f"{path.name}  ({path.parent})", text)
            index = self.combo.count() - 1
            self.combo.setItemData(index, text, Qt.ItemDataRole.ToolTipRole)
        self.combo.setCurrentIndex(index)

    def set_busy(self, busy: bool) -> None:
        for widget in (self.combo, self.file_button, self.folder_button):
            widget.setEnabled(not busy)

    @Slot(int)
    def _on_index_changed(self, _index: int) -> None:
        self.sourceChanged.emit(self.source())

    @Slot()
    def _on_choose_file(self) -> None:
        path = self._files.open_file(self, self.tr("Choose a test set"), QCoreApplication.translate("TestSourcePicker", TEST_FILE_FILTER))
        if path is not None:
            self.set_source(path)

    @Slot()
    def _on_choose_folder(self) -> None:
        path = self._files.open_folder(self, self.tr("Choose a test-set folder"))
        if path is not None:
            self.set_source(path)


class TestSetControls(QWidget):
    """The picker, Evaluate and Cancel, a one-line status and a thin progress bar: what every
    "measure on a test set" page shows while its owner runs the job on a worker.

    The owner connects `evaluate_button` and `cancel_button` to its own slots and reports with
    `show_started`, `show_progress`, `show_finished` and `set_running`.
    """

    __test__ = False

    def __init__(self, settings: QSettings, settings_key: str, prefix: str, idle_text: str, *,
                 one_row: bool = False, parent: QWidget | None = None) -> None:
        """`one_row` puts Evaluate and Cancel beside the picker and the status under them, for
        pages whose results need every pixel of height."""
        super().__init__(parent)
        self.picker = TestSourcePicker(settings, settings_key, prefix)
        self.evaluate_button = named(QPushButton(self.tr("Evaluate")), f"{prefix}EvaluateButton")
        self.evaluate_button.setProperty("primary", True)
        self.cancel_button = named(QPushButton(self.tr("Cancel")), f"{prefix}CancelButton")
        self.cancel_button.setEnabled(False)
        self.status = named(QLabel(idle_text), f"{prefix}Status")
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.progress = named(QProgressBar(), f"{prefix}Progress")
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if one_row:
            row = QHBoxLayout()
            row.addWidget(self.picker, 1)
            row.addWidget(self.evaluate_button)
            row.addWidget(self.cancel_button)
            layout.addLayout(row)
            layout.addWidget(self.status)
        else:
            run_row = QHBoxLayout()
            run_row.addWidget(self.evaluate_button)
            run_row.addWidget(self.cancel_button)
            run_row.addSpacing(8)
            run_row.addWidget(self.status, 1)
            layout.addWidget(self.picker)
            layout.addLayout(run_row)
        layout.addWidget(self.progress)

    def show_started(self, text: str) -> None:
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText(text)

    def show_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(round(PROGRESS_STEPS * fraction))
        self.status.setText(text)

    def show_finished(self) -> None:
        self.progress.hide()

    def set_running(self, running: bool, *, can_start: bool) -> None:
        """Evaluate while idle (and `can_start`), Cancel while running, the picker locked meanwhile."""
        self.evaluate_button.setEnabled(can_start and not running)
        self.cancel_button.setEnabled(running)
        self.picker.set_busy(running)
