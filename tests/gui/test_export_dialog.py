"""The Models tab's Export dialog with real clicks: format, destination, the export on a worker,
Cancel, and what the result, a warning or an error say.

The tiny "seven" model of the Models-tab fixtures exports in well under a second as LiteRT or a
SavedModel (ONNX, through tf2onnx, takes a few), so the exports here are real, checked ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from digitpad.core import export
from digitpad.core.export import ExportFormat
from digitpad.gui.app_state import AppState
from digitpad.gui.export_dialog import (
    FORMAT_READERS,
    SETTINGS_EXPORT_DIR,
    ExportDialog,
    difference_text,
    with_format_suffix,
)
from digitpad.gui.models_tab import ModelsTab
from tests.gui.models_helpers import CTRL, click_row, settle

EXPORT_TIMEOUT_MS = 120_000


def left_click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def open_export(tab: ModelsTab, qtbot: QtBot, name: str = "seven") -> ExportDialog:
    """Select `name` and press Export… in the toolbar: the dialog it opens."""
    click_row(tab, name)
    assert tab.export_button.isEnabled()
    left_click(tab.export_button)
    dialog = tab.findChild(ExportDialog, "exportDialog")
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def export_and_wait(dialog: ExportDialog, qtbot: QtBot) -> None:
    with qtbot.waitSignal(dialog.exportFinished, timeout=EXPORT_TIMEOUT_MS):
        left_click(dialog.export_button)


def choose(dialog: ExportDialog, format: ExportFormat) -> None:
    button = dialog.format_buttons[format]
    # On the circle: a radio button stretched across its card takes clicks on its circle and text only.
    QTest.mouseClick(button, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(8, button.height() // 2))
    assert dialog.selected_format() == format


# ------------------------------------------------------------------------------ opening


def test_export_is_offered_for_one_usable_model(tab: ModelsTab, state: AppState) -> None:
    action = next(a for a in tab.table.actions() if a.text() == "Export…")
    assert not tab.export_button.isEnabled() and not action.isEnabled()
    click_row(tab, "seven")
    assert tab.export_button.isEnabled() and action.isEnabled()
    click_row(tab, "one", CTRL)
    assert not tab.export_button.isEnabled(), "two models selected"
    (state.library.root / "garbage.keras").write_bytes(b"not a model")
    state.libraryChanged.emit()
    settle(tab)
    click_row(tab, "garbage")
    assert not tab.export_button.isEnabled(), "an unreadable file cannot be exported"


def test_the_dialog_suggests_a_destination_for_each_format(tab: ModelsTab, qtbot: QtBot) -> None:
    dialog = open_export(tab, qtbot)
    assert dialog.isVisible() and dialog.isModal()
    assert dialog.title.text() == "Export “seven” for other programs"
    readers = [label.text() for label in dialog.findChildren(QLabel, "exportFormatReader")]
    assert readers == list(FORMAT_READERS.values())
    assert dialog.selected_format() == "onnx"
    assert dialog.destination_path() == Path.home() / "seven.onnx"
    choose(dialog, "litert")
    assert dialog.destination_path() == Path.home() / "seven.tflite"
    assert dialog.destination_hint.text() == "A .tflite file."
    choose(dialog, "saved-model")
    assert dialog.destination_path() == Path.home() / "seven"
    assert "folder" in dialog.destination_hint.text()
    choose(dialog, "onnx")
    assert dialog.destination_path() == Path.home() / "seven.onnx"
    assert dialog.export_button.isEnabled() and not dialog.cancel_button.isVisible()
    assert not dialog.progress.isVisible() and not dialog.notice.isVisible()
    left_click(dialog.close_button)
    assert not dialog.isVisible()


def test_choose_asks_where_and_adds_the_suffix(
    tab: ModelsTab, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, str]] = []

    def save_file_name(_parent: QWidget, title: str, start: str, name_filter: str) -> tuple[str, str]:
        asked.append((title, start))
        assert name_filter == "LiteRT models (*.tflite)"
        return str(tmp_path / "exports" / "digits"), name_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_file_name))
    dialog = open_export(tab, qtbot)
    choose(dialog, "litert")
    left_click(dialog.choose_button)
    assert asked == [("Export as LiteRT", str(Path.home() / "seven.tflite"))]
    assert dialog.destination_path() == tmp_path / "exports" / "digits.tflite"


# ---------------------------------------------------------------------------- exporting


def test_export_writes_a_checked_file_and_says_how_close_it_is(
    tab: ModelsTab, state: AppState, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = open_export(tab, qtbot)
    choose(dialog, "litert")
    out = tmp_path / "new folder" / "seven.tflite"
    dialog.destination.clear()
    QTest.keyClicks(dialog.destination, str(out))
    export_and_wait(dialog, qtbot)
    assert out.is_file()
    text = dialog.summary.text()
    assert f"Written to <b>{out}</b>" in text
    assert "Show in folder" in text
    assert "Checked on 256 held-out digits: largest difference " in text
    assert "from digitpad's answers" in text
    assert dialog.status.text() == "Exported as LiteRT."
    assert not dialog.notice.isVisible(), "the tiny model's export gives digitpad's answers"
    assert not dialog.progress.isVisible() and not dialog.cancel_button.isVisible()
    assert dialog.export_button.isEnabled()
    assert state.settings.value(SETTINGS_EXPORT_DIR) == str(out.parent), "the next export starts there"


def test_a_difference_above_the_tolerance_is_a_warning(
    tab: ModelsTab, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "TOLERANCE", -1.0)  # any answer now counts as too far
    dialog = open_export(tab, qtbot)
    choose(dialog, "saved-model")
    export_and_wait(dialog, qtbot)
    assert (Path.home() / "seven" / "saved_model.pb").is_file()
    assert dialog.notice.isVisible() and dialog.notice.property("kind") == "warning"
    assert "check the export's answers before relying on it" in dialog.notice.text()


def test_cancel_stops_the_export_and_writes_nothing(tab: ModelsTab, qtbot: QtBot) -> None:
    dialog = open_export(tab, qtbot)
    with qtbot.waitSignal(dialog.exportFinished, timeout=EXPORT_TIMEOUT_MS):
        left_click(dialog.export_button)
        assert dialog.is_exporting() and dialog.cancel_button.isVisible() and not dialog.close_button.isVisible()
        assert not dialog.export_button.isEnabled() and not dialog.destination.isEnabled()
        left_click(dialog.cancel_button)
        assert dialog.status.text() == "Cancelling…"
    assert dialog.status.text() == "Export cancelled: nothing was written."
    assert [path.name for path in Path.home().iterdir() if "seven" in path.name] == []
    assert dialog.isVisible() and dialog.export_button.isEnabled()


def test_closing_the_dialog_during_an_export_cancels_it_first(tab: ModelsTab, qtbot: QtBot) -> None:
    dialog = open_export(tab, qtbot)
    with qtbot.waitSignal(dialog.exportFinished, timeout=EXPORT_TIMEOUT_MS):
        left_click(dialog.export_button)
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.isVisible(), "it stays until the worker has stopped"
    assert not dialog.isVisible()
    assert not (Path.home() / "seven.onnx").exists()


def test_closing_the_window_during_an_export_joins_the_worker(tab: ModelsTab, qtbot: QtBot) -> None:
    dialog = open_export(tab, qtbot)
    left_click(dialog.export_button)
    assert dialog.is_exporting()
    tab.shutdown()
    assert not dialog.is_exporting()
    assert not (Path.home() / "seven.onnx").exists()


# ------------------------------------------------------------------------------- errors


def test_a_missing_package_says_what_to_pip_install(
    tab: ModelsTab, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "_installed", lambda module: module != "tf2onnx")
    dialog = open_export(tab, qtbot)
    assert dialog.notice.isVisible() and dialog.notice.property("kind") == "error"
    assert dialog.notice.text() == "Exporting to ONNX needs tf2onnx: pip install tf2onnx"
    assert not dialog.export_button.isEnabled()
    choose(dialog, "litert")
    assert not dialog.notice.isVisible() and dialog.export_button.isEnabled()


def test_a_folder_in_use_is_refused_before_any_work(tab: ModelsTab, qtbot: QtBot) -> None:
    (Path.home() / "seven").mkdir()
    (Path.home() / "seven" / "notes.txt").write_text("mine")
    dialog = open_export(tab, qtbot)
    choose(dialog, "saved-model")
    left_click(dialog.export_button)
    assert not dialog.is_exporting()
    assert dialog.notice.property("kind") == "error"
    assert "already exists; a SavedModel needs a new or empty folder" in dialog.notice.text()
    assert (Path.home() / "seven" / "notes.txt").read_text() == "mine"


def test_an_existing_file_is_replaced_only_when_confirmed(
    tab: ModelsTab, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = Path.home() / "seven.tflite"
    existing.write_bytes(b"an older export")
    questions: list[str] = []

    def answer_no(_parent: QWidget, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        questions.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer_no))
    dialog = open_export(tab, qtbot)
    choose(dialog, "litert")
    left_click(dialog.export_button)
    assert questions == [f"seven.tflite already exists in {Path.home()}. Replace it?"]
    assert not dialog.is_exporting()
    assert existing.read_bytes() == b"an older export"


def test_a_model_gone_from_disk_fails_in_one_sentence(tab: ModelsTab, state: AppState, qtbot: QtBot) -> None:
    dialog = open_export(tab, qtbot)
    choose(dialog, "litert")
    (state.library.root / "seven.keras").unlink()
    export_and_wait(dialog, qtbot)
    assert dialog.status.text() == "Export failed."
    assert dialog.notice.property("kind") == "error"
    message = dialog.notice.text()
    assert "seven.keras" in message and "\n" not in message and not message.startswith("Unexpected")
    assert not (Path.home() / "seven.tflite").exists()


# --------------------------------------------------------------------------- wording


@pytest.mark.parametrize(
    ("difference", "text"), [(0.0, "0"), (2.384e-7, "2.4e-7"), (1.2e-5, "1.2e-5"), (0.0312, "0.031"), (1.0, "1")]
)
def test_differences_read_as_people_write_them(difference: float, text: str) -> None:
    assert difference_text(difference) == text


def test_a_new_format_renames_the_destination() -> None:
    assert with_format_suffix(Path("/a/seven.onnx"), "onnx", "litert") == Path("/a/seven.tflite")
    assert with_format_suffix(Path("/a/seven.tflite"), "litert", "saved-model") == Path("/a/seven")
    assert with_format_suffix(Path("/a/seven"), "saved-model", "onnx") == Path("/a/seven.onnx")
    assert with_format_suffix(Path("/a/mine.bin"), "onnx", "litert") == Path("/a/mine.bin.tflite")
