"""The live training curves: per-batch smoothing, epoch axis, throttled redraws, saved
histories, overlays, thousands of redraws without new plot items or a crash, and validation
markers that a training redraw does not repaint."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QGraphicsItem
from pytestqt.qtbot import QtBot

from digitpad.gui.training_curves import FIRST_VIEW_EPOCHS, SMOOTHING, TrainingCurves, smooth


@pytest.fixture
def curves(qtbot: QtBot) -> TrainingCurves:
    widget = TrainingCurves()
    qtbot.addWidget(widget)
    widget.resize(800, 300)
    widget.show()
    return widget


def data_items(curves: TrainingCurves) -> list:
    return curves.loss_plot.getPlotItem().listDataItems() + curves.accuracy_plot.getPlotItem().listDataItems()


def ys(item) -> np.ndarray:
    """pyqtgraph stores an emptied curve's data as None."""
    return np.array([]) if item.yData is None else item.yData


def xs(item) -> np.ndarray:
    return np.array([]) if item.xData is None else item.xData


def legend_names(legend) -> list[str]:
    return [label.text for _, label in legend.items]


def test_smoothing_is_a_bias_corrected_moving_average() -> None:
    values = [1.0, 0.0, 0.0]
    b = SMOOTHING
    expected = [
        1.0,
        (b * (1 - b) * 1.0) / (1 - b**2),
        (b**2 * (1 - b) * 1.0) / (1 - b**3),
    ]
    np.testing.assert_allclose(smooth(values), expected)
    assert smooth([0.3] * 20) == pytest.approx([0.3] * 20)


def test_batches_are_drawn_after_the_throttle_timer(curves: TrainingCurves, qtbot: QtBot) -> None:
    for i in range(10):
        curves.add_batch(2.0 - 0.1 * i, 0.1 * i)
    assert len(xs(curves.train_loss_item)) == 0
    qtbot.waitUntil(lambda: len(xs(curves.train_loss_item)) == 10)
    np.testing.assert_allclose(curves.train_loss_item.xData, np.arange(1, 11))
    np.testing.assert_allclose(curves.train_loss_item.yData, smooth([2.0 - 0.1 * i for i in range(10)]))
    np.testing.assert_allclose(curves.train_accuracy_item.yData, 100 * smooth([0.1 * i for i in range(10)]))


def test_epoch_axis_places_validation_where_it_was_measured(curves: TrainingCurves) -> None:
    curves.set_batches_per_epoch(4)
    for _ in range(2):
        for _ in range(4):
            curves.add_batch(0.5, 0.8)
        curves.add_epoch(0.4, 0.9)
    curves.add_batch(0.3, 0.95)  # a third epoch, stopped after one batch
    curves.flush()
    np.testing.assert_allclose(curves.train_loss_item.xData, np.arange(1, 10) / 4)
    np.testing.assert_allclose(curves.val_loss_item.xData, [1.0, 2.0])
    np.testing.assert_allclose(curves.val_accuracy_item.yData, [90.0, 90.0])
    assert curves.loss_plot.getPlotItem().getAxis("bottom").labelText == "epoch"


def test_clear_empties_every_curve(curves: TrainingCurves) -> None:
    curves.set_batches_per_epoch(2)
    curves.add_batch(1.0, 0.5)
    curves.add_epoch(1.0, 0.5)
    curves.clear()
    for item in (curves.train_loss_item, curves.val_loss_item, curves.train_accuracy_item, curves.val_accuracy_item):
        assert len(xs(item)) == 0
    curves.add_batch(2.0, 0.25)
    curves.flush()
    np.testing.assert_allclose(curves.train_loss_item.xData, [1.0])  # counting restarted, in batches
    np.testing.assert_allclose(curves.train_loss_item.yData, [2.0])


