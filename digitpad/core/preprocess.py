"""Turn any picture of a handwritten digit into the 28x28 image an MNIST-trained model expects.

The canvas, image files, the CLI and evaluation of drawings all go through `preprocess`, so a
digit is read the same way wherever it comes from. The recipe is the one MNIST's makers used
(crop to the ink, fit the longer side into 20 px with anti-aliasing, centre the mass in 28x28),
because a model only reads well what looks like its training data: a plain resize of a small
digit in the corner of a canvas is read right about half the time, the recipe about 99%.

MNIST's pens were all alike, people's are not: before the 20 px resize the stroke is thickened
or thinned, at a finer intermediate resolution, into the range of widths MNIST digits have
(`_normalise_stroke`). benchmarks/pen_width.py measures what each step buys.

Only NumPy and Pillow are used, so the canvas can call this on every stroke within a fraction
of a millisecond, long before TensorFlow has loaded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageStat

from digitpad.core.errors import ImageError, NothingDrawnError

PREPROCESS_VERSION = "mnist-recipe-1+stroke-1"

OUTPUT_SIZE = 28
BOX_SIZE = 20
# Index coordinates of the centre of mass of MNIST digits, measured on the bundled 10,000:
# 13.996 and 14.004 with a spread of 0.29 px, the spread of rounding to whole pixels.
CENTRE = 14.0

# Larger images are box-reduced by a whole factor before the ink is searched, which keeps a
# 2000x2000 photo in the millisecond range; the digit itself is then cut from the full image.
DETECT_MAX_SIDE = 400
# A pixel is ink when it differs from the background by this fraction of the full range;
# anything fainter everywhere (uniform colour, sensor or paper noise) is nothing drawn.
INK_CONTRAST = 0.25
MIN_INK_PIXELS = 3
# Within the strongest ink found, the bounding box keeps pixels darker than this fraction, and
# differences below NOISE_FLOOR of it are background texture set to zero.
BBOX_LEVEL = 0.3
NOISE_FLOOR = 0.15
# The stroke is measured and re-drawn with the digit's longer side this many pixels long:
# fine enough for sub-pixel width changes in the 20 px result, small enough to stay fast.
WORK_SIZE = 64
WORK_MARGIN = 2
# Stroke width over the longer side of the ink's bounding box, as `_stroke_fraction` measures
# it on the bundled MNIST digits: 10th and 90th percentiles. Strokes outside are brought in.
STROKE_FRACTION_RANGE = (0.085, 0.16)
# Stroke widths (as above) `vary_stroke_width` draws from: those of pens 0.5-3x MNIST's width.
STROKE_AUGMENT_RANGE = (0.05, 0.30)

_LUMA = "L"


@dataclass(frozen=True)
class _Ink:
    """Where the ink is and how to tell it from the background, found on a reduced image."""

    background: float
    sign: float
    peak: float
    box: tuple[int, int, int, int]


def preprocess(image: np.ndarray | Image.Image, *, normalise_stroke: bool = True) -> np.ndarray:
    """Return the digit as MNIST would show it: (28, 28) float32 in [0, 1], white ink on black.

    `image` may be any size, grayscale, RGB or RGBA (transparent pixels are background), uint8 or
    float in [0, 1], with dark ink on light paper or the reverse. `normalise_stroke=False` keeps
    the pen's width; it exists so benchmarks can measure what the normalisation is worth.
    Raises NothingDrawnError when there is no ink and ImageError when it is not an image.
    """
    gray = _to_gray(image)
    ink = _find_ink(gray)
    if ink is None:
        raise NothingDrawnError("Nothing is drawn: the image has no ink to recognise.")
    work = _cut_out(gray, ink)
    if normalise_stroke:
        work = _normalise_stroke(work)
    return _centre(_fit_box(work))


def has_ink(image: np.ndarray | Image.Image) -> bool:
    """Whether `preprocess` would find something to recognise, without doing the rest."""
    return _find_ink(_to_gray(image)) is not None


def _to_gray(image: np.ndarray | Image.Image) -> Image.Image:
    """The image as 8-bit luminance, with any transparency composited away."""
    pil = image if isinstance(image, Image.Image) else _array_to_image(np.asarray(image))
    if pil.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        pil = _array_to_image(np.asarray(pil))
    if pil.mode == "P":
        pil = pil.convert("RGBA" if "transparency" in pil.info else "RGB")
    if pil.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        return _composite(pil)
    return pil if pil.mode == _LUMA else pil.convert(_LUMA)


def _array_to_image(array: np.ndarray) -> Image.Image:
    """Pillow image of an array, accepting the value ranges people actually pass."""
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    modes = {2: "LA", 3: "RGB", 4: "RGBA"}
    if not (array.ndim == 2 or (array.ndim == 3 and array.shape[2] in modes)) or array.size == 0:
        raise ImageError(
            f"Cannot read an image of shape {array.shape}: expected (height, width) gray or "
            "(height, width, 3 or 4) colour."
        )
    if array.dtype != np.uint8:
        array = _to_uint8(array)
    return Image.fromarray(np.ascontiguousarray(array), _LUMA if array.ndim == 2 else modes[array.shape[2]])


def _to_uint8(array: np.ndarray) -> np.ndarray:
    """Floats in [0, 1] (or 0-255), 16-bit and boolean images as 0-255."""
    if array.dtype == bool:
        return array.astype(np.uint8) * 255
    if array.dtype.kind not in "uif":
        raise ImageError(f"Cannot read an image of {array.dtype} values: expected numbers.")
    values = array.astype(np.float32)
    if not np.isfinite(values).all():
        raise ImageError("Cannot read an image holding NaN or infinite values.")
    low, high = float(values.min()), float(values.max())
    if low < 0 or high > 65535:
        raise ImageError(f"Cannot read an image with values from {low:g} to {high:g}: expected 0-1 or 0-255.")
    scale = 255.0 if array.dtype.kind == "f" and high <= 1.0 else 255.0 / 65535 if high > 255 else 1.0
    return np.clip(values * scale + 0.5, 0, 255).astype(np.uint8)


def _composite(pil: Image.Image) -> Image.Image:
    """Flatten transparency onto a backdrop the visible pixels stand out from.

    A canvas exported with a transparent background may hold black or white strokes; putting
    them on white, say, would make white strokes vanish, so the backdrop is the opposite of
    the visible pixels' mean luminance.
    """
    alpha = pil.getchannel("A")
    luma = pil.convert(_LUMA)
    if alpha.getextrema()[0] == 255:
        return luma
    visible = alpha.point(lambda a: 255 if a >= 128 else 0)
    dark_ink = visible.getbbox() is not None and ImageStat.Stat(luma, mask=visible).mean[0] < 128
    backdrop = Image.new(_LUMA, pil.size, 255 if dark_ink else 0)
    return Image.composite(luma, backdrop, alpha)


def _find_ink(gray: Image.Image) -> _Ink | None:
    """Background level, ink polarity and the ink's bounding box, or None when nothing is drawn.

    The background is the median of the border, where a drawing rarely reaches; the polarity is
    whichever side of it strays further, so grey paper with dark ink and chalk on a dark board
    both work.
    """
    factor = max(1, math.ceil(max(gray.size) / DETECT_MAX_SIDE))
    small = np.asarray(gray.reduce(factor) if factor > 1 else gray)
    border = np.concatenate((small[0], small[-1], small[1:-1, 0], small[1:-1, -1]))
    background = float(np.median(border))
    darkest, lightest = float(small.min()), float(small.max())
    sign = 1.0 if lightest - background > background - darkest else -1.0
    peak = max(lightest - background, background - darkest)
    if peak < INK_CONTRAST * 255:
        return None
    contrast = (small.astype(np.float32) - background) * sign
    mask = contrast >= max(BBOX_LEVEL * peak, INK_CONTRAST * 255)
    if np.count_nonzero(mask) < MIN_INK_PIXELS:
        return None
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    # One reduced pixel of margin keeps the anti-aliased rim the threshold left out.
    box = (
        max(0, int(cols[0] - 1) * factor),
        max(0, int(rows[0] - 1) * factor),
        min(gray.width, int(cols[-1] + 2) * factor),
        min(gray.height, int(rows[-1] + 2) * factor),
    )
    return _Ink(background, sign, peak, box)


def _cut_out(gray: Image.Image, ink: _Ink) -> np.ndarray:
    """The ink's box at the working resolution as float ink strength 0..1 on a zero margin.

    Resizing the gray crop before turning it into ink strength is exact (both are linear up to
    clipping) and touches only the small result, whatever the size of the original.
    """
    left, top, right, bottom = ink.box
    scale = (WORK_SIZE - 2 * WORK_MARGIN) / max(right - left, bottom - top)
    size = (max(1, round((right - left) * scale)), max(1, round((bottom - top) * scale)))
    crop = gray.resize(size, Image.Resampling.BILINEAR, box=ink.box, reducing_gap=2.0)
    floor = NOISE_FLOOR * ink.peak
    strength = (np.asarray(crop, dtype=np.float32) - ink.background) * ink.sign
    strength = np.clip((strength - floor) / (ink.peak - floor), 0.0, 1.0)
    return np.pad(strength, WORK_MARGIN)


def _stroke_fraction(work: np.ndarray) -> tuple[float, int]:
    """Stroke width over the longer side of the ink's box, and that side in pixels.

    A stroke of width w and length L has area w*L and outline 2*L, so w = 2*area/outline; the
    outline is the summed gradient magnitude, which anti-aliasing and blur leave unchanged.
    """
    area = float(work.sum())
    gy = np.diff(work, axis=0)[:, :-1]
    gx = np.diff(work, axis=1)[:-1, :]
    outline = float(np.sqrt(gx * gx + gy * gy).sum())
    rows = np.flatnonzero(work.max(axis=1) > 0.5)
    cols = np.flatnonzero(work.max(axis=0) > 0.5)
    if outline == 0 or rows.size == 0:
        return 0.0, 0
    extent = int(max(rows[-1] - rows[0], cols[-1] - cols[0])) + 1
    return 2 * area / outline / extent, extent


def _normalise_stroke(work: np.ndarray) -> np.ndarray:
    """Thicken or thin the stroke into MNIST's range of widths relative to the digit's size."""
    fraction, extent = _stroke_fraction(work)
    low, high = STROKE_FRACTION_RANGE
    return _set_stroke(work, fraction, extent, min(max(fraction, low), high))


def _set_stroke(work: np.ndarray, fraction: float, extent: int, target: float) -> np.ndarray:
    """Change the stroke from `fraction` to `target` of the box's longer side.

    Growing a stroke of width w by d grows the box by d too, so the width wanted, `target` times
    the new box, solves w' = target * (extent - w + w'). Each step of `_grow`/`_shrink` moves the
    outline by one pixel, a fraction of a step is a blend with the next. A stroke thinned away
    entirely (a pen much finer in places than on average) is left as it was.
    """
    if extent == 0 or target == fraction:
        return work
    width = fraction * extent
    change = target * (extent - width) / (1 - target) - width
    steps = abs(change) / 2
    step = _grow if change > 0 else _shrink
    result = np.pad(work, math.ceil(steps)) if change > 0 else work
    for _ in range(int(steps)):
        result = step(result)
    rest = steps - int(steps)
    if rest > 0:
        result = result + rest * (step(result) - result)
    return result if result.max() >= 0.5 else work


def _grow(image: np.ndarray) -> np.ndarray:
    """Grey dilation by one pixel with a 3x3 cross: rounder than a square, repeated."""
    return _cross_filter(image, np.maximum)


def _shrink(image: np.ndarray) -> np.ndarray:
    """Grey erosion by one pixel with a 3x3 cross, the inverse of `_grow`."""
    return _cross_filter(image, np.minimum)


def _cross_filter(image: np.ndarray, op: np.ufunc) -> np.ndarray:
    out = image.copy()
    op(out[1:], image[:-1], out=out[1:])
    op(out[:-1], image[1:], out=out[:-1])
    op(out[:, 1:], image[:, :-1], out=out[:, 1:])
    op(out[:, :-1], image[:, 1:], out=out[:, :-1])
    return out


def _fit_box(work: np.ndarray) -> np.ndarray:
    """Crop to the ink and resize so the longer side is 20 px, keeping the aspect ratio."""
    rows = np.flatnonzero(work.max(axis=1) > 0)
    cols = np.flatnonzero(work.max(axis=0) > 0)
    work = work[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    height, width = work.shape
    scale = BOX_SIZE / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = Image.fromarray(work.astype(np.float32, copy=False), "F").resize(size, Image.Resampling.LANCZOS)
    return np.clip(np.asarray(resized), 0.0, 1.0)


def _centre(digit: np.ndarray) -> np.ndarray:
    """Paste into 28x28 with the centre of mass on MNIST's centre, moved by whole pixels like
    MNIST's, but never so far that ink would fall off the edge."""
    height, width = digit.shape
    mass = float(digit.sum())
    out = np.zeros((OUTPUT_SIZE, OUTPUT_SIZE), np.float32)
    if mass == 0:
        return out
    cy = float(digit.sum(axis=1) @ np.arange(height)) / mass
    cx = float(digit.sum(axis=0) @ np.arange(width)) / mass
    top = min(max(round(CENTRE - cy), 0), OUTPUT_SIZE - height)
    left = min(max(round(CENTRE - cx), 0), OUTPUT_SIZE - width)
    out[top : top + height, left : left + width] = digit
    return out


def vary_stroke_width(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Training-time augmentation: half the digits re-drawn with a random stroke width.

    x is a uint8 batch (N, 28, 28) in MNIST polarity; each chosen digit goes through the same
    recipe as `preprocess`, with a stroke width drawn from the range that pens from half to
    three times MNIST's width give, so the model sees what preprocessing makes of such drawings.
    """
    out = x.copy()
    for index in np.flatnonzero(rng.random(len(x)) < 0.5):
        gray = Image.fromarray(x[index], _LUMA)
        ink = _find_ink(gray)
        if ink is None:
            continue
        work = _cut_out(gray, ink)
        fraction, extent = _stroke_fraction(work)
        work = _set_stroke(work, fraction, extent, rng.uniform(*STROKE_AUGMENT_RANGE))
        out[index] = np.round(_centre(_fit_box(work)) * 255).astype(np.uint8)
    return out
