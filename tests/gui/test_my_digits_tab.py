"""The My digits tab driven like a user: clicks on thumbnails, digit keys, Delete, Ctrl+Z, the
import and export buttons (their file dialogs answered by the test), and the drawing model's
verdict on the stored digits.

The store is a real `DigitsService` on a temporary file; the drawing model is a stand-in that
always answers 7, so which digits are misread is known exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from digitpad.core.digit_store import DigitStore, StoredDigit
from digitpad.core.hands import hand_digits, make_hand
from digitpad.core.library import ModelLibrary
from digitpad.core.model_file import ModelMetadata
from digitpad.gui import style
from digitpad.gui.app_state import AppState
from digitpad.gui.digit_gallery import THUMBNAIL, DigitGalleryModel
from digitpad.gui.digits_service import DigitsService
from digitpad.gui.finetune_panel import MAX_EPOCHS
from digitpad.gui.my_digits_tab import ALL, GUIDE_TEXT, MyDigitsTab
from digitpad.gui.widgets import RememberingFileDialog

TIMEOUT_MS = 10_000
CTRL = Qt.KeyboardModifier.ControlModifier
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


class AlwaysSeven:
    """Stands in for a `Predictor`: reads every digit as a 7 with 90% confidence."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.metadata = ModelMetadata(name="always seven")
        self.calls = 0

    def predict_prepared(self, x: np.ndarray) -> np.ndarray:
        assert x.dtype == np.float32 and x.shape[1:] == (28, 28)
        self.calls += len(x)
        probabilities = np.full((len(x), 10), 0.1 / 9, np.float32)
        probabilities[:, 7] = 0.9
        return probabilities


def image(seed: int) -> np.ndarray:
    """A distinct digit-like model input per seed: a bright stroke of random shades on black."""
    rng = np.random.default_rng(seed)
    picture = np.zeros((28, 28), np.float32)
    column = 6 + seed % 14
    picture[5:23, column:column + 4] = rng.uniform(0.5, 1.0, (18, 4))
    return picture


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "digits.sqlite"


@pytest.fixture
def service(qtbot: QtBot, store_path: Path) -> Iterator[DigitsService]:
    digits = DigitsService(store_path)
    with qtbot.waitSignal(digits.opened, timeout=TIMEOUT_MS):
        digits.start()
    yield digits
    digits.shutdown()


@pytest.fixture
def state(tmp_path: Path) -> Iterator[AppState]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    app_state = AppState(library=ModelLibrary(tmp_path / "library"), settings=settings)
    yield app_state
    app_state.shutdown()


@pytest.fixture
def tab(qtbot: QtBot, state: AppState, service: DigitsService) -> Iterator[MyDigitsTab]:
    widget = MyDigitsTab(state, service)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: not widget._listing, timeout=TIMEOUT_MS)
    yield widget
    widget.shutdown()


def keep(qtbot: QtBot, tab: MyDigitsTab, service: DigitsService, *labels: int) -> list[int]:
    """Store digits as the Draw tab does and wait until the gallery shows them; their ids."""
    ids: list[int] = []
    service.digitAdded.connect(lambda digit_id, _label: ids.append(digit_id))
    before = len(tab.model.digits())
    for seed, label in enumerate(labels):
        service.add(label, image(100 * before + seed), source="drawn")
    qtbot.waitUntil(lambda: len(tab.model.digits()) == before + len(labels) and not tab._listing,
                    timeout=TIMEOUT_MS)
    return ids


