"""A network as a plain stack of layers, and what each layer does to a 28x28x1 digit.

The architecture editor recomputes every layer's output shape and weight count on each key
press, so this is arithmetic only: the formulas Keras uses (checked against
`model.count_params()` in the tests), no TensorFlow. Mistakes are found here too, each one
sentence tied to the layer that causes it, so the editor can show it on that row.

`stack_to_json` writes Keras' own model JSON (the format `architecture_file` reads and
`digitpad train --arch-file` takes) and imports Keras inside; `stack_from_json` reads such a
file back with plain JSON parsing, refusing in one sentence what the editor cannot show.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from itertools import pairwise
from typing import Any

from digitpad.core.errors import DigitpadError
from digitpad.core.translatable import QT_TRANSLATE_NOOP

# What every network digitpad trains takes and gives: one 28x28 grey image, 10 probabilities.
# Defined here, the lowest of the architecture modules, so that `architectures` and
# `architecture_file` can both use them without importing each other.
INPUT_SHAPE: tuple[int, int, int] = (28, 28, 1)
NUM_CLASSES = 10

CONV2D = "Conv2D"
MAX_POOLING = "MaxPooling2D"
AVERAGE_POOLING = "AveragePooling2D"
DENSE = "Dense"
DROPOUT = "Dropout"
BATCH_NORMALIZATION = "BatchNormalization"
FLATTEN = "Flatten"
GLOBAL_AVERAGE_POOLING = "GlobalAveragePooling2D"
LAYER_KINDS: tuple[str, ...] = (
    CONV2D, MAX_POOLING, AVERAGE_POOLING, DENSE, DROPOUT, BATCH_NORMALIZATION, FLATTEN, GLOBAL_AVERAGE_POOLING,
)
# Which of `Layer`'s fields each kind uses; the editor shows exactly these.
LAYER_FIELDS: dict[str, tuple[str, ...]] = {
    CONV2D: ("filters", "kernel", "stride", "padding", "activation"),
    MAX_POOLING: ("pool", "stride", "padding"),
    AVERAGE_POOLING: ("pool", "stride", "padding"),
    DENSE: ("units", "activation"),
    DROPOUT: ("rate",),
    BATCH_NORMALIZATION: (),
    FLATTEN: (),
    GLOBAL_AVERAGE_POOLING: (),
}
PADDINGS: tuple[str, ...] = ("valid", "same")
ACTIVATIONS: tuple[str, ...] = ("relu", "softmax", "sigmoid", "tanh", "elu", "gelu", "linear")
_IMAGE_KINDS = (CONV2D, MAX_POOLING, AVERAGE_POOLING, GLOBAL_AVERAGE_POOLING)
# Batch normalization whose statistics settle within an epoch on small sets (see architectures._batch_norm).
BATCH_NORM_MOMENTUM = 0.9

Shape = tuple[int, ...]


@dataclass(frozen=True)
class Layer:
    """One layer; only the fields in `LAYER_FIELDS[kind]` mean anything for its kind."""

    kind: str
    filters: int = 0
    kernel: int = 0
    stride: int = 0
    padding: str = "valid"
    activation: str = "linear"
    units: int = 0
    pool: int = 0
    rate: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in LAYER_KINDS:
            raise DigitpadError(f"Unknown layer kind {self.kind!r}; choose one of {', '.join(LAYER_KINDS)}.")

    def describe(self) -> str:
        """A short label for the layer list: "Conv2D 32 3x3 relu", "MaxPooling2D 2x2"."""
        if self.kind == CONV2D:
            text = f"Conv2D {self.filters} {self.kernel}x{self.kernel}"
            text += f" stride {self.stride}" if self.stride != 1 else ""
            text += " same" if self.padding == "same" else ""
            return f"{text} {self.activation}"
        if self.kind in (MAX_POOLING, AVERAGE_POOLING):
            text = f"{self.kind} {self.pool}x{self.pool}"
            text += f" stride {self.stride}" if self.stride != self.pool else ""
            return text + (" same" if self.padding == "same" else "")
        if self.kind == DENSE:
            return f"Dense {self.units} {self.activation}"
        if self.kind == DROPOUT:
            return f"Dropout {self.rate:g}"
        return self.kind


def new_layer(kind: str) -> Layer:
    """A layer of `kind` with the values a course would start from."""
    defaults: dict[str, Layer] = {
        CONV2D: Layer(CONV2D, filters=32, kernel=3, stride=1, activation="relu"),
        MAX_POOLING: Layer(MAX_POOLING, pool=2, stride=2),
        AVERAGE_POOLING: Layer(AVERAGE_POOLING, pool=2, stride=2),
        DENSE: Layer(DENSE, units=128, activation="relu"),
        DROPOUT: Layer(DROPOUT, rate=0.25),
    }
    return defaults.get(kind, Layer(kind))


@dataclass(frozen=True)
class LayerRow:
    """What one layer makes of its input; `output_shape`/`params` are None once an earlier
    mistake leaves the shape unknown. `problem` is the one sentence to show on this row."""

    layer: Layer
    output_shape: Shape | None
    params: int | None
    problem: str | None = None


@dataclass(frozen=True)
class StackAnalysis:
    rows: tuple[LayerRow, ...]
    problems: tuple[str, ...]  # every mistake, "Layer 3 (Conv2D 32 3x3 relu): …", for the summary line

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total_params(self) -> int | None:
        """All weights, as `model.count_params()` counts them; None while a shape is unknown."""
        params = [row.params for row in self.rows]
        return None if any(p is None for p in params) else sum(p for p in params if p is not None)


def analyze(layers: Sequence[Layer]) -> StackAnalysis:
    """Each layer's output shape and weight count on a 28x28x1 input, and the mistakes."""
    rows: list[LayerRow] = []
    shape: Shape | None = INPUT_SHAPE
    flattened_at: int | None = None  # 1-based number of the layer that made the tensor flat
    for number, layer in enumerate(layers, start=1):
        problem = _value_problem(layer)
        output: Shape | None = None
        params: int | None = None
        if problem is None and shape is not None:
            if len(shape) == 1 and layer.kind in _IMAGE_KINDS:
                maker = layers[flattened_at - 1].describe() if flattened_at else "the input"
                problem = (f"{layer.kind} needs an image, but layer {flattened_at} ({maker}) already made it "
                           f"a flat list of {shape[0]:,} numbers; move this layer above it.")
            else:
                output, params = _apply(layer, shape)
                if output is not None and min(output) < 1:
                    problem = (f"The image is only {_shape_text(shape)} here, so this layer would shrink it to "
                               f"{_shape_text(output)}; use a smaller kernel or pool, padding \"same\", "
                               "or fewer layers before it.")
                    output, params = None, None
        if output is not None and len(output) == 1 and flattened_at is None and shape is not None and len(shape) == 3:
            flattened_at = number
        rows.append(LayerRow(layer, output, params, problem))
        shape = output
    rows = _check_classifier(rows)
    problems = tuple(
        f"Layer {number} ({row.layer.describe()}): {row.problem}"
        for number, row in enumerate(rows, start=1)
        if row.problem
    )
    if not rows:
        problems = (QT_TRANSLATE_NOOP("LayerStack", "The network has no layers; end it with Dense 10 softmax."),)
    return StackAnalysis(tuple(rows), problems)


