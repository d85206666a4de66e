"""The progress card of a running training: what it says, and that it paints each update once."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from digitpad.core.training import TrainingProgress
from digitpad.gui import style
from digitpad.gui.training_run import PROGRESS_STEPS, ProgressCard
from tests.gui.event_counter import EventCounter


def test_each_batch_report_moves_the_bar_and_paints_it_once(qtbot: QtBot) -> None:
    card = ProgressCard()
    qtbot.addWidget(card.frame)
    card.frame.setStyleSheet(style.TRAIN_TAB_STYLESHEET)
    card.frame.resize(700, 120)
    card.frame.show()
    qtbot.waitExposed(card.frame)
    paints = EventCounter(QEvent.Type.Paint)
    card.bar.installEventFilter(paints)
    report = TrainingProgress("batch", 2, 4, 1, 100, {"loss": 0.25, "accuracy": 0.9}, 4_000.0, 30.0)

    for batch in range(1, 21):
        card.show_batch(replace(report, batch=batch), stopping=False)
        QApplication.processEvents()

    assert card.bar.value() == round(PROGRESS_STEPS * 120 / 400)
    assert card.bar.format() == "Epoch 2 of 4  ·  batch 20 of 100"
    assert card.label.text() == "4,000 samples/s  ·  30 s left  ·  loss 0.2500  ·  accuracy 90.00 %"
    assert paints.count == 20  # QProgressBar alone would paint twice: at setValue, and for the new text
