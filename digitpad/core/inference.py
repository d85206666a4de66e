"""Digit recognition fast enough to follow the pen, without TensorFlow.

The canvas asks for a prediction on every stroke, and the window appears before TensorFlow has
loaded, so `Predictor` reads the .keras archive itself (config.json and the h5 weights) and runs
the model as a chain of NumPy float32 layers (`numpy_layers`): about a millisecond per drawing
against ~90 ms for `model.predict`, with the same probabilities to ~1e-6. A model containing a
layer NumPy cannot run (or a graph that is not a simple chain) is loaded by Keras instead, in
safe mode; that needs TensorFlow and is slower, but gives the same answers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from digitpad.core.errors import ModelError
from digitpad.core.model_file import DIGIT_CLASS_NAMES, DIGIT_INPUT_SHAPES, NUM_CLASSES, ModelArchive, ModelMetadata, check_class_output, digit_input_shape, load_keras_model, read_model_archive
from digitpad.core.numpy_layers import (
    CompiledLayer,
    LayerMismatch,
    Shape,
    Unsupported,
    compile_layer,
    is_identity,
    is_supported,
    softmax,
)
from digitpad.core.preprocess import preprocess
from digitpad.core.resources import default_model_path
from digitpad.core.weights_file import open_weights

Forward = Callable[[np.ndarray], np.ndarray]

# Batches are cut so that each layer's input, temporaries and output (im2col copies every
# convolution window) stay near 4 MB, a cache-sized working set: on the development machine
# this chose 36 images for seed-cnn and 5 for digitpad-cnn, the fastest sizes measured (CPU time
# per image 88 and 446 us, against 132 and 658 us with batches of 256).
WORKING_SET_FLOATS = 2**20
MAX_BATCH = 1024
KERAS_BATCH = 512
MODEL_CLASSES = ("Sequential", "Functional")


class LayerInfo(NamedTuple):
    name: str
    kind: str  # the Keras class name
    output_shape: tuple[int | None, ...]  # batch axis first (None), as Keras prints it
    params: int


class Predictor:
    """A loaded model answering "which digit?" as 10 probabilities.

    Load with `Predictor.load`. Predicting never changes state, so one Predictor may serve the
    canvas and a background evaluation at the same time. If the model's last layer is not a
    softmax (a model trained on logits), a softmax is applied so callers always get probabilities.
    """

    def __init__(
        self,
        *,
        path: Path,
        metadata: ModelMetadata | None,
        input_shape: Shape,
        forward: Forward,
        layers: list[LayerInfo],
        num_params: int,
        engine: str,
        batch_size: int,
    ) -> None:
        self.path = path
        self.metadata = metadata
        self.input_shape = input_shape  # one image as the model takes it: (28, 28), (28, 28, 1) or (784,)
        self.layers = layers
        self.num_params = num_params
        self.engine = engine  # "numpy" (fast path) or "keras" (fallback)
        self._forward = forward
        self._batch_size = batch_size

    @classmethod
    def load(cls, path: str | Path | None = None) -> Predictor:
        """The model at `path` (None: the model shipped with digitpad); ModelError naming the file."""
        if path is None:
            path = default_model_path()
            if not path.exists():
                raise ModelError(
                    f"digitpad's default model is missing ({path}); reinstall digitpad or choose a model file."
                )
        path = Path(path)
        archive = read_model_archive(path)
        plan = _plan_or_none(archive.config)
        if plan is not None:
            input_shape = digit_input_shape(path.name, plan.input_shapes)
            try:
                return _compile(path, archive, plan, input_shape)
            except Unsupported:
                pass
        return _load_with_keras(path, archive.metadata, plan)

    @property
    def class_names(self) -> list[str]:
        if self.metadata is not None and len(self.metadata.class_names) == NUM_CLASSES:
            return [str(name) for name in self.metadata.class_names]
        return list(DIGIT_CLASS_NAMES)

    def predict(self, image: Any) -> np.ndarray:
        """(10,) probabilities for a drawing or photo of any size; NothingDrawnError when blank."""
        return self.predict_prepared(preprocess(image)[np.newaxis])[0]

    def predict_batch(self, images: Iterable[Any]) -> np.ndarray:
        """(N, 10) for N images of any sizes; NothingDrawnError if any of them is blank."""
        prepared = [preprocess(image) for image in images]
        if not prepared:
            return np.zeros((0, NUM_CLASSES), np.float32)
        return self.predict_prepared(np.stack(prepared))

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
        batch = x.astype(np.float32, copy=False).reshape(len(x), *self.input_shape)
        size = self._batch_size
        if len(batch) <= size:
            return self._forward(batch)
        chunks = [self._forward(batch[start : start + size]) for start in range(0, len(batch), size)]
        return np.concatenate(chunks)


# ----------------------------------------------------------------------------- reading the config


@dataclass(frozen=True)
class _PlannedLayer:
    name: str
    class_name: str
    config: dict[str, Any]
    weights_path: str  # h5 group whose vars/0, vars/1, ... hold the layer's weights


@dataclass(frozen=True)
class _Plan:
    input_shapes: list[tuple[int | None, ...]]
    layers: list[_PlannedLayer]  # input to output; nested models are flattened into it


def _plan_or_none(config: dict[str, Any]) -> _Plan | None:
    """The model as a chain of layers, or None when it is something else (Keras will judge it)."""
    try:
        return _plan(config)
    except Unsupported:
        return None
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None  # a config layout this code does not know, e.g. from another Keras version


def _plan(model: dict[str, Any]) -> _Plan:
    class_name = model.get("class_name")
    if class_name == "Sequential":
        input_shape, layers = _sequential(model, prefix="", name_prefix="")
    elif class_name == "Functional":
        input_shape, layers = _functional(model, prefix="", name_prefix="")
    else:
        raise Unsupported(f"model class {class_name}")
    if input_shape is None:
        raise Unsupported("no declared input shape")
    return _Plan(input_shapes=[input_shape], layers=layers)


def _sequential(
    model: dict[str, Any], prefix: str, name_prefix: str
) -> tuple[tuple | None, list[_PlannedLayer]]:
    """Keras saves a Sequential's weights under layers/<snake_case class>[_n], input layer excluded."""
    config = model["config"]
    input_shape = None
    layers: list[_PlannedLayer] = []
    used: dict[str, int] = {}
    for layer in config["layers"]:
        if layer["class_name"] == "InputLayer":
            input_shape = _batch_shape(layer["config"])
            continue
        path = f"{prefix}layers/{_unique(_snake_case(layer['class_name']), used)}"
        layers.extend(_expand(layer, path, name_prefix))
    if input_shape is None:
        declared = config.get("build_input_shape") or (model.get("build_config") or {}).get("input_shape")
        input_shape = tuple(declared[1:]) if declared else None
    return input_shape, layers


