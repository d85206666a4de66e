"""The canvas with real mouse events: ink, brush, eraser, history, and images from outside."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from digitpad.core.errors import ImageError
from digitpad.core.strokes import Drawing, render_drawing
from digitpad.gui.canvas import FIT_MARGIN, MAX_BRUSH, MIN_BRUSH, RESOLUTION, Canvas

LINE = [(60.0, 140.0), (220.0, 140.0)]


def ink(canvas: Canvas) -> np.ndarray:
    return canvas.image_array() < 128


def test_a_new_canvas_is_blank_white_paper(shown_canvas: Canvas) -> None:
    image = shown_canvas.image_array()
    assert image.shape == (RESOLUTION, RESOLUTION) and image.dtype == np.uint8
    assert (image == 255).all()
    assert shown_canvas.is_blank()


def test_a_stroke_leaves_anti_aliased_ink_along_its_path(shown_canvas: Canvas, draw, qtbot: QtBot) -> None:
    shown_canvas.set_brush_size(20)
    with qtbot.waitSignal(shown_canvas.imageChanged):
        draw(shown_canvas, [LINE])
    image = shown_canvas.image_array()
    assert not shown_canvas.is_blank()
    assert (image[140, 70:210] == 0).all()                 # solid black along the line
    assert (image[100, :] == 255).all() and (image[180, :] == 255).all()
    assert not ((image[120:160, 80:200] > 0) & (image[120:160, 80:200] < 255)).any(), "straight edges are crisp"

    shown_canvas.clear()
    draw(shown_canvas, [[(60.0, 60.0), (200.0, 220.0)]])   # a slanted stroke cannot be pixel-aligned
    image = shown_canvas.image_array()
    grey = (image > 0) & (image < 255)
    assert grey.sum() > 100, "slanted edges should be anti-aliased grey"


def test_strokes_have_round_caps(shown_canvas: Canvas, draw) -> None:
    shown_canvas.set_brush_size(30)
    draw(shown_canvas, [LINE])
    mask = ink(shown_canvas)
    assert mask[140, 60 - 12]                                # the cap reaches half a brush past the end
    assert not mask[140 - 13, 60 - 13]                       # but not into the corner a square cap would fill
    assert not mask[140, 60 - 17]


def test_a_bigger_brush_draws_a_wider_stroke(qtbot: QtBot, draw) -> None:
    areas = {}
    for size in (8, 32):
        canvas = Canvas()
        qtbot.addWidget(canvas)
        canvas.resize(420, 420)
        canvas.show()
        qtbot.waitExposed(canvas)
        canvas.set_brush_size(size)
        draw(canvas, [LINE])
        areas[size] = int(ink(canvas).sum())
    assert 3.0 < areas[32] / areas[8] < 4.5


def test_brush_size_is_clamped_and_announced(shown_canvas: Canvas, qtbot: QtBot) -> None:
    with qtbot.waitSignal(shown_canvas.brushSizeChanged) as blocker:
        shown_canvas.set_brush_size(10_000)
    assert blocker.args == [MAX_BRUSH] and shown_canvas.brush_size() == MAX_BRUSH
    shown_canvas.set_brush_size(-3)
    assert shown_canvas.brush_size() == MIN_BRUSH


def test_undo_and_redo_walk_through_the_strokes(shown_canvas: Canvas, draw) -> None:
    draw(shown_canvas, [LINE])
    after_first = shown_canvas.image_array()
    draw(shown_canvas, [[(140.0, 40.0), (140.0, 240.0)]])
    after_second = shown_canvas.image_array()
    assert not np.array_equal(after_first, after_second)

    shown_canvas.undo()
    assert np.array_equal(shown_canvas.image_array(), after_first)
    shown_canvas.undo()
    assert shown_canvas.is_blank() and not shown_canvas.can_undo()
    shown_canvas.redo()
    shown_canvas.redo()
    assert np.array_equal(shown_canvas.image_array(), after_second)
    assert not shown_canvas.can_redo()

    shown_canvas.undo()
    draw(shown_canvas, [[(40.0, 40.0), (80.0, 80.0)]])
    assert not shown_canvas.can_redo(), "a new stroke after undo drops the redo history"


def test_clear_wipes_the_canvas_and_can_be_undone(shown_canvas: Canvas, draw) -> None:
    draw(shown_canvas, [LINE])
    drawn = shown_canvas.image_array()
    shown_canvas.clear()
    assert shown_canvas.is_blank() and (shown_canvas.image_array() == 255).all()
    shown_canvas.undo()
    assert np.array_equal(shown_canvas.image_array(), drawn)


def test_the_eraser_removes_ink(shown_canvas: Canvas, draw) -> None:
    shown_canvas.set_brush_size(16)
    draw(shown_canvas, [LINE])
    shown_canvas.set_eraser(True)
    shown_canvas.set_brush_size(40)
    draw(shown_canvas, [[(40.0, 140.0), (240.0, 140.0)]])
    assert not ink(shown_canvas).any()
    assert shown_canvas.is_blank()
    shown_canvas.set_eraser(False)
    draw(shown_canvas, [LINE])
    assert ink(shown_canvas).any(), "switching the eraser off draws ink again"


def _save_png(path: Path, array: np.ndarray) -> Path:
    Image.fromarray(array).save(path)
    return path


def test_an_opened_image_is_scaled_to_fit_keeping_its_aspect(shown_canvas: Canvas, tmp_path: Path) -> None:
    picture = np.full((100, 50), 255, np.uint8)
    picture[:, :] = 255
    picture[10:90, 20:30] = 0                          # a dark bar, 80 x 10, on white paper
    shown_canvas.load_image_file(_save_png(tmp_path / "bar.png", picture))
    rows, cols = np.nonzero(ink(shown_canvas))
    room = RESOLUTION * (1 - 2 * FIT_MARGIN)           # the 100 px tall image becomes `room` tall
    assert rows.max() - rows.min() == pytest.approx(80 * room / 100, abs=3)
    assert cols.max() - cols.min() == pytest.approx(10 * room / 100, abs=3)
    assert abs((rows.min() + rows.max()) / 2 - RESOLUTION / 2) < 3


def test_an_mnist_style_image_is_shown_as_dark_ink_on_paper(shown_canvas: Canvas, tmp_path: Path) -> None:
    picture = np.zeros((28, 28), np.uint8)
    picture[4:24, 12:16] = 255                          # white ink on black, like MNIST
    shown_canvas.load_image_file(_save_png(tmp_path / "mnist.png", picture))
    image = shown_canvas.image_array()
    assert image[0, 0] == 255 and image[140, 140] < 64


def test_transparent_background_with_light_ink_keeps_the_ink(shown_canvas: Canvas, tmp_path: Path) -> None:
    picture = np.zeros((60, 60, 4), np.uint8)
    picture[10:50, 25:35] = (255, 255, 255, 255)        # opaque white strokes, transparent elsewhere
    shown_canvas.load_image_file(_save_png(tmp_path / "alpha.png", picture))
    assert ink(shown_canvas).sum() > 1000
    assert shown_canvas.image_array()[0, 0] == 255


def test_a_bad_image_file_raises_and_leaves_the_canvas_unchanged(shown_canvas: Canvas, draw, tmp_path: Path) -> None:
    draw(shown_canvas, [LINE])
    before = shown_canvas.image_array()
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"this is not a PNG file")
    with pytest.raises(ImageError, match=r"broken\.png"):
        shown_canvas.load_image_file(bad)
    assert np.array_equal(shown_canvas.image_array(), before)
    shown_canvas.undo()
    assert shown_canvas.is_blank(), "a failed load must not add an undo step"


def _drop(canvas: Canvas, mime: QMimeData) -> bool:
    """Send the drag-enter and drop events a file manager would send; returns the enter's verdict."""
    position = QPointF(canvas.width() / 2, canvas.height() / 2)
    enter = QDragEnterEvent(position.toPoint(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(canvas, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(position, Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(canvas, drop)
    return True


def test_dropping_a_png_file_puts_it_on_the_canvas(shown_canvas: Canvas, tmp_path: Path, qtbot: QtBot) -> None:
    picture = np.full((40, 40), 255, np.uint8)
    picture[5:35, 18:22] = 0
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(_save_png(tmp_path / "one.png", picture)))])
    with qtbot.waitSignal(shown_canvas.imageChanged):
        assert _drop(shown_canvas, mime)
    assert ink(shown_canvas).sum() > 500
    shown_canvas.undo()
    assert shown_canvas.is_blank(), "a drop is undoable"


def test_dropping_a_bad_file_reports_it_and_changes_nothing(shown_canvas: Canvas, tmp_path: Path, qtbot: QtBot) -> None:
    bad = tmp_path / "notes.png"
    bad.write_text("hello")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(bad))])
    with qtbot.waitSignal(shown_canvas.loadFailed) as blocker:
        _drop(shown_canvas, mime)
    assert "notes.png" in blocker.args[0]
    assert shown_canvas.is_blank() and not shown_canvas.can_undo()


