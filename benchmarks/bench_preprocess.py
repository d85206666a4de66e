"""How long `preprocess` and `has_ink` take on canvas-sized and photo-sized pictures.

The canvas re-reads the digit on every stroke, so preprocessing a 280x280 canvas should take
well under a millisecond; a 2000x2000 photo opened from disk should still take only a few.
Figures are the median of many calls on one core (tests make no timing assertions):

    .venv/bin/python benchmarks/bench_preprocess.py
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pen_width import BUNDLED_MNIST, make_drawings

from digitpad.core.preprocess import has_ink, preprocess


def _median_ms(function: Callable[[], object], repeats: int) -> float:
    function()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _pictures(rng: np.random.Generator) -> dict[str, np.ndarray]:
    with np.load(BUNDLED_MNIST) as data:
        digits, labels = data["x"][-3:], data["y"][-3:]
    canvas = make_drawings(digits[:1], labels[:1], rng, canvas=(280, 280), size=(0.6, 0.8))[0][0]
    canvas_rgba = make_drawings(digits[1:2], labels[1:2], rng, canvas=(280, 280), kinds=("rgba",))[0][0]
    photo = make_drawings(digits[2:], labels[2:], rng, canvas=(2000, 2000), size=(0.3, 0.6), kinds=("rgb",))[0][0]
    noise = rng.normal(0, 6, photo.shape)
    photo = np.clip(photo + noise, 0, 255).astype(np.uint8)
    return {
        "280x280 gray canvas (uint8)": canvas,
        "280x280 gray canvas (float32)": canvas.astype(np.float32) / 255,
        "280x280 RGBA, transparent background": canvas_rgba,
        "2000x2000 RGB photo (uint8)": photo,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=300)
    args = parser.parse_args(argv)
    pictures = _pictures(np.random.default_rng(0))
    print(f"{'picture':<40}{'preprocess':>12}{'no stroke norm.':>17}{'has_ink':>10}  (median ms)")
    for name, picture in pictures.items():
        repeats = args.repeats if picture.size < 1_000_000 else max(10, args.repeats // 10)
        full = _median_ms(partial(preprocess, picture), repeats)
        plain = _median_ms(partial(preprocess, picture, normalise_stroke=False), repeats)
        ink = _median_ms(partial(has_ink, picture), repeats)
        print(f"{name:<40}{full:>12.3f}{plain:>17.3f}{ink:>10.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
