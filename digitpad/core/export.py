"""Exporting a digitpad model for other programs: ONNX, LiteRT or a TensorFlow SavedModel.

The export is made by Keras' own `model.export`, from the graph digitpad itself runs
(`conversion.inference_model`: augmentation layers dropped, output made probabilities by the
rule every digitpad path shares), so an exported model gives digitpad's answers, not the raw
head's. That graph is wrapped so it is always called with `training=False`: Keras' SavedModel
and ONNX exporters trace `model.__call__` without it, and in a digitpad model whose augmentation
layers were built with `training=True` recorded in the graph (Keras records their default), that
value leaks into the call context and puts every BatchNormalization after them in training mode
(batch statistics: the shipped model's answers moved by up to 0.93 for one digit at a time).

Every export is then checked: the artefact is loaded by its own runtime (ONNX Runtime, the LiteRT
interpreter, `tf.saved_model.load`), run on real digits that the shipped model never trained on,
and compared with `Predictor.predict_prepared` for the same model. The largest absolute
difference is part of the result, so a bad export is measured rather than trusted. The artefact
is written next to its destination and moved into place only once checked.
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from digitpad.core.atomic import atomic_path, check_output_path, fits_with_temporary
from digitpad.core.cancellation import StopSignal, raise_if_stopped
from digitpad.core.errors import DigitpadError, ModelError, StorageError
from digitpad.core.inference import Predictor
from digitpad.core.model_file import load_keras_model
from digitpad.core.model_jobs import JobProgress, ProgressCallback, no_progress
from digitpad.core.resources import validation_digits_path

ExportFormat = Literal["onnx", "litert", "saved-model"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("onnx", "litert", "saved-model")
FORMAT_NAMES: dict[ExportFormat, str] = {"onnx": "ONNX", "litert": "LiteRT", "saved-model": "TensorFlow SavedModel"}
# Keras' name for each format (`model.export(format=...)`).
_KERAS_FORMATS: dict[ExportFormat, str] = {"onnx": "onnx", "litert": "litert", "saved-model": "tf_saved_model"}
# The file name each single-file format must end in (Keras refuses a LiteRT file named otherwise);
# a SavedModel is a folder.
FORMAT_SUFFIXES: dict[ExportFormat, str] = {"onnx": ".onnx", "litert": ".tflite"}
# Modules each format needs beyond digitpad's own dependencies, with the package that provides
# each: Keras converts to ONNX with tf2onnx, and the check runs the file with ONNX Runtime.
_EXTRA_MODULES: dict[ExportFormat, dict[str, str]] = {
    "onnx": {"tf2onnx": "tf2onnx", "onnx": "onnx", "onnxruntime": "onnxruntime"},
}
CHECK_IMAGES = 256
# What "the export gives digitpad's answers" means: float32 graphs computed in another order
# differ by a few units in the last place (about 3e-7 on probabilities, measured).
TOLERANCE = 1e-5
# Shares of the progress bar: loading the model, exporting, checking.
_LOADED, _EXPORTED = 0.2, 0.8


@dataclass(frozen=True)
class ExportResult:
    model: Path  # the .keras file exported
    format: ExportFormat
    out: Path  # the file (ONNX, LiteRT) or folder (SavedModel) written
    max_abs_difference: float  # largest |exported - digitpad| over `images` digits x 10 classes
    images: int  # how many real digits the check ran
    bytes: int  # size of `out` (a folder: all its files)
    seconds: float  # the whole job, check included

    @property
    def within_tolerance(self) -> bool:
        return self.max_abs_difference <= TOLERANCE

    def to_dict(self) -> dict[str, Any]:
        """The `--json` object of `digitpad export`."""
        return {
            "model": str(self.model),
            "format": self.format,
            "out": str(self.out),
            "max_abs_difference": self.max_abs_difference,
            "images": self.images,
            "bytes": self.bytes,
        }


def check_export_target(format: ExportFormat, out: str | Path) -> Path:
    """Refuse an impossible destination or a missing package before any work is done: an export
    costs seconds of TensorFlow import and conversion. StorageError or DigitpadError says why."""
    missing_packages(format, raise_error=True)
    out = Path(out)
    if format in FORMAT_SUFFIXES:
        return check_output_path(out, FORMAT_SUFFIXES[format])
    # A SavedModel is a folder: never merged into, nor replaced (that would delete the user's files).
    if out.exists() and not (out.is_dir() and not any(out.iterdir())):
        raise StorageError(f"Cannot export to {out}: it already exists; a SavedModel needs a new or empty folder.")
    if not fits_with_temporary(out.name):
        raise StorageError(f"Cannot export to {out}: the folder name is too long for the file system.")
    return out


def missing_packages(format: ExportFormat, *, raise_error: bool = False) -> list[str]:
    """The packages `format` needs that are not installed; with `raise_error`, a DigitpadError
    that says what to `pip install` instead of returning a non-empty list."""
    missing = [package for module, package in _EXTRA_MODULES.get(format, {}).items() if not _installed(module)]
    if missing and raise_error:
        raise DigitpadError(
            f"Exporting to {FORMAT_NAMES[format]} needs {' and '.join(missing)}: pip install {' '.join(missing)}"
        )
    return missing


def export_model(
    model_path: str | Path | None,
    format: ExportFormat,
    out: str | Path,
    *,
    images: int = CHECK_IMAGES,
    progress: ProgressCallback | None = None,
    stop_event: StopSignal | None = None,
) -> ExportResult:
    """Export the model at `model_path` (None: the shipped one) to `out` and check it.

    `images` validation digits (at most the 2,000 shipped) are run by the exported artefact and
    by digitpad; the result carries the largest difference. Cancelled (nothing written) when
    `stop_event` is set between steps.
    """
    if format not in EXPORT_FORMATS:
        raise DigitpadError(f"Unknown export format {format!r}; choose one of {', '.join(EXPORT_FORMATS)}.")
    report = progress or no_progress
    started = time.monotonic()
    out = check_export_target(format, out)
    x = _validation_digits(images)
    report(JobProgress(0.0, "Loading the model…"))
    predictor = Predictor.load(model_path)
    expected = predictor.predict_prepared(x)
    graph = _inference_graph(load_keras_model(predictor.path), predictor.input_shape)
    raise_if_stopped(stop_event, "loading the model")
    report(JobProgress(_LOADED, f"Exporting to {FORMAT_NAMES[format]}…"))
    batch = x.reshape(len(x), *predictor.input_shape)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)  # as saves do: a new folder is made
    except OSError as error:
        raise StorageError(f"Could not export to {out}: {error.strerror or error}.") from error
    if format == "saved-model":
        difference = _export_folder(graph, out, batch, expected, stop_event, report)
    else:
        with atomic_path(out) as temporary:
            _keras_export(graph, format, temporary)
            raise_if_stopped(stop_event, "exporting the model")
            report(JobProgress(_EXPORTED, f"Checking the export on {len(x):,} digits…"))
            difference = _largest_difference(_RUNNERS[format](temporary, batch), expected, format)
    report(JobProgress(1.0, f"Exported {predictor.path.name}."))
    return ExportResult(
        model=predictor.path,
        format=format,
        out=out,
        max_abs_difference=difference,
        images=len(x),
        bytes=_size(out),
        seconds=time.monotonic() - started,
    )


def export_job(model_path: Path | None, format: ExportFormat, out: Path,
               progress: ProgressCallback, stop_event: StopSignal) -> ExportResult:
    """`export_model` as an engine job (see `core.engine`): the window's Export runs it in the
    engine process, bound with `functools.partial`; its reports and result are plain data."""
    return export_model(model_path, format, out, progress=progress, stop_event=stop_event)


def _inference_graph(model: Any, input_shape: tuple[int, ...]) -> Any:
    """digitpad's inference graph, called with `training=False` inside a new functional model so
    that every exporter traces inference mode (see the module docstring)."""
    import keras

    from digitpad.core.conversion import inference_model

    graph = inference_model(model)
    image = keras.Input(shape=input_shape, name="image")
    return keras.Model(image, graph(image, training=False), name=f"{model.name}_export")


def _keras_export(graph: Any, format: ExportFormat, target: Path) -> None:
    import keras

    signature = [keras.InputSpec(shape=(None, *graph.input_shape[1:]), dtype="float32")]
    try:
        with warnings.catch_warnings():
            # Keras' tf2onnx patch probes `np.object`, which NumPy 2 answers with a FutureWarning.
            warnings.filterwarnings("ignore", category=FutureWarning, module="keras.src.export.tf2onnx_lib")
            graph.export(str(target), format=_KERAS_FORMATS[format], input_signature=signature, verbose=False)
    except Exception as error:  # the converters report unsupported graphs with many exception types
        text = str(error).strip()
        reason = text.splitlines()[0][:200] if text else type(error).__name__
        raise ModelError(f"Keras cannot export this model to {FORMAT_NAMES[format]} ({reason}).") from error


def _export_folder(
    graph: Any,
    out: Path,
    batch: np.ndarray,
    expected: np.ndarray,
    stop_event: StopSignal | None,
    report: ProgressCallback,
) -> float:
    """A SavedModel written to a new folder beside `out`, checked, then renamed to `out` (an empty
    `out` is replaced): `out` never holds half an export."""
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        target = staging / "saved-model"
        _keras_export(graph, "saved-model", target)
        raise_if_stopped(stop_event, "exporting the model")
        report(JobProgress(_EXPORTED, f"Checking the export on {len(batch):,} digits…"))
        difference = _largest_difference(_RUNNERS["saved-model"](target, batch), expected, "saved-model")
        if out.is_dir():
            out.rmdir()  # empty, as check_export_target made sure; fails rather than lose files
        target.rename(out)
    except OSError as error:
        raise StorageError(f"Could not export to {out}: {error.strerror or error}.") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return difference


def _validation_digits(count: int) -> np.ndarray:
    """The first `count` shipped validation digits as floats in [0, 1], shaped (N, 28, 28)."""
    if count < 1:
        raise DigitpadError(f"An export is checked on at least 1 digit, not {count}.")
    with np.load(validation_digits_path()) as data:
        digits = data["x"][:count]
    return digits.astype(np.float32) / 255.0


def _largest_difference(actual: np.ndarray, expected: np.ndarray, format: ExportFormat) -> float:
    if actual.shape != expected.shape:
        raise ModelError(
            f"The {FORMAT_NAMES[format]} export answers with shape {actual.shape}, digitpad with {expected.shape}."
        )
    return float(np.max(np.abs(actual.astype(np.float64) - expected.astype(np.float64))))


def _run_onnx(path: Path, batch: np.ndarray) -> np.ndarray:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (first_input,) = session.get_inputs()
    return np.asarray(session.run(None, {first_input.name: batch})[0])


def _run_litert(path: Path, batch: np.ndarray) -> np.ndarray:
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=str(path), num_threads=1)
    (input_details,) = interpreter.get_input_details()
    (output_details,) = interpreter.get_output_details()
    interpreter.resize_tensor_input(input_details["index"], list(batch.shape))
    interpreter.allocate_tensors()
    interpreter.set_tensor(input_details["index"], batch)
    interpreter.invoke()
    return np.array(interpreter.get_tensor(output_details["index"]))


def _run_saved_model(path: Path, batch: np.ndarray) -> np.ndarray:
    import tensorflow as tf

    loaded = tf.saved_model.load(str(path))
    return np.asarray(loaded.serve(tf.constant(batch)))


_RUNNERS: dict[ExportFormat, Callable[[Path, np.ndarray], np.ndarray]] = {
    "onnx": _run_onnx,
    "litert": _run_litert,
    "saved-model": _run_saved_model,
}


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None
