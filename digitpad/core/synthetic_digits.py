"""Digits MNIST has few of, made on demand: handwriting styles drawn from strokes, and low-resolution scans.

MNIST was written by American Census staff and students: its 1s are mostly bare sticks, its 7s
uncrossed, its 4s open. People elsewhere write a 1 with a long flag (read as 7 with 99%
confidence by a model trained on MNIST alone), cross their 7s, close their 4s and give their 9s
straight stems; and some open digits scanned at 8x8 or 16x15 pixels. Both kinds are made here
from vectors and from MNIST itself, so the shipped model can learn them without training on any
other public digit collection (those are kept for measuring).

`render_style` draws one digit of a named style (`STYLES`) as a person would on a canvas: stroke
templates with random slant, rotation, proportions, tremor and pen width, in dark ink on a light
canvas of random size. `style_digits` turns many such drawings into model input through
`preprocess`, exactly as the Draw tab reads a drawing. `low_resolution` turns 28x28 digits into
what a coarse scan shows after `preprocess`: block averages at 8x8 to 16x16 with few grey levels,
sometimes binarised, sometimes squashed, scaled back up by nearest or bilinear resampling.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from PIL import Image, ImageDraw

from digitpad.core.errors import NothingDrawnError
from digitpad.core.preprocess import grow_ink, preprocess

Point = tuple[float, float]


@dataclass(frozen=True)
class Stroke:
    """One pen-down movement through control points, in a box 0.6 wide and 1 tall (y down).

    A smooth stroke passes through its points along a Catmull-Rom spline; a straight one joins
    them with lines, so corners stay sharp.
    """

    points: tuple[Point, ...]
    smooth: bool = True


def _line(*points: Point) -> Stroke:
    return Stroke(tuple(points), smooth=False)


def _curve(*points: Point) -> Stroke:
    return Stroke(tuple(points), smooth=True)


def _ellipse(cx: float, cy: float, rx: float, ry: float, start: float = 0.0, turns: float = 1.05) -> Stroke:
    """A closed loop drawn from angle `start` (0 = top), clockwise, overshooting a little."""
    count = max(8, round(14 * turns))
    angles = start + np.linspace(0.0, 2 * math.pi * turns, count)
    return Stroke(tuple((cx + rx * math.sin(a), cy - ry * math.cos(a)) for a in angles))


_FLAG_1 = (_line((0.08, 0.4), (0.4, 0.0)), _line((0.4, 0.0), (0.4, 1.0)))
_PLAIN_7 = (_line((0.0, 0.03), (0.6, 0.0)), _line((0.6, 0.0), (0.22, 1.0)))
_LOOP_9 = _curve((0.55, 0.2), (0.35, 0.02), (0.1, 0.08), (0.05, 0.3), (0.25, 0.46), (0.5, 0.36), (0.56, 0.12))

# Style name -> (label, strokes). Names say what a person would call the style.
STYLES: dict[str, tuple[int, tuple[Stroke, ...]]] = {
    "0 oval": (0, (_ellipse(0.3, 0.5, 0.28, 0.49),)),
    "1 stick": (1, (_line((0.3, 0.0), (0.3, 1.0)),)),
    "1 flag": (1, _FLAG_1),
    "1 flag and base": (1, (*_FLAG_1, _line((0.12, 1.0), (0.62, 1.0)))),
    "2 plain": (2, (
        _curve((0.04, 0.25), (0.15, 0.05), (0.35, 0.0), (0.55, 0.12), (0.54, 0.33), (0.3, 0.63), (0.02, 1.0)),
        _line((0.02, 1.0), (0.6, 0.98)),
    )),
    "2 looped": (2, (
        _curve((0.04, 0.25), (0.15, 0.05), (0.35, 0.0), (0.55, 0.12), (0.54, 0.33), (0.3, 0.63),
               (0.1, 0.88), (0.06, 0.99), (0.18, 0.98), (0.2, 0.88), (0.1, 0.88), (0.3, 0.98), (0.6, 0.96)),
    )),
    "3 round": (3, (
        _curve((0.04, 0.14), (0.25, 0.0), (0.5, 0.07), (0.52, 0.28), (0.24, 0.47)),
        _curve((0.24, 0.47), (0.53, 0.6), (0.56, 0.84), (0.3, 1.0), (0.02, 0.9)),
    )),
    "3 flat top": (3, (
        _line((0.04, 0.0), (0.56, 0.0), (0.24, 0.42)),
        _curve((0.24, 0.42), (0.5, 0.5), (0.58, 0.73), (0.44, 0.95), (0.2, 1.0), (0.0, 0.9)),
    )),
    "4 open": (4, (_line((0.12, 0.0), (0.04, 0.62), (0.62, 0.62)), _line((0.45, 0.22), (0.45, 1.0)))),
    "4 closed": (4, (_line((0.45, 0.0), (0.0, 0.68), (0.62, 0.68)), _line((0.45, 0.0), (0.45, 1.0)))),
    "5 plain": (5, (
        _line((0.56, 0.0), (0.1, 0.0), (0.07, 0.43)),
        _curve((0.07, 0.43), (0.3, 0.36), (0.52, 0.48), (0.57, 0.72), (0.42, 0.95), (0.2, 1.0), (0.0, 0.9)),
    )),
    "6 loop": (6, (
        _curve((0.5, 0.02), (0.25, 0.2), (0.08, 0.5), (0.09, 0.82), (0.29, 1.0), (0.5, 0.88), (0.52, 0.65),
               (0.3, 0.52), (0.1, 0.66)),
    )),
    "6 straight": (6, (
        _line((0.48, 0.0), (0.1, 0.58)),
        _curve((0.1, 0.58), (0.06, 0.82), (0.28, 1.0), (0.52, 0.85), (0.46, 0.6), (0.25, 0.55), (0.08, 0.7)),
    )),
    "7 plain": (7, _PLAIN_7),
    "7 crossed": (7, (*_PLAIN_7, _line((0.18, 0.52), (0.58, 0.5)))),
    "7 hooked and crossed": (7, (_line((0.02, 0.16), (0.0, 0.03)), *_PLAIN_7, _line((0.18, 0.52), (0.58, 0.5)))),
    "8 one stroke": (8, (
        _curve((0.5, 0.1), (0.3, 0.0), (0.08, 0.12), (0.12, 0.35), (0.45, 0.6), (0.56, 0.83), (0.3, 1.0),
               (0.04, 0.85), (0.12, 0.6), (0.45, 0.38), (0.52, 0.15), (0.45, 0.05)),
    )),
    "8 two loops": (8, (_ellipse(0.3, 0.24, 0.2, 0.24, start=math.pi), _ellipse(0.3, 0.73, 0.27, 0.27))),
    "9 curved": (9, (_LOOP_9, _curve((0.56, 0.12), (0.53, 0.6), (0.42, 0.9), (0.15, 1.0)))),
    "9 straight": (9, (_LOOP_9, _line((0.56, 0.12), (0.56, 1.0)))),
}
STYLE_NAMES: tuple[str, ...] = tuple(STYLES)
# Styles MNIST has few of: the ones a model trained on MNIST alone reads worst.
RARE_IN_MNIST: tuple[str, ...] = (
    "1 flag", "1 flag and base", "2 looped", "3 flat top", "4 closed", "6 straight",
    "7 crossed", "7 hooked and crossed", "9 straight",
)

# Pen width as a fraction of the digit's height: MNIST's median is about 0.12.
PEN_FRACTION = (0.04, 0.2)
SLANT = 0.35  # horizontal shear, at most this many widths per height either way
ROTATION_DEG = 10.0
TREMOR = 0.012  # hand tremor: smooth random displacement, as a fraction of the height
JITTER = (0.01, 0.05)  # how far each control point strays, as a fraction of the height


def render_style(style: str, rng: np.random.Generator) -> np.ndarray:
    """One drawing of `style`: a uint8 canvas (H, W), dark ink on light, as the Draw tab holds it."""
    _, strokes = STYLES[style]
    jitter = rng.uniform(*JITTER)
    paths = [_path(stroke, rng, jitter) for stroke in strokes]
    slant = rng.uniform(-SLANT, SLANT)
    angle = math.radians(rng.uniform(-ROTATION_DEG, ROTATION_DEG))
    width_scale = rng.uniform(0.6, 1.4)
    cos, sin = math.cos(angle), math.sin(angle)
    transformed = []
    for path in paths:
        x = (path[:, 0] - 0.3) * width_scale + slant * (0.5 - path[:, 1])
        y = path[:, 1] - 0.5
        transformed.append(np.stack((cos * x - sin * y, sin * x + cos * y), axis=1))
    side = int(rng.integers(96, 320))
    height = rng.uniform(0.35, 0.85) * side
    pen = max(1.0, rng.uniform(*PEN_FRACTION) * height)
    points = np.concatenate(transformed) * height
    low, high = points.min(axis=0), points.max(axis=0)
    margin = pen / 2 + 2
    room = np.maximum(side - (high - low) - 2 * margin, 0)
    offset = margin - low + rng.uniform(0, 1, 2) * room
    canvas = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(canvas)
    for path in transformed:
        _draw_path(draw, path * height + offset, pen)
    return np.asarray(canvas)


def _path(stroke: Stroke, rng: np.random.Generator, jitter: float) -> np.ndarray:
    """Dense points along the stroke, control points jittered, with a smooth tremor added."""
    control = np.asarray(stroke.points, dtype=np.float64)
    control = control + rng.normal(0.0, jitter, control.shape)
    dense = _catmull_rom(control) if stroke.smooth and len(control) > 2 else _polyline(control)
    drift = np.cumsum(rng.normal(0.0, 1.0, dense.shape), axis=0)
    drift -= np.linspace(drift[0], drift[-1], len(drift))  # keep the ends where they were
    scale = np.abs(drift).max() or 1.0
    return dense + drift / scale * rng.uniform(0, TREMOR)


def _polyline(control: np.ndarray, per_segment: int = 8) -> np.ndarray:
    t = np.linspace(0.0, 1.0, per_segment, endpoint=False)[:, None]
    pieces = [a + t * (b - a) for a, b in pairwise(control)]
    return np.concatenate([*pieces, control[-1:]])


def _catmull_rom(control: np.ndarray, per_segment: int = 10) -> np.ndarray:
    padded = np.concatenate((2 * control[:1] - control[1:2], control, 2 * control[-1:] - control[-2:-1]))
    t = np.linspace(0.0, 1.0, per_segment, endpoint=False)[:, None]
    t2, t3 = t * t, t * t * t
    pieces = []
    for p0, p1, p2, p3 in zip(padded[:-3], padded[1:-2], padded[2:-1], padded[3:], strict=True):
        pieces.append(
            0.5 * (2 * p1 + (p2 - p0) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2 + (3 * p1 - p0 - 3 * p2 + p3) * t3)
        )
    return np.concatenate([*pieces, control[-1:]])


def _draw_path(draw: ImageDraw.ImageDraw, path: np.ndarray, pen: float) -> None:
    """A round pen: joined line segments plus a disc at each end."""
    coordinates = [tuple(point) for point in path]
    draw.line(coordinates, fill=0, width=max(1, round(pen)), joint="curve")
    radius = pen / 2
    for x, y in (coordinates[0], coordinates[-1]):
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=0)


def style_digits(
    count: int, rng: np.random.Generator, styles: Sequence[str] = STYLE_NAMES
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`count` drawings cycling through `styles`, as model input.

    Returns (images uint8 (N, 28, 28) in MNIST polarity, labels (N,), style index into `styles`).
    """
    style_index = np.arange(count) % len(styles)
    images = np.empty((count, 28, 28), np.uint8)
    for row, index in enumerate(style_index):
        images[row] = _to_uint8(preprocess(render_style(styles[int(index)], rng)))  # never blank: ink is drawn
    labels = np.asarray([STYLES[styles[int(index)]][0] for index in style_index], dtype=np.uint8)
    return images, labels, style_index


