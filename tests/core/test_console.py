"""The CLI's training progress: Keras' Progbar on a terminal, one line per epoch everywhere."""

from __future__ import annotations

import io

import pytest

from digitpad.console import TrainingProgressPrinter
from digitpad.core.training import TrainingProgress
from digitpad.core.workflows import StageProgress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def report(kind: str, batch: int, **logs: float) -> TrainingProgress:
    return TrainingProgress(kind=kind, epoch=1, epochs=2, batch=batch, batches_per_epoch=4,
                            logs=logs, samples_per_second=1234.4, seconds_left=3.0)


def run_one_epoch(printer: TrainingProgressPrinter) -> None:
    printer(StageProgress("loading", "Loading mnist…", 0.5))  # not a training report: not shown
    for batch in range(1, 5):
        printer(report("batch", batch, loss=1.0 / batch, accuracy=0.2 * batch))
    printer(report("epoch", 4, loss=0.25, accuracy=0.8, val_loss=0.3, val_accuracy=0.75))
    printer.finish()


EPOCH_LINE = "epoch 1/2  loss 0.2500  accuracy 0.8000  val_loss 0.3000  val_accuracy 0.7500  1,234 samples/s\n"


def test_without_a_terminal_only_the_epoch_lines_are_written() -> None:
    stream = io.StringIO()
    run_one_epoch(TrainingProgressPrinter(stream))
    assert stream.getvalue() == EPOCH_LINE


def test_on_a_terminal_keras_draws_the_bar_on_the_stream_not_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("keras")
    stream = Terminal()
    run_one_epoch(TrainingProgressPrinter(stream))
    written = stream.getvalue()
    assert "1/4" in written and "loss: 1.0000" in written  # Keras' Progbar, first batch
    assert "\x1b[2K" + EPOCH_LINE in written  # the bar erased before the epoch's line
    assert written.endswith(EPOCH_LINE)
    assert capsys.readouterr().out == ""
