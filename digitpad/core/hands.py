"""Synthetic personal hands: stand-ins for one person's handwriting, to measure fine-tuning on.

Fine-tuning is judged on a person's own digits, and digitpad has no collection of real people's
hands that it may train or test on. These are made instead, and they are synthetic: a `Hand` is
one writer's habits, fixed once from a seed, for every digit (which form of each digit they use,
how far they slant, how narrow they write, their pen, and small quirks of shape that every digit
of theirs shares), and `draw` writes one digit in that hand with the small variation between
two digits of one person. Compared with `synthetic_digits`, whose every drawing picks its style,
slant and pen afresh (many writers at once), a hand is consistent, which is what makes a few of
its digits enough to learn it.

Drawings are `Drawing` strokes on the canvas's 280-pixel square, with the canvas's pen widths
and timestamps, so they go through the same stroke re-rendering and `preprocess` as digits
drawn in the window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from digitpad.core.preprocess import preprocess
from digitpad.core.strokes import Drawing, PenStroke, render_drawing
from digitpad.core.synthetic_digits import STYLES, Stroke

CANVAS = 280
# Forms people use that `synthetic_digits.STYLES` lacks, in the same 0.6 x 1 box (y down).
QUIRKS: dict[str, tuple[int, tuple[Stroke, ...]]] = {
    "0 slashed": (0, (
        Stroke(tuple((0.3 + 0.27 * math.sin(a), 0.5 - 0.48 * math.cos(a)) for a in np.linspace(0, 2.1 * math.pi, 16))),
        Stroke(((0.02, 0.9), (0.58, 0.1)), smooth=False),
    )),
    "0 tailed": (0, (
        Stroke(((0.45, 0.05), (0.2, 0.05), (0.03, 0.45), (0.15, 0.92), (0.4, 0.95), (0.57, 0.5), (0.5, 0.1),
                (0.3, 0.0), (0.15, 0.12))),
    )),
    "1 long flag": (1, (Stroke(((0.0, 0.5), (0.45, 0.0), (0.45, 1.0)), smooth=False),)),
    "1 hooked base": (1, (
        Stroke(((0.12, 0.3), (0.42, 0.0), (0.42, 1.0)), smooth=False),
        Stroke(((0.15, 1.0), (0.6, 1.0)), smooth=False),
    )),
    "2 z": (2, (Stroke(((0.04, 0.08), (0.56, 0.04), (0.04, 1.0), (0.6, 0.98)), smooth=False),)),
    "2 curly": (2, (
        Stroke(((0.05, 0.2), (0.3, 0.0), (0.55, 0.2), (0.4, 0.55), (0.1, 0.85), (0.02, 0.98), (0.2, 0.85),
                (0.4, 0.95), (0.6, 0.9))),
    )),
    "3 pointed": (3, (
        Stroke(((0.05, 0.1), (0.3, 0.0), (0.52, 0.15), (0.45, 0.35), (0.22, 0.48), (0.5, 0.58), (0.56, 0.8),
                (0.35, 0.98), (0.05, 0.9))),
    )),
    "4 chair": (4, (
        Stroke(((0.06, 0.0), (0.05, 0.4), (0.25, 0.6), (0.6, 0.58))),
        Stroke(((0.52, 0.0), (0.52, 1.0)), smooth=False),
    )),
    "4 open tilted": (4, (
        Stroke(((0.25, 0.0), (0.0, 0.65), (0.6, 0.6)), smooth=False),
        Stroke(((0.5, 0.3), (0.42, 1.0)), smooth=False),
    )),
    "5 flag last": (5, (
        Stroke(((0.12, 0.02), (0.08, 0.45)), smooth=False),
        Stroke(((0.08, 0.45), (0.35, 0.38), (0.55, 0.55), (0.55, 0.8), (0.35, 0.98), (0.0, 0.9))),
        Stroke(((0.14, 0.02), (0.6, 0.0)), smooth=False),
    )),
    "5 s": (5, (
        Stroke(((0.58, 0.02), (0.2, 0.05), (0.08, 0.3), (0.35, 0.42), (0.56, 0.62), (0.5, 0.88), (0.25, 1.0),
                (0.02, 0.88))),
    )),
    "6 small loop": (6, (
        Stroke(((0.55, 0.0), (0.25, 0.3), (0.12, 0.7), (0.2, 0.97), (0.42, 0.95), (0.45, 0.75), (0.28, 0.68),
                (0.13, 0.8))),
    )),
    "7 curved": (7, (
        Stroke(((0.0, 0.05), (0.55, 0.0)), smooth=False),
        Stroke(((0.55, 0.0), (0.42, 0.35), (0.3, 0.7), (0.28, 1.0))),
    )),
    "7 crossed low": (7, (
        Stroke(((0.02, 0.15), (0.0, 0.02), (0.6, 0.0), (0.25, 1.0)), smooth=False),
        Stroke(((0.15, 0.6), (0.55, 0.58)), smooth=False),
    )),
    "8 snowman": (8, (
        Stroke(tuple((0.3 + 0.15 * math.sin(a), 0.2 - 0.2 * math.cos(a)) for a in np.linspace(math.pi, 3.1 * math.pi, 14))),
        Stroke(tuple((0.3 + 0.29 * math.sin(a), 0.7 - 0.3 * math.cos(a)) for a in np.linspace(0, 2.1 * math.pi, 16))),
    )),
    "8 crossed": (8, (
        Stroke(((0.55, 0.05), (0.3, 0.0), (0.08, 0.2), (0.52, 0.75), (0.35, 1.0), (0.05, 0.8), (0.2, 0.55),
                (0.5, 0.3), (0.55, 0.05))),
    )),
    "9 g": (9, (
        Stroke(((0.55, 0.15), (0.3, 0.0), (0.06, 0.2), (0.2, 0.45), (0.5, 0.35), (0.56, 0.1))),
        Stroke(((0.56, 0.1), (0.55, 0.7), (0.4, 0.98), (0.15, 0.95), (0.05, 0.82))),
    )),
    "9 tiny loop": (9, (
        Stroke(((0.5, 0.1), (0.35, 0.0), (0.2, 0.1), (0.25, 0.28), (0.45, 0.25), (0.5, 0.08))),
        Stroke(((0.5, 0.08), (0.45, 0.5), (0.35, 1.0))),
    )),
}
FORMS: dict[str, tuple[int, tuple[Stroke, ...]]] = {**STYLES, **QUIRKS}
# A writer's own deviation from a form: every control point moved this far (fraction of height).
HAND_QUIRK = 0.07
# Between two digits of one writer: control points, slant, width, rotation, size, pen.
SAMPLE_JITTER = 0.04
SAMPLE_SLANT = 0.12
SAMPLE_ASPECT = 0.12
SAMPLE_ROTATION_DEG = 6.0
SAMPLE_SIZE = 0.16
SAMPLE_PEN = 0.24
TREMOR = 0.012
POINTS_PER_UNIT = 36  # pen samples per digit height: the canvas records about that many
SECONDS_PER_POINT = 0.008
SECONDS_BETWEEN_STROKES = 0.25


@dataclass(frozen=True)
class Hand:
    """One writer's habits: the form of each digit and how they draw all of them."""

    seed: int
    forms: tuple[str, ...]  # the name of the form of each digit 0..9 (a key of `FORMS`)
    shapes: tuple[tuple[np.ndarray, ...], ...]  # per digit, control points of each stroke, quirks applied
    smooth: tuple[tuple[bool, ...], ...]
    slant: float  # horizontal shear, widths per height, positive leaning right
    aspect: float  # how wide the writer's digits are, relative to the forms'
    rotation_deg: float
    height: float  # digit height on the canvas, pixels
    pen: float  # pen diameter on the canvas, pixels


