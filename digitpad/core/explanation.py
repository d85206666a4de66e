"""Why the model gave its answer: which parts of the input it relied on, measured, not guessed.

An explanation must be faithful: the pixels it marks must be the ones the answer depends on.
Occlusion asks the model itself: each small patch of the input is blanked in turn, and a
pixel's saliency is the mean drop in the answer's log-probability over the patches that cover
it. It needs nothing but the model's forward pass, so it runs on the LiteRT predictor the
canvas already uses (gradient maps would need TensorFlow loaded), in one batched call of ~80
inputs, ~25 ms on two cores. On the shipped model, blanking the 20% of the ink it ranks highest
costs the answer more than blanking a random 20% on 98% of drawings, and on average more than
gradient x input's top 20% does (benchmarks/bench_explanations.py).

`deletion_test` is that measurement; `saliency_rgba` is the one colour map the window and the
PNG files share, so a map reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from digitpad.core.atomic import atomic_path

Predict = Callable[[np.ndarray], np.ndarray]

SIZE = 28
# Patches of 3x3 pixels, about a stroke's width, every 2 pixels (and flush with the far edge):
# 196 in all, of which the ~80 touching a digit's ink are run. On 400 drawings like the benchmark's
# (a one-off comparison) this won the deletion test on 98-99%, as 2x2 or 3x3 patches every pixel did
# with three times the model calls; 5x5 and 6x6 patches won no more often and draw coarser maps.
PATCH = 3
STRIDE = 2


def _patch_masks() -> np.ndarray:
    """(patches, 28, 28) bool, True inside each patch."""
    starts = sorted({*range(0, SIZE - PATCH + 1, STRIDE), SIZE - PATCH})
    masks = np.zeros((len(starts) ** 2, SIZE, SIZE), dtype=bool)
    for index, (row, col) in enumerate(product(starts, starts)):
        masks[index, row : row + PATCH, col : col + PATCH] = True
    return masks


_PATCHES = _patch_masks()
_COVER = _PATCHES.sum(axis=0).astype(np.float64)  # patches over each pixel, every pixel at least one

# Probabilities are floored here before the logarithm: float32 softmax outputs can be exactly 0.
MIN_PROBABILITY = float(np.finfo(np.float32).tiny)
# The deletion test's ink: pixels holding at least this much of full strength. Fainter ones are
# the anti-aliased rim of strokes; blanking them changes the input, and the answer, hardly at all.
INK_LEVEL = 0.2

# The overlay's colours, faint to strong (ColorBrewer RdYlBu ends): orange to red where the
# pixels support the answer, light to deep blue where they argue against it. The two sides differ
# in lightness and blue, so they stay apart for people who confuse red and green.
SUPPORT_COLOURS = ((253, 174, 97), (215, 48, 39))
AGAINST_COLOURS = ((171, 217, 233), (69, 117, 180))
MAX_ALPHA = 200  # the strongest pixels still let the ink show through
ZERO_LEVEL = 0.05  # below this fraction of the map's peak a pixel is left transparent
# Ink in the PNGs is dark grey, not black: the overlay's colours over black ink look alike.
INK_GRAY = 90


@dataclass(frozen=True, eq=False)
class Explanation:
    """What drove the model's answer for one input. Arrays, so compared by identity."""

    label: int  # the class explained (by default the model's answer)
    probabilities: np.ndarray  # (classes,) float32, the model's answer on the unoccluded input
    saliency: np.ndarray  # (28, 28) float32, aligned with the input; > 0 = supports `label`
    method: str  # "occlusion"


@dataclass(frozen=True)
class DeletionResult:
    """Drops in the explained class's log-probability after blanking part of the ink."""

    drop_map: float  # blanking the pixels the map ranks highest
    drop_random: float  # blanking as many ink pixels chosen at random
    won: bool  # the map's pixels mattered more than random ones


def explain(predict: Predict, x: np.ndarray, label: int | None = None) -> Explanation:
    """Occlusion map of `x` for `label` (None: the model's answer), in one batched `predict` call.

    `x` is a float (28, 28) input in [0, 1]; `predict` maps (n, 28, 28) float32 inputs to (n,
    classes) probabilities, like `Predictor.predict_prepared`. Patches over empty background are
    skipped: blanking them leaves the input, and so the answer, unchanged, a drop of exactly 0.
    """
    x = _checked_input(x)
    patches = _PATCHES[_PATCHES[:, x > 0].any(axis=1)]
    batch = np.concatenate((x[np.newaxis], np.where(patches, np.float32(0), x)))
    probabilities = np.asarray(predict(batch), dtype=np.float32)
    if probabilities.ndim != 2 or len(probabilities) != len(batch):
        raise ValueError(f"predict returned shape {probabilities.shape} for {len(batch)} inputs.")
    if label is None:
        label = int(probabilities[0].argmax())
    elif not 0 <= label < probabilities.shape[1]:
        raise ValueError(f"Cannot explain class {label}: the model has {probabilities.shape[1]} classes.")
    log_p = np.log(np.maximum(probabilities[:, label].astype(np.float64), MIN_PROBABILITY))
    drops = log_p[0] - log_p[1:]
    saliency = (drops @ patches.reshape(len(patches), SIZE * SIZE)).reshape(SIZE, SIZE) / _COVER
    return Explanation(
        label=label, probabilities=probabilities[0], saliency=saliency.astype(np.float32), method="occlusion"
    )


