"""Training throughput of `digitpad.core.training.train` against a bare `model.fit`.

Both sides train the same architecture, compiled the same way (`compile_model`), on the same
10,000 bundled MNIST digits with the same batch size and no validation. An epoch's time is the
gap between consecutive epoch ends, so the first epoch (graph tracing) is the warm-up and
model building is never counted. The two sides alternate (A B, B A, ...) so that load from
other processes on a shared machine falls on both. The goal is train/bare >= 0.95.

Usage: python benchmarks/bench_training.py [--epochs 4] [--rounds 3] [--arch seed-cnn digitpad-cnn]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from digitpad.core.architectures import ARCHITECTURE_NAMES, ArchitectureSpec, build_model  # noqa: E402
from digitpad.core.training import (  # noqa: E402
    TrainingProgress,
    TrainingSpec,
    compile_model,
    prepare_images,
    prepare_labels,
    train,
)

MNIST = Path(__file__).resolve().parents[1] / "resources" / "mnist-train-10k.npz"


def epoch_seconds(epoch_ends: list[float]) -> list[float]:
    return [later - earlier for earlier, later in zip(epoch_ends, epoch_ends[1:])]


def time_train(x: np.ndarray, y: np.ndarray, spec: TrainingSpec) -> list[float]:
    ends: list[float] = []

    def on_progress(event: TrainingProgress) -> None:
        if event.kind == "epoch":
            ends.append(time.perf_counter())

    train(x, y, spec, progress=on_progress)
    return epoch_seconds(ends)


def time_bare_fit(x: np.ndarray, y: np.ndarray, spec: TrainingSpec) -> list[float]:
    import keras

    ends: list[float] = []
    keras.utils.set_random_seed(spec.seed)
    model = build_model(spec.architecture)
    compile_model(model, spec)
    x_input, y_input = prepare_images(x), prepare_labels(y, len(x))
    model.fit(
        x_input,
        y_input,
        batch_size=spec.batch_size,
        epochs=spec.epochs,
        shuffle=True,
        verbose=0,
        callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=lambda *_: ends.append(time.perf_counter()))],
    )
    return epoch_seconds(ends)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=4, help="per session; the first is warm-up")
    parser.add_argument("--rounds", type=int, default=3, help="sessions per side, alternated")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--arch", nargs="+", default=["seed-cnn", "digitpad-cnn"], choices=ARCHITECTURE_NAMES)
    args = parser.parse_args()

    import keras
    import tensorflow as tf

    with np.load(MNIST) as data:
        x, y = data["x"], data["y"]
    print(
        f"TensorFlow {tf.__version__}, Keras {keras.__version__}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}; {len(x):,} digits, batch {args.batch_size}, "
        f"{args.epochs} epochs x {args.rounds} rounds per side (epoch 1 of each is warm-up)"
    )
    print(f"{'model':<14}{'train() samples/s':>19}{'bare fit samples/s':>20}{'ratio':>8}{'s/epoch':>9}")
    for name in args.arch:
        spec = TrainingSpec(
            ArchitectureSpec(name), epochs=args.epochs, batch_size=args.batch_size, validation_split=0.0
        )
        seconds: dict[str, list[float]] = {"train": [], "bare": []}
        for round_index in range(args.rounds):
            order = ("train", "bare") if round_index % 2 == 0 else ("bare", "train")
            for side in order:
                timer = time_train if side == "train" else time_bare_fit
                seconds[side].extend(timer(x, y, spec))
        ours = len(x) / statistics.median(seconds["train"])
        bare = len(x) / statistics.median(seconds["bare"])
        print(
            f"{name:<14}{ours:>19,.0f}{bare:>20,.0f}{ours / bare:>8.3f}"
            f"{statistics.median(seconds['train']):>9.2f}",
            flush=True,
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