def _functional(
    model: dict[str, Any], prefix: str, name_prefix: str
) -> tuple[tuple | None, list[_PlannedLayer]]:
    """Walk back from the output to the input; every layer on the way must take exactly one tensor."""
    config = model["config"]
    paths: dict[str, str] = {}
    by_name: dict[str, dict[str, Any]] = {}
    used: dict[str, int] = {}
    for layer in config["layers"]:
        name = layer.get("name") or layer["config"]["name"]
        by_name[name] = layer
        paths[name] = f"{prefix}layers/{_unique(_snake_case(layer['class_name']), used)}"
    inputs, outputs = _tensor_names(config["input_layers"]), _tensor_names(config["output_layers"])
    if len(inputs) != 1 or len(outputs) != 1:
        raise Unsupported("several inputs or outputs")
    chain = [outputs[0]]
    while chain[-1] != inputs[0]:
        nodes = by_name[chain[-1]].get("inbound_nodes") or []
        if len(nodes) != 1 or len(chain) > len(by_name):
            raise Unsupported("a layer used several times or a branching graph")
        chain.append(_single_input(nodes[0]))
    input_layer = by_name[inputs[0]]
    if input_layer["class_name"] != "InputLayer":
        raise Unsupported("input is not an InputLayer")
    layers: list[_PlannedLayer] = []
    for name in reversed(chain):
        if name == inputs[0] and prefix:
            continue  # a nested model's input layer adds nothing to the listing
        layers.extend(_expand(by_name[name], paths[name], name_prefix))
    return _batch_shape(input_layer["config"]), layers


def _expand(layer: dict[str, Any], path: str, name_prefix: str) -> list[_PlannedLayer]:
    """A layer, or a nested model's layers, named "outer/inner" so the listing shows the nesting."""
    name = f"{name_prefix}{layer['config']['name']}"
    if layer["class_name"] == "Sequential":
        return _sequential(layer, prefix=f"{path}/", name_prefix=f"{name}/")[1]
    if layer["class_name"] == "Functional":
        return _functional(layer, prefix=f"{path}/", name_prefix=f"{name}/")[1]
    return [_PlannedLayer(name, layer["class_name"], layer["config"], weights_path=path)]


def _single_input(node: Any) -> str:
    if not isinstance(node, dict):
        raise Unsupported("an inbound node in a format this code does not read")
    tensors = list(_keras_histories(node.get("args", [])))
    # A recorded `training` argument is overridden by the model's own (False) at inference.
    kwargs = node.get("kwargs") or {}
    extras = [value for key, value in kwargs.items() if key != "training" and value is not None]
    if len(tensors) != 1 or extras or len(node.get("args", [])) != 1:
        raise Unsupported("a layer with several inputs or call arguments")
    return tensors[0][0]