def deletion_test(
    predict: Predict,
    x: np.ndarray,
    saliency: np.ndarray,
    label: int,
    *,
    fraction: float = 0.2,
    rng: np.random.Generator,
) -> DeletionResult:
    """Is `saliency` faithful? Blank the `fraction` of the ink pixels it ranks highest, and as
    many ink pixels at random, and compare the drops in `label`'s log-probability (one
    `predict` call). A faithful map wins on nearly every input, a random one on about half."""
    x = _checked_input(x)
    if saliency.shape != x.shape:
        raise ValueError(f"The saliency map is {saliency.shape}, the input {x.shape}.")
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], not {fraction}.")
    ink = np.flatnonzero(x.ravel() >= INK_LEVEL)
    if len(ink) == 0:
        raise ValueError("The input has no ink to delete.")
    count = max(1, round(fraction * len(ink)))
    ranked = ink[np.argsort(-saliency.ravel()[ink], kind="stable")[:count]]
    chosen = rng.choice(ink, count, replace=False)
    batch = np.repeat(x.reshape(1, -1), 3, axis=0)
    batch[1, ranked] = 0
    batch[2, chosen] = 0
    probabilities = np.asarray(predict(batch.reshape(3, SIZE, SIZE)), dtype=np.float64)
    log_p = np.log(np.maximum(probabilities[:, label], MIN_PROBABILITY))
    drop_map, drop_random = float(log_p[0] - log_p[1]), float(log_p[0] - log_p[2])
    return DeletionResult(drop_map=drop_map, drop_random=drop_random, won=drop_map > drop_random)


def saliency_rgba(saliency: np.ndarray, size: int | None = None) -> np.ndarray:
    """(H, W, 4) uint8 overlay colours for a saliency map, scaled to its strongest pixel:
    transparent near 0, orange to red (more opaque) where it supports the answer, blue where it
    argues against. `size` upsamples smoothly to (size, size) first, for drawing over a picture
    larger than the input without visible 28x28 blocks."""
    values = np.asarray(saliency, dtype=np.float32)
    if values.ndim != 2:
        raise ValueError(f"A saliency map is 2-D, not {values.shape}.")
    peak = float(np.abs(values).max(initial=0.0))
    if size is not None:
        values = np.asarray(Image.fromarray(values).resize((size, size), Image.Resampling.BILINEAR))
    rgba = np.zeros((*values.shape, 4), np.uint8)
    if peak == 0 or not np.isfinite(peak):
        return rgba
    strength = np.minimum(np.abs(values) / peak, 1.0)
    for side, (faint, strong) in ((values > 0, SUPPORT_COLOURS), (values < 0, AGAINST_COLOURS)):
        shown = side & (strength > ZERO_LEVEL)
        t = strength[shown][:, np.newaxis]
        rgba[shown, :3] = np.round(np.add(faint, t * np.subtract(strong, faint)))
        # sqrt: a pixel with a quarter of the peak's effect is still clearly visible
        rgba[shown, 3] = np.round(MAX_ALPHA * np.sqrt(t[:, 0]))
    return rgba


def overlay_png(x: np.ndarray, saliency: np.ndarray, path: Path, *, scale: int = 10) -> Path:
    """Write the input as dark grey ink on white, each pixel `scale` wide, under the saliency overlay;
    atomically (a StorageError leaves any old file as it was). Returns `path`."""
    x = _checked_input(x)
    if saliency.shape != x.shape:
        raise ValueError(f"The saliency map is {saliency.shape}, the input {x.shape}.")
    if scale < 1:
        raise ValueError(f"scale must be at least 1, not {scale}.")
    side = SIZE * scale
    gray = np.round(255 - (255 - INK_GRAY) * x).astype(np.uint8)
    paper = Image.fromarray(gray).resize((side, side), Image.Resampling.NEAREST)
    heat = Image.fromarray(saliency_rgba(saliency, side), "RGBA")
    picture = Image.alpha_composite(paper.convert("RGBA"), heat).convert("RGB")
    path = Path(path)
    with atomic_path(path) as temporary:
        picture.save(temporary, format="PNG")
    return path


def explain_file_record(file: Path, label: int, x: np.ndarray, saliency: np.ndarray) -> dict[str, Any]:
    """One line of `digitpad explain --json`: the file, the class explained, the model's input
    and the saliency map as 28x28 nested lists (row by row, aligned with each other)."""
    return {"file": str(file), "label": int(label), "input": _nested(x), "saliency": _nested(saliency)}


def _nested(array: np.ndarray) -> list[list[float]]:
    """Rows of floats written as float32's shortest exact form: "0.003921569", not the
    17-digit float64 expansion, a third of the length and still exact in float32."""
    return [[float(str(value)) for value in row] for row in np.asarray(array, dtype=np.float32)]


def _checked_input(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if x.shape != (SIZE, SIZE) or x.dtype.kind != "f":
        raise ValueError(f"An input to explain is a float (28, 28) image in [0, 1], not {x.dtype} {x.shape}.")
    return x.astype(np.float32, copy=False)