def low_resolution(
    x: np.ndarray, rng: np.random.Generator, *, shape: tuple[int, int] | None = None, levels: int | None = None
) -> np.ndarray:
    """Each 28x28 uint8 digit as `preprocess` reads it after a coarse scan.

    The digit's ink box is squeezed or stretched (scanned forms and map digits are not square),
    block-averaged to 8-16 pixels a side with 17 grey levels, or from 12 pixels up 7 or 2,
    and scaled up again 1-16 times by nearest or bilinear resampling, as an image viewer would.
    `shape` (height, width) and `levels` fix the scan instead: the ink then fills the whole scan,
    as in a form's cell.
    """
    out = np.empty_like(x)
    for row, digit in enumerate(x):
        try:
            out[row] = _to_uint8(preprocess(_coarse_scan(digit, rng, shape, levels)))
        except NothingDrawnError:
            # A faint digit can vanish in a black-and-white scan: nobody would open that image,
            # so the digit stays as it was.
            out[row] = digit
    return out


def _coarse_scan(
    digit: np.ndarray, rng: np.random.Generator, shape: tuple[int, int] | None, levels: int | None
) -> np.ndarray:
    rows = np.flatnonzero(digit.max(axis=1) > 0)
    cols = np.flatnonzero(digit.max(axis=0) > 0)
    ink = Image.fromarray(digit[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1])
    if shape is None:
        height = int(rng.integers(8, 17))
        width = max(2, round(height * rng.uniform(0.5, 1.3)))
        inner = (max(1, round(width * rng.uniform(0.6, 1.0))), max(1, round(height * rng.uniform(0.75, 1.0))))
    else:
        height, width = shape
        inner = (width, height)
    if levels is None:
        # 8x8 form scans keep 17 grey levels; fewer levels and bare black and white only come
        # with more pixels (map digits: 7 levels at 16x15), where the strokes survive them.
        levels = 17 if height < 12 else int(rng.choice((2, 7, 17)))
    # Fitted to the scan's box as a form's cell or a map label would be: stretched to it.
    small = np.asarray(ink.resize(inner, Image.Resampling.BOX), dtype=np.float32) / 255
    small = np.round(small * (levels - 1)) / (levels - 1)
    scan = np.zeros((height, width), np.float32)
    top, left = (height - inner[1]) // 2, (width - inner[0]) // 2
    scan[top : top + inner[1], left : left + inner[0]] = small
    factor = int(rng.integers(1, 17))
    resample = Image.Resampling.NEAREST if rng.random() < 0.5 else Image.Resampling.BILINEAR
    image = Image.fromarray(np.round(scan * 255).astype(np.uint8))
    if rng.random() < 0.5:
        image = Image.fromarray(255 - np.asarray(image))  # dark ink on paper
    return np.asarray(image.resize((width * factor, height * factor), resample))


def bold_strokes(x: np.ndarray, rng: np.random.Generator, grow: tuple[int, int] = (1, 3)) -> np.ndarray:
    """Each 28x28 uint8 digit with its ink grown by 1-3 pixels all round, as `preprocess` reads it.

    A felt-tip on a small canvas or a bold map label fills the loops of 0, 6, 8 and 9, which
    `preprocess` cannot thin open again; the model has to learn to read what is left. `grow`
    fixes the range of pixels added (inclusive).
    """
    out = np.empty_like(x)
    for row, digit in enumerate(x):
        ink = np.pad(digit, grow[1])
        for _ in range(int(rng.integers(grow[0], grow[1] + 1))):
            ink = grow_ink(ink)
        out[row] = _to_uint8(preprocess(ink))
    return out


def _to_uint8(image: np.ndarray) -> np.ndarray:
    return np.round(np.clip(image, 0.0, 1.0) * 255).astype(np.uint8)
