"""The Models tab's "Export…" dialog: one model written as ONNX, LiteRT or a TensorFlow SavedModel.

`digitpad.core.export.export_model` does the work (Keras' exporters, then a check of the
artefact by its own runtime against digitpad's answers); this dialog chooses the format and the
destination, runs the job (`export_job`) in the engine process (`core.engine`: Keras never loads
in the window's) behind a `BackgroundTask` with progress and Cancel, and reads the result back
in the user's terms: where it went, how big it is, and how far its answers are from digitpad's.
Nothing slow happens on the GUI thread: the checks made before starting (`check_export_target`)
only look at the file system and at which packages are installed.
"""

from __future__ import annotations

import html
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core import export
from digitpad.core.engine import Engine, EngineJob
from digitpad.core.errors import DigitpadError
from digitpad.core.export import (
    EXPORT_FORMATS,
    FORMAT_NAMES,
    FORMAT_SUFFIXES,
    ExportFormat,
    ExportResult,
    check_export_target,
)
from digitpad.core.model_jobs import JobProgress
from digitpad.gui import style
from digitpad.gui.i18n import QT_TRANSLATE_NOOP, decimal_sign, format_count, format_duration, format_size
from digitpad.gui.model_table import ModelRow
from digitpad.gui.widgets import RememberingFileDialog, card, muted_label, named, set_style_property
from digitpad.gui.workers import BackgroundTask

SETTINGS_EXPORT_DIR = "models/lastExportDirectory"
PROGRESS_STEPS = 1000
DIALOG_WIDTH = 600
# Who reads each format, in one line: what a person choosing between them needs to know.
FORMAT_READERS: dict[ExportFormat, str] = {
    "onnx": QT_TRANSLATE_NOOP("ExportDialog", "For ONNX Runtime: Python, C#, C++, Java and web pages."),
    "litert": QT_TRANSLATE_NOOP("ExportDialog", "For Android, iOS and microcontrollers (LiteRT is TensorFlow Lite renamed)."),
    "saved-model": QT_TRANSLATE_NOOP("ExportDialog", "For TensorFlow itself: TensorFlow Serving, tf.saved_model.load, TensorFlow.js."),
}
# What the destination is, under the path field.
DESTINATION_HINTS: dict[ExportFormat, str] = {
    "onnx": QT_TRANSLATE_NOOP("ExportDialog", "A .onnx file."),
    "litert": QT_TRANSLATE_NOOP("ExportDialog", "A .tflite file."),
    "saved-model": QT_TRANSLATE_NOOP("ExportDialog", "A new folder, or an empty one: a SavedModel is several files."),
}
_FILE_FILTERS: dict[ExportFormat, str] = {
    "onnx": QT_TRANSLATE_NOOP("ExportDialog", "ONNX models (*.onnx)"),
    "litert": QT_TRANSLATE_NOOP("ExportDialog", "LiteRT models (*.tflite)"),
    "saved-model": QT_TRANSLATE_NOOP("ExportDialog", "SavedModel folder (*)"),
}


def difference_text(difference: float) -> str:
    """A largest difference as people write it: "2.4e-7", "0.031", "0"."""
    if difference == 0:
        return "0"
    if difference >= 1e-3:
        return decimal_sign(f"{difference:.2g}")
    mantissa, exponent = f"{difference:.1e}".split("e")
    return decimal_sign(f"{mantissa}e{int(exponent)}")


def with_format_suffix(path: Path, old: ExportFormat, new: ExportFormat) -> Path:
    """`path` renamed for another format: "seven.onnx" → "seven.tflite" → "seven" (a folder)."""
    name = path.name
    old_suffix = FORMAT_SUFFIXES.get(old, "")
    if old_suffix and name.endswith(old_suffix) and len(name) > len(old_suffix):
        name = name[: -len(old_suffix)]
    return path.with_name(name + FORMAT_SUFFIXES.get(new, ""))