def _value_problem(layer: Layer) -> str | None:
    """Values no Keras layer accepts (files can hold anything; the editor's fields cannot)."""
    for name in ("filters", "kernel", "stride", "units", "pool"):
        if name in LAYER_FIELDS[layer.kind] and getattr(layer, name) < 1:
            return f"Its {name} must be at least 1, not {getattr(layer, name)}."
    if layer.kind == DROPOUT and not 0.0 <= layer.rate < 1.0:
        return f"Its rate must be at least 0 and below 1, not {layer.rate:g}."
    if "padding" in LAYER_FIELDS[layer.kind] and layer.padding not in PADDINGS:
        return f"Its padding must be \"valid\" or \"same\", not {layer.padding!r}."
    if "activation" in LAYER_FIELDS[layer.kind] and layer.activation not in ACTIVATIONS:
        return f"Its activation {layer.activation!r} is not one of {', '.join(ACTIVATIONS)}."
    return None


def _apply(layer: Layer, shape: Shape) -> tuple[Shape, int]:
    """Keras' output shape and weight count for `layer` on a (valid) input `shape`."""
    channels = shape[-1]
    if layer.kind == CONV2D:
        height, width = (_spatial(size, layer.kernel, layer.stride, layer.padding) for size in shape[:2])
        return (height, width, layer.filters), layer.kernel * layer.kernel * channels * layer.filters + layer.filters
    if layer.kind in (MAX_POOLING, AVERAGE_POOLING):
        height, width = (_spatial(size, layer.pool, layer.stride, layer.padding) for size in shape[:2])
        return (height, width, channels), 0
    if layer.kind == DENSE:  # Keras applies Dense to the last axis, whatever the rank
        return (*shape[:-1], layer.units), channels * layer.units + layer.units
    if layer.kind == BATCH_NORMALIZATION:  # gamma, beta, moving mean and variance: all counted
        return shape, 4 * channels
    if layer.kind == FLATTEN:
        return (math.prod(shape),), 0
    if layer.kind == GLOBAL_AVERAGE_POOLING:
        return (channels,), 0
    return shape, 0  # Dropout