def test_set_history_shows_a_saved_run(curves: TrainingCurves) -> None:
    history = {"loss": [0.9, 0.5, 0.3], "accuracy": [0.7, 0.85, 0.9],
               "val_loss": [0.6, 0.4, 0.35], "val_accuracy": [0.8, 0.88, 0.91]}
    curves.set_history(history)
    np.testing.assert_allclose(curves.train_loss_item.xData, [1, 2, 3])
    np.testing.assert_allclose(curves.train_loss_item.yData, history["loss"])
    np.testing.assert_allclose(curves.val_accuracy_item.yData, [80, 88, 91])
    assert legend_names(curves._loss_legend) == ["training", "validation"]

    batches = {"loss": list(np.linspace(2, 0.2, 30)), "accuracy": list(np.linspace(0.1, 0.95, 30))}
    curves.set_history(history, batches)
    assert len(curves.train_loss_item.xData) == 30
    assert curves.train_loss_item.xData[-1] == pytest.approx(3.0)  # 30 batches spread over 3 epochs
    np.testing.assert_allclose(curves.train_loss_item.yData, smooth(batches["loss"]))
    assert legend_names(curves._loss_legend) == ["training (smoothed)", "validation"]


def test_history_without_validation(curves: TrainingCurves) -> None:
    curves.set_history({"loss": [1.0, 0.5], "accuracy": [0.6, 0.8], "val_loss": [], "val_accuracy": []})
    assert len(xs(curves.val_loss_item)) == 0
    np.testing.assert_allclose(curves.train_accuracy_item.yData, [60, 80])


def test_overlay_reuses_items_and_names_models_in_the_legend(curves: TrainingCurves) -> None:
    histories = {
        "mlp": {"loss": [0.5, 0.3], "accuracy": [0.9, 0.93], "val_loss": [0.4, 0.3], "val_accuracy": [0.9, 0.94]},
        "cnn": {"loss": [0.3, 0.1], "accuracy": [0.95, 0.98], "val_loss": [0.2, 0.1], "val_accuracy": [0.96, 0.99]},
        "plain": {"loss": [0.7], "accuracy": [0.8]},
    }
    curves.overlay(histories)
    assert legend_names(curves._loss_legend) == ["mlp", "cnn", "plain"]
    assert legend_names(curves._accuracy_legend) == ["mlp", "cnn", "plain"]
    visible = [item for item in curves.accuracy_plot.getPlotItem().listDataItems() if item.isVisible()]
    curve_values = sorted(tuple(np.round(ys(item), 6)) for item in visible if len(ys(item)))
    assert (96.0, 99.0) in curve_values and (90.0, 94.0) in curve_values and (80.0,) in curve_values
    assert not curves.train_loss_item.isVisible()
    count = len(data_items(curves))

    curves.overlay({"cnn": histories["cnn"]})
    assert legend_names(curves._loss_legend) == ["cnn"]
    visible = [item for item in data_items(curves) if item.isVisible()]
    assert len(visible) == 4  # validation + training, on both plots
    assert len(data_items(curves)) == count  # items are reused, never added per call

    curves.clear()
    assert curves.train_loss_item.isVisible()
    assert [item for item in data_items(curves) if item.isVisible()] == [
        curves.train_loss_item, curves.val_loss_item, curves.train_accuracy_item, curves.val_accuracy_item,
    ]


def test_thousands_of_redraws_keep_the_same_items(curves: TrainingCurves) -> None:
    """Guards against the PySide6 6.12 `none_dealloc` crash and against items piling up."""
    curves.resize(360, 180)  # every redraw is painted; a smaller widget keeps the test quick
    items_before = data_items(curves)
    curves.set_batches_per_epoch(50)
    rng = np.random.default_rng(0)
    redraws = 3000
    for i in range(redraws):
        curves.add_batch(float(rng.random()), float(rng.random()))
        if i % 50 == 49:
            curves.add_epoch(float(rng.random()), float(rng.random()))
        curves.flush()
        QApplication.processEvents()
    assert data_items(curves) == items_before
    assert len(curves.train_loss_item.xData) == redraws
    assert len(curves.val_accuracy_item.xData) == redraws // 50
    assert curves.train_loss_item.xData[-1] == pytest.approx(redraws / 50)


def test_a_run_without_validation_has_no_validation_entry_in_its_legends(qtbot: QtBot) -> None:
    curves = TrainingCurves(validation=False)
    qtbot.addWidget(curves)
    assert legend_names(curves._loss_legend) == ["training (smoothed)"]
    assert legend_names(curves._accuracy_legend) == ["training (smoothed)"]
    curves.add_batch(0.5, 0.9)
    curves.clear()
    assert legend_names(curves._loss_legend) == ["training (smoothed)"]