def _keras_histories(value: Any) -> Iterable[list[Any]]:
    if isinstance(value, dict):
        if value.get("class_name") == "__keras_tensor__":
            yield value["config"]["keras_history"]
        else:
            for item in value.values():
                yield from _keras_histories(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keras_histories(item)


def _tensor_names(references: list[Any]) -> list[str]:
    """input_layers / output_layers: ["name", 0, 0] for one tensor, or a list of those."""
    if references and isinstance(references[0], str):
        references = [references]
    return [reference[0] for reference in references]


def _batch_shape(input_config: dict[str, Any]) -> tuple[int | None, ...]:
    shape = input_config.get("batch_shape") or input_config["batch_input_shape"]
    return tuple(shape[1:])


def _snake_case(name: str) -> str:
    """keras.src.utils.naming.to_snake_case, which names the h5 groups."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def _unique(name: str, used: dict[str, int]) -> str:
    """keras.src.saving.saving_lib._get_unique_name: conv2d, conv2d_1, conv2d_2, ..."""
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def _ends_in_softmax(layers: Sequence[_PlannedLayer]) -> bool:
    """Whether the model already returns probabilities; unknown layer types are trusted to."""
    for layer in reversed(layers):
        if not is_supported(layer.class_name):
            return True
        if not is_identity(layer.class_name):
            return layer.class_name == "Softmax" or layer.config.get("activation") == "softmax"
    return False


# ----------------------------------------------------------------------------- building predictors


def _compile(path: Path, archive: ModelArchive, plan: _Plan, input_shape: Shape) -> Predictor:
    """The NumPy predictor; Unsupported when some layer or setting has no NumPy version."""
    unsupported = sorted({layer.class_name for layer in plan.layers if not is_supported(layer.class_name)})
    if unsupported:
        raise Unsupported(", ".join(unsupported))
    weights = _read_weights(path, archive.weights, plan.layers)
    shape = input_shape
    compiled: list[CompiledLayer] = []
    infos: list[LayerInfo] = []
    working_set = 0
    for layer in plan.layers:
        arrays = weights[layer.weights_path]
        try:
            result = compile_layer(layer.class_name, layer.config, arrays, shape)
        except LayerMismatch as error:
            raise ModelError(f"Cannot load {path}: {error}.") from error
        except (KeyError, TypeError, ValueError) as error:
            raise Unsupported(f"{layer.class_name} config") from error
        compiled.append(result)
        params = sum(array.size for array in arrays)
        infos.append(LayerInfo(layer.name, layer.class_name, (None, *result.output_shape), params))
        touched = math.prod(shape) + result.scratch_floats + math.prod(result.output_shape)
        working_set = max(working_set, touched)
        shape = result.output_shape
    check_class_output(path.name, [shape])
    steps = [layer.forward for layer in compiled if layer.forward is not None]
    if not _ends_in_softmax(plan.layers):
        steps.append(softmax)

    def forward(x: np.ndarray) -> np.ndarray:
        for step in steps:
            x = step(x)
        return x

    return Predictor(
        path=path,
        metadata=archive.metadata,
        input_shape=input_shape,
        forward=forward,
        layers=infos,
        num_params=sum(info.params for info in infos),
        engine="numpy",
        batch_size=max(1, min(MAX_BATCH, WORKING_SET_FLOATS // working_set)),
    )


def _read_weights(path: Path, weights: bytes, layers: Sequence[_PlannedLayer]) -> dict[str, list[np.ndarray]]:
    with open_weights(path, weights) as store:
        return {layer.weights_path: _layer_weights(store, layer.weights_path) for layer in layers}


def _layer_weights(store: Any, path: str) -> list[np.ndarray]:
    group = store.get(f"{path}/vars")
    if group is None:
        return []
    return [np.asarray(group[key]) for key in sorted(group.keys(), key=int)]


def _load_with_keras(path: Path, metadata: ModelMetadata | None, plan: _Plan | None) -> Predictor:
    model = load_keras_model(path)
    input_shape = digit_input_shape(path.name, [tuple(tensor.shape[1:]) for tensor in model.inputs])
    apply_softmax = plan is not None and not _ends_in_softmax(plan.layers)

    def forward(x: np.ndarray) -> np.ndarray:
        probabilities = np.asarray(model.predict_on_batch(x), dtype=np.float32)
        return softmax(probabilities) if apply_softmax else probabilities

    layers = [
        LayerInfo(layer.name, type(layer).__name__, _keras_output_shape(layer), int(layer.count_params()))
        for layer in model.layers
    ]
    return Predictor(
        path=path,
        metadata=metadata,
        input_shape=input_shape,
        forward=forward,
        layers=layers,
        num_params=int(model.count_params()),
        engine="keras",
        batch_size=KERAS_BATCH,
    )


def _keras_output_shape(layer: Any) -> tuple[int | None, ...]:
    try:
        return tuple(layer.output.shape)
    except (AttributeError, ValueError, RuntimeError):
        return ()  # a layer used several times has no single output shape
