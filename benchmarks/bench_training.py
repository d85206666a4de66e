"""Training throughput of `digitpad.core.training.train` against a bare `model.fit`.

Both sides train the same architecture, compiled the same way (`compile_model`), on the same
10,000 bundled MNIST digits with the same batch size and no validation. An epoch's time is the
gap between consecutive epoch ends, so the first epoch (graph tracing) is the warm-up and
model building is never counted. The two sides alternate (A B, B A, ...) so that load from
other processes on a shared machine falls on both. The goal is train/bare >= 0.95.

A busy shared machine makes that wall-clock ratio noisy, so two steadier figures follow it:
the CPU-time ratio (bare CPU seconds per epoch / train's), which counts only this process's
work, and the cost of the only per-batch work `train` adds, its callback hook, as a share of a
bare batch: an upper bound on the slowdown that does not depend on the load.

Usage: python benchmarks/bench_training.py [--epochs 3] [--rounds 6] [--arch seed-cnn digitpad-cnn]
           [--dropout 0.3] [--batch-norm] [--augment]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from itertools import pairwise
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from digitpad.core.architectures import ARCHITECTURE_NAMES, ArchitectureSpec, build_model
from digitpad.core.training import (
    TrainingMonitor,
    TrainingProgress,
    TrainingSpec,
    compile_model,
    prepare_images,
    prepare_labels,
    train,
)

MNIST = Path(__file__).resolve().parents[1] / "resources" / "mnist-train-10k.npz"


Stamp = tuple[float, float]  # (wall seconds, CPU seconds of this process)


def stamp() -> Stamp:
    return time.perf_counter(), time.process_time()


def epoch_costs(epoch_ends: list[Stamp]) -> list[Stamp]:
    """(wall, CPU) seconds of every epoch after the first."""
    return [
        (wall - earlier_wall, cpu - earlier_cpu)
        for (earlier_wall, earlier_cpu), (wall, cpu) in pairwise(epoch_ends)
    ]


def time_train(x: np.ndarray, y: np.ndarray, spec: TrainingSpec) -> list[Stamp]:
    ends: list[Stamp] = []

    def on_progress(event: TrainingProgress) -> None:
        if event.kind == "epoch":
            ends.append(stamp())

    train(x, y, spec, progress=on_progress)
    return epoch_costs(ends)


def time_bare_fit(x: np.ndarray, y: np.ndarray, spec: TrainingSpec) -> list[Stamp]:
    import keras

    ends: list[Stamp] = []
    keras.utils.set_random_seed(spec.seed)
    model = build_model(spec.architecture)
    compile_model(model, spec)
    model.fit(
        prepare_images(x),
        prepare_labels(y, len(x)),
        batch_size=spec.batch_size,
        epochs=spec.epochs,
        shuffle=True,
        verbose=0,
        callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=lambda *_: ends.append(stamp()))],
    )
    return epoch_costs(ends)


def hook_seconds_per_batch(spec: TrainingSpec, model) -> float:
    """Cost of `train`'s per-batch hook, with a progress callback that keeps every report."""
    kept: list[TrainingProgress] = []
    batches = 20_000
    monitor = TrainingMonitor(
        model,
        sample_count=batches * spec.batch_size,
        batch_size=spec.batch_size,
        epochs=1,
        progress=kept.append,
        stop_event=threading.Event(),
    )
    monitor.epoch_begin(0)
    began = time.perf_counter()
    for batch in range(batches):
        monitor.batch_end(batch, {"accuracy": 0.5, "loss": 1.0})
    return (time.perf_counter() - began) / batches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=3, help="per session; the first is warm-up")
    parser.add_argument("--rounds", type=int, default=6, help="sessions per side, alternated")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--arch", nargs="+", default=["seed-cnn", "digitpad-cnn"], choices=ARCHITECTURE_NAMES)
    parser.add_argument("--dropout", type=float, default=0.0)
    parser.add_argument("--batch-norm", action="store_true")
    parser.add_argument("--augment", action="store_true")
    args = parser.parse_args()

    import keras
    import tensorflow as tf

    with np.load(MNIST) as data:
        x, y = data["x"], data["y"]
    print(
        f"TensorFlow {tf.__version__}, Keras {keras.__version__}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}; {len(x):,} digits, batch {args.batch_size}, "
        f"{args.epochs} epochs x {args.rounds} rounds per side (epoch 1 of each is warm-up); "
        f"dropout {args.dropout}, batch norm {args.batch_norm}, augment {args.augment}"
    )
    print(
        f"{'model':<14}{'train() samples/s':>18}{'bare fit samples/s':>20}{'ratio':>7}"
        f"{'CPU-time ratio':>16}{'s/epoch':>9}{'hook us/batch':>15}{'hook share':>12}"
    )
    for name in args.arch:
        architecture = ArchitectureSpec(
            name, dropout=args.dropout, batch_norm=args.batch_norm, augment=args.augment
        )
        spec = TrainingSpec(
            architecture, epochs=args.epochs, batch_size=args.batch_size, validation_split=0.0
        )
        costs: dict[str, list[Stamp]] = {"train": [], "bare": []}
        for round_index in range(args.rounds):
            order = ("train", "bare") if round_index % 2 == 0 else ("bare", "train")
            for side in order:
                timer = time_train if side == "train" else time_bare_fit
                costs[side].extend(timer(x, y, spec))
        wall = {side: statistics.median(c[0] for c in costs[side]) for side in costs}
        cpu = {side: statistics.median(c[1] for c in costs[side]) for side in costs}
        ours, bare = len(x) / wall["train"], len(x) / wall["bare"]
        hook = hook_seconds_per_batch(spec, build_model(architecture))
        bare_batch = wall["bare"] / -(-len(x) // spec.batch_size)
        print(
            f"{name:<14}{ours:>18,.0f}{bare:>20,.0f}{ours / bare:>7.3f}{cpu['bare'] / cpu['train']:>16.3f}"
            f"{wall['train']:>9.2f}{hook * 1e6:>15.1f}{hook / bare_batch:>12.2%}",
            flush=True,
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
