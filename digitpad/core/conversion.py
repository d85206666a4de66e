"""Turning a Keras digit model into the LiteRT model that digitpad draws with.

The canvas asks for a prediction on every stroke and the window appears before TensorFlow has
loaded, so drawing runs on LiteRT (`ai_edge_litert`, ~0.1 s to import, ~0.2 ms per digit)
instead of Keras (~6 s to import, ~10 ms per call). The conversion itself needs TensorFlow: it
happens when digitpad saves or imports a model, and for a file opened from elsewhere when it is
opened (for the window, in its engine process: see `engine_models`).

What is converted is the *inference graph*: augmentation layers are dropped (they are identity
at inference anyway, but their random ops have no place in a drawing app's graph), and the
output is made probabilities once, here, by a rule every path shares (`output_kind`): a softmax
head is kept as it is, a sigmoid head is normalised to sum to one, and anything else is taken for
logits and gets a softmax. The Keras fallback (a model LiteRT cannot take) runs the same graph.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import keras

from digitpad.core.errors import ModelError
from digitpad.core.inference_description import (
    ConvertedModel,
    InferenceDescription,
    LayerInfo,
    OutputKind,
    weights_digest,
)

# Layers that pass their input through unchanged at inference: the output rule looks past them.
PASS_THROUGH_LAYERS = frozenset(
    {
        "Dropout",
        "SpatialDropout1D",
        "SpatialDropout2D",
        "SpatialDropout3D",
        "GaussianNoise",
        "GaussianDropout",
        "AlphaDropout",
        "ActivityRegularization",
        "Identity",
        "Flatten",
        "Reshape",
    }
)
# A Rescaling at or below this scale divides by something like 255: the model expects 0-255 input.
RESCALING_WARNING_SCALE = 0.1


class SumToOne(keras.layers.Layer):
    """Sigmoid scores rescaled to sum to one, so they read as probabilities like a softmax's."""

    def call(self, inputs: Any) -> Any:
        total = keras.ops.sum(inputs, axis=-1, keepdims=True)
        return inputs / keras.ops.maximum(total, 1e-12)


def inference_model(model: Any) -> Any:
    """`model` without augmentation layers, ending in probabilities (see the module docstring).

    Layers are shared with `model`, not copied: no weights are duplicated.
    """
    graph = _without_augmentation(model)
    kind = output_kind(graph)
    if kind == "probabilities":
        return graph
    head = keras.layers.Softmax(name="digitpad_softmax") if kind == "logits" else SumToOne(name="digitpad_sum_to_one")
    return keras.Model(graph.inputs, head(graph.outputs[0]), name=f"{model.name}_inference")


def convert(model: Any, input_shape: tuple[int, ...], weights: bytes = b"") -> ConvertedModel:
    """The LiteRT form of `model` (a loaded Keras model taking one digit of `input_shape`), made
    with Keras' own exporter; ModelError when LiteRT cannot represent it. `weights` are the
    archive's weights, remembered by digest so a later change to them is noticed."""
    graph = inference_model(model)
    signature = [keras.InputSpec(shape=(None, *input_shape), dtype="float32")]
    with tempfile.TemporaryDirectory(prefix="digitpad-litert-") as folder:
        target = Path(folder) / "model.tflite"
        try:
            graph.export(str(target), format="litert", input_signature=signature, verbose=False)
            litert = target.read_bytes()
        except Exception as error:  # the converter reports unsupported graphs with many exception types
            raise ModelError(f"LiteRT cannot run this model ({_first_line(error)}).") from error
    description = describe(model, input_shape, weights)
    return ConvertedModel(litert=litert, description=description)


def describe(model: Any, input_shape: tuple[int, ...], weights: bytes = b"") -> InferenceDescription:
    """What `Predictor` needs to know of `model` besides running it."""
    return InferenceDescription(
        input_shape=tuple(input_shape),
        output_kind=output_kind(model),
        layers=layer_listing(model),
        num_params=int(model.count_params()),
        warnings=input_warnings(model),
        weights_sha256=weights_digest(weights) if weights else "",
    )


def output_kind(model: Any) -> OutputKind:
    """Whether the model's output is already probabilities, sigmoid scores or logits: decided
    from its last layer that changes values (dropout, reshapes and linear activations pass)."""
    layer = _producer(model.outputs[0])
    while True:
        kind = type(layer).__name__
        activation = getattr(getattr(layer, "activation", None), "__name__", None)
        if hasattr(layer, "outputs") and hasattr(layer, "layers"):  # a nested model: look inside
            layer = _producer(layer.outputs[0])
        elif kind == "Softmax" or activation == "softmax":
            return "probabilities"
        elif activation == "sigmoid":
            return "sigmoid"
        elif kind in PASS_THROUGH_LAYERS or (kind == "Activation" and activation == "linear"):
            layer = _producer(layer.input)
        else:
            return "logits"


def input_warnings(model: Any) -> list[str]:
    """Sentences for the user about a model that will misread digitpad's [0, 1] input."""
    for layer in _all_layers(model):
        if type(layer).__name__ == "Rescaling":
            scale = _as_float(getattr(layer, "scale", 1.0))
            if scale is not None and 0 < scale <= RESCALING_WARNING_SCALE:
                return [
                    f"This model rescales its own input (its {layer.name} layer multiplies by {scale:.4g}), "
                    "but digitpad already gives it pixels from 0 to 1: its readings are probably wrong. "
                    "Models for digitpad should take pixels in [0, 1]."
                ]
    return []


def layer_listing(model: Any) -> list[LayerInfo]:
    return [
        LayerInfo(layer.name, type(layer).__name__, _output_shape(layer), int(layer.count_params()))
        for layer in model.layers
    ]


def _without_augmentation(model: Any) -> Any:
    """The model with its Random* layers replaced by identity, sharing every other layer."""
    if not any(type(layer).__name__.startswith("Random") for layer in _all_layers(model)):
        return model

    def keep_or_skip(layer: Any) -> Any:
        if type(layer).__name__.startswith("Random"):
            return keras.layers.Identity(name=f"{layer.name}_dropped")
        return layer

    try:
        return keras.models.clone_model(model, clone_function=keep_or_skip)
    except (ValueError, TypeError, NotImplementedError):
        return model  # a subclassed model cannot be cloned; its random layers are identity at inference


def _producer(tensor: Any) -> Any:
    return tensor._keras_history.operation  # Keras' record of the layer that made a symbolic tensor


def _all_layers(model: Any) -> list[Any]:
    layers = []
    for layer in getattr(model, "layers", []):
        layers.append(layer)
        layers.extend(_all_layers(layer))
    return layers


def _output_shape(layer: Any) -> tuple[int | None, ...]:
    try:
        return tuple(layer.output.shape)
    except (AttributeError, ValueError, RuntimeError):
        return ()  # a layer used several times has no single output shape


def _as_float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None  # a per-channel scale: not the single 1/255 this warning is about


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:200] if text else type(error).__name__
