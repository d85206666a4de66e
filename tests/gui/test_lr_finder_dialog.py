"""The learning-rate finder driven like a user: "Find…" beside the Learning rate field, the loss
drawn live against the rate, "Use …", Cancel and errors, on 480 real MNIST digits.

An MLP sweep of 250 batches takes a few seconds; TensorFlow is imported once per module. No
thread may outlive its test.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton
from pytestqt.qtbot import QtBot

from digitpad.core.architectures import ArchitectureSpec
from digitpad.core.lr_finder import LrFinderRequest, LrFinderResult
from digitpad.gui.app_state import AppState
from digitpad.gui.lr_finder_dialog import LrFinderDialog, rate_text, rounded_rate
from digitpad.gui.training_form import TrainingForm

TIMEOUT_MS = 120_000


@pytest.fixture
def form(qtbot: QtBot, ready_state: AppState, digits_npz: Path) -> Iterator[TrainingForm]:
    widget = TrainingForm(state=ready_state)
    qtbot.addWidget(widget)
    use_file(widget, digits_npz)
    widget.architecture_combo.setCurrentIndex(widget.architecture_combo.findData("mlp"))
    widget.batch_size_spin.setValue(32)
    widget.learning_rate_spin.setValue(0.01)
    widget.resize(380, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def use_file(form: TrainingForm, path: Path) -> None:
    form.dataset_combo.setCurrentIndex(form.dataset_combo.findData(None))
    form.path_edit.setText(str(path))


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def drawn_points(dialog: LrFinderDialog) -> int:
    x = dialog.smoothed_item.xData
    return 0 if x is None else len(x)


def long_request(source: Path) -> LrFinderRequest:
    """A sweep over rates too small to explode, seconds long so that it is stopped part-way
    (tiny batches: the core copies every batch's rows up front)."""
    return LrFinderRequest(source=str(source), architecture=ArchitectureSpec(name="mlp"), optimizer="sgd",
                           batch_size=4, seed=0, title="MLP (dense) with SGD", batches=3000,
                           min_lr=1e-6, max_lr=1e-5)


def test_rates_read_as_people_write_them() -> None:
    assert rate_text(0.0015) == "1.5e-3"
    assert rate_text(0.00153) == "1.5e-3"
    assert rate_text(1e-4) == "1e-4"
    assert rate_text(1.0) == "1"
    assert rounded_rate(0.00153) == pytest.approx(0.0015)


def test_find_waits_for_tensorflow_and_for_data(qtbot: QtBot, empty_state: AppState, digits_npz: Path) -> None:
    alone = TrainingForm()
    qtbot.addWidget(alone)
    assert not alone.find_rate_button.isEnabled()

    form = TrainingForm(state=empty_state)
    qtbot.addWidget(form)
    assert form.source() == "mnist"
    assert not form.find_rate_button.isEnabled()
    assert "TensorFlow" in form.find_rate_button.toolTip()

    with qtbot.waitSignal(empty_state.tensorflowReady, timeout=TIMEOUT_MS):
        empty_state.start_tensorflow_loading()
    assert form.find_rate_button.isEnabled()
    form.dataset_combo.setCurrentIndex(form.dataset_combo.findData(None))
    form.path_edit.clear()
    assert not form.find_rate_button.isEnabled()
    assert "dataset" in form.find_rate_button.toolTip()
    form.path_edit.setText(str(digits_npz))
    assert form.find_rate_button.isEnabled()


def test_the_loss_grows_live_and_use_puts_the_suggestion_in_the_form(qtbot: QtBot, form: TrainingForm) -> None:
    form.optimizer_combo.setCurrentIndex(form.optimizer_combo.findData("adam"))
    click(qtbot, form.find_rate_button)
    dialog = form.lr_finder
    assert dialog is not None and dialog.isVisible() and dialog.is_running()
    assert dialog.request.architecture.name == "mlp" and dialog.request.batch_size == 32
    assert dialog.request.optimizer == "adam" and dialog.request.source == form.source()
    assert not dialog.use_button.isEnabled()

    counts: list[int] = []

    def record(_bundle: object) -> None:  # runs on the GUI thread, after the dialog's own slot
        counts.append(drawn_points(dialog))

    dialog.task.progressed.connect(record)
    with qtbot.waitSignal(dialog.task.finished, timeout=TIMEOUT_MS):
        pass
    sweep = dialog.sweep
    assert isinstance(sweep, LrFinderResult), dialog.status_label.text()
    # Drawn while it ran, bundle by bundle, not only at the end.
    assert len(counts) >= 2 and counts == sorted(counts) and counts[0] < counts[-1]
    assert drawn_points(dialog) == len(sweep.losses) == len(dialog.raw_item.yData)
    suggested = rate_text(sweep.suggested)
    assert dialog.suggestion_line.isVisible()
    assert dialog.suggestion_line.value() == pytest.approx(math.log10(sweep.suggested))
    assert dialog.suggestion_line.label.toPlainText() == suggested
    assert suggested in dialog.status_label.text() and sweep.rule in dialog.rule_label.text()
    assert dialog.cancel_button.text() == "Close"
    assert dialog.use_button.text() == f"Use {suggested}"

    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT_MS):
        click(qtbot, dialog.use_button)
    assert form.learning_rate_spin.value() == pytest.approx(rounded_rate(sweep.suggested))
    assert form.training_spec().learning_rate == pytest.approx(rounded_rate(sweep.suggested))
    assert form.lr_finder is None
    assert form.find_rate_button.isEnabled()


