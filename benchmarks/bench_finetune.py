"""Fine-tuning the shipped model to one hand: what it gains, what it forgets, how long it takes.

The hands are synthetic (`digitpad.core.hands`): each is one made-up writer's consistent forms,
slant, width and pen, with the variation between two digits of one person, drawn as strokes on
the 280-pixel canvas. They stand in for real people's hands, which digitpad does not have; the
hands chosen here are ones the shipped model reads at about 75-82%. For every hand, 100 digits
(10 of each) are taught through `finetune` exactly as the window and `digitpad finetune` do (it
keeps 20 of them aside to measure on, so 80 are learnt from), and the model is then measured on
400 other digits of the same hand, and on MNIST's validation split (the last 5,000 of the
60,000 training digits, which the shipped model never trained on) when the 60k file is given.

Side by side, on the same 100 digits (all of them learnt) and the same number of replayed MNIST
digits: a plain `model.fit` of the loaded model, as the issue's baseline did (3 epochs, Adam at
1e-3, hard labels, batch normalization training). Times are medians over hands of the fine-tune
alone (re-drawing the digits, the parent's targets for the replayed digits, and training; not
loading the model nor measuring it) against the plain fit's; "whole call" adds the loading and
the measurements `finetune` also makes. `--no-variants` adds a column without re-drawn digits,
to show what re-rendering the strokes buys; `--images-only` drops the strokes, as for digits
imported as images, which then get no variants.

Usage: python benchmarks/bench_finetune.py [--mnist /path/mnist-train-60k.npz] [--hands 2,3,8,...]
           [--rest 40] [--no-variants] [--images-only]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# `finetune` measures forgetting on MNIST's test set when Keras has it cached, else it tries a
# download, which on a machine without network can wait on timeouts; offline it measures on the
# shipped 2,000-digit validation sample. The figures printed here come from the 60k file anyway.
os.environ.setdefault("DIGITPAD_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from digitpad.core import finetune as finetune_module
from digitpad.core.datasets import load_bundled_mnist
from digitpad.core.finetune import FineTuneSettings, finetune
from digitpad.core.hands import hand_digits, make_hand
from digitpad.core.model_file import load_keras_model
from digitpad.core.resources import default_model_path
from digitpad.core.tensorflow_runtime import import_tensorflow
from digitpad.core.training import TrainingProgress
from digitpad.core.workflows import StageProgress

DEFAULT_HANDS = "2,3,8,19,23,33,39"
MNIST_60K = Path("/work/shared/data/mnist-train-60k.npz")
VALIDATION_SIZE = 5_000


def accuracy(model, x: np.ndarray, y: np.ndarray) -> float:
    probabilities = np.concatenate([
        np.asarray(model.predict_on_batch(x[i : i + 1000, ..., None].astype(np.float32))) for i in range(0, len(x), 1000)
    ])
    return float(np.mean(probabilities.argmax(axis=1) == y))


class StageClock:
    """Times the fine-tune alone from `finetune`'s reports: from the first "preparing" report to
    the first "measuring before" one (re-drawing the digits), plus from the last "measuring
    before" report to the first "measuring after" one (the parent's targets for the replayed
    digits, and training)."""

    def __init__(self) -> None:
        self.stamps: dict[str, list[float]] = {}

    def __call__(self, report: StageProgress | TrainingProgress) -> None:
        if isinstance(report, StageProgress):
            self.stamps.setdefault(report.stage, []).append(time.perf_counter())

    def finetune_seconds(self) -> float:
        preparing = self.stamps[finetune_module.PREPARING]
        before = self.stamps[finetune_module.MEASURING_BEFORE]
        after = self.stamps[finetune_module.MEASURING_AFTER]
        return (before[0] - preparing[0]) + (after[0] - before[-1])


def plain_fit(x: np.ndarray, y: np.ndarray, replay: int, seed: int) -> tuple[object, float]:
    """The issue's baseline: the loaded model fitted on the digits plus replayed MNIST digits."""
    import keras

    model = load_keras_model(default_model_path())
    rng = np.random.default_rng(seed)
    bundled = load_bundled_mnist()
    rows = rng.choice(len(bundled.x_train), replay, replace=False)
    began = time.perf_counter()
    keras.utils.set_random_seed(seed)
    inputs = np.concatenate((x, bundled.x_train[rows].astype(np.float32) / 255))[..., None]
    labels = np.concatenate((y, bundled.y_train[rows].astype(np.int64)))
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(inputs, labels, batch_size=64, epochs=3, shuffle=True, verbose=0)
    return model, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mnist", type=Path, default=MNIST_60K if MNIST_60K.exists() else None,
                        help="MNIST's 60,000 training digits (.npz, x/y); its last 5,000 measure forgetting")
    parser.add_argument("--hands", default=DEFAULT_HANDS, help="seeds of `hands.make_hand`, comma-separated")
    parser.add_argument("--rest", type=int, default=40, help="digits of each label measured per hand")
    parser.add_argument("--no-variants", action="store_true", help="also fine-tune without re-drawn digits")
    parser.add_argument("--images-only", action="store_true", help="digits without strokes, as if imported")
    args = parser.parse_args()

    import keras
    import tensorflow as tf

    began = time.perf_counter()
    import_tensorflow()
    print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}, {os.cpu_count()} CPUs; TensorFlow import "
          f"{time.perf_counter() - began:.1f} s; load average {os.getloadavg()[0]:.2f}")
    settings = FineTuneSettings()
    print(f"Recipe: {settings.to_dict()}; synthetic hands {args.hands}, 100 taught + {10 * args.rest} measured each")
    if args.mnist is not None:
        with np.load(args.mnist) as data:
            x_val = data["x"][-VALIDATION_SIZE:].astype(np.float32) / 255
            y_val = data["y"][-VALIDATION_SIZE:].astype(np.int64)
        mnist_name = f"MNIST validation split ({VALIDATION_SIZE:,})"
    else:
        held = finetune_module.mnist_held_out()
        x_val, y_val = held.x_test.astype(np.float32) / 255, held.y_test.astype(np.int64)
        mnist_name = held.test_label
    parent = load_keras_model(default_model_path())
    mnist_before = accuracy(parent, x_val, y_val)
    print(f"Shipped model on {mnist_name}: {mnist_before:.2%}")

    recipes = {"finetune": settings}
    if args.no_variants:
        recipes["no variants"] = replace(settings, variants=0)
    columns = ["hand", "before", *[f"{name} after" for name in recipes], "plain fit after",
               *[f"{name} MNIST" for name in recipes], "plain MNIST",
               *[f"{name} s" for name in recipes], "whole call s", "plain fit s"]
    print("  ".join(f"{c:>15}" for c in columns))
    times: dict[str, list[float]] = {name: [] for name in [*recipes, "whole call", "plain fit"]}
    gains: dict[str, list[float]] = {name: [] for name in [*recipes, "plain fit"]}
    mnist: dict[str, list[float]] = {name: [] for name in [*recipes, "plain fit"]}
    for seed in (int(s) for s in args.hands.split(",")):
        hand = make_hand(seed)
        rng = np.random.default_rng(seed + 1000)
        x, y, drawings = hand_digits(hand, 10, rng)
        x_rest, y_rest, _ = hand_digits(hand, args.rest, rng)
        strokes = [None] * len(x) if args.images_only else drawings
        row = [f"{seed:>15}", f"{accuracy(parent, x_rest, y_rest):>15.2%}"]
        after: dict[str, float] = {}
        for name, recipe in recipes.items():
            clock = StageClock()
            called = time.perf_counter()
            result = finetune(None, x, y, strokes, recipe, progress=clock)
            whole = time.perf_counter() - called
            times[name].append(clock.finetune_seconds())
            if name == "finetune":
                times["whole call"].append(whole)
            model = result.trained.run.model
            after[name] = accuracy(model, x_rest, y_rest)
            gains[name].append(after[name])
            mnist[name].append(accuracy(model, x_val, y_val) - mnist_before)
        model, seconds = plain_fit(x, y, settings.replay, settings.seed)
        times["plain fit"].append(seconds)
        after["plain fit"] = accuracy(model, x_rest, y_rest)
        gains["plain fit"].append(after["plain fit"])
        mnist["plain fit"].append(accuracy(model, x_val, y_val) - mnist_before)
        row += [f"{after[name]:>15.2%}" for name in [*recipes, "plain fit"]]
        row += [f"{100 * mnist[name][-1]:>+15.2f}" for name in [*recipes, "plain fit"]]
        row += [f"{times[name][-1]:>15.1f}" for name in [*recipes, "whole call", "plain fit"]]
        print("  ".join(row), flush=True)
    print("mean of hands: " + ", ".join(f"{name} {statistics.mean(v):.2%} (worst {min(v):.2%})" for name, v in gains.items()))
    print("MNIST change, points: " + ", ".join(
        f"{name} {100 * statistics.mean(v):+.2f} (worst {100 * min(v):+.2f})" for name, v in mnist.items()))
    medians = {name: statistics.median(v) for name, v in times.items()}
    print("median seconds: " + ", ".join(f"{name} {value:.1f}" for name, value in medians.items())
          + f"; fine-tune / plain fit {medians['finetune'] / medians['plain fit']:.2f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
