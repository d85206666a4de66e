"""Are the explanations faithful, and fast enough to follow the pen? Issue 8's deletion test.

For each drawing, the shipped model's answer is explained by each method; then the 20% of the
ink the map ranks highest is blanked, and a random 20% of the ink, and the method wins when its
pixels cost the answer more log-probability (`digitpad.core.explanation.deletion_test`). A
faithful map wins on nearly every drawing, a random map on about half. Every method faces the
same random pixels on the same drawing.

Drawings: synthetic hands (`digitpad.core.hands`: 20 writers, strokes rendered on the 280-pixel
canvas and read as the canvas reads them) and held-out MNIST digits (the bundled validation
file, never trained on). Methods: occlusion (what digitpad shows), random maps, and with
TensorFlow (skip it with --no-gradients) gradient x input and plain gradients of the answer's
log-probability; the last column compares each method with occlusion drawing by drawing. Times
are per occlusion explanation with LiteRT, on this thread and on a fresh
thread each time, as the window's workers run it (a new thread builds its interpreter first):

    .venv/bin/python benchmarks/bench_explanations.py [--count 200] [--no-gradients]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from digitpad.core.explanation import DeletionResult, deletion_test, explain
from digitpad.core.hands import draw, make_hand
from digitpad.core.inference import Predictor
from digitpad.core.preprocess import preprocess
from digitpad.core.resources import default_model_path, validation_digits_path
from digitpad.core.strokes import render_drawing

DIGITS_PER_WRITER = 10
GOAL = 0.95
FRESH_THREAD_RUNS = 30

Maps = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (inputs, labels) -> saliency maps


def hand_drawings(count: int) -> np.ndarray:
    """`count` model inputs from synthetic writers' canvas drawings, labels cycling 0-9."""
    rng = np.random.default_rng(0)
    inputs = []
    for index in range(count):
        drawing = draw(make_hand(1000 + index // DIGITS_PER_WRITER), index % 10, rng)
        inputs.append(preprocess(255 - render_drawing(drawing)))  # the canvas hands over ink high
    return np.stack(inputs)


def validation_digits(count: int) -> np.ndarray:
    with np.load(validation_digits_path()) as data:
        return data["x"][:count].astype(np.float32) / 255


def gradient_maps(x_all: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(gradient x input, gradient) of each input's log-probability of its label, from Keras."""
    from digitpad.core.tensorflow_runtime import import_tensorflow

    import_tensorflow()  # its start-up lines go to digitpad's log, not between the figures
    import tensorflow as tf

    from digitpad.core.model_file import load_keras_model

    model = load_keras_model(default_model_path())
    inputs = tf.constant(x_all[..., np.newaxis])
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        probabilities = model(inputs, training=False)
        chosen = tf.gather(probabilities, labels, axis=1, batch_dims=1)
        log_p = tf.math.log(tf.maximum(chosen, 1e-30))
    gradient = tape.gradient(log_p, inputs).numpy()[..., 0]
    return gradient * x_all, gradient


def deletions(
    predict: Callable[[np.ndarray], np.ndarray], x_all: np.ndarray, labels: np.ndarray, maps: np.ndarray
) -> list[DeletionResult]:
    rng = np.random.default_rng(1)  # the same random pixels for every method
    return [deletion_test(predict, x, saliency, int(label), rng=rng)
            for x, saliency, label in zip(x_all, maps, labels, strict=True)]


def timed_occlusion(
    predict: Callable[[np.ndarray], np.ndarray], x_all: np.ndarray
) -> tuple[np.ndarray, list[float], list[int]]:
    """Occlusion maps of the model's answers, the milliseconds each took and how many inputs
    the model was given for each."""
    maps, times, batches = [], [], []

    def counted(batch: np.ndarray) -> np.ndarray:
        batches.append(len(batch))
        return predict(batch)

    for x in x_all:
        started = time.perf_counter()
        maps.append(explain(counted, x).saliency)
        times.append((time.perf_counter() - started) * 1000)
    return np.stack(maps), times, batches


def fresh_thread_times(predictor: Predictor, x_all: np.ndarray) -> list[float]:
    """Each explanation on a new thread, which must first build its own LiteRT interpreter."""
    times: list[float] = []

    def run(x: np.ndarray) -> None:
        started = time.perf_counter()
        explain(predictor.predict_prepared, x)
        times.append((time.perf_counter() - started) * 1000)

    for x in x_all[:FRESH_THREAD_RUNS]:
        thread = threading.Thread(target=run, args=(x,))
        thread.start()
        thread.join()
    return times


def p95(values: Sequence[float]) -> float:
    return float(np.percentile(values, 95))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="drawings of each kind (default 200)")
    parser.add_argument("--no-gradients", action="store_true", help="skip the TensorFlow gradient maps")
    args = parser.parse_args(argv)

    predictor = Predictor.load(None)
    predict = predictor.predict_prepared
    sets = {
        f"synthetic hands ({args.count} canvas drawings)": hand_drawings(args.count),
        f"held-out MNIST ({args.count} validation digits)": validation_digits(args.count),
    }
    print(f"model: {default_model_path().name} ({predictor.engine}), {os.cpu_count()} CPUs")
    print(f"{'drawings':<44}{'method':<18}{'wins':>7}{'drop: map':>11}{'random':>9}{'occlusion drops more':>22}")
    all_times: list[float] = []
    batches: list[int] = []
    occlusion_rates = []
    for name, x_all in sets.items():
        labels = predict(x_all).argmax(axis=1)
        occlusion, times, sizes = timed_occlusion(predict, x_all)
        all_times += times
        batches += sizes
        noise = np.random.default_rng(2).random(x_all.shape).astype(np.float32)
        methods = {"occlusion": occlusion, "random map": noise}
        if not args.no_gradients:
            methods["gradient x input"], methods["gradient"] = gradient_maps(x_all, labels)
        occlusion_drops = np.zeros(len(x_all))
        for method, maps in methods.items():
            results = deletions(predict, x_all, labels, maps)
            rate = float(np.mean([result.won for result in results]))
            drops = np.array([result.drop_map for result in results])
            if method == "occlusion":
                occlusion_rates.append(rate)
                occlusion_drops = drops
                head_to_head = "—"
            else:
                head_to_head = f"{100 * np.mean(occlusion_drops > drops):.1f}%"
            random_drop = np.mean([result.drop_random for result in results])
            print(f"{name:<44}{method:<18}{100 * rate:>6.1f}%{drops.mean():>11.2f}{random_drop:>9.2f}{head_to_head:>22}")
    fresh = fresh_thread_times(predictor, sets[next(iter(sets))])
    print("(drops: mean loss of the answer's log-probability; last column: drawings where occlusion's top 20% "
          "cost the answer more than this method's)")
    print(f"\nocclusion, ms per explanation: median {statistics.median(all_times):.1f}, p95 {p95(all_times):.1f} "
          f"(this thread, {len(all_times)} drawings; model inputs per explanation: median "
          f"{statistics.median(batches):.0f}, max {max(batches)})")
    print(f"occlusion on a fresh thread each time: median {statistics.median(fresh):.1f} ms, p95 {p95(fresh):.1f} ms "
          f"({len(fresh)} drawings)")
    verdict = "met" if min(occlusion_rates) >= GOAL else "NOT met"
    print(f"goal: occlusion wins on >= {100 * GOAL:.0f}% of drawings: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
