"""Several models read the same drawing side by side, and the view says where they disagree.

Seeing two networks give different answers to the same stroke is the quickest way to show a
class that models are not oracles, so a disagreement gets a banner naming each answer and the
odd one out gets a red outline.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.errors import NothingDrawnError
from digitpad.core.inference import Predictor
from digitpad.core.preprocess import preprocess
from digitpad.gui import style
from digitpad.gui.i18n import QT_TRANSLATE_NOOP, decimal
from digitpad.gui.probability_bars import ProbabilityBars
from digitpad.gui.widgets import caption, digit_pixmap, set_style_property

log = logging.getLogger(__name__)

IDLE_TEXT = QT_TRANSLATE_NOOP("CompareLive", "Draw a digit on the Draw tab: every model reads it here, live.")
NO_MODELS_TEXT = QT_TRANSLATE_NOOP("CompareLive", "Select two or more models in the table (Ctrl+click), then press Compare.")
SEEN_SCALE = 3
PANELS_PER_ROW = 3
@dataclass(frozen=True)
class ComparedModel:
    name: str
    predictor: Predictor
    class_names: tuple[str, ...]


def disagreement(answers: list[int]) -> tuple[bool, set[int]]:
    """Whether the models disagree, and which of them are the odd ones out.

    The odd ones are those not giving the most common answer; with no single most common answer
    (say 7 against 1) every model is odd, as no side can be called right.
    """
    counts = Counter(answers)
    if len(counts) <= 1:
        return False, set()
    ranked = counts.most_common()
    if ranked[0][1] == ranked[1][1]:
        return True, set(range(len(answers)))
    majority = ranked[0][0]
    return True, {index for index, answer in enumerate(answers) if answer != majority}


class ComparePanel(QFrame):
    """One model's name, its answer and its probability bars."""

    def __init__(self, model: ComparedModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("comparePanel")
        self.setProperty("disagrees", False)
        self.model = model
        title = QLabel(model.name)
        title.setObjectName("comparePanelTitle")
        title.setToolTip(str(model.predictor.path))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # long names are cut
        self.answer = QLabel("—")
        self.answer.setObjectName("comparePanelAnswer")
        self.answer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bars = ProbabilityBars(model.class_names)
        self.bars.setMinimumSize(150, 150)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(0)
        layout.addWidget(title)
        layout.addWidget(self.answer)
        layout.addWidget(self.bars, 1)
        self.setMinimumWidth(160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_probabilities(self, probabilities: np.ndarray | None) -> None:
        self.bars.set_probabilities(probabilities)
        if probabilities is None:
            self.answer.setText("—")
        else:
            top = int(np.argmax(probabilities))
            self.answer.setToolTip("")
            self.answer.setText(f"{self.model.class_names[top]}  ·  {decimal(100 * probabilities[top], 0)} %")

    def show_error(self, message: str) -> None:
        self.bars.set_probabilities(None)
        self.answer.setText(self.tr("error"))
        self.answer.setToolTip(message)

    def set_disagrees(self, disagrees: bool) -> None:
        if set_style_property(self, "disagrees", disagrees):
            self.bars.set_highlight_color(style.WARNING if disagrees else style.ACCENT)
            self.answer.style().unpolish(self.answer)  # its colour follows the panel's property
            self.answer.style().polish(self.answer)


class LiveComparison(QWidget):
    """The panels and the banner; `show_drawing` runs every model on one canvas image."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveComparison")
        self.banner = QLabel()
        self.banner.setObjectName("disagreementBanner")
        self.banner.setWordWrap(True)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.panels: list[ComparePanel] = []
        # A panel's chart takes about 20 ms to build: one per event-loop turn keeps the window
        # responsive however many models are compared.
        self._waiting: list[ComparedModel] = []
        self._drawing: np.ndarray | None = None
        self._builder = QTimer(self)
        self._builder.setSingleShot(True)
        self._builder.setInterval(0)
        self._builder.timeout.connect(self._on_build_next)
        self.seen = QLabel()  # styled by style.MODELS_TAB_STYLESHEET, set on the Models tab
        self.seen.setObjectName("compareSeen")
        self.seen.setFixedSize(28 * SEEN_SCALE, 28 * SEEN_SCALE)
        self.seen.setAccessibleName(self.tr("The 28 by 28 image every model sees"))
        self.seen.setToolTip(self.tr("The 28×28 image the models actually see, after digitpad's MNIST preprocessing"))
        seen_caption = caption(self.tr("They see"))
        seen_caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        seen_box = QVBoxLayout()
        seen_box.addStretch(1)
        seen_box.addWidget(seen_caption)
        seen_box.addWidget(self.seen)
        seen_box.addStretch(1)
        self._grid = QGridLayout()
        self._grid.setSpacing(10)
        self._grid.setContentsMargins(0, 0, 0, 0)
        holder = QWidget()
        holder.setLayout(self._grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setWidget(holder)
        body = QHBoxLayout()
        body.addLayout(seen_box)
        body.addWidget(scroll, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addLayout(body, 1)
        self._show_blank()

    def set_models(self, models: list[ComparedModel]) -> None:
        """Show these models; their panels are built over the next event-loop turns."""
        for panel in self.panels:
            self._grid.removeWidget(panel)
            panel.deleteLater()
        self.panels = []
        self._waiting = list(models)
        self._show_blank()
        if self._waiting:
            self._builder.start()
        else:
            self._builder.stop()

    def is_building(self) -> bool:
        return bool(self._waiting)

    @Slot()
    def _on_build_next(self) -> None:
        if not self._waiting:
            return
        total = len(self.panels) + len(self._waiting)
        rows = 1 if total <= PANELS_PER_ROW else 2  # four or more: two rows of taller-than-wide bars
        columns = max(1, math.ceil(total / rows))
        panel = ComparePanel(self._waiting.pop(0))
        index = len(self.panels)
        self.panels.append(panel)
        self._grid.addWidget(panel, index // columns, index % columns)
        if self._waiting:
            self._builder.start()
        else:
            self.show_drawing(self._drawing)

    def show_drawing(self, image: np.ndarray | None) -> None:
        self._drawing = image
        if image is None or not self.panels:  # a blank canvas, or nothing to compare yet
            self._show_blank()
            return
        try:
            prepared = preprocess(image)[np.newaxis]  # once for all models: they see the same 28x28
        except NothingDrawnError:
            self._show_blank()
            return
        self._show_seen(prepared[0])
        answers: dict[int, int] = {}  # panel index -> top class, for the models that answered
        for index, panel in enumerate(self.panels):
            try:
                probabilities = panel.model.predictor.predict_prepared(prepared)[0]
            except Exception as error:  # one broken model must not hide the others
                log.exception("%s could not read the drawing", panel.model.name)
                panel.show_error(str(error))
                continue
            panel.show_probabilities(probabilities)
            answers[index] = int(np.argmax(probabilities))
        disagree, odd = disagreement(list(answers.values()))
        odd_panels = {list(answers)[i] for i in odd}
        for index, panel in enumerate(self.panels):
            panel.set_disagrees(index in odd_panels)
        if not answers:
            self._set_banner("idle", self.tr("None of these models could read the drawing."))
        elif disagree:
            said = ", ".join(
                f"{self.panels[index].model.name} says {self.panels[index].model.class_names[answer]}"
                for index, answer in answers.items()
            )
            self._set_banner("disagree", self.tr("Models disagree: {said}").format(said=said))
        else:
            first = next(iter(answers))
            answer = self.panels[first].model.class_names[answers[first]]
            everyone = self.tr("Both models say") if len(answers) == 2 else self.tr("All {answers} models say").format(answers=len(answers))
            self._set_banner("agree", f"{everyone} {answer}")

    def _show_blank(self) -> None:
        for panel in self.panels:
            panel.show_probabilities(None)
            panel.set_disagrees(False)
        self._show_seen(None)
        self._set_banner("idle", QCoreApplication.translate("CompareLive", IDLE_TEXT if self.panels or self._waiting else NO_MODELS_TEXT))

    def _show_seen(self, prepared: np.ndarray | None) -> None:
        self.seen.setPixmap(digit_pixmap(prepared, 28 * SEEN_SCALE, smooth=False))

    def _set_banner(self, kind: str, text: str) -> None:
        self.banner.setText(text)
        set_style_property(self.banner, "kind", kind)  # re-polished only when the kind changes
