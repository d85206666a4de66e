"""The shared widget pieces: the remembering file dialog, the digit picture, style properties,
live text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QTableView, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from digitpad.gui import style
from digitpad.gui.widgets import (
    SIZED_ROWS,
    LiveText,
    RememberingFileDialog,
    card,
    cell,
    digit_pixmap,
    fit_columns,
    read_only_table,
    set_style_property,
)
from tests.gui.event_counter import EventCounter


def test_the_file_dialog_starts_where_the_last_file_was_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    models = RememberingFileDialog(settings, "test/models")
    images = RememberingFileDialog(settings, "test/images")
    folder = tmp_path / "my models"
    folder.mkdir()
    starts: list[str] = []

    def choose(parent: object, title: str, start: str, name_filter: str) -> tuple[str, str]:
        starts.append(start)
        return str(folder / "seven.keras"), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    assert models.open_file(None, "Open", "*.keras") == folder / "seven.keras"
    assert models.open_file(None, "Open", "*.keras") == folder / "seven.keras"
    assert starts == [str(Path.home()), str(folder)]
    assert images.start_folder() == str(Path.home()), "each kind of file keeps its own folder"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: ("", ""))
    assert models.open_file(None, "Open", "*.keras") is None, "cancelled"
    folder.rmdir()
    assert models.start_folder() == str(Path.home()), "a folder that is gone is not offered"


def test_digit_pixmap_scales_uint8_and_float_images_alike(qtbot: QtBot) -> None:
    image = np.zeros((28, 28), np.uint8)
    image[10:18, 12:16] = 255
    as_bytes = digit_pixmap(image, 56, smooth=False).toImage()
    as_floats = digit_pixmap(image / 255.0, 56, smooth=False).toImage()
    assert (as_bytes.width(), as_bytes.height()) == (56, 56)
    assert as_bytes == as_floats
    assert as_bytes.pixelColor(28, 28) == QColor("white") and as_bytes.pixelColor(2, 2) == QColor("black")
    on_paper = digit_pixmap(image, 56, paper=True, smooth=False).toImage()
    assert on_paper.pixelColor(28, 28) == QColor("black") and on_paper.pixelColor(2, 2) == QColor("white")
    assert digit_pixmap(None, 28).toImage().pixelColor(14, 14) == QColor("black")


def test_style_properties_repolish_only_on_a_change(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    assert set_style_property(label, "kind", "agree") is True
    assert set_style_property(label, "kind", "agree") is False
    assert label.property("kind") == "agree"


def test_cards_and_read_only_tables(qtbot: QtBot) -> None:
    frame, layout = card("Layers")
    qtbot.addWidget(frame)
    assert frame.objectName() == "card"
    first = layout.itemAt(0)
    caption = first.widget() if first is not None else None
    assert isinstance(caption, QLabel) and caption.text() == "LAYERS" and caption.objectName() == "caption"
    table = read_only_table(["Layer", "Params"])
    qtbot.addWidget(table)
    table.setRowCount(1)
    table.setItem(0, 1, cell("7,850", right=True))
    item = table.item(0, 1)
    assert item is not None and item.textAlignment() & Qt.AlignmentFlag.AlignRight
    assert table.editTriggers() == table.EditTrigger.NoEditTriggers


def test_live_text_repaints_without_laying_out_the_window_until_it_needs_more_lines(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.setStyleSheet(style.TRAIN_TAB_STYLESHEET)
    layout = QVBoxLayout(window)
    text = LiveText()
    text.setObjectName("progressLabel")
    layout.addWidget(text)
    layout.addStretch()
    window.resize(400, 300)
    window.show()
    qtbot.waitExposed(window)
    text.setText("1,000 samples/s  ·  4 s left")
    QApplication.processEvents()
    one_line = text.height()
    requests = EventCounter(QEvent.Type.LayoutRequest)  # each one lays out every widget in the window
    window.installEventFilter(requests)

    for batch in range(20):
        text.setText(f"{4_000 + batch:,} samples/s  ·  {20 - batch} s left  ·  loss 0.{batch:04d}")
        QApplication.processEvents()
    assert requests.count == 0
    assert text.text() == "4,019 samples/s  ·  1 s left  ·  loss 0.0019"
    assert text.height() == one_line

    text.setText("A sentence far too long for one line of four hundred pixels, so it wraps onto a second "
                 "line and a third rather than being cut off or widening the window.")
    QApplication.processEvents()
    assert requests.count >= 1
    assert text.height() >= 2 * one_line
    assert window.width() == 400
    assert text.palette().color(text.foregroundRole()) == QColor(style.MUTED)


_ROOT = QModelIndex()


class _LongList(QAbstractTableModel):
    """2,000 rows of two columns; remembers which rows were asked for their text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows_read: set[int] = set()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else 2_000

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else 2

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        self.rows_read.add(index.row())
        return "a much longer text than the others" if index.row() == 1_500 else f"row {index.row()}"


def test_columns_fit_their_contents_measured_on_a_sample_of_rows(qtbot: QtBot) -> None:
    table = QTableView()
    qtbot.addWidget(table)
    model = _LongList()
    table.setModel(model)
    fit_columns(table.horizontalHeader(), stretch=1)
    table.resize(500, 300)
    table.show()
    qtbot.waitExposed(table)
    model.rows_read.clear()
    model.layoutChanged.emit()  # what a refreshed list does
    QApplication.processEvents()

    assert model.rows_read and max(model.rows_read) < 2 * SIZED_ROWS  # not 2,000 rows for each refresh
    metrics = table.fontMetrics()
    assert metrics.horizontalAdvance("row 0") <= table.columnWidth(0) < metrics.horizontalAdvance("a much longer text than")
