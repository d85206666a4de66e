"""The Models tab with real clicks: the library table, rename, delete, open, details, use.

Two tiny Keras models are built once per session (TensorFlow is imported once) and copied into
each test's own library, so renames and deletes never leak between tests. Their output biases
make one always answer 7 and the other always 1, which the comparison tests rely on.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QMessageBox, QTableWidget
from pytestqt.qtbot import QtBot

from digitpad.core.inference import Predictor
from digitpad.core.library import ModelLibrary
from digitpad.core.model_file import read_metadata
from digitpad.gui.app_state import AppState
from digitpad.gui.model_details import NO_METADATA
from digitpad.gui.model_table import (
    ACCURACY,
    ARCHITECTURE,
    COLUMNS,
    DATASET,
    DATE,
    FILE_SIZE,
    NAME,
    PARAMETERS,
    SHIPPED_NAME,
    TESTED_ON,
)
from digitpad.gui.models_tab import ModelsTab
from tests.gui.models_helpers import (
    CREATED,
    SEVEN_HISTORY,
    TinyModels,
    click,
    click_header,
    click_row,
    library_files,
    row_of,
    settle,
    table_texts,
)


def column_texts(table: QTableWidget, column: int) -> list[str]:
    """The text of every cell in one column of a report table."""
    texts = []
    for r in range(table.rowCount()):
        item = table.item(r, column)
        assert item is not None, (r, column)
        texts.append(item.text())
    return texts

# --------------------------------------------------------------------------------- table


def test_the_table_lists_library_models_with_their_columns(tab: ModelsTab, library: ModelLibrary, shipped: Path) -> None:
    rows = table_texts(tab)
    assert set(rows) == {"seven", "one", SHIPPED_NAME}
    seven = rows["seven"]
    assert seven[ARCHITECTURE] == "mlp"
    assert seven[DATASET] == "mnist"
    assert seven[ACCURACY] == "97.31 %"
    assert rows["one"][ACCURACY] == "11.35 %"
    assert seven[TESTED_ON] == "MNIST test, 10,000"
    assert rows["one"][TESTED_ON] == "mnist test split"
    assert seven[PARAMETERS] == "7,850"
    size = (library.root / "seven.keras").stat().st_size
    assert seven[FILE_SIZE] == (f"{size / 1024:.0f} KB" if size < 2**20 else f"{size / 2**20:.1f} MB")
    assert seven[DATE] == datetime.fromisoformat(CREATED).astimezone().strftime("%Y-%m-%d %H:%M")
    assert [tab.table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))] == [
        "Name", "Architecture", "Dataset", "Test accuracy", "Tested on", "Parameters", "File size", "Date"]


def test_clicking_a_header_sorts_numerically(tab: ModelsTab) -> None:
    click_header(tab, ACCURACY)
    first = [name for name in (tab.table.model().index(r, NAME).data() for r in range(3))]
    click_header(tab, ACCURACY)
    second = [name for name in (tab.table.model().index(r, NAME).data() for r in range(3))]
    accuracies = {"one": 11.35, "seven": 97.31, SHIPPED_NAME: 97.31}
    assert [accuracies[name] for name in first] == sorted(accuracies[name] for name in first)
    assert first[0] == "one" and second[-1] == "one"


def test_the_shipped_model_is_listed_read_only(tab: ModelsTab, qtbot: QtBot) -> None:
    click_row(tab, SHIPPED_NAME)
    row = tab.current_row()
    assert row is not None and row.shipped
    assert not tab.rename_button.isEnabled()
    assert not tab.delete_button.isEnabled()
    assert tab.use_button.isEnabled()
    index = tab.table.model().index(row_of(tab, SHIPPED_NAME), NAME)
    assert not (index.flags() & Qt.ItemFlag.ItemIsEditable)
    click_row(tab, "seven")
    assert tab.rename_button.isEnabled() and tab.delete_button.isEnabled()


def test_the_table_follows_library_changes_made_elsewhere(tab: ModelsTab, state: AppState, tiny_models: TinyModels) -> None:
    shutil.copy2(tiny_models.seven, state.library.root / "copied.keras")
    state.libraryChanged.emit()
    settle(tab)
    assert "copied" in table_texts(tab)


# -------------------------------------------------------------------------------- rename


def test_rename_with_the_dialog_renames_the_file_and_the_row(
    tab: ModelsTab, state: AppState, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("  lucky seven ", True))
    click_row(tab, "seven")
    with qtbot.waitSignal(state.libraryChanged):
        QTest.mouseClick(tab.rename_button, Qt.MouseButton.LeftButton)
    settle(tab)
    root = state.library.root
    assert not (root / "seven.keras").exists()
    assert (root / "lucky seven.keras").is_file()
    metadata = read_metadata(root / "lucky seven.keras")
    assert metadata is not None and metadata.name == "lucky seven"
    assert set(table_texts(tab)) == {"lucky seven", "one", SHIPPED_NAME}
    row = tab.current_row()
    assert row is not None and row.name == "lucky seven", "the renamed model stays selected"


def test_rename_inline_with_f2_and_typing(tab: ModelsTab, state: AppState, qtbot: QtBot) -> None:
    click_row(tab, "one", column=NAME)
    QTest.keyClick(tab.table, Qt.Key.Key_F2)
    editor = tab.table.viewport().findChild(QLineEdit)
    assert editor is not None and editor.text() == "one"
    editor.selectAll()
    QTest.keyClicks(editor, "uno")
    with qtbot.waitSignal(state.libraryChanged):
        QTest.keyClick(editor, Qt.Key.Key_Return)
    settle(tab)
    assert (state.library.root / "uno.keras").is_file()
    assert not (state.library.root / "one.keras").exists()
    assert "uno" in table_texts(tab) and "one" not in table_texts(tab)


def test_renaming_onto_an_existing_name_explains_and_keeps_both_models(
    tab: ModelsTab, library: ModelLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = library_files(library)
    messages: list[str] = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("seven", True))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: messages.append(text))
    click_row(tab, "one")
    click(tab, tab.rename_button)
    assert len(messages) == 1 and "seven" in messages[0] and "already exists" in messages[0]
    assert library_files(library) == before
    assert set(table_texts(tab)) == {"seven", "one", SHIPPED_NAME}


# -------------------------------------------------------------------------------- delete


def test_delete_asks_first_and_no_keeps_the_file(
    tab: ModelsTab, library: ModelLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    questions: list[str] = []

    def answer_no(parent, title, text, *rest):
        questions.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer_no)
    before = library_files(library)
    click_row(tab, "one")
    QTest.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert len(questions) == 1 and "one" in questions[0]
    assert library_files(library) == before
    assert "one" in table_texts(tab)


def test_delete_confirmed_removes_the_file_and_the_row(
    tab: ModelsTab, state: AppState, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    click_row(tab, "one")
    with qtbot.waitSignal(state.libraryChanged):
        QTest.keyClick(tab.table, Qt.Key.Key_Delete)
    settle(tab)
    assert not (state.library.root / "one.keras").exists()
    assert (state.library.root / "seven.keras").is_file()
    assert set(table_texts(tab)) == {"seven", SHIPPED_NAME}


def test_deleting_the_model_used_for_drawing_switches_to_the_shipped_one(
    tab: ModelsTab, state: AppState, shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    click_row(tab, "one")
    click(tab, tab.use_button)
    assert state.predictor is not None and Path(state.predictor.path).name == "one.keras"
    click(tab, tab.delete_button)
    assert state.predictor is not None and Path(state.predictor.path).resolve() == shipped.resolve()


# ---------------------------------------------------------------------------------- open


def test_opening_a_corrupt_file_shows_a_message_and_changes_nothing(
    tab: ModelsTab, library: ModelLibrary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corrupt = tmp_path / "broken.keras"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    messages: list[tuple[str, str]] = []
    monkeypatch.setattr("digitpad.gui.widgets.QFileDialog.getOpenFileName", lambda *args, **kwargs: (str(corrupt), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: messages.append((title, text)))
    before = library_files(library)
    click(tab, tab.open_button)
    assert len(messages) == 1
    title, text = messages[0]
    assert title == "Cannot open model"
    assert "broken.keras" in text
    assert library_files(library) == before
    assert set(table_texts(tab)) == {"seven", "one", SHIPPED_NAME}


def test_opening_a_plain_keras_file_imports_it_and_shows_it(
    tab: ModelsTab, library: ModelLibrary, tiny_models: TinyModels, state: AppState, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "digitpad.gui.widgets.QFileDialog.getOpenFileName", lambda *args, **kwargs: (str(tiny_models.plain), "")
    )
    # the import converts the file in a child process, which imports TensorFlow: seconds on a cold CI machine
    with qtbot.waitSignal(state.libraryChanged, timeout=90_000):
        QTest.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    settle(tab)
    assert (library.root / "plain.keras").is_file()
    rows = table_texts(tab)
    assert rows["plain"][ARCHITECTURE] == "plain Keras file"
    assert rows["plain"][PARAMETERS] == "7,850", "counted from the file's weights"
    assert rows["plain"][ACCURACY] == "—"
    row = tab.current_row()
    assert row is not None and row.name == "plain", "the imported model is selected"
    assert tab.details.field_text("architecture") == NO_METADATA
    assert tab.details.layers.rowCount() > 0


def test_a_corrupt_file_inside_the_library_is_listed_as_unreadable(tab: ModelsTab, state: AppState) -> None:
    (state.library.root / "garbage.keras").write_bytes(b"not a model")
    state.libraryChanged.emit()
    settle(tab)
    rows = table_texts(tab)
    assert rows["garbage"][ARCHITECTURE] == "unreadable file"
    click_row(tab, "garbage")
    assert not tab.use_button.isEnabled()
    assert tab.delete_button.isEnabled(), "a broken file can still be removed"
    problem = tab.details.findChild(QLabel, "detailsProblem")
    assert problem is not None and "garbage.keras" in problem.text()


def test_a_model_with_a_bad_description_is_listed_usable_and_explained(tab: ModelsTab, state: AppState) -> None:
    import json
    import zipfile

    source = state.library.root / "seven.keras"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(state.library.root / "odd.keras", "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "digitpad.json":
                data = json.dumps({**json.loads(data), "name": "odd", "architecture": "cnn",
                                   "test_metrics": [0.9]}).encode()
            copy.writestr(item, data)
    state.libraryChanged.emit()
    settle(tab)
    rows = table_texts(tab)
    assert rows["odd"][ACCURACY] == "—" and rows["seven"][ACCURACY] == "97.31 %"
    click_row(tab, "odd")
    assert tab.use_button.isEnabled(), "the model itself is fine"
    note = tab.details.findChild(QLabel, "detailsProblem")
    assert note is not None and note.isVisible()
    assert note.text() == "Its digitpad description had values of the wrong kind, left out: architecture, test_metrics."


# ------------------------------------------------------------------------------- details


def test_details_show_the_metadata_the_curves_and_the_layers(tab: ModelsTab, state: AppState) -> None:
    click_row(tab, "seven")
    details = tab.details
    assert details.field_text("architecture") == "mlp · dropout 0.25 · augmentation (rotation 0.04, shift 0.1, zoom 0.1)"
    assert details.field_text("hyperparameters") == "adam, learning rate 0.001 · 3 epochs · batch 32 · 10 % validation · seed 0"
    assert details.field_text("dataset") == "mnist"
    assert details.field_text("lineage") == "Trained from scratch"
    assert details.field_text("accuracy") == "97.31 % on MNIST test, 10,000"
    assert details.field_text("calibration") == (
        "temperature 1.24, calibration error 0.0085 → 0.0060 (MNIST validation split, 5,000)")
    assert details.field_text("loss") == "0.1234"
    assert details.field_text("macro_f1") == "0.9701"
    assert details.field_text("parameters") == "7,850"
    assert details.field_text("training_time") == "1 min 15 s (3 epochs)"
    import keras  # already imported by the session fixture

    assert f"Keras {keras.__version__}" in details.field_text("versions")
    x, y = details.curves.val_loss_item.getData()
    assert list(x) == [1.0, 2.0, 3.0] and list(y) == pytest.approx(SEVEN_HISTORY["val_loss"])
    _, accuracy = details.curves.train_accuracy_item.getData()
    assert list(accuracy) == pytest.approx([100 * a for a in SEVEN_HISTORY["accuracy"]])
    predictor = Predictor.load(state.library.root / "seven.keras")
    assert details.layers.rowCount() == len(predictor.layers)
    kinds = column_texts(details.layers, 1)
    assert "Dense" in kinds
    params = column_texts(details.layers, 3)
    assert "7,850" in params


def test_details_of_a_model_without_history_say_so(tab: ModelsTab) -> None:
    click_row(tab, "one")
    assert tab.details._curves_stack.currentWidget() is not tab.details.curves
    x, _ = tab.details.curves.val_loss_item.getData()
    assert x is None or len(x) == 0


# ----------------------------------------------------------------------------------- use


def test_use_for_drawing_hands_the_model_to_the_app(tab: ModelsTab, state: AppState, qtbot: QtBot) -> None:
    click_row(tab, "one")
    with qtbot.waitSignal(state.predictorChanged) as signal:
        QTest.mouseClick(tab.use_button, Qt.MouseButton.LeftButton)
    settle(tab)
    predictor = signal.args[0]
    assert Path(predictor.path).resolve() == (state.library.root / "one.keras").resolve()
    assert state.predictor is predictor
    assert table_texts(tab)["one"][NAME].endswith("●"), "the table marks the model in use"
    drawing = np.zeros((28, 28), np.float32)
    drawing[5:23, 13:15] = 1.0
    assert int(np.argmax(state.predictor.predict(drawing))) == 1


def test_renaming_the_model_in_use_keeps_drawing_with_it(
    tab: ModelsTab, state: AppState, monkeypatch: pytest.MonkeyPatch
) -> None:
    click_row(tab, "one")
    click(tab, tab.use_button)
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("ones", True))
    click(tab, tab.rename_button)
    assert state.predictor is not None and Path(state.predictor.path).name == "ones.keras"
    assert table_texts(tab)["ones"][NAME].endswith("●")


def test_status_messages_report_what_happened(tab: ModelsTab, state: AppState, qtbot: QtBot) -> None:
    click_row(tab, "seven")
    with qtbot.waitSignal(state.statusMessage) as signal:
        QTest.mouseClick(tab.use_button, Qt.MouseButton.LeftButton)
    assert "seven" in signal.args[0]


def test_details_show_where_a_fine_tuned_model_came_from(tab: ModelsTab) -> None:
    click_row(tab, "one")
    assert tab.details.field_text("lineage") == (
        "Fine-tuned from seven on 40 of your digits, 500 replayed MNIST digits\n"
        "your held-out digits (10): 50.00 % → 90.00 %")