def _spatial(size: int, window: int, stride: int, padding: str) -> int:
    if padding == "same":
        return math.ceil(size / stride)
    return (size - window) // stride + 1 if size >= window else 0


def _check_classifier(rows: list[LayerRow]) -> list[LayerRow]:
    """The network must end in one probability per digit: a final Dense 10 softmax on a flat
    tensor. A Dense on an image is legal Keras (it works pixel by pixel) but then the output is
    an image; the sentence goes on the first such Dense, where Flatten is missing."""
    if not rows:
        return rows
    last = rows[-1]
    final = last.output_shape
    if final is not None and len(final) == 3 and not any(row.problem for row in rows):
        first_dense = next((i for i, row in enumerate(rows) if row.layer.kind == DENSE), None)
        index = first_dense if first_dense is not None else len(rows) - 1
        row = rows[index]
        rows[index] = replace(row, problem=(
            f"The network would end with a {_shape_text(final)} image instead of {NUM_CLASSES} values: "
            + ("this Dense layer works on each pixel separately; put Flatten or GlobalAveragePooling2D before it."
               if row.layer.kind == DENSE else "add Flatten, then Dense 10 softmax.")
        ))
        return rows
    is_classifier = last.layer.kind == DENSE and last.layer.units == NUM_CLASSES and last.layer.activation == "softmax"
    if not is_classifier and last.problem is None:
        rows[-1] = replace(last, problem=(
            f"The last layer must be Dense {NUM_CLASSES} softmax, to give one probability per digit; "
            "add it at the end."
        ))
    return rows


def _shape_text(shape: Shape) -> str:
    return "x".join(str(size) for size in shape)


def shape_text(shape: Shape | None) -> str:
    """"26x26x32", "128", or "?" while unknown: how the editor's table shows an output."""
    return "?" if shape is None else _shape_text(shape)


# ---------------------------------------------------------------------------- Keras JSON


def stack_to_json(layers: Sequence[Layer], name: str) -> str:
    """The stack as Keras model JSON (`model.to_json()`), built with Keras so that the file is
    exactly what Keras writes; mistakes are refused first, in one sentence."""
    analysis = analyze(layers)
    if not analysis.ok:
        raise DigitpadError(f"The network cannot be saved: {analysis.problems[0]}")
    import keras

    model = keras.Sequential([keras.Input(shape=INPUT_SHAPE, name="image"),
                              *(_keras_layer(layer) for layer in layers)], name=keras_name(name))
    return model.to_json(indent=2) + "\n"


def keras_name(name: str) -> str:
    """`name` as TensorFlow accepts a model's name (it becomes a name scope when training):
    "Course CNN" -> "Course-CNN"."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-_")
    return slug if slug and slug[0].isalnum() else f"network{slug and '-' + slug}"


def _keras_layer(layer: Layer) -> Any:
    import keras

    kl = keras.layers
    if layer.kind == CONV2D:
        return kl.Conv2D(layer.filters, layer.kernel, strides=layer.stride, padding=layer.padding,
                         activation=layer.activation)
    if layer.kind == MAX_POOLING:
        return kl.MaxPooling2D(layer.pool, strides=layer.stride, padding=layer.padding)
    if layer.kind == AVERAGE_POOLING:
        return kl.AveragePooling2D(layer.pool, strides=layer.stride, padding=layer.padding)
    if layer.kind == DENSE:
        return kl.Dense(layer.units, activation=layer.activation)
    if layer.kind == DROPOUT:
        return kl.Dropout(layer.rate)
    if layer.kind == BATCH_NORMALIZATION:
        return kl.BatchNormalization(momentum=BATCH_NORM_MOMENTUM)
    if layer.kind == FLATTEN:
        return kl.Flatten()
    return kl.GlobalAveragePooling2D()


_ARCH_FILE_HINT = "train it with digitpad train --arch-file"


def stack_from_json(text: str) -> list[Layer]:
    """The layers of a Keras model JSON the editor can show: one 28x28x1 input, then a plain
    chain of the kinds in `LAYER_KINDS`. Anything else is one sentence saying what is there."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DigitpadError(f"This is not valid JSON ({error.msg}, line {error.lineno}).") from error
    config = data.get("config") if isinstance(data, dict) else None
    specs = config.get("layers") if isinstance(config, dict) else None
    if not isinstance(specs, list) or data.get("class_name") not in ("Sequential", "Functional", "Model"):
        raise DigitpadError("This is not a Keras model's JSON (write one with model.to_json()).")
    first = specs[0] if specs and isinstance(specs[0], dict) else {}
    if first.get("class_name") != "InputLayer":
        raise DigitpadError("The network does not start with an Input layer of shape (28, 28, 1).")
    batch_shape = first.get("config", {}).get("batch_shape") or first.get("config", {}).get("batch_input_shape")
    if not isinstance(batch_shape, list) or tuple(batch_shape[1:]) != INPUT_SHAPE:
        shown = "x".join(str(size) for size in batch_shape[1:]) if isinstance(batch_shape, list) else "unknown"
        raise DigitpadError(f"The network takes {shown} images; the editor shows networks on 28x28x1 images, "
                            f"so {_ARCH_FILE_HINT}.")
    if data["class_name"] != "Sequential":
        _check_chain(specs)
    return [_layer_from_config(spec) for spec in specs[1:]]