def click_digit(qtbot: QtBot, tab: MyDigitsTab, digit_id: int, modifier: Qt.KeyboardModifier = NO_MODIFIER) -> None:
    row = tab.model.row_of(digit_id)
    assert row is not None, f"digit {digit_id} is not shown"
    rect = tab.gallery.visualRect(tab.model.index(row))
    qtbot.mouseClick(tab.gallery.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def labels_shown(tab: MyDigitsTab) -> dict[int, int]:
    return {tab.model.digit(row).id: tab.model.digit(row).label for row in range(tab.model.rowCount())}


def settle(qtbot: QtBot, tab: MyDigitsTab) -> None:
    """Wait until the service's answers have arrived and the gallery shows the store."""
    qtbot.wait(50)
    qtbot.waitUntil(lambda: not tab._listing and not tab._stale, timeout=TIMEOUT_MS)


def test_an_empty_store_shows_the_guide_and_a_kept_digit_appears_with_its_count(
    qtbot: QtBot, tab: MyDigitsTab, service: DigitsService
) -> None:
    assert tab.pages.currentWidget() is not tab.gallery
    assert tab.guide.text() == GUIDE_TEXT and "digit key" in GUIDE_TEXT
    with qtbot.waitSignal(tab.drawRequested, timeout=TIMEOUT_MS):
        qtbot.mouseClick(tab.draw_button, Qt.MouseButton.LeftButton)

    keep(qtbot, tab, service, 4, 4, 1)

    assert tab.pages.currentWidget() is tab.gallery
    assert tab.filter_buttons[4].text() == "4\n2"
    assert tab.filter_buttons[1].text() == "1\n1"
    assert tab.total_label.text() == "3 digits"
    assert tab.model.rowCount() == 3
    assert [tab.model.digit(row).label for row in range(3)] == [1, 4, 4]   # grouped by label


def test_a_label_button_filters_the_gallery(qtbot: QtBot, tab: MyDigitsTab, service: DigitsService) -> None:
    ids = keep(qtbot, tab, service, 2, 5, 5)
    qtbot.mouseClick(tab.filter_buttons[5], Qt.MouseButton.LeftButton)
    assert set(labels_shown(tab)) == set(ids[1:])
    qtbot.mouseClick(tab.filter_buttons[ALL], Qt.MouseButton.LeftButton)
    assert set(labels_shown(tab)) == set(ids)


def test_a_digit_key_relabels_the_selection_and_ctrl_z_puts_the_labels_back(
    qtbot: QtBot, tab: MyDigitsTab, service: DigitsService
) -> None:
    ids = keep(qtbot, tab, service, 1, 1, 2)
    click_digit(qtbot, tab, ids[0])
    click_digit(qtbot, tab, ids[2], CTRL)
    assert sorted(tab.selected_ids()) == sorted([ids[0], ids[2]])

    with qtbot.waitSignal(service.changed, timeout=TIMEOUT_MS):
        QTest.keyClick(tab.gallery, Qt.Key.Key_7)
    settle(qtbot, tab)
    assert labels_shown(tab) == {ids[0]: 7, ids[1]: 1, ids[2]: 7}
    assert service.counts()[7] == 2 and tab.filter_buttons[7].text() == "7\n2"
    assert tab.notice_bar.isVisible() and tab.undo_button.isVisible()
    assert "2 digits now labelled 7" in tab.notice_label.text()
    assert sorted(tab.selected_ids()) == sorted([ids[0], ids[2]])   # the selection survives the re-listing

    with qtbot.waitSignals([service.changed, service.changed], timeout=TIMEOUT_MS):
        QTest.keyClick(tab.gallery, Qt.Key.Key_Z, CTRL)
    settle(qtbot, tab)
    assert labels_shown(tab) == {ids[0]: 1, ids[1]: 1, ids[2]: 2}


def test_the_label_menu_relabels_too(qtbot: QtBot, tab: MyDigitsTab, service: DigitsService) -> None:
    (digit_id,) = keep(qtbot, tab, service, 3)
    click_digit(qtbot, tab, digit_id)
    assert tab.relabel_button.isEnabled()
    menu = tab.relabel_button.menu()
    with qtbot.waitSignal(service.changed, timeout=TIMEOUT_MS):
        menu.actions()[8].trigger()
    settle(qtbot, tab)
    assert labels_shown(tab) == {digit_id: 8}


def test_delete_key_removes_the_selection_and_undo_brings_it_back_under_the_same_ids(
    qtbot: QtBot, tab: MyDigitsTab, service: DigitsService, store_path: Path
) -> None:
    ids = keep(qtbot, tab, service, 0, 6, 9)
    click_digit(qtbot, tab, ids[0])
    click_digit(qtbot, tab, ids[1], CTRL)

    with qtbot.waitSignal(service.changed, timeout=TIMEOUT_MS):
        QTest.keyClick(tab.gallery, Qt.Key.Key_Delete)
    settle(qtbot, tab)
    assert set(labels_shown(tab)) == {ids[2]}
    assert "Deleted 2 digits." in tab.notice_label.text()
    assert tab.undo_button.isVisible()

    with qtbot.waitSignal(service.changed, timeout=TIMEOUT_MS):
        qtbot.mouseClick(tab.undo_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    assert labels_shown(tab) == {ids[0]: 0, ids[1]: 6, ids[2]: 9}
    assert "Restored 2 digits." in tab.notice_label.text()
    assert not tab.undo_button.isVisible()       # nothing left to take back
    QTest.keyClick(tab.gallery, Qt.Key.Key_Z, CTRL)   # an empty undo history does nothing
    settle(qtbot, tab)
    assert len(labels_shown(tab)) == 3


def test_a_delete_made_by_another_tab_is_not_offered_for_undo_here(
    qtbot: QtBot, tab: MyDigitsTab, service: DigitsService
) -> None:
    (digit_id,) = keep(qtbot, tab, service, 5)
    with qtbot.waitSignal(service.changed, timeout=TIMEOUT_MS):
        service.delete([digit_id])     # the Draw tab's undo of a kept digit
    settle(qtbot, tab)
    assert tab.model.digits() == []
    assert not tab.undo_button.isVisible()
    assert tab.pages.currentWidget() is not tab.gallery


def test_import_an_npz_and_a_folder_with_a_bad_file_reports_added_and_skipped(
    qtbot: QtBot, tab: MyDigitsTab, service: DigitsService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    x = np.zeros((10, 28, 28), np.uint8)
    x[:, 8:20, 12:16] = 255
    npz = tmp_path / "mine.npz"
    np.savez(npz, x=x, y=np.arange(10))
    monkeypatch.setattr(RememberingFileDialog, "open_file", lambda *_args: npz)
    with qtbot.waitSignal(service.imported, timeout=TIMEOUT_MS):
        qtbot.mouseClick(tab.import_file_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    assert tab.notice_label.text() == "Imported 10 digits."
    assert service.counts() == dict.fromkeys(range(10), 1)
    assert len(tab.model.digits()) == 10

    folder = tmp_path / "folder"
    for label in (3, 4):
        (folder / str(label)).mkdir(parents=True)
        Image.fromarray(x[label]).save(folder / str(label) / "a.png")
    (folder / "4" / "broken.png").write_bytes(b"not a picture")
    monkeypatch.setattr(RememberingFileDialog, "open_folder", lambda *_args: folder)
    with qtbot.waitSignal(service.imported, timeout=TIMEOUT_MS):
        qtbot.mouseClick(tab.import_folder_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    text = tab.notice_label.text()
    assert text.startswith("Imported 2 digits. Skipped 1: ") and "broken.png" in text
    assert service.counts()[4] == 2 and tab.filter_buttons[4].text() == "4\n2"


def test_an_import_that_fails_says_why_and_keeps_the_digits(
    qtbot: QtBot, tab: MyDigitsTab, service: DigitsService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep(qtbot, tab, service, 1)
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setattr(RememberingFileDialog, "open_folder", lambda *_args: empty)
    with qtbot.waitSignal(service.failed, timeout=TIMEOUT_MS):
        qtbot.mouseClick(tab.import_folder_button, Qt.MouseButton.LeftButton)
    assert tab.notice_bar.property("kind") == "error"
    assert "neither subfolders named 0-9" in tab.notice_label.text()
    assert tab.import_folder_button.isEnabled()
    assert len(tab.model.digits()) == 1


@pytest.mark.parametrize("export_format", ["npz", "png", "idx"])
def test_export_round_trip(
    qtbot: QtBot, tab: MyDigitsTab, service: DigitsService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    export_format: str,
) -> None:
    ids = keep(qtbot, tab, service, 2, 7, 7)
    out = tmp_path / ("exported.npz" if export_format == "npz" else "exported")
    monkeypatch.setattr(RememberingFileDialog, "save_file", lambda *_args: out)
    action = {"npz": tab.export_npz_action, "png": tab.export_png_action, "idx": tab.export_idx_action}[export_format]
    assert tab.export_button.isEnabled()
    with qtbot.waitSignal(service.exported, timeout=TIMEOUT_MS):
        action.trigger()
    assert tab.notice_label.text() == f"Exported 3 digits to {out}."

    other = DigitsService(tmp_path / "other.sqlite")
    try:
        with qtbot.waitSignal(other.opened, timeout=TIMEOUT_MS):
            other.start()
        with qtbot.waitSignal(other.imported, timeout=TIMEOUT_MS) as imported:
            other.import_from(out)
        assert imported.args[0].added == 3
        with qtbot.waitSignal(other.listed, timeout=TIMEOUT_MS) as listed:
            other.list_digits()
    finally:
        other.shutdown()
    originals = {digit.id: digit for digit in tab.model.digits()}
    again = sorted(listed.args[0], key=lambda digit: (digit.label, float(digit.image.sum())))
    before = sorted((originals[i] for i in ids), key=lambda digit: (digit.label, float(digit.image.sum())))
    assert [digit.label for digit in again] == [2, 7, 7]
    for copy, original in zip(again, before, strict=True):
        np.testing.assert_allclose(copy.image, original.image, atol=1 / 255 + 1e-6)


def red_share(pixmap: QPixmap) -> float:
    """The share of the thumbnail's outermost pixels that are the error red."""
    picture = pixmap.toImage()
    red = QColor(style.ERROR)
    edge = [picture.pixelColor(x, 0) for x in range(picture.width())]
    return sum(color.red() == red.red() and color.green() == red.green() for color in edge) / len(edge)


def test_the_drawing_model_s_accuracy_and_misread_digits_are_marked(
    qtbot: QtBot, tab: MyDigitsTab, service: DigitsService, state: AppState, tmp_path: Path
) -> None:
    assert tab.accuracy_label.text() == ""
    ids = keep(qtbot, tab, service, 7, 7, 3)
    assert "Once a model is loaded" in tab.accuracy_label.text()

    model = AlwaysSeven(tmp_path / "always-seven.keras")
    state.set_predictor(model)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: "reads" in tab.accuracy_label.text(), timeout=TIMEOUT_MS)
    assert tab.accuracy_label.text() == (
        "“always seven” reads 66.7 % of your 3 digits right; 1 misread, marked in red."
    )
    row = tab.model.row_of(ids[2])
    assert row is not None
    index = tab.model.index(row)
    assert tab.model.data(index) == "3 → 7"
    assert red_share(tab.model.data(index, Qt.ItemDataRole.DecorationRole)) > 0.9
    right = tab.model.index(tab.model.row_of(ids[0]) or 0)
    assert tab.model.data(right) == "7"
    assert red_share(tab.model.data(right, Qt.ItemDataRole.DecorationRole)) == 0
    assert "misread it as 7" in str(tab.model.data(index, Qt.ItemDataRole.ToolTipRole))

    qtbot.mouseClick(tab.misread_only, Qt.MouseButton.LeftButton)
    assert set(labels_shown(tab)) == {ids[2]}

    # A new digit is read on its own, not the whole store again; relabelling it right clears the mark.
    calls = model.calls
    (new_id,) = keep(qtbot, tab, service, 4)
    qtbot.waitUntil(lambda: "2 misread" in tab.accuracy_label.text(), timeout=TIMEOUT_MS)
    assert model.calls == calls + 1
    assert set(labels_shown(tab)) == {ids[2], new_id}
    click_digit(qtbot, tab, new_id)
    with qtbot.waitSignal(service.changed, timeout=TIMEOUT_MS):
        QTest.keyClick(tab.gallery, Qt.Key.Key_7)
    settle(qtbot, tab)
    assert "75.0 % of your 4 digits right; 1 misread" in tab.accuracy_label.text()
    assert set(labels_shown(tab)) == {ids[2]}


def test_thumbnails_are_made_once_per_digit(qtbot: QtBot) -> None:
    model = DigitGalleryModel()
    digit = StoredDigit(1, 4, image(1), "drawn", 0.0, None, None, None, None)
    model.set_digits([digit])
    first = model.data(model.index(0), Qt.ItemDataRole.DecorationRole)
    model.set_digits([StoredDigit(1, 5, digit.image.copy(), "drawn", 0.0, None, None, None, None)])
    second = model.data(model.index(0), Qt.ItemDataRole.DecorationRole)
    assert isinstance(first, QPixmap) and first is second and first.width() == THUMBNAIL


def test_errors_from_the_store_show_in_red_and_the_gallery_is_kept(
    qtbot: QtBot, tab: MyDigitsTab, service: DigitsService
) -> None:
    keep(qtbot, tab, service, 8)
    with qtbot.waitSignal(service.failed, timeout=TIMEOUT_MS):
        service.add(11, image(5))
    assert tab.notice_bar.property("kind") == "error"
    assert "0 to 9" in tab.notice_label.text()
    assert len(tab.model.digits()) == 1


def test_a_hidden_tab_lists_the_store_only_when_shown_again(
    qtbot: QtBot, tab: MyDigitsTab, service: DigitsService
) -> None:
    keep(qtbot, tab, service, 1)
    tab.hide()
    listings: list[object] = []
    service.listed.connect(listings.append)
    for seed in range(3):
        with qtbot.waitSignal(service.changed, timeout=TIMEOUT_MS):
            service.add(2, image(seed))
    qtbot.wait(50)
    assert listings == [] and tab.filter_buttons[2].text() == "2\n3"
    tab.show()
    qtbot.waitUntil(lambda: len(tab.model.digits()) == 4, timeout=TIMEOUT_MS)
    assert len(listings) == 1


def test_shutdown_stops_the_reading_worker(qtbot: QtBot, tab: MyDigitsTab, state: AppState,
                                           service: DigitsService, tmp_path: Path) -> None:
    keep(qtbot, tab, service, 1, 2)
    state.set_predictor(AlwaysSeven(tmp_path / "m.keras"))  # type: ignore[arg-type]
    tab.shutdown()
    assert not tab._readings.is_busy()
    with DigitStore.open(tmp_path / "digits.sqlite") as store:
        assert store.total() == 2


# ---------------------------------------------------------------------- the fine-tune panel


@pytest.fixture(scope="module")
def tensorflow() -> None:
    """Import TensorFlow once for the module: it takes seconds."""
    import keras  # noqa: F401
    import tensorflow  # noqa: F401


@pytest.fixture
def library_state(library: ModelLibrary, shipped: Path, tmp_path: Path, tensorflow: None,
                  qtbot: QtBot) -> Iterator[AppState]:
    """The library holds the tiny "seven" and "one" models; TensorFlow is loaded."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    app_state = AppState(library=library, settings=settings)
    with qtbot.waitSignal(app_state.tensorflowReady, timeout=60_000):
        app_state.start_tensorflow_loading()
    yield app_state
    app_state.shutdown()


@pytest.fixture
def finetune_tab(qtbot: QtBot, library_state: AppState, service: DigitsService) -> Iterator[MyDigitsTab]:
    widget = MyDigitsTab(library_state, service)
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.show()
    qtbot.waitExposed(widget)
    panel = widget.finetune_panel
    qtbot.waitUntil(lambda: panel.parent_combo.findText("seven") >= 0, timeout=TIMEOUT_MS)
    x, y, drawings = hand_digits(make_hand(3), 3, np.random.default_rng(0))
    for image_, label, drawing in zip(x, y, drawings, strict=True):
        service.add(int(label), image_, drawing=drawing, source="drawn")
    qtbot.waitUntil(lambda: len(widget.model.digits()) == len(y) and not widget._listing, timeout=TIMEOUT_MS)
    yield widget
    widget.shutdown()


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None, f"no cell at {row}, {column}"
    return item.text()


def test_finetune_from_a_library_model_then_save_and_draw_with_it(
    qtbot: QtBot, finetune_tab: MyDigitsTab, library_state: AppState
) -> None:
    panel = finetune_tab.finetune_panel
    assert panel.parent_combo.itemText(0) == "Shipped default model"
    panel.parent_combo.setCurrentIndex(panel.parent_combo.findText("seven"))
    panel.epochs_spin.setValue(2)
    assert panel.start_button.isEnabled() and not panel.stop_button.isEnabled()
    assert "30" in panel.digits_label.text()

    assert not panel.result_card.isVisible(), "nothing to show before a fine-tune"
    with qtbot.waitSignal(panel.task.finished, timeout=120_000):
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        assert panel.stop_button.isEnabled() and not panel.start_button.isEnabled()
    assert not panel.error_label.isVisible(), panel.error_label.text()
    assert panel.result_card.isVisible()
    result = panel.result
    assert result is not None and not result.stopped
    assert panel.curves._train_loss.size > 0                # the live curves got the batches
    table = panel.result_table
    assert table.isVisible() and table.rowCount() == 2
    personal, mnist = (cell_text(table, row, 0) for row in range(2))
    assert personal == f"{result.personal_before.data} ({result.personal_before.count})"
    assert mnist == f"{result.mnist_before.data} ({result.mnist_before.count:,})"
    assert cell_text(table, 0, 1) == f"{100 * result.personal_before.accuracy:.1f} %"
    assert cell_text(table, 0, 2) == f"{100 * result.personal_after.accuracy:.1f} %"
    assert cell_text(table, 1, 3).endswith(" points")
    assert panel.saver.name_edit.text() == "seven + my hand"
    assert panel.saver.save_button.isEnabled() and panel.saver.use_button.isEnabled()

    with qtbot.waitSignal(library_state.predictorChanged, timeout=60_000) as changed:
        qtbot.mouseClick(panel.saver.use_button, Qt.MouseButton.LeftButton)
    assert panel.saver.saved_entry is not None and panel.saver.saved_entry.name == "seven + my hand"
    assert changed.args[0].path == panel.saver.saved_entry.path
    metadata = changed.args[0].metadata
    assert metadata.lineage["parent"] == "seven"
    assert metadata.lineage["personal_digits"] == result.personal_train
    assert not panel.saver.save_button.isEnabled() and panel.saver.save_button.text() == "Saved ✓"
    # The new drawing model reads the stored digits at once.
    qtbot.waitUntil(lambda: "“seven + my hand” reads" in finetune_tab.accuracy_label.text(), timeout=TIMEOUT_MS)


def test_stop_ends_the_finetune_and_keeps_the_panel_usable(
    qtbot: QtBot, finetune_tab: MyDigitsTab
) -> None:
    panel = finetune_tab.finetune_panel
    panel.parent_combo.setCurrentIndex(panel.parent_combo.findText("seven"))
    panel.epochs_spin.setValue(MAX_EPOCHS)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.curves._train_loss.size > 0, timeout=120_000)
    with qtbot.waitSignal(panel.task.finished, timeout=120_000):
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
        assert not panel.stop_button.isEnabled()
    assert not panel.is_running() and panel.start_button.isEnabled()
    assert panel.result is not None and panel.result.stopped
    assert panel.result_label.text().startswith("Stopped by you")
    assert panel.result.trained.run.epochs_completed < MAX_EPOCHS


def test_start_waits_for_tensorflow_and_for_digits(qtbot: QtBot, tab: MyDigitsTab, state: AppState) -> None:
    panel = tab.finetune_panel
    assert not state.tensorflow_ready
    assert not panel.start_button.isEnabled()
    assert "TensorFlow is still loading" in panel.start_button.toolTip()
    state.tensorflow_ready = True       # as if loaded: now only the missing digits hold it back
    state.tensorflowReady.emit()
    assert not panel.start_button.isEnabled()
    assert "at least 2 of every digit" in panel.start_button.toolTip()
    assert "keep more of: 0, 1, 2" in panel.digits_label.text()
