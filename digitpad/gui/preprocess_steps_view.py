"""What the model sees, step by step: the drawing after each preprocessing stage, and what the
model would answer if preprocessing stopped there.

A small 7 in a corner or a digit drawn with a marker still reads, and people ask why. Showing
the same drawing as the model would get it after each stage (`preprocess_stages`: the drawing
squeezed to 28x28, the crop to the ink, the fit into 20x20, the centring), each with the model's
top answer, shows which step makes the difference: an answer that differs from the final one is
marked. The four images are read in one batched prediction on a worker (`read_stages`), like
every model call besides the live prediction itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QSize, Qt, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.cancellation import raise_if_stopped
from digitpad.core.preprocess_stages import PreprocessStage, stages_for
from digitpad.gui import style
from digitpad.gui.i18n import QT_TRANSLATE_NOOP, format_percent, say
from digitpad.gui.widgets import digit_pixmap, muted_label, named, set_style_property

THUMBNAIL = 64          # px: over two screen pixels per model pixel, enough to see the crop and the centring
EMPTY_TEXT = QT_TRANSLATE_NOOP("PreprocessStepsView", "Draw a digit: each step the model's input goes through appears here, with what the model reads after it.")

Predict = Callable[[np.ndarray], np.ndarray]


def stage_texts(stage: PreprocessStage) -> tuple[str, str]:
    """A stage's title and sentence in the window's language (the core marks them, in English)."""
    return say(stage.title), say(stage.explanation)


@dataclass(frozen=True)
class StagesReading:
    """The preprocessing stages of one drawing and the model's probabilities after each."""

    serial: int                            # which request it answers: an older one is dropped on arrival
    stages: tuple[PreprocessStage, ...]
    probabilities: np.ndarray              # (len(stages), classes) float32

    def answers(self) -> list[tuple[int, float]]:
        """Each stage's top class and its probability."""
        return [(int(np.argmax(row)), float(np.max(row))) for row in self.probabilities]


def read_stages(predict: Predict, drawing: np.ndarray, serial: int,
                _progress: Callable[[Any], None], stop_event: threading.Event, *,
                dataset_name: str = "") -> StagesReading:
    """The worker's job: the stages a model trained on `dataset_name` reads `drawing` (or the
    opened picture, for a whole-picture model) through, read in one batch."""
    raise_if_stopped(stop_event, QCoreApplication.translate("PreprocessStepsView", "showing the preprocessing steps"))
    stages = tuple(stages_for(drawing, dataset_name))
    probabilities = np.asarray(predict(np.stack([stage.image for stage in stages])), dtype=np.float32)
    return StagesReading(serial, stages, probabilities)


class _StageCell(QWidget):
    """One stage: its picture (a button choosing the stage whose sentence is shown), its title and
    the model's answer after it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageCell")
        self.button = named(QToolButton(), "stageImage")
        self.button.setCheckable(True)
        self.button.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.button.setFixedSize(THUMBNAIL + 8, THUMBNAIL + 8)
        self.button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.title = named(QLabel(), "stageTitle")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.answer = named(QLabel(), "stageAnswer")
        self.answer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.answer.setProperty("differs", False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.answer)
        layout.addWidget(self.title, 1)

    def show_stage(self, stage: PreprocessStage, answer: str, differs: bool) -> None:
        title, explanation = stage_texts(stage)
        self.button.setIcon(QIcon(digit_pixmap(stage.image, THUMBNAIL, smooth=False)))
        self.button.setAccessibleName(f"{title}: {answer}")
        self.button.setToolTip(explanation)
        self.title.setText(title)
        self.answer.setText(answer)
        set_style_property(self.answer, "differs", differs)


class PreprocessStepsView(QWidget):
    """The stages of the current drawing, left to right, each with the model's answer after it,
    and the sentence of the stage picked (clicked, or the first), which says why the step exists.

    The sentences are a few lines each; one at a time leaves the pictures room at the Draw tab's
    default size, where all four would need a scroll."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preprocessSteps")
        self.setStyleSheet(style.STEPS_STYLESHEET)
        self._reading: StagesReading | None = None
        self._cells: list[_StageCell] = []
        self._arrows: list[QLabel] = []      # between the cells: the order the steps run in
        self._chosen = 0
        self._buttons = QButtonGroup(self)
        self._buttons.setExclusive(True)
        self._buttons.idClicked.connect(self._on_stage_chosen)
        self.message = muted_label(QCoreApplication.translate("PreprocessStepsView", EMPTY_TEXT))
        self.message.setObjectName("stepsMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sentence = muted_label("")
        self.sentence.setObjectName("stageSentence")
        self.sentence.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._strip = QHBoxLayout()
        self._strip.setSpacing(2)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(2, 8, 2, 2)
        column.setSpacing(8)
        column.addWidget(self.message, 1)
        column.addLayout(self._strip)
        column.addWidget(self.sentence)
        column.addStretch(1)
        # In a window smaller than the default the page scrolls rather than squash the pictures.
        scroll = named(QScrollArea(), "stepsScroll")
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.show_message()

    def reading(self) -> StagesReading | None:
        """The reading shown, None while a message stands in for it."""
        return self._reading

    def cells(self) -> list[_StageCell]:
        """The stage cells shown, in order."""
        return self._cells[: len(self._reading.stages)] if self._reading is not None else []

    def chosen(self) -> int:
        """The index of the stage whose sentence is shown."""
        return self._chosen

    def show_reading(self, reading: StagesReading, class_names: Sequence[str]) -> None:
        """Show each stage with "answer · probability"; answers other than the last stage's
        (what the model actually reads) are marked."""
        self._reading = reading
        self.message.hide()
        while len(self._cells) < len(reading.stages):
            self._add_cell()
        answers = reading.answers()
        final = answers[-1][0]
        self._show_strip(len(reading.stages))
        for cell, stage, (label, probability) in zip(self._cells, reading.stages, answers, strict=False):
            cell.show_stage(stage, f"{class_names[label]} · {format_percent(probability, 0)}", label != final)
        self._choose(min(self._chosen, len(reading.stages) - 1))

    def show_message(self, text: str = EMPTY_TEXT) -> None:
        """No reading (blank canvas, no model, an error): say why instead."""
        self._reading = None
        self._show_strip(0)
        self.sentence.hide()
        self.message.setText(QCoreApplication.translate("PreprocessStepsView", text))
        self.message.show()

    def _show_strip(self, count: int) -> None:
        """Show the first `count` cells and the arrows between them."""
        for index, cell in enumerate(self._cells):
            cell.setVisible(index < count)
        for index, arrow in enumerate(self._arrows):
            arrow.setVisible(index + 1 < count)

    def _add_cell(self) -> None:
        if self._cells:
            arrow = named(QLabel("→"), "stageArrow")
            arrow.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            arrow.setContentsMargins(0, THUMBNAIL // 2 - 4, 0, 0)
            self._strip.addWidget(arrow)
            self._arrows.append(arrow)
        cell = _StageCell()
        self._buttons.addButton(cell.button, len(self._cells))
        self._strip.addWidget(cell, 1)
        self._cells.append(cell)

    @Slot(int)
    def _on_stage_chosen(self, index: int) -> None:
        self._choose(index)

    def _choose(self, index: int) -> None:
        self._chosen = index
        self._cells[index].button.setChecked(True)
        if self._reading is not None:
            title, explanation = stage_texts(self._reading.stages[index])
            self.sentence.setText(f"<b>{escape(title, quote=False)}</b>: {escape(explanation, quote=False)}")
            self.sentence.show()
