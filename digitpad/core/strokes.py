"""A drawing kept as pen strokes, so a stored digit can be drawn again at other pen widths.

A picture of a digit fixes the pen it was drawn with; the strokes (points with their times and
the pen's width) do not. Keeping them lets a few personal digits be re-rendered with thinner and
thicker pens and small slants (`stroke_variants`), several training examples from each one, and
lets a later digitpad re-read them with a preprocessing recipe that does not exist yet.

`render_drawing` reproduces what the canvas shows: round caps and joins, anti-aliased, black ink
on white paper, the eraser painting paper. Only NumPy and Pillow are used, like the rest of the
preprocessing, so the window can call it without TensorFlow.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, TypeGuard

import numpy as np
from PIL import Image, ImageDraw

from digitpad.core.errors import DataError
from digitpad.core.preprocess import preprocess

JSON_VERSION = 1
DEFAULT_SIZE = 280

# Bounds on what `Drawing.from_json` accepts, so a hostile or corrupted file cannot make it
# allocate gigabytes: a drawing of a digit has a few strokes of a few hundred points each, and
# even minutes of scribbling stay far below these.
MAX_JSON_CHARS = 4_000_000
MAX_STROKES = 1_000
MAX_POINTS = 100_000
MAX_SIZE = 4_096
MAX_WIDTH = 1_000.0
# The pen may leave the canvas while drawing; points far beyond any screen are corruption.
MAX_COORDINATE = 100_000.0

# Rendering at twice the size and shrinking with Lanczos gives the soft edges of the canvas's
# anti-aliased QPainter strokes; Pillow's own line drawing has none.
_SUPERSAMPLE = 2
INK = 0
PAPER = 255

# The ranges `stroke_variants` draws from: pens 0.6x to 1.8x the one used, slants up to a
# quarter of the height (about 14 degrees) either way, as people's hands vary.
VARIANT_WIDTH_RANGE = (0.6, 1.8)
VARIANT_SLANT_RANGE = (-0.25, 0.25)


@dataclass(frozen=True)
class PenStroke:
    """One press-move-release of the pen (or the eraser).

    `points` are (x, y, t): canvas pixels (0..size, y pointing down) and seconds since the drawing
    began; `width` is the pen's diameter in canvas pixels.
    """

    points: tuple[tuple[float, float, float], ...]
    width: float
    eraser: bool = False


@dataclass(frozen=True)
class Drawing:
    """The strokes of one digit on a square canvas of `size` pixels, in the order drawn."""

    strokes: tuple[PenStroke, ...]
    size: int = DEFAULT_SIZE

    def to_json(self) -> str:
        """Compact JSON that `from_json` reads back exactly (floats keep every digit)."""
        return json.dumps(
            {
                "version": JSON_VERSION,
                "size": self.size,
                "strokes": [
                    {"width": stroke.width, "eraser": stroke.eraser, "points": [list(p) for p in stroke.points]}
                    for stroke in self.strokes
                ],
            },
            separators=(",", ":"),
            allow_nan=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Drawing:
        """Read what `to_json` wrote; raises DataError on anything malformed or implausibly large."""
        if not isinstance(text, str):
            raise DataError("Cannot read the drawing's strokes: they are not text.")
        if len(text) > MAX_JSON_CHARS:
            raise DataError(f"Cannot read the drawing's strokes: {len(text):,} characters is too large for a drawing.")
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as exc:
            raise DataError(f"Cannot read the drawing's strokes: they are not valid JSON ({exc}).") from exc
        return _drawing_from_data(data)


def render_drawing(drawing: Drawing, *, width_scale: float = 1.0, slant: float = 0.0) -> np.ndarray:
    """The drawing as uint8 (size, size), 255 paper and 0 ink, as the canvas showed it.

    Each pen width is multiplied by `width_scale`; `slant` shears horizontally about the middle
    row, x += slant * (size / 2 - y), so a positive slant leans the digit's top to the right.
    """
    if not (math.isfinite(width_scale) and width_scale > 0):
        raise ValueError(f"width_scale must be a positive number, not {width_scale}")
    if not math.isfinite(slant):
        raise ValueError(f"slant must be a finite number, not {slant}")
    size = drawing.size
    big = size * _SUPERSAMPLE
    picture = Image.new("L", (big, big), PAPER)
    pen = ImageDraw.Draw(picture)
    for stroke in drawing.strokes:
        colour = PAPER if stroke.eraser else INK
        diameter = stroke.width * width_scale * _SUPERSAMPLE
        radius = diameter / 2
        points = [
            ((x + slant * (size / 2 - y)) * _SUPERSAMPLE, y * _SUPERSAMPLE) for x, y, _t in stroke.points
        ]
        if len(points) > 1:
            # Pillow's wide lines have flat ends and notched corners; a disc at every point gives
            # the round caps and joins of the canvas's QPainter pen.
            pen.line(points, fill=colour, width=max(1, round(diameter)))
        for x, y in points:
            pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    return np.asarray(picture.resize((size, size), Image.Resampling.LANCZOS), dtype=np.uint8)


def stroke_variants(drawing: Drawing, rng: np.random.Generator, count: int) -> np.ndarray:
    """float32 (count, 28, 28) model inputs of the drawing at random pen widths and slants.

    Widths are scaled by x0.6..x1.8 and slants drawn from -0.25..0.25, uniformly; each picture goes
    through `preprocess`, exactly as a drawing on the canvas would. Raises NothingDrawnError
    when the drawing has no ink.
    """
    if count < 0:
        raise ValueError(f"count must be at least 0, not {count}")
    out = np.empty((count, 28, 28), dtype=np.float32)
    for index in range(count):
        scale = float(rng.uniform(*VARIANT_WIDTH_RANGE))
        slant = float(rng.uniform(*VARIANT_SLANT_RANGE))
        out[index] = preprocess(render_drawing(drawing, width_scale=scale, slant=slant))
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _drawing_from_data(data: Any) -> Drawing:
    if not isinstance(data, dict):
        raise _bad("expected an object with its size and strokes")
    version = data.get("version")
    if version != JSON_VERSION:
        raise _bad(f"version {version!r} is not one this digitpad reads (it reads {JSON_VERSION})")
    size = data.get("size")
    if not _is_int(size) or not 1 <= size <= MAX_SIZE:
        raise _bad(f"the canvas size must be a whole number from 1 to {MAX_SIZE}, not {size!r}")
    raw_strokes = data.get("strokes")
    if not isinstance(raw_strokes, list):
        raise _bad("'strokes' must be a list")
    if len(raw_strokes) > MAX_STROKES:
        raise _bad(f"{len(raw_strokes):,} strokes is more than the {MAX_STROKES:,} a drawing may have")
    strokes: list[PenStroke] = []
    total_points = 0
    for number, raw in enumerate(raw_strokes, start=1):
        if not isinstance(raw, dict):
            raise _bad(f"stroke {number} is not an object")
        width, eraser, raw_points = raw.get("width"), raw.get("eraser", False), raw.get("points")
        if not _is_number(width) or not 0 < width <= MAX_WIDTH:
            raise _bad(f"stroke {number} has pen width {width!r}; expected a number above 0 and at most {MAX_WIDTH:g}")
        if not isinstance(eraser, bool):
            raise _bad(f"stroke {number}'s 'eraser' must be true or false")
        if not isinstance(raw_points, list) or not raw_points:
            raise _bad(f"stroke {number} must have a non-empty list of points")
        total_points += len(raw_points)
        if total_points > MAX_POINTS:
            raise _bad(f"more than {MAX_POINTS:,} points is too many for a drawing")
        points = tuple(_point(point, number) for point in raw_points)
        strokes.append(PenStroke(points=points, width=float(width), eraser=eraser))
    return Drawing(strokes=tuple(strokes), size=size)


def _point(raw: Any, stroke: int) -> tuple[float, float, float]:
    if not isinstance(raw, list) or len(raw) != 3 or not all(_is_number(value) for value in raw):
        raise _bad(f"stroke {stroke} has a point {raw!r}; expected [x, y, t] numbers")
    x, y, t = (float(value) for value in raw)
    if not all(math.isfinite(value) for value in (x, y, t)) or max(abs(x), abs(y)) > MAX_COORDINATE:
        raise _bad(f"stroke {stroke} has a point that is not finite or lies far outside the canvas")
    return (x, y, t)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _bad(reason: str) -> DataError:
    return DataError(f"Cannot read the drawing's strokes: {reason}.")