def test_cancel_stops_the_sweep_and_closes_without_a_rate(qtbot: QtBot, ready_state: AppState, digits_npz: Path) -> None:
    dialog = LrFinderDialog(long_request(digits_npz), engine=ready_state.engine)
    qtbot.addWidget(dialog)
    chosen: list[float] = []
    dialog.rateChosen.connect(chosen.append)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: drawn_points(dialog) >= 3, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT_MS) as closed:
        click(qtbot, dialog.cancel_button)
        assert not dialog.cancel_button.isEnabled()
        assert "Stopping" in dialog.status_label.text()
    assert closed.args == [QDialog.DialogCode.Rejected.value]
    assert not dialog.is_running() and not dialog.isVisible()
    assert dialog.sweep is None and chosen == []


def test_a_sweep_that_fails_says_why_and_offers_no_rate(qtbot: QtBot, form: TrainingForm, tmp_path: Path) -> None:
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a dataset")
    form.path_edit.setText(str(broken))
    click(qtbot, form.find_rate_button)
    dialog = form.lr_finder
    assert dialog is not None
    with qtbot.waitSignal(dialog.task.finished, timeout=TIMEOUT_MS):
        pass
    assert dialog.status_label.property("kind") == "error"
    assert dialog.status_label.text() and not dialog.use_button.isEnabled()
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT_MS):
        click(qtbot, dialog.cancel_button)
    assert form.lr_finder is None
    assert form.learning_rate_spin.value() == pytest.approx(0.01)


def test_shutdown_joins_a_running_sweep(qtbot: QtBot, form: TrainingForm) -> None:
    click(qtbot, form.find_rate_button)
    dialog = form.lr_finder
    assert dialog is not None and dialog.is_running()
    form.shutdown()
    assert not dialog.is_running()
    assert form.learning_rate_spin.value() == pytest.approx(0.01)


def test_shutdown_of_a_dialog_mid_sweep_joins_its_worker(qtbot: QtBot, ready_state: AppState, digits_npz: Path) -> None:
    dialog = LrFinderDialog(long_request(digits_npz), engine=ready_state.engine)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: drawn_points(dialog) >= 3, timeout=TIMEOUT_MS)
    dialog.shutdown()
    assert not dialog.is_running() and not dialog.isVisible()
