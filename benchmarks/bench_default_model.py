"""The shipped model, side by side on every kind of digit it should read, and how honest it is.

    .venv/bin/python benchmarks/bench_default_model.py [--model PATH] [--mnist60k FILE] [--quick]

All figures are on digits the model never trained on, and every row names its data set:
- MNIST: the validation split (the last 5,000 of the official training set, the model's recipe
  never trains on them) and, where Keras has it cached, the official 10,000-digit test set;
- the style set: digits drawn from strokes in each style of `digitpad.core.synthetic_digits`
  (continental 1s, crossed 7s, closed 4s, straight 9s...) with a seed the recipe never uses;
- coarse scans of the validation digits at 8x8 (17 grey levels) and 16x15 (7 levels), scaled up,
  and the validation digits with their ink grown 2 px (a felt-tip pen);
- canvas drawings of validation digits with pens 0.5-3x MNIST's width, and small in a corner;
- calibration: expected calibration error before and after the model's temperature, and what
  the "unsure" rule flags; test-time augmentation (shifted copies averaged) and what it buys.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))

from pen_width import accuracy, make_drawings

from digitpad.core.calibration import expected_calibration_error, with_temperature
from digitpad.core.datasets import load_mnist_training_set
from digitpad.core.default_model import VALIDATION_SIZE
from digitpad.core.inference import Predictor
from digitpad.core.reading import read_probabilities
from digitpad.core.synthetic_digits import (
    RARE_IN_MNIST,
    STYLE_NAMES,
    bold_strokes,
    low_resolution,
    style_digits,
)

DEFAULT_MNIST_60K = ROOT.parent.parent / "shared" / "data" / "mnist-train-60k.npz"
# Seeds the recipe never draws from, so the style set and scans are new to the model.
STYLE_SEED = 20261130
SCAN_SEED = 77

Predict = Callable[[np.ndarray], np.ndarray]


def _accuracy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(probabilities.argmax(axis=1) == labels))


def _official_test() -> tuple[np.ndarray, np.ndarray] | None:
    cached = Path.home() / ".keras" / "datasets" / "mnist.npz"
    if not cached.exists():
        return None
    with np.load(cached) as data:
        return data["x_test"], data["y_test"]


def _shifted_average(predict: Predict) -> Predict:
    """Test-time augmentation: the mean over the image and its four one-pixel shifts."""

    def tta(x: np.ndarray) -> np.ndarray:
        copies = [x] + [np.roll(x, step, axis=axis) for axis in (1, 2) for step in (-1, 1)]
        return np.mean([predict(c) for c in copies], axis=0)

    return tta


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="a .keras file (default: the shipped model)")
    parser.add_argument("--mnist60k", type=Path, default=DEFAULT_MNIST_60K, help="the full MNIST training set")
    parser.add_argument("--quick", action="store_true", help="fewer digits per row (a rough look)")
    args = parser.parse_args()
    started = time.perf_counter()
    predictor = Predictor.load(args.model)
    predict = predictor.predict_prepared
    meta = predictor.metadata
    temperature = float((meta.calibration if meta else {}).get("temperature", 1.0))

    x_all, y_all = load_mnist_training_set(args.mnist60k if args.mnist60k.exists() else None)
    x_val, y_val = x_all[-VALIDATION_SIZE:], y_all[-VALIDATION_SIZE:]
    per_style = 20 if args.quick else 100
    drawings_per_row = 200 if args.quick else 1000
    scans = 1000 if args.quick else len(y_val)

    print(f"model: {predictor.path} ({predictor.num_params:,} parameters, "
          f"{predictor.path.stat().st_size / 1e6:.2f} MB, temperature {temperature:.3f})")
    if meta is not None:
        print(f"trained in {meta.training_seconds:.0f} s on this machine's CPU at the time, "
              f"{len(meta.history.get('loss', []))} epochs; its stored figure: "
              f"{meta.test_metrics.get('accuracy', float('nan')):.2%} on {meta.test_label()}")

    rows: list[tuple[str, str, float]] = []
    val_probabilities = predict(x_val.astype(np.float32) / 255)
    rows.append(("MNIST validation split (last 5,000 of the training set)", f"{len(y_val):,}",
                 _accuracy(val_probabilities, y_val)))
    official = _official_test()
    if official is not None:
        rows.append(("MNIST official test set", f"{len(official[1]):,}",
                     _accuracy(predict(official[0].astype(np.float32) / 255), official[1])))

    style_rng = np.random.default_rng(STYLE_SEED)
    x_style, y_style, style_index = style_digits(per_style * len(STYLE_NAMES), style_rng)
    style_probabilities = predict(x_style.astype(np.float32) / 255)
    style_correct = style_probabilities.argmax(axis=1) == y_style
    for index, name in enumerate(STYLE_NAMES):
        marker = " *" if name in RARE_IN_MNIST else ""
        rows.append((f"style set: {name}{marker}", f"{per_style}", float(style_correct[style_index == index].mean())))
    rows.append(("style set: all styles", f"{len(y_style):,}", float(style_correct.mean())))

    scan_rng = np.random.default_rng(SCAN_SEED)
    scan_sets = {
        "8x8, 17 grey levels": low_resolution(x_val[:scans], scan_rng, shape=(8, 8), levels=17),
        "16x15, 7 grey levels": low_resolution(x_val[:scans], scan_rng, shape=(16, 15), levels=7),
    }
    scan_probabilities = {}
    for name, x_scan in scan_sets.items():
        scan_probabilities[name] = predict(x_scan.astype(np.float32) / 255)
        rows.append((f"validation digits scanned at {name}, scaled up", f"{scans:,}",
                     _accuracy(scan_probabilities[name], y_val[:scans])))

    bold = bold_strokes(x_val[:scans], np.random.default_rng(SCAN_SEED), grow=(2, 2))
    rows.append(("validation digits with their ink grown 2 px (felt-tip)", f"{scans:,}",
                 _accuracy(predict(bold.astype(np.float32) / 255), y_val[:scans])))

    draw_rng = np.random.default_rng(7)
    x_draw, y_draw = x_val[:drawings_per_row], y_val[:drawings_per_row]
    kinds = ("gray", "rgb", "rgba")
    corner = make_drawings(x_draw, y_draw, draw_rng, corner=True, size=(0.15, 0.3), canvas=(400, 600))
    rows.append(("validation digits drawn small in a canvas corner", f"{len(y_draw):,}", accuracy(predict, corner)))
    for scale in (0.5, 1.0, 2.0, 3.0):
        drawings = make_drawings(x_draw, y_draw, draw_rng, pen_scale=scale, invert=0.3, kinds=kinds)
        rows.append((f"validation digits drawn with a pen {scale:g}x MNIST's", f"{len(y_draw):,}",
                     accuracy(predict, drawings)))

    print("\naccuracy (* marks styles MNIST has few of):")
    for label, size, value in rows:
        print(f"  {label:<60} {size:>6} {value:8.2%}")

    print("\ncalibration: expected calibration error (15 bins), before -> after the temperature")
    calibration_sets = {
        "MNIST validation split": (val_probabilities, y_val),
        "style set": (style_probabilities, y_style),
        **{f"scans {name}": (p, y_val[:scans]) for name, p in scan_probabilities.items()},
    }
    for name, (calibrated, labels) in calibration_sets.items():
        raw = with_temperature(calibrated, 1 / temperature)
        print(f"  {name:<40} {expected_calibration_error(raw, labels):7.4f} -> "
              f"{expected_calibration_error(calibrated, labels):7.4f}")

    print("\nthe unsure rule (digitpad.core.reading): share flagged, accuracy of flagged / of the rest")
    for name, (calibrated, labels) in calibration_sets.items():
        unsure = np.array([read_probabilities(p).unsure for p in calibrated])
        correct = calibrated.argmax(axis=1) == labels
        flagged = float(correct[unsure].mean()) if unsure.any() else float("nan")
        rest = float(correct[~unsure].mean()) if (~unsure).any() else float("nan")
        caught = float(unsure[~correct].mean()) if (~correct).any() else float("nan")
        print(f"  {name:<40} flagged {unsure.mean():6.2%}, right {flagged:6.1%} / {rest:7.2%};"
              f" {caught:6.1%} of its mistakes flagged")

    print("\ntest-time augmentation (mean over 4 one-pixel shifts and the image), accuracy plain -> TTA")
    tta = _shifted_average(predict)
    for name, (calibrated, labels), x in (
        ("MNIST validation split", calibration_sets["MNIST validation split"], x_val),
        ("style set", calibration_sets["style set"], x_style),
        ("scans 16x15", calibration_sets["scans 16x15, 7 grey levels"], scan_sets["16x15, 7 grey levels"]),
    ):
        print(f"  {name:<40} {_accuracy(calibrated, labels):7.2%} -> "
              f"{_accuracy(tta(x.astype(np.float32) / 255), labels):7.2%}")
    print(f"\nbenchmark took {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
