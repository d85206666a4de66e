"""Several models read the same drawing side by side, and the view says where they disagree.

Seeing two networks give different answers to the same stroke is the quickest way to show a
class that models are not oracles, so a disagreement gets a banner naming each answer and the
odd one out gets a red outline.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from digitpad.core.errors import DigitpadError, NothingDrawnError
from digitpad.core.inference import Predictor
from digitpad.core.preprocess import preprocess
from digitpad.gui import style
from digitpad.gui.probability_bars import ProbabilityBars

BANNER_STYLES = {
    "idle": f"background: {style.SURFACE}; color: {style.MUTED}; border: 1px solid {style.BORDER};",
    "agree": "background: #dcfce7; color: #166534; border: 1px solid #86efac;",
    "disagree": f"background: {style.WARNING_SOFT}; color: #92400e; border: 1px solid {style.WARNING};",
}
PANEL_STYLE = f"""
QFrame#comparePanel {{ border: 1px solid {style.BORDER}; border-radius: 10px; background: {style.SURFACE}; }}
QFrame#comparePanel[disagrees="true"] {{ border: 3px solid {style.WARNING}; }}
QLabel#comparePanelTitle {{ color: {style.TEXT}; font-weight: 600; border: none; }}
QLabel#comparePanelAnswer {{ color: {style.TEXT}; font-size: 20pt; font-weight: 700; border: none; }}
QFrame#comparePanel[disagrees="true"] QLabel#comparePanelAnswer {{ color: {style.WARNING}; }}
"""


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
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setToolTip(str(model.predictor.path))
        self.answer = QLabel("—")
        self.answer.setObjectName("comparePanelAnswer")
        self.answer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bars = ProbabilityBars(model.class_names)
        self.bars.setMinimumSize(180, 150)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(title)
        layout.addWidget(self.answer)
        layout.addWidget(self.bars, 1)
        self.setMinimumWidth(230)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_probabilities(self, probabilities: np.ndarray | None) -> None:
        self.bars.set_probabilities(probabilities)
        if probabilities is None:
            self.answer.setText("—")
        else:
            top = int(np.argmax(probabilities))
            self.answer.setText(f"{self.model.class_names[top]}  ·  {100 * probabilities[top]:.0f} %")

    def set_disagrees(self, disagrees: bool) -> None:
        if self.property("disagrees") == disagrees:
            return
        self.setProperty("disagrees", disagrees)
        self.bars.set_highlight_color(style.WARNING if disagrees else style.ACCENT)
        for widget in (self, self.answer):
            widget.style().unpolish(widget)
            widget.style().polish(widget)


class LiveComparison(QWidget):
    """The panels and the banner; `show_drawing` runs every model on one canvas image."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveComparison")
        self.setStyleSheet(PANEL_STYLE)
        self.banner = QLabel()
        self.banner.setObjectName("disagreementBanner")
        self.banner.setWordWrap(True)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.panels: list[ComparePanel] = []
        self._row = QHBoxLayout()
        self._row.setSpacing(10)
        holder = QWidget()
        holder.setLayout(self._row)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        self._set_banner("idle", "Draw a digit on the Draw tab: every model reads it here, live.")

    def set_models(self, models: list[ComparedModel]) -> None:
        for panel in self.panels:
            self._row.removeWidget(panel)
            panel.deleteLater()
        self.panels = [ComparePanel(model) for model in models]
        for panel in self.panels:
            self._row.addWidget(panel)

    def show_drawing(self, image: np.ndarray | None) -> None:
        if not self.panels:
            return
        if image is None:
            self._show_blank()
            return
        try:
            prepared = preprocess(image)[np.newaxis]  # once for all models: they see the same 28x28
        except NothingDrawnError:
            self._show_blank()
            return
        answers: list[int] = []
        for panel in self.panels:
            try:
                probabilities = panel.model.predictor.predict_prepared(prepared)[0]
            except DigitpadError as error:  # a model refusing the image must not hide the others
                panel.show_probabilities(None)
                panel.answer.setText("error")
                panel.answer.setToolTip(str(error))
                answers.append(-1)
                continue
            panel.show_probabilities(probabilities)
            answers.append(int(np.argmax(probabilities)))
        disagree, odd = disagreement(answers)
        for index, panel in enumerate(self.panels):
            panel.set_disagrees(index in odd)
        if disagree:
            said = ", ".join(
                f"{panel.model.name} says {panel.model.class_names[answer] if answer >= 0 else '(error)'}"
                for panel, answer in zip(self.panels, answers, strict=True)
            )
            self._set_banner("disagree", f"Models disagree: {said}")
        else:
            answer = self.panels[0].model.class_names[answers[0]]
            everyone = "Both models say" if len(self.panels) == 2 else f"All {len(self.panels)} models say"
            self._set_banner("agree", f"{everyone} {answer}")

    def _show_blank(self) -> None:
        for panel in self.panels:
            panel.show_probabilities(None)
            panel.set_disagrees(False)
        self._set_banner("idle", "Draw a digit on the Draw tab: every model reads it here, live.")

    def _set_banner(self, kind: str, text: str) -> None:
        self.banner.setProperty("kind", kind)
        self.banner.setText(text)
        self.banner.setStyleSheet(
            f"QLabel#disagreementBanner {{ {BANNER_STYLES[kind]} border-radius: 6px; padding: 8px;"
            " font-size: 12pt; font-weight: 600; }"
        )