def _check_chain(specs: list[Any]) -> None:
    """A functional model the editor can show feeds each layer from the one before it."""
    for previous, spec in pairwise(specs):
        nodes = spec.get("inbound_nodes") or []
        args = nodes[0].get("args", []) if len(nodes) == 1 and isinstance(nodes[0], dict) else []
        sources = [arg.get("config", {}).get("keras_history", [None])[0] for arg in args if isinstance(arg, dict)]
        if sources != [previous.get("name", previous.get("config", {}).get("name"))]:
            raise DigitpadError(f"This network is not a plain stack of layers (at {spec.get('name', '?')}); "
                                f"the editor shows plain stacks only, so {_ARCH_FILE_HINT}.")


def _layer_from_config(spec: Any) -> Layer:
    kind = spec.get("class_name") if isinstance(spec, dict) else None
    config = spec.get("config", {}) if isinstance(spec, dict) else {}
    if kind not in LAYER_KINDS:
        raise DigitpadError(f"This file has a {kind} layer, which the editor cannot show; {_ARCH_FILE_HINT}.")
    if config.get("use_bias", True) is not True or config.get("center", True) is not True \
            or config.get("scale", True) is not True:
        raise DigitpadError(f"This file has a {kind} layer without its bias or scale weights, which the editor "
                            f"cannot show; {_ARCH_FILE_HINT}.")
    values: dict[str, Any] = {}
    if kind == CONV2D:
        values.update(filters=config.get("filters"), kernel=_square(kind, config.get("kernel_size")),
                      stride=_square(kind, config.get("strides", 1)))
        if tuple(_as_pair(config.get("dilation_rate", 1))) != (1, 1) or config.get("groups", 1) != 1:
            raise DigitpadError(f"This file has a dilated or grouped Conv2D layer; {_ARCH_FILE_HINT}.")
    elif kind in (MAX_POOLING, AVERAGE_POOLING):
        pool = _square(kind, config.get("pool_size", 2))
        strides = config.get("strides")
        values.update(pool=pool, stride=pool if strides is None else _square(kind, strides))
    elif kind == DENSE:
        values.update(units=config.get("units"))
    elif kind == DROPOUT:
        values.update(rate=config.get("rate"))
    if "padding" in LAYER_FIELDS[kind]:
        values["padding"] = config.get("padding", "valid")
    if "activation" in LAYER_FIELDS[kind]:
        values["activation"] = config.get("activation", "linear")
    types = {field.name: field.type for field in fields(Layer)}
    for name, value in values.items():
        expected = (int,) if types[name] == "int" else (float, int) if types[name] == "float" else (str,)
        if not isinstance(value, expected) or isinstance(value, bool):
            raise DigitpadError(f"This file's {kind} layer has {name} {value!r}, which the editor cannot show; "
                                f"{_ARCH_FILE_HINT}.")
    return Layer(kind, **values)


def _as_pair(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value, value]


def _square(kind: str, value: Any) -> Any:
    pair = _as_pair(value)
    if len(pair) != 2 or pair[0] != pair[1]:
        raise DigitpadError(f"This file's {kind} layer has a non-square window {value!r}; the editor shows "
                            f"square ones only, so {_ARCH_FILE_HINT}.")
    return pair[0]
