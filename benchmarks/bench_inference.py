"""Latency of one drawing: digitpad's Predictor (LiteRT) against Keras and, when installed, ONNX Runtime.

The canvas predicts on every stroke, so what matters is the time for ONE image, tail included.
Every method runs once per round, in rotating order, so that all of them see the same machine
load; the table gives medians and 95th percentiles. Models: the shipped default model when it
exists, else a freshly built digitpad-cnn (~200k weights), plus a seed-cnn (~85k weights), each
saved by digitpad (so with its LiteRT form inside). Import times are measured in fresh processes.

ONNX Runtime is not a digitpad dependency; it is measured for the README's choice of runtime
when `onnxruntime`, `onnx` and `tf2onnx` can be imported (e.g. `pip install --target DIR ...`
and `PYTHONPATH=DIR`).

    .venv/bin/python benchmarks/bench_inference.py [--rounds 200] [--batch 1000]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np

from digitpad.core.inference import Predictor
from digitpad.core.preprocess import preprocess
from digitpad.core.resources import bundled_mnist_path, default_model_path

if TYPE_CHECKING:
    import keras


def canvas_drawing() -> np.ndarray:
    """A 280x280 canvas as the window produces it: a real digit, 10x enlarged, dark ink on white."""
    with np.load(bundled_mnist_path()) as data:
        digit = data["x"][0]
    return (255 - np.kron(digit, np.ones((10, 10), np.uint8))).astype(np.uint8)


def model_files(folder: Path) -> list[tuple[str, Path]]:
    from digitpad.core.architectures import ArchitectureSpec, build_model
    from digitpad.core.model_file import ModelMetadata, save_model

    files = []
    if default_model_path().exists():
        files.append(("shipped default model", default_model_path()))
    else:
        path = folder / "digitpad-cnn.keras"
        spec = ArchitectureSpec("digitpad-cnn", dropout=0.3, batch_norm=True, augment=True)
        save_model(build_model(spec), path, ModelMetadata(name="digitpad-cnn"))
        files.append(("digitpad-cnn, built (no default model yet)", path))
    path = folder / "seed-cnn.keras"
    save_model(build_model(ArchitectureSpec("seed-cnn")), path, ModelMetadata(name="seed-cnn"))
    files.append(("seed-cnn, built", path))
    return files


def import_seconds(module: str, runs: int = 5) -> float | None:
    """Median time to import `module` in a fresh interpreter; None when it is not installed."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    samples = []
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ)
        if result.returncode != 0:
            return None
        samples.append(float(result.stdout.split()[-1]))
    return statistics.median(samples)


def onnx_session(path: Path, folder: Path) -> Callable[[np.ndarray], object] | None:
    """ONNX Runtime running the same inference graph, or None when its packages are missing."""
    try:
        import onnxruntime
    except ImportError:
        return None
    import keras

    from digitpad.core.conversion import inference_model

    graph = inference_model(keras.saving.load_model(path))
    target = folder / f"{path.stem}.onnx"
    spec = [keras.InputSpec(shape=(None, *graph.inputs[0].shape[1:]), dtype="float32")]
    try:
        graph.export(str(target), format="onnx", input_signature=spec, verbose=False)
    except Exception as error:  # tf2onnx missing or failing: report and go on
        print(f"  (ONNX export failed: {str(error).splitlines()[0][:120]})")
        return None
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(target), options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    return lambda x: session.run(None, {name: x})[0]


