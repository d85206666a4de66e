"""The one command that makes `resources/default-model.keras` from the bundled MNIST digits.

    python -m digitpad.core.default_model [--out resources/default-model.keras]

It trains on the 9,000 training digits of the bundled split and reports the 1,000 test digits
it never saw, so the figure stored in the model is an honest one. Besides Keras' rotation,
shift and zoom layers, the training set is extended with copies whose strokes were re-drawn
thinner and thicker (`vary_stroke_width`): people draw with pens from half to three times
MNIST's width, and a model that has only seen MNIST's pens reads the extremes worse.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import numpy as np

from digitpad.core.architectures import ArchitectureSpec
from digitpad.core.datasets import Dataset, load_bundled_mnist
from digitpad.core.preprocess import vary_stroke_width
from digitpad.core.resources import default_model_path
from digitpad.core.training import TrainingSpec

RECIPE = TrainingSpec(
    architecture=ArchitectureSpec(
        name="digitpad-cnn", dropout=0.25, batch_norm=True, augment=True,
        rotation=0.04, shift=0.1, zoom=0.1,
    ),
    optimizer="adam",
    learning_rate=1e-3,
    epochs=12,
    batch_size=64,
    validation_split=0.0,
    seed=0,
)
# Each copy re-draws about half of the digits with a random pen width.
STROKE_COPIES = 2


def with_stroke_copies(dataset: Dataset, copies: int, seed: int) -> Dataset:
    rng = np.random.default_rng(seed)
    x = [dataset.x_train] + [vary_stroke_width(dataset.x_train, rng) for _ in range(copies)]
    y = [dataset.y_train] * (copies + 1)
    return dataclasses.replace(dataset, x_train=np.concatenate(x), y_train=np.concatenate(y))


def main(argv: list[str] | None = None) -> int:
    from digitpad.console import TrainingProgressPrinter
    from digitpad.core.workflows import train_evaluate_save

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=default_model_path())
    parser.add_argument("--epochs", type=int, default=RECIPE.epochs)
    args = parser.parse_args(argv)
    dataset = with_stroke_copies(load_bundled_mnist(), STROKE_COPIES, RECIPE.seed)
    spec = dataclasses.replace(RECIPE, epochs=args.epochs)
    printer = TrainingProgressPrinter(sys.stderr)
    trained = train_evaluate_save(dataset, spec, args.out, progress=printer)
    printer.finish()
    print(
        f"{args.out}: {trained.run.model.count_params():,} parameters, trained on "
        f"{len(dataset.x_train):,} images in {trained.run.duration_s:.0f} s; "
        f"accuracy on the {len(dataset.y_test):,} held-out digits {trained.evaluation.accuracy:.2%}."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
