"""The shipped model's accuracy and training time, on digits it never saw during training.

    .venv/bin/python benchmarks/bench_default_model.py [--model PATH]

Prints its accuracy on the 1,000 held-out digits of the bundled MNIST split, as MNIST images
and as canvas drawings made from them (small in a corner of a large canvas, and with pens from
half to three times MNIST's width, inverted, RGB and RGBA), plus the training time recorded in
the model file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pen_width import accuracy, make_drawings, plain_resize  # noqa: E402

from digitpad.core.datasets import load_bundled_mnist  # noqa: E402
from digitpad.core.inference import Predictor  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    predictor = Predictor.load(args.model)
    dataset = load_bundled_mnist()
    x, y = dataset.x_test, dataset.y_test
    rng = np.random.default_rng(args.seed)
    predict = predictor.predict_prepared

    mnist_accuracy = float(np.mean(predict(x.astype(np.float32) / 255).argmax(axis=1) == y))
    rows = [("MNIST images as they are", mnist_accuracy)]
    corner = make_drawings(x, y, rng, corner=True, size=(0.15, 0.3), canvas=(400, 600))
    rows.append(("small in a corner, plain resize to 28x28", accuracy(predict, corner, plain_resize)))
    rows.append(("small in a corner, digitpad.preprocess", accuracy(predict, corner)))
    for scale in (0.5, 1.0, 2.0, 3.0):
        drawings = make_drawings(x, y, rng, pen_scale=scale, invert=0.3, kinds=("gray", "rgb", "rgba"))
        rows.append((f"pen {scale:g}x MNIST width, digitpad.preprocess", accuracy(predict, drawings)))
    mixed = make_drawings(x, y, rng, pen_scale=(0.5, 3.0), invert=0.3, kinds=("gray", "rgb", "rgba"))
    rows.append(("pen 0.5x-3x at random, digitpad.preprocess", accuracy(predict, mixed)))

    meta = predictor.metadata
    print(f"model: {predictor.path} ({predictor.num_params:,} parameters, "
          f"{predictor.path.stat().st_size / 1e6:.2f} MB)")
    if meta is not None:
        print(f"trained in {meta.training_seconds:.0f} s on this machine's CPU at the time "
              f"(architecture {meta.architecture.get('name')}, {len(meta.history.get('loss', []))} epochs)")
    print(f"accuracy on the {len(y):,} held-out bundled MNIST digits:")
    for label, value in rows:
        print(f"  {label:<48} {value:7.2%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
