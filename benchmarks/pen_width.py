"""Synthetic canvas drawings of real MNIST digits, and what preprocessing makes of them.

People do not draw like MNIST: they draw on a large canvas, often small and off-centre, dark
ink on white, with pens from half to three times MNIST's stroke width. `make_drawings` turns
held-out MNIST digits into such drawings (the label stays known), so recognition of drawings
can be measured without collecting any. Each digit is enlarged, reduced to its centre line and
re-drawn with a round pen of the chosen width, then placed on a canvas.

Run as a script it trains a quick CNN on 9,000 bundled MNIST digits and prints accuracy on the
1,000 held out, as MNIST, as drawings read by a plain resize, and as drawings of every pen width
with and without stroke normalisation and stroke-width augmentation (a few minutes on 2 cores):

    .venv/bin/python benchmarks/pen_width.py
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
BUNDLED_MNIST = ROOT / "resources" / "mnist-train-10k.npz"
sys.path.insert(0, str(ROOT))

from digitpad.core.preprocess import PREPROCESS_VERSION, preprocess, vary_stroke_width

# Median stroke width of the bundled MNIST digits in 28x28 pixels, measured as ink area over
# centre-line length by `stroke_width` (25th-75th percentile 2.1-3.1). Pen scale 1 draws this.
MNIST_PEN_WIDTH = 2.5
# Digits are re-stroked at this many times MNIST's resolution: a pen half MNIST's width is
# still a few pixels wide there.
UPSCALE = 8

Drawing = tuple[np.ndarray, int]


def skeleton(mask: np.ndarray) -> np.ndarray:
    """One-pixel centre line of a binary shape (Zhang-Suen thinning, vectorised)."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    out = np.zeros_like(mask, dtype=bool)
    if rows.size == 0:
        return out
    window = (slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
    img = np.pad(mask[window], 1).astype(np.uint8)
    changed = True
    while changed:
        changed = False
        for first in (True, False):
            p2, p3, p4 = img[:-2, 1:-1], img[:-2, 2:], img[1:-1, 2:]
            p5, p6, p7 = img[2:, 2:], img[2:, 1:-1], img[2:, :-2]
            p8, p9 = img[1:-1, :-2], img[:-2, :-2]
            ring = (p2, p3, p4, p5, p6, p7, p8, p9, p2)
            neighbours = sum(p.astype(np.int16) for p in ring[:-1])
            crossings = sum(((a == 0) & (b == 1)).astype(np.int16) for a, b in pairwise(ring))
            side = (p2 * p4 * p6 == 0) & (p4 * p6 * p8 == 0) if first else (p2 * p4 * p8 == 0) & (p2 * p6 * p8 == 0)
            remove = (img[1:-1, 1:-1] == 1) & (neighbours >= 2) & (neighbours <= 6) & (crossings == 1) & side
            if remove.any():
                img[1:-1, 1:-1][remove] = 0
                changed = True
    out[window] = img[1:-1, 1:-1].astype(bool)
    return out


def _enlarge(digit: np.ndarray) -> np.ndarray:
    """The digit's shape at UPSCALE times the size: smooth enlargement, then MNIST's mid-grey."""
    size = digit.shape[1] * UPSCALE, digit.shape[0] * UPSCALE
    big = Image.fromarray(digit.astype(np.float32)).resize(size, Image.Resampling.BICUBIC)
    return np.asarray(big) >= 128


def stroke_width(digit: np.ndarray) -> float:
    """A uint8 MNIST digit's stroke width in its own pixels: ink area over centre-line length."""
    shape = _enlarge(digit)
    length = int(np.count_nonzero(skeleton(shape)))
    return int(np.count_nonzero(shape)) / max(length, 1) / UPSCALE


def restroke(digit: np.ndarray, pen_scale: float) -> np.ndarray:
    """The digit re-drawn along its centre line with a round pen `pen_scale` times MNIST's
    width, at UPSCALE times the resolution: float ink coverage in [0, 1], white on black."""
    line = skeleton(_enlarge(digit)).astype(np.float32)
    radius = pen_scale * MNIST_PEN_WIDTH * UPSCALE / 2
    pad = int(np.ceil(radius)) + 1
    line = np.pad(line, pad)
    yy, xx = np.mgrid[-pad : pad + 1, -pad : pad + 1]
    # A soft-edged disc stamped along the line, summed by FFT and clipped: an anti-aliased pen.
    disc = np.clip(radius + 0.5 - np.hypot(yy, xx), 0.0, 1.0).astype(np.float32)
    shape = tuple(n + 2 * pad for n in line.shape)
    spectrum = np.fft.rfft2(line, shape) * np.fft.rfft2(disc, shape)
    stamped = np.fft.irfft2(spectrum, shape)[2 * pad : 2 * pad + line.shape[0], 2 * pad : 2 * pad + line.shape[1]]
    return np.clip(stamped, 0.0, 1.0).astype(np.float32)


def _ink_box(ink: np.ndarray) -> np.ndarray:
    """The part of an ink coverage image that holds ink."""
    rows = np.flatnonzero(ink.max(axis=1) > 0.05)
    cols = np.flatnonzero(ink.max(axis=0) > 0.05)
    return ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def _place(
    ink: np.ndarray, rng: np.random.Generator, canvas: tuple[int, int], size: tuple[float, float], corner: bool
) -> np.ndarray:
    """The digit's ink scaled to `size` (a fraction of the canvas height) on a random canvas."""
    side_h, side_w = (int(rng.integers(canvas[0], canvas[1] + 1)) for _ in range(2))
    ink = _ink_box(ink)
    scale = rng.uniform(*size) * side_h / ink.shape[0]
    height = max(1, min(side_h, round(ink.shape[0] * scale)))
    width = max(1, min(side_w, round(ink.shape[1] * scale)))
    small = np.clip(np.asarray(Image.fromarray(ink).resize((width, height), Image.Resampling.BILINEAR)), 0, 1)
    if corner:
        # Within a tenth of the free space from a random corner.
        margin_y = int(rng.integers(0, (side_h - height) // 10 + 1))
        margin_x = int(rng.integers(0, (side_w - width) // 10 + 1))
        top = margin_y if rng.random() < 0.5 else side_h - height - margin_y
        left = margin_x if rng.random() < 0.5 else side_w - width - margin_x
    else:
        top = int(rng.integers(0, side_h - height + 1))
        left = int(rng.integers(0, side_w - width + 1))
    page = np.zeros((side_h, side_w), np.float32)
    page[top : top + height, left : left + width] = small
    return page


def _paint(coverage: np.ndarray, rng: np.random.Generator, invert: bool, kind: str) -> np.ndarray:
    """Ink coverage as a uint8 picture: gray, coloured pen on paper, or pen on transparency."""
    paper, pen = (0.0, 1.0) if invert else (1.0, 0.0)
    if kind == "gray":
        return np.round(255 * (paper + (pen - paper) * coverage)).astype(np.uint8)
    tint = rng.uniform(0.0, 0.35, 3) if not invert else rng.uniform(0.75, 1.0, 3)
    if kind == "rgba":
        rgb = np.broadcast_to(np.round(255 * tint).astype(np.uint8), (*coverage.shape, 3))
        alpha = np.round(255 * coverage).astype(np.uint8)[..., None]
        return np.ascontiguousarray(np.concatenate((rgb, alpha), axis=2))
    background = np.full(3, paper) + (rng.uniform(-0.08, 0.0, 3) if not invert else rng.uniform(0.0, 0.12, 3))
    rgb = background + (tint - background) * coverage[..., None]
    return np.round(255 * rgb).astype(np.uint8)


def make_drawings(
    x: np.ndarray,
    y: np.ndarray,
    rng: np.random.Generator,
    *,
    pen_scale: float | tuple[float, float] = 1.0,
    canvas: tuple[int, int] = (240, 640),
    size: tuple[float, float] = (0.2, 0.9),
    corner: bool = False,
    invert: float = 0.0,
    kinds: Sequence[str] = ("gray",),
) -> list[Drawing]:
    """Each MNIST digit (uint8, white on black) as a person's canvas drawing, with its label.

    pen_scale: the pen's width in MNIST stroke widths, fixed or drawn uniformly from a range.
    canvas: range of the canvas's height and width in pixels.
    size: range of the digit's height as a fraction of the canvas height.
    corner: put the digit in a random corner rather than anywhere.
    invert: probability of light ink on a dark background instead of dark on light.
    kinds: picture types drawn from at random: "gray", "rgb" (coloured pen on tinted paper),
    "rgba" (pen on a transparent background).
    """
    drawings: list[Drawing] = []
    for digit, label in zip(x, y, strict=True):
        scale = pen_scale if isinstance(pen_scale, (int, float)) else rng.uniform(*pen_scale)
        coverage = _place(restroke(digit, scale), rng, canvas, size, corner)
        kind = kinds[int(rng.integers(len(kinds)))]
        drawings.append((_paint(coverage, rng, bool(rng.random() < invert), kind), int(label)))
    return drawings


def plain_resize(image: np.ndarray) -> np.ndarray:
    """What a naive app does: gray, ink made white if the paper is light, canvas squashed to 28x28."""
    pil = Image.fromarray(image)
    if pil.mode == "RGBA":
        pil = Image.alpha_composite(Image.new("RGBA", pil.size, (255, 255, 255, 255)), pil)
    gray = np.asarray(pil.convert("L").resize((28, 28), Image.Resampling.LANCZOS), dtype=np.float32) / 255
    return 1.0 - gray if np.median(gray) > 0.5 else gray


def accuracy(
    predict_fn: Callable[[np.ndarray], np.ndarray],
    drawings: Sequence[Drawing],
    prepare: Callable[[np.ndarray], np.ndarray] = preprocess,
) -> float:
    """Fraction of drawings whose most probable class is the label.

    predict_fn takes float32 (n, 28, 28) in [0, 1] and returns (n, 10) probabilities, like
    `Predictor.predict_prepared`; `prepare` turns one drawing into such a 28x28 image.
    """
    batch = np.stack([prepare(image) for image, _ in drawings]).astype(np.float32)
    labels = np.array([label for _, label in drawings])
    return float(np.mean(np.argmax(predict_fn(batch), axis=1) == labels))


# ---------------------------------------------------------------- script: quick CNN figures


def _load_bundled() -> tuple[np.ndarray, np.ndarray]:
    with np.load(BUNDLED_MNIST) as data:
        return data["x"], data["y"]


def _quick_cnn_predictor(x: np.ndarray, y: np.ndarray, *, augment: bool, cache: Path, epochs: int) -> Callable:
    """Conv32-Pool-Conv64-Pool-Dense128-Dense10 trained on x (cached: retraining costs minutes)."""
    import keras

    # Augmented models depend on the recipe they were trained with.
    kind = f"stroke-aug-{PREPROCESS_VERSION}" if augment else "plain"
    path = cache / f"quick-cnn-{kind}-{epochs}ep.keras"
    if path.exists():
        model = keras.saving.load_model(path, safe_mode=True)
    else:
        keras.utils.set_random_seed(0)
        model = keras.Sequential(
            [
                keras.Input((28, 28, 1)),
                keras.layers.Conv2D(32, 3, activation="relu"),
                keras.layers.MaxPooling2D(),
                keras.layers.Conv2D(64, 3, activation="relu"),
                keras.layers.MaxPooling2D(),
                keras.layers.Flatten(),
                keras.layers.Dense(128, activation="relu"),
                keras.layers.Dense(10, activation="softmax"),
            ]
        )
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        rng = np.random.default_rng(0)
        for _ in range(epochs):
            batch = vary_stroke_width(x, rng) if augment else x
            model.fit(batch[..., None] / 255.0, y, batch_size=64, epochs=1, verbose=0)
        cache.mkdir(parents=True, exist_ok=True)
        model.save(path)
    return lambda batch: model.predict_on_batch(batch[..., None])


def _no_stroke_normalisation(image: np.ndarray) -> np.ndarray:
    return preprocess(image, normalise_stroke=False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/digitpad-pen-width"), help="trained models")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    x, y = _load_bundled()
    x_train, y_train, x_test, y_test = x[:9000], y[:9000], x[9000:], y[9000:]
    started = time.perf_counter()
    models = {
        aug: _quick_cnn_predictor(x_train, y_train, augment=aug, cache=args.cache, epochs=args.epochs)
        for aug in (False, True)
    }
    print(f"models ready in {time.perf_counter() - started:.0f} s (cached in {args.cache})")
    recipes = {"recipe + stroke normalisation": preprocess, "recipe only": _no_stroke_normalisation}
    mnist = list(zip(x_test, y_test, strict=True))

    print("\n(a) held-out MNIST digits (1,000)")
    for aug, predict in models.items():
        raw = float(np.mean(np.argmax(predict(x_test / 255.0), axis=1) == y_test))
        through = {name: accuracy(predict, mnist, prepare) for name, prepare in recipes.items()}
        cells = ", ".join(f"{name} {value:.1%}" for name, value in through.items())
        print(f"  {_model_name(aug)}: as is {raw:.1%}, {cells}")

    rng = np.random.default_rng(args.seed)
    corner = make_drawings(x_test, y_test, rng, corner=True, size=(0.1, 0.3))
    print("\n(b) pen scale 1, drawn small (10-30% of the height) in a corner of a 240-640 px canvas")
    prepares = {"plain resize": plain_resize, **recipes}
    for aug, predict in models.items():
        cells = ", ".join(f"{name} {accuracy(predict, corner, p):.1%}" for name, p in prepares.items())
        print(f"  {_model_name(aug)}: {cells}")

    print("\n(c) pen scales, digit 20-90% of the canvas height anywhere, gray/RGB/RGBA, 30% inverted")
    scales = (0.5, 1.0, 2.0, 3.0)
    sets = {
        s: make_drawings(x_test, y_test, rng, pen_scale=s, invert=0.3, kinds=("gray", "rgb", "rgba")) for s in scales
    }
    print(f"  {'model':<28}{'preprocess':<32}" + "".join(f"{f'pen {s:g}x':>10}" for s in scales) + f"{'mean':>10}")
    for aug, predict in models.items():
        for name, prepare in recipes.items():
            values = [accuracy(predict, sets[s], prepare) for s in scales]
            row = "".join(f"{v:>10.1%}" for v in values)
            print(f"  {_model_name(aug):<28}{name:<32}{row}{np.mean(values):>10.1%}")
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0


def _model_name(augmented: bool) -> str:
    return "CNN + stroke augmentation" if augmented else "CNN"


if __name__ == "__main__":
    raise SystemExit(main())