def test_text_without_files_is_not_accepted_as_a_drop(shown_canvas: Canvas) -> None:
    mime = QMimeData()
    mime.setText("just words")
    assert not _drop(shown_canvas, mime)


def test_paste_uses_the_clipboards_image(shown_canvas: Canvas) -> None:
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    for y in range(8, 56):
        for x in range(28, 36):
            image.setPixel(x, y, 0xFF000000)
    QGuiApplication.clipboard().setImage(image)
    shown_canvas.paste()
    assert ink(shown_canvas).sum() > 1000


def test_paste_uses_a_copied_image_file(shown_canvas: Canvas, tmp_path: Path) -> None:
    picture = np.full((30, 30), 255, np.uint8)
    picture[3:27, 3:27] = 0
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(_save_png(tmp_path / "square.png", picture)))])
    QGuiApplication.clipboard().setMimeData(mime)
    shown_canvas.paste()
    assert ink(shown_canvas).sum() > 20_000


def test_paste_without_an_image_reports_it(shown_canvas: Canvas, qtbot: QtBot) -> None:
    QGuiApplication.clipboard().setText("seven")
    with qtbot.waitSignal(shown_canvas.loadFailed) as blocker:
        shown_canvas.paste()
    assert "clipboard" in blocker.args[0].lower()
    assert shown_canvas.is_blank()