class ExportDialog(QDialog):
    """`set_model(row)` then `open()`; Export runs on a worker, Cancel stops it between steps.

    Closing the dialog during an export cancels it and closes once the worker has stopped (the
    core writes nothing until its check has passed). `shutdown()` stops and joins the worker.
    `exportFinished` follows every export's outcome, once its worker has ended. `engine` runs
    the export: the window's (`AppState.engine`); without one (a dialog on its own), this process.
    """

    exportFinished = Signal()

    def __init__(self, settings: QSettings, parent: QWidget | None = None, *, engine: Engine) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self._engine = engine
        self.setStyleSheet(style.EXPORT_DIALOG_STYLESHEET)
        self.setMinimumWidth(DIALOG_WIDTH)
        self._files = RememberingFileDialog(settings, SETTINGS_EXPORT_DIR)
        self._row: ModelRow | None = None
        self._format: ExportFormat = EXPORT_FORMATS[0]
        self._confirmed: Path | None = None  # a destination whose replacement the user already accepted
        self._close_when_stopped = False
        self._stopping = False  # Cancel pressed: progress reports still queued are not shown
        self._task = BackgroundTask(self)
        self._task.progressed.connect(self._on_progress)
        self._task.succeeded.connect(self._on_succeeded)
        self._task.failed.connect(self._on_failed)
        self._task.cancelled.connect(self._on_cancelled)
        self._task.finished.connect(self._on_finished)

        self.title = named(QLabel(), "exportTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        format_card, format_layout = card(self.tr("Format"))
        self.format_buttons: dict[ExportFormat, QRadioButton] = {}
        self._format_group = QButtonGroup(self)
        for format in EXPORT_FORMATS:
            button = named(QRadioButton(FORMAT_NAMES[format]), f"exportFormat-{format}")
            self.format_buttons[format] = button
            self._format_group.addButton(button)
            button.toggled.connect(self._on_format_toggled)
            reader = named(muted_label(QCoreApplication.translate("ExportDialog", FORMAT_READERS[format])), "exportFormatReader")
            reader.setContentsMargins(22, 0, 0, 0)  # under the radio's text, not its circle
            reader.setWordWrap(False)  # one line: a wrapped label would be squeezed when progress shows
            choice = QVBoxLayout()  # a format and its line stay together, apart from the next
            choice.setSpacing(0)
            choice.addWidget(button)
            choice.addWidget(reader)
            format_layout.addLayout(choice)

        destination_card, destination_layout = card(self.tr("Destination"))
        self.destination = named(QLineEdit(), "exportDestination")
        self.destination.textEdited.connect(self._on_destination_edited)
        self.choose_button = named(QPushButton(self.tr("Choose…")), "exportChooseButton")
        self.choose_button.clicked.connect(self.choose_destination)
        row = QHBoxLayout()
        row.addWidget(self.destination, 1)
        row.addWidget(self.choose_button)
        destination_layout.addLayout(row)
        self.destination_hint = named(muted_label(""), "exportDestinationHint")
        destination_layout.addWidget(self.destination_hint)

        self.status = named(QLabel(), "exportStatus")
        self.progress = named(QProgressBar(), "exportProgress")
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.cancel_button = named(QPushButton(self.tr("Cancel")), "exportCancelButton")
        self.cancel_button.setToolTip(self.tr("Stop the export; nothing is written"))
        self.cancel_button.clicked.connect(self.cancel)

        self.summary = named(QLabel(), "exportSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.summary.setOpenExternalLinks(False)
        self.summary.linkActivated.connect(self._on_summary_link)
        self.notice = named(QLabel(), "exportNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.export_button = named(QPushButton(self.tr("Export")), "exportButton")
        self.export_button.setProperty("primary", True)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.close_button = named(QPushButton(self.tr("Close")), "exportCloseButton")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)  # in Close's place while exporting, never where Export was
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(format_card)
        layout.addWidget(destination_card)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.notice)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.format_buttons[self._format].setChecked(True)
        self._show_idle()

    # ------------------------------------------------------------------ setup

    def set_model(self, row: ModelRow) -> None:
        """The model to export; the destination is suggested anew next to the last export."""
        if self._task.is_running():
            return
        self._row = row
        self.setWindowTitle(self.tr("Export {display_name} — digitpad").format(display_name=row.display_name))
        self.title.setText(self.tr("Export “{display_name}” for other programs").format(display_name=row.display_name))
        self._confirmed = None
        self.status.clear()
        stem = row.name.replace(" ", "-")  # the shipped model's name has a space; file names read better without
        self._set_destination(Path(self._files.start_folder()) / (stem + FORMAT_SUFFIXES.get(self._format, "")))
        self._clear_outcome()
        self._show_idle()

    def selected_format(self) -> ExportFormat:
        return self._format

    def destination_path(self) -> Path | None:
        """The destination typed or chosen; a relative path is taken from the last export's folder."""
        text = self.destination.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        return path if path.is_absolute() else Path(self._files.start_folder()) / path

    def is_exporting(self) -> bool:
        return self._task.is_running()

    # ---------------------------------------------------------------- actions

    @Slot()
    def choose_destination(self) -> None:
        """A save dialog for a file format; for a SavedModel it names the new folder."""
        current = self.destination_path()
        path = self._files.save_file(self, self.tr("Export as {value}").format(value=FORMAT_NAMES[self._format]), QCoreApplication.translate("ExportDialog", _FILE_FILTERS[self._format]),
                                     current.name if current is not None else "")
        if path is None:
            return
        suffix = FORMAT_SUFFIXES.get(self._format, "")
        if suffix and path.suffix != suffix:
            path = path.with_name(path.name + suffix)
        self._confirmed = path if path.is_file() else None  # the file dialog asked before replacing it
        self._set_destination(path)

    @Slot()
    def start_export(self) -> None:
        """Check the destination and the packages here (instant), then export on the worker."""
        if self._row is None or self._task.is_running():
            return
        self._clear_outcome()
        path = self.destination_path()
        if path is None:
            self._show_notice("error", self.tr("Choose where to write the export."))
            return
        try:
            path = check_export_target(self._format, path)
        except DigitpadError as error:
            self._show_notice("error", str(error))
            return
        if path.is_file() and path != self._confirmed and not self._replace_confirmed(path):
            return
        self.status.setText(self.tr("Loading {display_name}…").format(display_name=self._row.display_name))
        self.progress.setValue(0)
        self._stopping = False
        self._task.start(EngineJob(self._engine, partial(export.export_job, self._row.path, self._format, path)))
        self._show_running()

    @Slot()
    def cancel(self) -> None:
        if self._task.is_running():
            self._task.request_stop()
            self._stopping = True
            self.status.setText(self.tr("Cancelling…"))
            self.cancel_button.setEnabled(False)

    def reject(self) -> None:
        """Escape or the window's close button: an export in progress is cancelled first."""
        if self._task.is_running():
            self._close_when_stopped = True
            self.cancel()
            return
        super().reject()

    def shutdown(self) -> None:
        """Stop and join the export (the window is closing); nothing half-written is left."""
        self._task.stop_and_wait()
        self.close()

    # ------------------------------------------------------------ worker slots

    @Slot(object)
    def _on_progress(self, update: object) -> None:
        if isinstance(update, JobProgress) and not self._stopping:
            self.progress.setValue(round(PROGRESS_STEPS * update.fraction))
            self.status.setText(update.text)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        if not isinstance(result, ExportResult):
            return
        folder = result.out.parent
        self._files.remember(folder)  # the next export is suggested beside this one
        link = QUrl.fromLocalFile(str(folder)).toString()
        self.summary.setText(
            self.tr('Written to <b>{value}</b> ({bytes}, {seconds}) · <a href="{link}">Show in folder</a><br>Checked on {images} held-out digits: largest difference {max_abs_difference} from digitpad\'s answers.').format(value=html.escape(str(result.out)), bytes=format_size(result.bytes), seconds=format_duration(result.seconds), link=html.escape(link), images=format_count(result.images), max_abs_difference=difference_text(result.max_abs_difference))
        )
        self.summary.show()
        if not result.within_tolerance:
            self._show_notice(
                "warning",
                self.tr("⚠ That is more than the {TOLERANCE:g} expected of the same model computed in another order: check the export's answers before relying on it.").format(TOLERANCE=export.TOLERANCE),
            )
        self.status.setText(self.tr("Exported as {value}.").format(value=FORMAT_NAMES[result.format]))

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.status.setText(self.tr("Export failed."))
        self._show_notice("error", message)

    @Slot()
    def _on_cancelled(self) -> None:
        self.status.setText(self.tr("Export cancelled: nothing was written."))

    @Slot()
    def _on_finished(self) -> None:
        self._show_idle()
        if self._close_when_stopped:
            self._close_when_stopped = False
            super().reject()
        self.exportFinished.emit()

    # ------------------------------------------------------------- GUI slots

    @Slot(bool)
    def _on_format_toggled(self, checked: bool) -> None:
        chosen = next((format for format, button in self.format_buttons.items() if button.isChecked()), None)
        if not checked or chosen is None or chosen == self._format:
            return
        old, self._format = self._format, chosen
        path = self.destination_path()
        if path is not None:
            self._confirmed = None
            self._set_destination(with_format_suffix(path, old, chosen))
        self.status.clear()
        self._clear_outcome()
        self._show_idle()

    @Slot(str)
    def _on_destination_edited(self, _text: str) -> None:
        self._confirmed = None
        self._clear_outcome()

    @Slot(str)
    def _on_summary_link(self, url: str) -> None:
        QDesktopServices.openUrl(QUrl(url))

    # ---------------------------------------------------------------- helpers

    def _replace_confirmed(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Replace file"), self.tr("{name} already exists in {parent}. Replace it?").format(name=path.name, parent=path.parent),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _set_destination(self, path: Path) -> None:
        self.destination.setText(str(path))
        self.destination_hint.setText(QCoreApplication.translate("ExportDialog", DESTINATION_HINTS[self._format]))

    def _clear_outcome(self) -> None:
        self.summary.clear()
        self.summary.hide()
        self.notice.clear()
        self.notice.hide()

    def _show_notice(self, kind: str, text: str) -> None:
        set_style_property(self.notice, "kind", kind)
        self.notice.setText(text)
        self.notice.show()

    def _show_idle(self) -> None:
        """Idle: Export when the format's packages are installed; their absence is said at once."""
        self.progress.hide()
        self.cancel_button.hide()
        self.close_button.show()
        self.status.setVisible(bool(self.status.text()))
        try:
            export.missing_packages(self._format, raise_error=True)
            missing = False
        except DigitpadError as error:  # the sentence says what to pip install
            missing = True
            if not self.notice.isVisible():
                self._show_notice("error", str(error))
        for widget in (*self.format_buttons.values(), self.destination, self.choose_button):
            widget.setEnabled(True)
        self.export_button.setEnabled(self._row is not None and not missing)

    def _show_running(self) -> None:
        self.status.show()
        self.progress.show()
        self.close_button.hide()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        for widget in (*self.format_buttons.values(), self.destination, self.choose_button, self.export_button):
            widget.setEnabled(False)