def make_hand(seed: int, *, quirk_share: float = 0.7) -> Hand:
    """A writer fixed by `seed`: each digit's form is one of `QUIRKS` with probability
    `quirk_share` (when the digit has one), else one of `STYLES`."""
    rng = np.random.default_rng(seed)
    forms, shapes, smooth = [], [], []
    for label in range(10):
        quirks = [name for name, (digit, _) in QUIRKS.items() if digit == label]
        plain = [name for name, (digit, _) in STYLES.items() if digit == label]
        pool = quirks if quirks and rng.random() < quirk_share else plain
        name = pool[int(rng.integers(len(pool)))]
        strokes = FORMS[name][1]
        forms.append(name)
        shapes.append(tuple(
            np.asarray(stroke.points, float) + rng.normal(0.0, HAND_QUIRK, (len(stroke.points), 2))
            for stroke in strokes
        ))
        smooth.append(tuple(stroke.smooth for stroke in strokes))
    return Hand(
        seed=seed,
        forms=tuple(forms),
        shapes=tuple(shapes),
        smooth=tuple(smooth),
        slant=float(rng.uniform(-0.45, 0.45)),
        aspect=float(rng.uniform(0.6, 1.5)),
        rotation_deg=float(rng.uniform(-8.0, 8.0)),
        height=float(rng.uniform(140.0, 230.0)),
        pen=float(rng.uniform(8.0, 30.0)),
    )


