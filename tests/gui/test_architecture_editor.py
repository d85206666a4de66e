"""The architecture editor driven like a user: real clicks and edits, live shapes, mistakes that
block saving, saving by name, and training a saved network from the Train tab's form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QAbstractButton, QInputDialog, QMessageBox, QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot

from digitpad.core.architecture_store import ArchitectureStore, preset
from digitpad.core.engine import ThreadEngine
from digitpad.core.inference import Predictor
from digitpad.core.layer_stack import CONV2D, FLATTEN, Layer
from digitpad.gui import style
from digitpad.gui.architecture_editor import ArchitectureEditor
from digitpad.gui.i18n import format_count
from digitpad.gui.train_tab import TrainTab
from digitpad.gui.training_form import TrainingForm

TIMEOUT_MS = 180_000


@pytest.fixture
def store(tmp_path: Path) -> ArchitectureStore:
    return ArchitectureStore(tmp_path / "architectures")


@pytest.fixture
def editor(qtbot: QtBot, store: ArchitectureStore) -> Iterator[ArchitectureEditor]:
    dialog = ArchitectureEditor(store, engine=ThreadEngine())
    qtbot.addWidget(dialog)
    dialog.show()
    yield dialog
    dialog.shutdown()


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def item(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    found = table.item(row, column)
    assert found is not None, (row, column)
    return found


def click_row(qtbot: QtBot, table: QTableWidget, row: int) -> None:
    table.scrollToItem(item(table, row, 0))
    rect = table.visualItemRect(item(table, row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def row_texts(table: QTableWidget, row: int) -> list[str]:
    return [item(table, row, column).text() for column in range(table.columnCount())]


def choose(button: QAbstractButton, label: str) -> None:
    """Pick an entry of a tool button's menu, as a click on it would."""
    action = next(action for action in button.menu().actions() if action.text() == label)  # type: ignore[attr-defined]
    action.trigger()


def test_edits_update_shapes_live_and_mistakes_block_saving(qtbot: QtBot, editor: ArchitectureEditor,
                                                            store: ArchitectureStore) -> None:
    choose(editor.new_button, "From Course CNN")
    table = editor.table
    assert row_texts(table, 1)[:3] == ["Conv2D 32 3x3 relu", "26x26x32", "320"]
    assert f"{format_count(85_146)} parameters" in editor.summary_label.text()
    assert "98.98 %" in editor.figure_label.text() and editor.figure_label.isVisible()
    assert not editor.save_button.isEnabled()  # a preset is read-only
    assert editor.use_button.isEnabled()

    # Add a Conv2D below the first pooling layer, then widen its kernel.
    click_row(qtbot, table, 2)
    choose(editor.add_button, CONV2D)
    assert editor.selected_index() == 2
    assert row_texts(table, 3)[:3] == ["Conv2D 32 3x3 relu", "11x11x32", format_count(9_248)]
    assert editor.title_label.text() == "Copy of Course CNN (unsaved)"
    assert not editor.use_button.isEnabled()  # unsaved changes
    kernel = editor.field_widgets["kernel"]
    assert kernel.isVisible() and not editor.field_widgets["units"].isVisible()
    kernel.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(kernel, "5")
    assert row_texts(table, 3)[:3] == ["Conv2D 32 5x5 relu", "9x9x32", format_count(25_632)]
    assert row_texts(table, 4)[1] == "8x8x16"  # the next layer follows

    # A 12x12 kernel cannot fit in 9x9: the next conv's row turns red and Save is disabled.
    click_row(qtbot, table, 4)
    kernel.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(kernel, "12")
    problem = row_texts(table, 4)[3]
    assert problem.startswith("The image is only 9x9x32 here")
    assert item(table, 4, 0).foreground().color().name() == style.ERROR_TEXT
    assert row_texts(table, 5)[1:3] == ["?", "?"]
    assert editor.summary_label.text().startswith("One mistake to fix before saving: Layer 4")
    qtbot.keyClicks(editor.name_edit, "wide kernels")
    assert not editor.save_button.isEnabled() and not editor.save_as_button.isEnabled()

    # Removing the offending layer fixes it; save by name on the worker.
    click(qtbot, editor.remove_button)
    assert editor.analysis.ok and editor.save_button.isEnabled()
    expected = list(editor.layers)
    with qtbot.waitSignal(editor.saved, timeout=TIMEOUT_MS) as saved:
        click(qtbot, editor.save_button)
    assert saved.args == ["wide kernels"]
    assert editor.status_label.text().startswith("Saved as ")
    assert store.names() == ["wide kernels"] and editor.use_button.isEnabled()

    # Reopened, it is the same stack.
    again = ArchitectureEditor(store, engine=ThreadEngine())
    qtbot.addWidget(again)
    again.open_saved("wide kernels")
    assert again.layers == expected and again.title_label.text() == "wide kernels"
    assert [row_texts(again.table, row) for row in range(again.table.rowCount())] == \
        [row_texts(table, row) for row in range(table.rowCount())]


def test_move_and_save_as_a_copy(qtbot: QtBot, editor: ArchitectureEditor, store: ArchitectureStore) -> None:
    choose(editor.new_button, "From Course MLP")
    click_row(qtbot, editor.table, 1)  # Flatten first: it cannot move up
    assert not editor.up_button.isEnabled()
    click(qtbot, editor.down_button)
    assert editor.layers[1] == Layer(FLATTEN)
    assert editor.analysis.ok  # Dense 128 on each pixel, then Flatten, then Dense 10: legal, and a classifier
    click(qtbot, editor.up_button)
    assert editor.layers == list(preset("Course MLP").layers)  # type: ignore[union-attr]

    click(qtbot, editor.save_as_button)
    dialog = editor.findChild(QInputDialog, "saveAsDialog")
    assert dialog is not None and dialog.textValue() == "Course MLP copy"
    dialog.setTextValue("mlp copy")
    with qtbot.waitSignal(editor.saved, timeout=TIMEOUT_MS):
        dialog.accept()
    assert store.load("mlp copy") == list(preset("Course MLP").layers)  # type: ignore[union-attr]
    assert editor.name_edit.text() == "mlp copy" and editor.key() == "saved:mlp copy"