def one_image_methods(
    predictor: Predictor,
    model: keras.Model | None,
    drawing: np.ndarray,
    prepared: np.ndarray,
    x: np.ndarray,
    onnx: Callable[[np.ndarray], object] | None,
) -> dict[str, Callable[[], object]]:
    """The ways of reading one image that are timed against each other, by name; without a
    Keras `model`, only digitpad's own."""
    methods: dict[str, Callable[[], object]] = {
        "Predictor.predict (with preprocess, 280x280)": lambda: predictor.predict(drawing),
        "Predictor.predict_prepared (28x28)": lambda: predictor.predict_prepared(prepared),
        "preprocess alone (280x280)": lambda: preprocess(drawing),
    }
    if model is not None:
        methods["keras model.predict"] = lambda: model.predict(x, verbose=0)
        methods["keras model(x, training=False)"] = lambda: model(x, training=False)
        methods["keras model.predict_on_batch"] = lambda: model.predict_on_batch(x)
    if onnx is not None:
        methods["ONNX Runtime session.run (28x28)"] = lambda: onnx(x)
    return methods


def time_alternating(methods: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    for method in methods.values():  # warm-up: graph tracing, caches, lazy imports
        for _ in range(5):
            method()
    names = list(methods)
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            start = time.perf_counter()
            methods[name]()
            times[name].append(time.perf_counter() - start)
    return times


def report(title: str, times: dict[str, list[float]], reference: str) -> None:
    reference_median = statistics.median(times[reference])
    print(f"\n{title}")
    print(f"  {'method':44s} {'median ms':>10s} {'p95 ms':>9s} {'max ms':>9s} {'x faster':>9s}")
    for name, samples in times.items():
        ms = np.array(samples) * 1000
        median = float(np.median(ms))
        print(
            f"  {name:44s} {median:10.3f} {np.percentile(ms, 95):9.3f} {ms.max():9.1f} "
            f"{reference_median * 1000 / median:9.1f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="calls per method (default 200)")
    parser.add_argument("--batch", type=int, default=1000, help="images for the throughput line (default 1000)")
    args = parser.parse_args()

    import keras

    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, Keras {keras.__version__}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start"
    )
    for module in ("ai_edge_litert.interpreter", "onnxruntime", "tensorflow"):
        seconds = import_seconds(module)
        print(f"import {module}: " + ("not installed" if seconds is None else f"{seconds * 1000:.0f} ms (median of 5)"))
    drawing = canvas_drawing()
    prepared = preprocess(drawing)[np.newaxis]
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as folder:
        for title, path in model_files(Path(folder)):
            start = time.perf_counter()
            predictor = Predictor.load(path)
            load_ms = (time.perf_counter() - start) * 1000
            # The drawing path as the canvas meets it: no Keras call in between, whose thread pools
            # keep spinning for a while after each call and take the cores from everything else.
            drawing_path = dict(list(one_image_methods(predictor, None, drawing, prepared, prepared, None).items())[:3])
            report(f"{title}: the drawing path alone (TensorFlow idle)", time_alternating(drawing_path, args.rounds),
                   reference="Predictor.predict (with preprocess, 280x280)")
            model = keras.saving.load_model(path)
            x = prepared.reshape(1, *model.inputs[0].shape[1:]).astype(np.float32)
            difference = np.abs(predictor.predict_prepared(prepared) - np.asarray(model.predict_on_batch(x))).max()
            methods = one_image_methods(predictor, model, drawing, prepared, x, onnx_session(path, Path(folder)))
            times = time_alternating(methods, args.rounds)
            report(
                f"{title}: {path.name}, {predictor.num_params:,} weights, engine {predictor.engine}, "
                f"loaded in {load_ms:.0f} ms; max |Predictor - Keras| = {difference:.1e}",
                times,
                reference="keras model.predict",
            )
            batch = rng.random((args.batch, 28, 28), dtype=np.float32)
            start = time.perf_counter()
            predictor.predict_prepared(batch)
            predictor_us = (time.perf_counter() - start) / args.batch * 1e6
            start = time.perf_counter()
            model.predict_on_batch(batch.reshape(args.batch, *model.inputs[0].shape[1:]))
            keras_us = (time.perf_counter() - start) / args.batch * 1e6
            print(
                f"  batch of {args.batch}: predict_prepared {predictor_us:.0f} us/image, "
                f"keras predict_on_batch {keras_us:.0f} us/image"
            )
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end (p95 includes waiting for a core when above {os.cpu_count()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
