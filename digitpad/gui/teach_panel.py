"""The Draw tab's strip for teaching digitpad a hand: keep a drawing under its true label.

After any prediction a digit key (or a click on a class's bar) keeps the drawing in the personal
store under that label; a quiet line confirms it ("Kept as 4 — the model read 7") with Undo.
Pressing another digit while the drawing is unchanged corrects the label instead of keeping a
second copy. The guided mode asks for digits ("Draw a 3"), ten a round, neediest first
(`digitpad.core.guided_teaching`), until each has as many as the person wants; Enter keeps the
drawing as the digit asked for and clears the canvas for the next.

The store itself is behind `DigitsService`, whose worker thread does every write; this strip only
remembers which stored digit the confirmation is about, so Undo deletes exactly that one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from digitpad.core.guided_teaching import DEFAULT_TARGET, MAX_TARGET, next_round
from digitpad.core.strokes import Drawing
from digitpad.gui.digits_service import DigitsService
from digitpad.gui.i18n import QT_TRANSLATE_NOOP
from digitpad.gui.widgets import muted_label, named

CONFIRMATION_MS = 12_000     # how long "Kept as 4" stays before the strip falls quiet again
IDLE_TEXT = QT_TRANSLATE_NOOP("TeachPanel", "Press 0–9 or click a bar to keep this drawing as that digit in My digits")


@dataclass(frozen=True)
class Capture:
    """What is kept of the drawing on the canvas, with what the model made of it."""

    image: np.ndarray              # float32 (28, 28): the model input shown
    canvas: np.ndarray             # uint8 (280, 280): ink 0 on paper 255
    drawing: Drawing | None        # the strokes; None for an opened image
    serial: int                    # changes with every change of the canvas
    model_name: str | None
    predicted: int | None
    confidence: float | None


CaptureSource = Callable[[], "Capture | str"]   # a Capture, or why there is nothing to keep


class TeachPanel(QFrame):
    """Confirmation with Undo, and the guided "draw a 3" mode, under the canvas."""

    promptChanged = Signal(str)     # "Draw a 3" while guiding, "" otherwise: the canvas shows it

    def __init__(self, service: DigitsService, capture: CaptureSource, clear_canvas: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teachPanel")
        self._service = service
        self._capture = capture
        self._clear_canvas = clear_canvas
        self._rng = np.random.default_rng()
        self._kept_id: int | None = None       # the stored digit the confirmation is about
        self._kept_serial: int | None = None   # the canvas it was kept from
        self._pending: tuple[int, str] | None = None   # (canvas serial, text) of an add in flight
        self._plan: list[int] = []              # labels still to ask this round
        self._asked: int | None = None
        self._round_size = 0
        self._guiding = False

        self.prompt = named(QLabel(), "teachPrompt")
        self.prompt.setVisible(False)
        self.message = named(muted_label(QCoreApplication.translate("TeachPanel", IDLE_TEXT)), "teachMessage")
        self.message.setWordWrap(True)
        self.undo_button = named(QPushButton(self.tr("Undo keep")), "teachUndo")
        self.undo_button.setToolTip(self.tr("Remove the digit just kept from My digits"))
        self.undo_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.undo_button.clicked.connect(self.undo)
        self.undo_button.setVisible(False)
        self.target = named(QSpinBox(), "teachTarget")
        self.target.setRange(1, MAX_TARGET)
        self.target.setValue(DEFAULT_TARGET)
        self.target.setSuffix(self.tr(" of each"))
        self.target.setToolTip(self.tr("How many examples of each digit the guided mode asks for"))
        self.target.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.guide_button = named(QPushButton(self.tr("Teach my hand…")), "teachGuide")
        self.guide_button.setCheckable(True)
        self.guide_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.guide_button.setToolTip(self.tr("digitpad asks for digits, ten at a time; draw each and press Enter"))
        self.guide_button.toggled.connect(self._on_guide_toggled)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.prompt)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.undo_button)
        layout.addWidget(self.target)
        layout.addWidget(self.guide_button)

        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.timeout.connect(self._on_quiet)
        service.digitAdded.connect(self._on_digit_added)
        service.changed.connect(self._on_counts_changed)
        service.failed.connect(self._on_failed)

    # ---- keeping ------------------------------------------------------------------------------

    @Slot(int)
    def keep(self, label: int) -> None:
        """Keep the canvas as `label`; the same unchanged drawing again is relabelled instead."""
        capture = self._capture()
        if isinstance(capture, str):
            self._say(capture)
            return
        if self._kept_id is not None and capture.serial == self._kept_serial:
            self._service.relabel([self._kept_id], label)
            self._say(self.tr("Changed to {label}").format(label=label), undo=True)
            return
        guided = self._guiding and label == self._asked
        self._pending = (capture.serial, _kept_text(label, capture))
        self._service.add(label, capture.image, drawing=capture.drawing, canvas=capture.canvas,
                          source="guided" if guided else "drawn", model_name=capture.model_name,
                          predicted=capture.predicted, confidence=capture.confidence)
        if guided:
            self._clear_canvas()
            self._ask_next()

    def keep_asked(self) -> None:
        """Enter in the guided mode: keep the drawing as the digit asked for."""
        if self._guiding and self._asked is not None:
            self.keep(self._asked)

    @Slot()
    def undo(self) -> None:
        if self._kept_id is not None:
            self._service.delete([self._kept_id])
            self._kept_id = self._kept_serial = None
            self._say(self.tr("Removed from My digits"))

    def is_guiding(self) -> bool:
        return self._guiding

    def asked(self) -> int | None:
        return self._asked

    # ---- guided mode --------------------------------------------------------------------------

    @Slot(bool)
    def _on_guide_toggled(self, on: bool) -> None:
        self._guiding = on
        self.guide_button.setText(self.tr("Stop teaching") if on else self.tr("Teach my hand…"))
        if on:
            self._plan = []
            self._asked = None
            self._start_round(self._service.counts())
        else:
            self._asked = None
            self.prompt.setVisible(False)
            self.promptChanged.emit("")
            self._say(QCoreApplication.translate("TeachPanel", IDLE_TEXT), quiet=True)

    def _start_round(self, counts: dict[int, int]) -> None:
        self._plan = next_round(counts, self.target.value(), self._rng)
        self._round_size = len(self._plan)
        if not self._plan:
            self.guide_button.setChecked(False)
            self._say(_enough_text(self.target.value()))
            return
        self._ask_next()

    def _ask_next(self) -> None:
        if not self._plan:
            self._asked = None
            self.prompt.setText(self.tr("Round done"))
            # the next round is planned once the store's counts include this round's digits
            return
        self._asked = self._plan.pop(0)
        done = self._round_size - len(self._plan)
        self.prompt.setText(self.tr("Draw a {asked}  ·  {done} of {round_size}").format(asked=self._asked, done=done, round_size=self._round_size))
        self.prompt.setToolTip(self.tr("Draw the digit asked for, then press Enter to keep it "
                               "(or its own key if you drew another)"))
        self.prompt.setVisible(True)
        self.promptChanged.emit(self.tr("Draw a {asked}, then press Enter").format(asked=self._asked))

    # ---- service results ----------------------------------------------------------------------

    @Slot(int, int)
    def _on_digit_added(self, digit_id: int, _label: int) -> None:
        if self._pending is None:
            return   # added elsewhere (an import in My digits)
        serial, text = self._pending
        self._pending = None
        self._kept_id, self._kept_serial = digit_id, serial
        self._say(text, undo=True)

    @Slot(object)
    def _on_counts_changed(self, counts: dict[int, int]) -> None:
        # the counts include every digit kept so far, so the next round is planned on them
        if self._guiding and self._asked is None and not self._plan:
            self._start_round(counts)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self._pending is not None:
            self._pending = None
            self._say(self.tr("Not kept: {message}").format(message=message))

    # ---- the message line ---------------------------------------------------------------------

    def _say(self, text: str, *, undo: bool = False, quiet: bool = False) -> None:
        self.message.setText(text)
        self.undo_button.setVisible(undo and self._kept_id is not None)
        if quiet:
            self._quiet.stop()
        else:
            self._quiet.start(CONFIRMATION_MS)

    @Slot()
    def _on_quiet(self) -> None:
        self.message.setText(QCoreApplication.translate("TeachPanel", IDLE_TEXT))
        self.undo_button.setVisible(False)


def _kept_text(label: int, capture: Capture) -> str:
    if capture.predicted is None or capture.predicted == label:
        return QCoreApplication.translate("TeachPanel", "Kept as {label} in My digits").format(label=label)
    return QCoreApplication.translate("TeachPanel", "Kept as {label} in My digits — the model read {predicted}").format(label=label, predicted=capture.predicted)


def _enough_text(target: int) -> str:
    examples = QCoreApplication.translate("TeachPanel", "an example") if target == 1 else QCoreApplication.translate("TeachPanel", "{target} examples").format(target=target)
    return QCoreApplication.translate("TeachPanel", "Every digit has {examples}: fine-tune a model on them in My digits.").format(examples=examples)
