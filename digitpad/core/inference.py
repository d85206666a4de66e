"""Digit recognition fast enough to follow the pen, without TensorFlow.

The canvas asks for a prediction on every stroke, and the window appears before TensorFlow has
loaded. So `Predictor` runs the LiteRT form of the model (`ai_edge_litert`: ~0.1 s to import,
~0.2 ms a digit) that digitpad stores inside each `.keras` file it saves (see `conversion`). A
file without one, or whose stored one is stale, is loaded by Keras in safe mode and converted
then: that needs TensorFlow, so the window has its engine process do it (`engine_models`). A
model LiteRT cannot represent is run by Keras itself, through the same inference graph, so every
path returns the same probabilities.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.core.errors import ModelError
from digitpad.core.image_reading import model_input
from digitpad.core.inference_description import ConvertedModel, InferenceDescription, LayerInfo
from digitpad.core.model_file import (
    DIGIT_CLASS_NAMES,
    DIGIT_INPUT_SHAPES,
    NUM_CLASSES,
    ModelMetadata,
    check_class_output,
    digit_input_shape,
    load_keras_model,
    read_model_archive,
)
from digitpad.core.resources import default_model_path
from digitpad.core.tensorflow_runtime import quiet_native_start

__all__ = ["LayerInfo", "Predictor"]

log = logging.getLogger(__name__)

Forward = Callable[[np.ndarray], np.ndarray]

# Evaluations feed thousands of digits: LiteRT runs them in chunks of this size, so a thread's
# interpreter keeps one shape (each new shape costs a reallocation) and one call stays short
# (about 60 ms for 256 digits of digitpad-cnn, measured here).
CHUNK = 256
# Interpreters kept per thread, one per batch size seen (1 for the canvas, CHUNK for evaluations).
INTERPRETERS_PER_THREAD = 4
_native_started = False


class Predictor:
    """A loaded model answering "which digit?" as 10 probabilities.

    Load with `Predictor.load`. Predicting never changes shared state (each thread gets its own
    LiteRT interpreter), so one Predictor may serve the canvas and a background evaluation at
    the same time.
    """

    def __init__(
        self,
        *,
        path: Path,
        metadata: ModelMetadata | None,
        description: InferenceDescription,
        forward: Forward,
        engine: str,
        converted: ConvertedModel | None,
    ) -> None:
        self.path = path
        self.metadata = metadata
        self.input_shape = description.input_shape  # one image: (28, 28), (28, 28, 1) or (784,)
        self.layers: list[LayerInfo] = description.layers
        self.num_params = description.num_params
        self.output_kind = description.output_kind  # how the model's raw output became probabilities
        self.warnings: list[str] = description.warnings  # things the user should know, in sentences
        self.engine = engine  # "litert" (fast path) or "keras" (a graph LiteRT cannot represent)
        self.converted = converted  # the LiteRT form, to store with the model when it is copied
        self._forward = forward

    @classmethod
    def load(cls, path: str | Path | None = None, *, use_stored_conversion: bool = True) -> Predictor:
        """The model at `path` (None: the model shipped with digitpad); ModelError naming the file.

        With `use_stored_conversion` False, a LiteRT form stored in the file is ignored and the
        model is converted anew from its Keras weights (for files from elsewhere being imported).
        """
        if path is None:
            path = default_model_path()
            if not path.exists():
                raise ModelError(
                    f"digitpad's default model is missing ({path}); reinstall digitpad or choose a model file."
                )
        path = Path(path)
        archive = read_model_archive(path)
        if archive.converted is not None and use_stored_conversion:
            try:
                return _from_litert(path, archive.metadata, archive.converted)
            except ModelError as error:  # a damaged stored form: the Keras weights may still be fine
                log.warning("%s; converting it anew", error)
        return _from_keras(path, archive.metadata, archive.weights)

    @classmethod
    def from_converted(cls, path: Path, metadata: ModelMetadata | None, converted: ConvertedModel) -> Predictor:
        """A predictor for `path` from a LiteRT form made elsewhere (by a child process)."""
        return _from_litert(path, metadata, converted)

    @property
    def class_names(self) -> list[str]:
        if self.metadata is not None and len(self.metadata.class_names) == NUM_CLASSES:
            return [str(name) for name in self.metadata.class_names]
        return list(DIGIT_CLASS_NAMES)

    def predict(self, image: Any) -> np.ndarray:
        """(10,) probabilities for a drawing or photo of any size, read the way the model's
        training images were made (`image_reading.model_input`); NothingDrawnError when blank."""
        return self.predict_prepared(model_input(image, self.dataset_name)[np.newaxis])[0]

    def predict_batch(self, images: Iterable[Any]) -> np.ndarray:
        """(N, 10) for N images of any sizes, read as `predict` reads them; NothingDrawnError if
        any of them is blank."""
        prepared = [model_input(image, self.dataset_name) for image in images]
        if not prepared:
            return np.zeros((0, NUM_CLASSES), np.float32)
        return self.predict_prepared(np.stack(prepared))

    @property
    def dataset_name(self) -> str:
        """The data set the model learned from ("" when unknown: read as digits)."""
        return self.metadata.dataset if self.metadata is not None else ""

    def predict_prepared(self, x: np.ndarray) -> np.ndarray:
        """(N, 10) for images already in MNIST form: floats in [0, 1], shaped (N, 28, 28),
        (N, 28, 28, 1) or (N, 784). Integer arrays are refused rather than guessed at."""
        x = np.asarray(x)
        if x.dtype.kind != "f":
            raise ValueError(
                f"predict_prepared needs floats in [0, 1], not {x.dtype}; divide uint8 images by 255."
            )
        if x.ndim < 2 or x.shape[1:] not in DIGIT_INPUT_SHAPES:
            raise ValueError(
                f"predict_prepared needs a batch of 28x28 images, not an array of shape {x.shape}."
            )
        if len(x) == 0:
            return np.zeros((0, NUM_CLASSES), np.float32)
        batch = np.ascontiguousarray(x, dtype=np.float32).reshape(len(x), *self.input_shape)
        if len(batch) <= CHUNK:
            return self._forward(batch)
        return np.concatenate([self._forward(batch[start : start + CHUNK]) for start in range(0, len(batch), CHUNK)])


# ----------------------------------------------------------------------------- LiteRT


class _Interpreters:
    """LiteRT interpreters for one model, each thread its own (an interpreter holds its input and
    output buffers, so two threads must not share one), one per batch size in use."""

    def __init__(self, litert: bytes) -> None:
        self._litert = litert
        self._local = threading.local()

    def run(self, batch: np.ndarray) -> np.ndarray:
        interpreter, input_index, output_index = self._for(batch.shape)
        interpreter.set_tensor(input_index, batch)
        interpreter.invoke()
        return np.array(interpreter.get_tensor(output_index), dtype=np.float32)

    def _for(self, shape: tuple[int, ...]) -> tuple[Any, int, int]:
        cache: OrderedDict[tuple[int, ...], tuple[Any, int, int]] | None = getattr(self._local, "cache", None)
        if cache is None:
            cache = self._local.cache = OrderedDict()
        if shape in cache:
            cache.move_to_end(shape)
            return cache[shape]
        entry = _interpreter(self._litert, shape)
        cache[shape] = entry
        if len(cache) > INTERPRETERS_PER_THREAD:
            cache.popitem(last=False)
        return entry


def _interpreter(litert: bytes, shape: tuple[int, ...]) -> tuple[Any, int, int]:
    global _native_started
    if _native_started:
        return _ready_interpreter(litert, shape)
    with quiet_native_start():  # LiteRT announces its CPU delegate once per process, on first use
        entry = _ready_interpreter(litert, shape)
        entry[0].invoke()
    _native_started = True
    return entry


def _ready_interpreter(litert: bytes, shape: tuple[int, ...]) -> tuple[Any, int, int]:
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_content=litert, num_threads=1)
    (input_details,) = interpreter.get_input_details()
    (output_details,) = interpreter.get_output_details()
    if tuple(input_details["shape"]) != shape:
        interpreter.resize_tensor_input(input_details["index"], list(shape))
    interpreter.allocate_tensors()
    return interpreter, int(input_details["index"]), int(output_details["index"])


def _from_litert(path: Path, metadata: ModelMetadata | None, converted: ConvertedModel) -> Predictor:
    description = converted.description
    try:
        interpreters = _Interpreters(converted.litert)
        probe = interpreters.run(np.zeros((1, *description.input_shape), np.float32))
    except (ValueError, RuntimeError) as error:
        raise ModelError(f"Cannot load {path}: its LiteRT form is damaged ({error}).") from error
    check_class_output(path.name, [probe.shape[1:]])
    return Predictor(
        path=path,
        metadata=metadata,
        description=description,
        forward=interpreters.run,
        engine="litert",
        converted=converted,
    )


# ----------------------------------------------------------------------------- Keras


def _from_keras(path: Path, metadata: ModelMetadata | None, weights: bytes) -> Predictor:
    """Convert the model now (TensorFlow); a graph LiteRT cannot take runs on Keras instead."""
    from digitpad.core import conversion

    model = load_keras_model(path)
    input_shape = digit_input_shape(path.name, [tuple(tensor.shape[1:]) for tensor in model.inputs])
    try:
        converted = conversion.convert(model, input_shape, weights)
    except ModelError:
        graph = conversion.inference_model(model)
        description = conversion.describe(model, input_shape)

        def forward(x: np.ndarray) -> np.ndarray:
            return np.asarray(graph.predict_on_batch(x), dtype=np.float32)

        return Predictor(
            path=path, metadata=metadata, description=description, forward=forward, engine="keras", converted=None
        )
    return _from_litert(path, metadata, converted)
