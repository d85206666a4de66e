"""Architectures kept as Keras' own model JSON (`model.to_json()`), so that a network drawn in
digitpad trains in plain Keras and one written in plain Keras trains in digitpad.

Reading builds the layers with `keras.models.model_from_json`, which deserialises in Keras' safe
mode: Python lambdas are refused and only Keras' own classes are imported, so a file cannot run
code. The network is then checked against what digitpad trains on (28x28 grey images, 10 classes,
probabilities out), each mismatch one sentence naming the file. Keras is imported inside the
functions so that this module loads before TensorFlow does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digitpad.core.atomic import atomic_write_text, check_output_path
from digitpad.core.errors import DigitpadError
from digitpad.core.layer_stack import INPUT_SHAPE, NUM_CLASSES

if TYPE_CHECKING:
    import keras

ARCHITECTURE_SUFFIX = ".json"
# Enough for any layer stack a person writes; a bigger "architecture" is something else.
MAX_ARCHITECTURE_BYTES = 16 * 2**20
_ACCEPTED_INPUTS = ((28, 28), INPUT_SHAPE)


def build_from_file(path: str | Path) -> keras.Model:
    """A fresh, uncompiled model built from the architecture file `path`, already checked.

    It always takes digitpad's (28, 28, 1) input: a network written for (28, 28) images gets a
    Reshape in front, so training, prediction and conversion feed every model alike.
    """
    path = Path(path)
    model = _deserialize(path, _read_text(path))
    check_architecture(model, path)
    if tuple(model.input_shape[1:]) == INPUT_SHAPE:
        return model
    import keras

    inputs = keras.Input(shape=INPUT_SHAPE, name="image")
    outputs = model(keras.layers.Reshape((28, 28), name="drop_channel")(inputs))
    return keras.Model(inputs, outputs, name=model.name)


def check_architecture(model: keras.Model, path: str | Path) -> None:
    """Raise a DigitpadError naming `path` unless `model` takes one 28x28 (or 28x28x1) image and
    gives probabilities over 10 classes: what `training.train` fits with its loss."""
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise DigitpadError(
            f"{path}: the model has {len(model.inputs)} inputs and {len(model.outputs)} outputs; "
            "digitpad needs one image in and one answer out."
        )
    input_shape = tuple(model.input_shape[1:])
    if input_shape not in _ACCEPTED_INPUTS:
        raise DigitpadError(
            f"{path}: the model takes {_shape_text(input_shape)} images; digitpad needs 28x28 or 28x28x1."
        )
    output_shape = tuple(model.output_shape[1:])
    if output_shape != (NUM_CLASSES,):
        raise DigitpadError(
            f"{path}: the model's output is {_shape_text(output_shape)}; digitpad needs "
            f"{NUM_CLASSES} classes, as (10,) (end with Dense(10, activation=\"softmax\"))."
        )
    activation = _final_activation(model)
    if activation != "softmax":
        raise DigitpadError(
            f"{path}: the last layer's activation is {activation}; digitpad trains on probabilities, "
            "so the last layer needs activation \"softmax\"."
        )


def save_architecture(model: keras.Model, path: str | Path) -> Path:
    """Write `model`'s layers (no weights) as Keras model JSON, atomically: an editor's save
    never leaves half a file. The path must end in .json."""
    path = check_output_path(path, ARCHITECTURE_SUFFIX)
    atomic_write_text(path, model.to_json(indent=2) + "\n")
    return path


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_ARCHITECTURE_BYTES:
            raise DigitpadError(
                f"{path}: {size:,} bytes is too big for an architecture file (Keras model JSON)."
            )
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DigitpadError(f"{path}: not a text file, so not Keras model JSON.") from error


def _deserialize(path: Path, text: str) -> keras.Model:
    """The model the JSON describes; any way Keras fails to build it is one sentence."""
    try:
        config = json.loads(text)
    except json.JSONDecodeError as error:
        raise DigitpadError(f"{path}: not valid JSON ({error.msg}, line {error.lineno}).") from error
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise DigitpadError(
            f"{path}: not a Keras model's JSON (write one with model.to_json())."
        )
    import keras

    try:
        model = keras.models.model_from_json(text)
    except Exception as error:  # Keras raises ValueError, TypeError, KeyError... for bad configs
        raise DigitpadError(f"{path}: Keras cannot build this model: {_first_sentence(error)}") from error
    if not isinstance(model, keras.Model):
        raise DigitpadError(f"{path}: it describes a {type(model).__name__}, not a model.")
    try:
        model.input_shape  # noqa: B018 - an unbuilt Sequential has none and raises
    except (AttributeError, ValueError) as error:
        raise DigitpadError(
            f"{path}: the model does not say what images it takes; start it with an Input layer "
            "of shape (28, 28, 1)."
        ) from error
    return model


def _final_activation(model: keras.Model) -> str:
    """The name of the function that makes the model's output: the last layer's activation, or
    what a final Softmax/Activation layer applies."""
    layer: Any = model.layers[-1]
    while getattr(layer, "layers", None):  # a model nested as the last layer
        layer = layer.layers[-1]
    if type(layer).__name__ == "Softmax":
        return "softmax"
    activation: Any = getattr(layer, "activation", None)
    return getattr(activation, "__name__", "linear" if activation is None else str(activation))


def _shape_text(shape: tuple[Any, ...]) -> str:
    return "(" + ", ".join("?" if dim is None else str(dim) for dim in shape) + ("," if len(shape) == 1 else "") + ")"


def _first_sentence(error: BaseException) -> str:
    """Keras' messages run to whole configs; the first line says what went wrong."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text if len(text) <= 300 else text[:297] + "…"