def draw(hand: Hand, label: int, rng: np.random.Generator) -> Drawing:
    """One digit `label` as this writer draws it, somewhere on the canvas."""
    slant = hand.slant + rng.normal(0.0, SAMPLE_SLANT)
    aspect = hand.aspect * (1.0 + rng.normal(0.0, SAMPLE_ASPECT))
    angle = math.radians(hand.rotation_deg + rng.normal(0.0, SAMPLE_ROTATION_DEG))
    height = hand.height * (1.0 + rng.normal(0.0, SAMPLE_SIZE))
    pen = max(2.0, hand.pen * (1.0 + rng.normal(0.0, SAMPLE_PEN)))
    cos, sin = math.cos(angle), math.sin(angle)
    paths = []
    for control, smooth in zip(hand.shapes[label], hand.smooth[label], strict=True):
        moved = control + rng.normal(0.0, SAMPLE_JITTER, control.shape)
        path = _dense(moved, smooth, rng)
        x = (path[:, 0] - 0.3) * aspect + slant * (0.5 - path[:, 1])
        y = path[:, 1] - 0.5
        paths.append(np.stack((cos * x - sin * y, sin * x + cos * y), axis=1) * height)
    points = np.concatenate(paths)
    low, high = points.min(axis=0), points.max(axis=0)
    margin = pen / 2 + 4
    room = np.maximum(CANVAS - (high - low) - 2 * margin, 0.0)
    offset = margin - low + rng.uniform(0.0, 1.0, 2) * room
    strokes, clock = [], 0.0
    for path in paths:
        placed = np.clip(path + offset, 0.0, CANVAS)
        times = clock + SECONDS_PER_POINT * np.arange(len(placed))
        clock = float(times[-1]) + SECONDS_BETWEEN_STROKES
        strokes.append(PenStroke(tuple((float(x), float(y), float(t)) for (x, y), t in zip(placed, times, strict=True)),
                                 width=round(pen)))
    return Drawing(tuple(strokes), CANVAS)


def hand_digits(
    hand: Hand, per_label: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, list[Drawing]]:
    """`per_label` digits of each label in this hand, labels cycling 0..9: model inputs
    float32 (N, 28, 28) read from the drawings as the canvas reads them, labels int64, drawings."""
    labels = np.tile(np.arange(10, dtype=np.int64), per_label)
    drawings = [draw(hand, int(label), rng) for label in labels]
    x = np.stack([preprocess(render_drawing(drawing)) for drawing in drawings])
    return x, labels, drawings


def _dense(control: np.ndarray, smooth: bool, rng: np.random.Generator) -> np.ndarray:
    """Points along the stroke as a pen samples them: a Catmull-Rom spline through the control
    points when smooth, straight lines between them when not, with a little tremor."""
    length = float(np.linalg.norm(np.diff(control, axis=0), axis=1).sum())
    count = max(2, round(length * POINTS_PER_UNIT / max(1, len(control) - 1)))
    t = np.linspace(0.0, 1.0, count, endpoint=False)[:, None]
    if smooth and len(control) > 2:
        padded = np.concatenate((2 * control[:1] - control[1:2], control, 2 * control[-1:] - control[-2:-1]))
        pieces = [
            0.5 * (2 * p1 + (p2 - p0) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t * t
                   + (3 * p1 - p0 - 3 * p2 + p3) * t * t * t)
            for p0, p1, p2, p3 in zip(padded[:-3], padded[1:-2], padded[2:-1], padded[3:], strict=True)
        ]
    else:
        pieces = [a + t * (b - a) for a, b in pairwise(control)]
    dense = np.concatenate([*pieces, control[-1:]])
    return dense + rng.normal(0.0, TREMOR, dense.shape)
