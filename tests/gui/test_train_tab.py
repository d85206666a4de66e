"""The Train tab driven like a user: real clicks on Start and Stop, tiny real-MNIST runs.

Each run trains an MLP on 600 real digits for a second or two; TensorFlow is imported once per
module. No thread may outlive its test.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QTableWidget
from pytestqt.qtbot import QtBot

from digitpad.core.evaluation import evaluate
from digitpad.core.formatting import accuracy_text
from digitpad.core.inference import Predictor
from digitpad.core.model_file import load_keras_model
from digitpad.gui.app_state import AppState
from digitpad.gui.train_tab import TrainTab
from tests.gui.conftest import HELD_OUT_IMAGES, TRAINING_IMAGES

TIMEOUT_MS = 60_000


def live_threads() -> set[int]:
    """Native ids of the Python-visible threads that still run.

    Python 3.11 keeps a `_DummyThread` entry for every foreign (Qt) thread that ever ran Python
    code, even after it ended, so `threading.active_count()` alone would count dead QThreads;
    /proc tells whether the OS thread is really still there.
    """
    return {
        t.native_id
        for t in threading.enumerate()
        if t.native_id is not None and os.path.exists(f"/proc/self/task/{t.native_id}")
    }


@pytest.fixture
def tab(train_tab: TrainTab) -> TrainTab:
    return train_tab   # tests/gui/conftest.py: shown, and every job joined afterwards


def configure(tab: TrainTab, path: Path | str, *, epochs: int, architecture: str = "mlp") -> None:
    form = tab.form
    form.dataset_combo.setCurrentIndex(form.dataset_combo.findData(None))
    form.path_edit.setText(str(path))
    form.architecture_combo.setCurrentIndex(form.architecture_combo.findData(architecture))
    form.epochs_spin.setValue(epochs)
    form.batch_size_spin.setValue(32)
    form.validation_spin.setValue(10)
    form.patience_spin.setValue(0)
    form.dropout_spin.setValue(0.0)
    form.batch_norm_check.setChecked(False)
    form.augment_check.setChecked(False)


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def column_texts(table: QTableWidget, column: int) -> list[str]:
    items = [table.item(row, column) for row in range(table.rowCount())]
    return [item.text() if item is not None else "" for item in items]


def batch_points(tab: TrainTab) -> int:
    tab.curves.flush()
    x = tab.curves.train_loss_item.xData
    return 0 if x is None else len(x)


def test_summary_waits_for_tensorflow_then_counts_mlp_parameters(qtbot: QtBot, empty_state: AppState) -> None:
    tab = TrainTab(empty_state)
    qtbot.addWidget(tab)
    tab.form.architecture_combo.setCurrentIndex(tab.form.architecture_combo.findData("mlp"))
    assert not tab.train_button.isEnabled()
    assert "TensorFlow" in tab.train_button.toolTip()
    assert tab.param_label.text().startswith("Loading TensorFlow")
    assert tab.summary_table.rowCount() == 0

    empty_state.start_tensorflow_loading()
    qtbot.waitUntil(lambda: "101,770" in tab.param_label.text(), timeout=TIMEOUT_MS)
    assert tab.train_button.isEnabled()
    kinds = column_texts(tab.summary_table, 0)
    assert kinds[-2:] == ["Dense", "Dense"] and "Flatten" in kinds
    shapes = column_texts(tab.summary_table, 1)
    assert shapes[-1] == "10" and "784" in shapes
    params = [int(text.replace(",", "")) for text in column_texts(tab.summary_table, 2)]
    assert sum(params) == 101_770 and 100_480 in params  # 784 * 128 + 128

    tab.form.architecture_combo.setCurrentIndex(tab.form.architecture_combo.findData("seed-cnn"))
    qtbot.waitUntil(lambda: "85,146" in tab.param_label.text(), timeout=TIMEOUT_MS)
    tab.form.batch_norm_check.setChecked(True)
    qtbot.waitUntil(lambda: "trainable" in tab.param_label.text(), timeout=TIMEOUT_MS)
    tab.shutdown()


def test_training_run_fills_curves_per_batch_and_ends_with_test_metrics(qtbot: QtBot, tab: TrainTab, digits_npz: Path) -> None:
    configure(tab, digits_npz, epochs=2)
    seen_points: list[int] = []
    formats: list[str] = []

    def record(_report: object) -> None:  # runs on the GUI thread, after the tab's own slot
        seen_points.append(batch_points(tab))
        formats.append(tab.progress.bar.format())

    tab.task.progressed.connect(record)
    with qtbot.waitSignal(tab.task.finished, timeout=TIMEOUT_MS):
        click(qtbot, tab.train_button)
        assert not tab.train_button.isEnabled() and tab.stop_button.isEnabled()
        assert not tab.form.isEnabled()

    result = tab.result
    assert result is not None and not result.run.stopped_by_user
    batches_per_epoch = -(-round(TRAINING_IMAGES * 0.9) // 32)  # 432 training images after validation
    batches = len(result.run.batch_history["loss"])
    assert batches == 2 * batches_per_epoch
    assert batch_points(tab) == batches
    assert len(tab.curves.val_loss_item.xData) == 2
    np.testing.assert_allclose(tab.curves.val_loss_item.xData, [1.0, 2.0])
    assert seen_points == sorted(seen_points)  # the curve only grows while training runs
    assert len(seen_points) < batches  # bundled: far fewer signals than batches, none lost
    growing = [points for points in seen_points if points]
    assert growing[0] < batches and growing[-1] == batches
    assert any(f.startswith("Epoch 2 of 2") for f in formats)
    assert tab.progress.bar.format() == "Done"

    # The shown numbers are the model's real scores on the 120 held-out digits.
    with np.load(digits_npz) as data:
        x_test, y_test = data["x_test"], data["y_test"]
    assert result.run.model is None and result.model_file is not None  # handed over by the engine as a file
    keras_model = load_keras_model(result.model_file)
    predicted = keras_model.predict_on_batch(x_test[..., None].astype(np.float32) / 255).argmax(axis=1)
    assert result.evaluation.accuracy == pytest.approx(np.mean(predicted == y_test))
    assert result.evaluation.accuracy > 0.5
    # The results page opens on the full evaluation: the 120 test digits, every answer kept.
    assert tab.pages.currentIndex() == 1 and tab.results_stack.currentIndex() == 1
    shown = tab.evaluation.evaluated()
    assert shown is not None and shown.evaluation is result.evaluation
    assert tab.evaluation.accuracy_label.text() == accuracy_text(result.evaluation.accuracy)
    assert tab.evaluation.loss_label.text() == f"{result.evaluation.loss:.4f}"
    assert tab.evaluation.details_label.text().endswith(
        f"tested on {digits_npz.name} test, 120: {len(result.evaluation.misclassified)} of 120 wrong.")
    assert tab.evaluation.per_class_proxy.rowCount() == 10
    assert int(shown.evaluation.confusion.sum()) == HELD_OUT_IMAGES
    np.testing.assert_array_equal(shown.predicted, predicted)
    assert tab.train_button.isEnabled() and not tab.stop_button.isEnabled()

    # The run is in the run log, and the Runs page lists it.
    # A tile of the new, unsaved model is explained by that Keras model, off the GUI thread.
    view = tab.evaluation
    view.gallery.view.scrollToTop()
    qtbot.mouseClick(view.gallery.view.viewport(), Qt.MouseButton.LeftButton, pos=view.gallery.tile_rect(0).center())
    first = int(shown.select()[0])
    assert view.selected_sample() == first
    qtbot.waitUntil(lambda: not view.explanation_image.pixmap().isNull(), timeout=TIMEOUT_MS)
    assert f"towards {int(predicted[first])}" in view.explanation_note.text()

    (recorded,) = tab._state.run_log.runs()
    assert recorded.origin == "window" and recorded.test_accuracy == pytest.approx(result.evaluation.accuracy)
    assert recorded.history["val_loss"] == pytest.approx(result.run.epoch_history["val_loss"])
    assert recorded.model_name is None

    # Save to the library under a chosen name: the library lists it with its metadata.
    tab.saver.name_edit.clear()
    qtbot.keyClicks(tab.saver.name_edit, "my first mlp")
    with qtbot.waitSignal(tab._state.libraryChanged, timeout=TIMEOUT_MS):
        click(qtbot, tab.saver.save_button)
    entries = {entry.name: entry for entry in tab._state.library.entries()}
    assert "my first mlp" in entries
    metadata = entries["my first mlp"].metadata
    assert metadata is not None
    assert metadata.architecture["name"] == "mlp"
    assert metadata.test_metrics["accuracy"] == pytest.approx(result.evaluation.accuracy)
    assert metadata.history["val_loss"] == pytest.approx(result.run.epoch_history["val_loss"])
    assert metadata.param_count == 101_770
    assert not tab.saver.save_button.isEnabled()
    (recorded,) = tab._state.run_log.runs()
    assert recorded.model_name == "my first mlp" and recorded.model_path == entries["my first mlp"].path


def test_stop_ends_training_and_keeps_the_weights(qtbot: QtBot, tab: TrainTab, digits_npz: Path) -> None:
    configure(tab, digits_npz, epochs=300)
    full_run = 300 * 14
    click(qtbot, tab.train_button)
    qtbot.waitUntil(lambda: batch_points(tab) >= 20, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(tab.task.finished, timeout=TIMEOUT_MS):
        click(qtbot, tab.stop_button)
        assert not tab.stop_button.isEnabled()

    result = tab.result
    assert result is not None and result.run.stopped_by_user
    batches = len(result.run.batch_history["loss"])
    assert 20 <= batches < full_run
    assert batch_points(tab) == batches
    assert tab.progress.bar.format().startswith("Stopped")
    assert tab.progress.label.text().startswith(f"Stopped by you after {batches:,} batches (")
    assert tab.evaluation.accuracy_label.text() == accuracy_text(result.evaluation.accuracy)
    assert tab._state.run_log.runs()[0].stopped_by_user

    # "Use for drawing" saves first, then the Draw tab's predictor is this very model.
    with qtbot.waitSignal(tab._state.predictorChanged, timeout=TIMEOUT_MS) as changed:
        click(qtbot, tab.saver.use_button)
    entry = tab.saver.saved_entry
    assert entry is not None and entry.name in [e.name for e in tab._state.library.entries()]
    assert changed.args is not None
    predictor = changed.args[0]
    assert isinstance(predictor, Predictor)
    assert predictor.path == entry.path and tab._state.predictor is predictor
    with np.load(digits_npz) as data:
        x_test, y_test = data["x_test"], data["y_test"]
    x = x_test[:20].astype(np.float32) / 255
    assert result.model_file is not None
    trained = np.asarray(load_keras_model(result.model_file).predict_on_batch(x[..., None]))
    np.testing.assert_allclose(predictor.predict_prepared(x), trained, atol=1e-5)
    assert evaluate(predictor.predict_prepared, x_test, y_test).accuracy == pytest.approx(result.evaluation.accuracy)
    assert result.evaluation.accuracy > 0.5  # 20+ batches of learning, far above chance (0.1)


def test_the_tensorboard_box_logs_the_run_with_keras_callback(qtbot: QtBot, tab: TrainTab, digits_npz: Path,
                                                           tmp_path: Path) -> None:
    configure(tab, digits_npz, epochs=2)
    assert not tab.form.tensorboard_edit.isEnabled(), "the folder waits for the box"
    qtbot.mouseClick(tab.form.tensorboard_check, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    assert tab.form.tensorboard_check.isChecked() and tab.form.tensorboard_edit.isEnabled()
    tab.form.tensorboard_edit.setText(str(tmp_path / "logs"))
    with qtbot.waitSignal(tab.task.finished, timeout=TIMEOUT_MS):
        click(qtbot, tab.train_button)
    assert not tab.error_banner.isVisible(), tab.error_label.text()
    (run_folder,) = (tmp_path / "logs").iterdir()
    assert list(run_folder.rglob("events.out.tfevents.*"))
    (recorded,) = tab._state.run_log.runs()
    assert recorded.tensorboard_dir == run_folder and len(recorded.history["loss"]) == 2


def test_find_learning_rate_waits_for_a_data_file_in_the_train_tab(tab: TrainTab, digits_npz: Path) -> None:
    """The tab hands the form its state: with TensorFlow ready, Find… needs only the data."""
    configure(tab, digits_npz, epochs=1)
    assert tab.form.find_rate_button.isEnabled()
    tab.form.path_edit.clear()
    assert not tab.form.find_rate_button.isEnabled()


def test_bad_dataset_file_shows_a_message_and_the_tab_recovers(qtbot: QtBot, tab: TrainTab, tmp_path: Path) -> None:
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"this is not a zip archive")
    configure(tab, bad, epochs=1)
    with qtbot.waitSignal(tab.task.finished, timeout=TIMEOUT_MS):
        click(qtbot, tab.train_button)
    assert tab.error_banner.isVisible()
    assert "broken.npz" in tab.error_label.text()
    assert tab.result is None and tab.results_stack.currentIndex() == 0
    assert tab._state.run_log.runs() == []
    assert tab.train_button.isEnabled() and tab.form.isEnabled()

    tab.form.path_edit.clear()
    click(qtbot, tab.train_button)
    assert "Choose a dataset" in tab.error_label.text()
    assert not tab.task.is_running()


def test_shutdown_during_training_joins_the_worker(qtbot: QtBot, tab: TrainTab, digits_npz: Path) -> None:
    baseline = live_threads()
    configure(tab, digits_npz, epochs=300)
    click(qtbot, tab.train_button)
    qtbot.waitUntil(lambda: batch_points(tab) >= 5, timeout=TIMEOUT_MS)
    assert tab.task.is_running()
    tab.shutdown()
    assert not tab.task.is_running()
    QApplication.processEvents()
    assert live_threads() == baseline


def test_settings_are_remembered(qtbot: QtBot, ready_state: AppState, digits_npz: Path) -> None:
    first = TrainTab(ready_state)
    qtbot.addWidget(first)
    configure(first, digits_npz, epochs=7, architecture="seed-cnn")
    first.form.learning_rate_spin.setValue(0.0003)
    first.form.dropout_spin.setValue(0.25)
    first.form.patience_spin.setValue(3)
    first.shutdown()

    second = TrainTab(ready_state)
    qtbot.addWidget(second)
    spec = second.form.training_spec()
    assert second.form.source() == str(digits_npz)
    assert spec.architecture.name == "seed-cnn" and spec.architecture.dropout == pytest.approx(0.25)
    assert spec.epochs == 7 and spec.batch_size == 32 and spec.early_stopping == 3
    assert spec.learning_rate == pytest.approx(0.0003)
    second.shutdown()


def test_form_turns_widgets_into_a_training_spec(qtbot: QtBot, ready_state: AppState) -> None:
    tab = TrainTab(ready_state)
    qtbot.addWidget(tab)
    form = tab.form
    form.validation_spin.setValue(0)
    form.patience_spin.setValue(4)
    assert not form.patience_spin.isEnabled()
    assert form.training_spec().early_stopping is None  # early stopping needs validation data
    form.learning_rate_spin.setValue(0.001)
    form.learning_rate_spin.stepBy(1)
    assert form.learning_rate_spin.value() == pytest.approx(0.002)
    form.learning_rate_spin.stepBy(-2)
    assert form.learning_rate_spin.value() == pytest.approx(0.0005)
    form.batch_size_spin.setValue(64)
    form.batch_size_spin.stepBy(1)
    assert form.batch_size_spin.value() == 128
    form.dataset_combo.setCurrentIndex(form.dataset_combo.findData("fashion-mnist"))
    assert form.source() == "fashion-mnist" and not form.path_edit.isVisibleTo(form)
    tab.shutdown()