def test_batches_and_epochs_are_counted_on_whole_numbers(curves: TrainingCurves) -> None:
    curves.overlay({"fold 1": {"loss": [0.9, 0.5, 0.4], "val_loss": [0.8, 0.6, 0.5],
                               "accuracy": [0.7, 0.8, 0.9], "val_accuracy": [0.7, 0.75, 0.8]}})
    axis = curves.loss_plot.getAxis("bottom")
    ticks = [value for _spacing, values in axis.tickValues(0.9, 3.1, 300) for value in values]
    assert ticks and all(float(value).is_integer() for value in ticks)
    assert {1.0, 2.0, 3.0} <= set(ticks)
    # An empty plot (0 to 1) still shows its two ends, never 0.2, 0.4…
    assert [values for _spacing, values in axis.tickValues(0.0, 1.0, 300)] == [[0.0, 1.0]]
    # Thousands of batches keep pyqtgraph's round spacing.
    wide = axis.tickValues(0.0, 5000.0, 300)
    assert wide and all(spacing >= 100 for spacing, _values in wide)


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : 4 * image.width()].copy()


def test_training_redraws_leave_the_validation_markers_to_their_cached_picture(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    painted: list[object] = []
    paint = pg.ScatterPlotItem.paint

    def counting_paint(item: pg.ScatterPlotItem, *args: object) -> None:
        painted.append(item)
        paint(item, *args)

    # Before the widget exists: PySide looks a Python override up once per object.
    monkeypatch.setattr(pg.ScatterPlotItem, "paint", counting_paint)
    curves = TrainingCurves()
    qtbot.addWidget(curves)
    curves.resize(800, 300)
    curves.show()
    qtbot.waitExposed(curves)
    curves.set_batches_per_epoch(10, 4)
    for batch in range(10):
        curves.add_batch(1.0 - 0.05 * batch, 0.5 + 0.03 * batch)
    curves.add_epoch(0.6, 0.8)
    curves.flush()
    QApplication.processEvents()
    markers = [curves.val_loss_item.scatter, curves.val_accuracy_item.scatter]
    assert all(item in painted for item in markers)
    for _ in range(3):  # let the views settle: pyqtgraph applies a new range at the next paint
        curves.repaint()
        qtbot.wait(20)

    painted.clear()
    for batch in range(4):
        curves.add_batch(0.5 - 0.01 * batch, 0.85)
        curves.flush()
        curves.repaint()
        QApplication.processEvents()
    assert xs(curves.train_loss_item)[-1] == pytest.approx(1.4)
    assert not any(item in painted for item in markers)

    curves.add_epoch(0.45, 0.87)  # new markers are drawn afresh
    curves.flush()
    QApplication.processEvents()
    assert all(item in painted for item in markers)

    cached = _pixels(curves.grab().toImage())
    for item in markers:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    assert np.array_equal(_pixels(curves.grab().toImage()), cached)  # the cache shows what painting does


def _x_span(curves: TrainingCurves) -> tuple[float, float]:
    low, high = curves.loss_plot.getViewBox().viewRange()[0]
    assert curves.accuracy_plot.getViewBox().viewRange()[0] == [low, high]
    return low, high


def test_a_short_run_is_shown_whole_from_its_first_batch_and_a_long_one_grows(curves: TrainingCurves) -> None:
    curves.set_batches_per_epoch(10, 3)
    spans = set()
    for batch in range(30):
        curves.add_batch(1.0 - 0.01 * batch, 0.5)
        curves.flush()
        spans.add(_x_span(curves))
    (low, high), = spans  # one range throughout: the axes never changed
    assert low < 0 < 3 < high < 3.1

    curves.clear()
    curves.set_batches_per_epoch(10, 30)
    curves.add_batch(1.0, 0.5)
    curves.flush()
    assert FIRST_VIEW_EPOCHS < _x_span(curves)[1] < FIRST_VIEW_EPOCHS + 0.2
    for _ in range(10 * FIRST_VIEW_EPOCHS + 5):
        curves.add_batch(0.9, 0.6)
    curves.flush()
    assert 2 * FIRST_VIEW_EPOCHS < _x_span(curves)[1] < 2 * FIRST_VIEW_EPOCHS + 0.4
    for _ in range(10 * 30 - 10 * FIRST_VIEW_EPOCHS - 6):
        curves.add_batch(0.8, 0.7)
    curves.flush()
    assert 30 < _x_span(curves)[1] < 30.7  # never beyond the planned run