@pytest.fixture
def tab(train_tab: TrainTab) -> TrainTab:
    return train_tab   # tests/gui/conftest.py: shown, and every job joined afterwards


def open_editor(qtbot: QtBot, tab: TrainTab) -> ArchitectureEditor:
    click(qtbot, tab.form.edit_architecture_button)
    editor = tab.form.editor
    assert editor is not None and editor.isVisible()
    return editor


def test_use_a_preset_sets_its_recipe(qtbot: QtBot, tab: TrainTab) -> None:
    form = tab.form
    form.architecture_combo.setCurrentIndex(form.architecture_combo.findData("preset:Course CNN"))
    assert not form.dropout_spin.isEnabled() and "own layers" in form.dropout_spin.toolTip()
    assert "98.98 %" in form.description_label.text()
    form.epochs_spin.setValue(3)
    editor = open_editor(qtbot, tab)
    assert editor.layers == list(preset("Course CNN").layers)  # type: ignore[union-attr]
    click(qtbot, editor.use_button)
    qtbot.waitUntil(lambda: form.editor is None)
    assert form.epochs_spin.value() == 30 and form.batch_size_spin.value() == 64
    assert form.validation_spin.value() == 30 and form.optimizer_combo.currentData() == "adam"
    spec = form.architecture_spec()
    assert spec.name == "Course CNN" and spec.file == str(preset("Course CNN").path)  # type: ignore[union-attr]


def test_train_one_epoch_with_a_saved_architecture(qtbot: QtBot, tab: TrainTab, digits_npz: Path) -> None:
    form = tab.form
    form.architecture_combo.setCurrentIndex(form.architecture_combo.findData("mlp"))
    editor = open_editor(qtbot, tab)
    assert editor.title_label.text() == "Copy of MLP (dense) (unsaved)"
    click_row(qtbot, editor.table, 2)  # Dense 128: make it smaller
    units = editor.field_widgets["units"]
    units.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(units, "16")
    assert item(editor.table, 2, 2).text() == format_count(12_560)  # 784 * 16 + 16
    qtbot.keyClicks(editor.name_edit, "small mlp")
    with qtbot.waitSignal(editor.saved, timeout=TIMEOUT_MS):
        click(qtbot, editor.save_button)
    click(qtbot, editor.use_button)
    qtbot.waitUntil(lambda: form.editor is None)
    assert form.architecture_combo.currentData() == "saved:small mlp"
    qtbot.waitUntil(lambda: "12,730" in tab.param_label.text(), timeout=TIMEOUT_MS)  # + 16 * 10 + 10

    form.dataset_combo.setCurrentIndex(form.dataset_combo.findData(None))
    form.path_edit.setText(str(digits_npz))
    form.epochs_spin.setValue(1)
    form.batch_size_spin.setValue(32)
    form.validation_spin.setValue(10)
    form.augment_check.setChecked(False)
    with qtbot.waitSignal(tab.task.finished, timeout=TIMEOUT_MS):
        click(qtbot, tab.train_button)
    result = tab.result
    assert result is not None and result.run.epochs_completed == 1
    assert result.model_file is not None   # the trained model crosses from the engine as its file
    assert Predictor.load(result.model_file).num_params == 12_730
    assert result.metadata.architecture["name"] == "small mlp"
    assert result.metadata.architecture["file"] == str(form.store.path("small mlp"))
    assert result.metadata.name.startswith("small mlp ")


def test_a_saved_choice_is_remembered_and_deleting_it_falls_back(qtbot: QtBot, tmp_path: Path,
                                                                  store: ArchitectureStore) -> None:
    store.save("keep me", list(preset("Course MLP").layers))  # type: ignore[union-attr]
    first = TrainingForm(store=store)
    qtbot.addWidget(first)
    first.architecture_combo.setCurrentIndex(first.architecture_combo.findData("saved:keep me"))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    first.save_settings(settings)

    form = TrainingForm(store=store)
    qtbot.addWidget(form)
    form.show()
    form.load_settings(settings)
    assert form.architecture_combo.currentData() == "saved:keep me"
    assert not form.dropout_spin.isEnabled() and not form.batch_norm_check.isEnabled()
    assert form.architecture_spec() == store.spec("keep me")

    click(qtbot, form.edit_architecture_button)
    editor = form.editor
    assert editor is not None and editor.layers == list(preset("Course MLP").layers)  # type: ignore[union-attr]
    with qtbot.waitSignal(form.architectureChanged):
        click(qtbot, editor.delete_button)
        box = editor.findChild(QMessageBox, "deleteArchitectureBox")
        assert box is not None and "keep me" in box.text()
        click(qtbot, box.button(QMessageBox.StandardButton.Yes))
    assert store.names() == [] and editor.delete_button.isEnabled() is False
    assert form.architecture_combo.currentData() == "digitpad-cnn" and form.dropout_spin.isEnabled()
    assert form.architecture_combo.findData("saved:keep me") == -1
    click(qtbot, editor.close_button)
    qtbot.waitUntil(lambda: form.editor is None)