# ---- the strokes kept as vectors -----------------------------------------------------------


def test_the_canvas_keeps_each_stroke_as_points_with_times_and_pen_width(
        shown_canvas: Canvas, draw, qtbot: QtBot) -> None:
    assert shown_canvas.drawing() is None, "nothing drawn yet"
    shown_canvas.set_brush_size(20)
    draw(shown_canvas, [LINE])
    qtbot.wait(20)
    shown_canvas.set_brush_size(30)
    draw(shown_canvas, [[(140.0, 40.0), (140.0, 240.0)]])
    drawing = shown_canvas.drawing()
    assert drawing is not None and drawing.size == RESOLUTION
    first, second = drawing.strokes
    assert (first.width, second.width) == (20.0, 30.0) and not first.eraser
    xs = [x for x, _, _ in first.points]
    assert min(xs) == pytest.approx(60, abs=1.5) and max(xs) == pytest.approx(220, abs=1.5)
    assert {round(y) for _, y, _ in first.points} == {140}
    times = [t for *_, t in first.points + second.points]
    assert times == sorted(times) and times[0] >= 0 and second.points[0][2] > first.points[-1][2]
    shown_canvas.undo()
    assert shown_canvas.drawing() == Drawing((first,), RESOLUTION), "undo takes the stroke back"
    shown_canvas.redo()
    assert shown_canvas.drawing() == drawing


def test_the_eraser_and_a_brush_change_mid_stroke_are_kept_as_strokes(shown_canvas: Canvas, draw) -> None:
    shown_canvas.set_brush_size(20)
    draw(shown_canvas, [LINE])
    shown_canvas.set_eraser(True)
    draw(shown_canvas, [[(140.0, 100.0), (140.0, 180.0)]])
    drawing = shown_canvas.drawing()
    assert drawing is not None and [s.eraser for s in drawing.strokes] == [False, True]


def test_the_kept_strokes_render_like_the_canvas(shown_canvas: Canvas, draw) -> None:
    shown_canvas.set_brush_size(22)
    draw(shown_canvas, [[(140, 45), (95, 70), (80, 140), (95, 210), (140, 235), (185, 210), (200, 140)]])
    drawing = shown_canvas.drawing()
    assert drawing is not None
    rendered = render_drawing(drawing) < 128
    shown = ink(shown_canvas)
    overlap = (rendered & shown).sum() / (rendered | shown).sum()
    assert overlap > 0.8, f"the strokes redraw the canvas's ink (IoU {overlap:.2f})"


def test_an_opened_image_has_no_strokes_and_clear_starts_a_new_drawing(
        shown_canvas: Canvas, draw, tmp_path: Path) -> None:
    array = np.full((40, 40), 255, np.uint8)
    array[10:30, 18:22] = 0
    shown_canvas.load_image_file(_save_png(tmp_path / "digit.png", array))
    draw(shown_canvas, [LINE])
    assert shown_canvas.drawing() is None, "strokes alone would not show the opened image"
    shown_canvas.clear()
    draw(shown_canvas, [LINE])
    drawing = shown_canvas.drawing()
    assert drawing is not None and len(drawing.strokes) == 1
