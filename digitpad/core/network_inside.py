"""Inside the network: what a digit model's first layer looks for, and how its layers respond.

The probabilities say *what* a model answers; the "Inside the network" view shows *how* a
convolutional network gets there: the first layer's small filters (the stroke pieces it looks
for) and, for the current drawing, the feature maps of every convolution and pooling layer,
from edges near the input to coarse, shift-tolerant features near the answer. A multilayer
perceptron has no maps; the pixel weights of its first Dense layer stand in for the filters.

Everything here needs Keras (the LiteRT form the Draw tab predicts with keeps no intermediate
outputs), so `look_inside` is an engine job (see `core.engine`): it runs in the engine process,
never in the window's, and returns only plain data (`InsidePicture`: numbers, names, numpy
arrays) that crosses back pickled. A model file is loaded once per file into `MODELS`, a cache
of this module that lives as long as the engine process does, and the sub-model that returns
the maps is built once per model, so one drawing change costs one forward pass.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from digitpad.core import tensorflow_runtime
from digitpad.core.cancellation import StopSignal, raise_if_stopped
from digitpad.core.file_cache import FileCache
from digitpad.core.model_file import digit_input_shape, load_keras_model
from digitpad.core.translatable import QT_TRANSLATE_NOOP, Sentence

if TYPE_CHECKING:
    import keras

CONVOLUTIONS = frozenset({"Conv2D", "DepthwiseConv2D", "SeparableConv2D"})
POOLINGS = frozenset({"MaxPooling2D", "AveragePooling2D"})
# Layers applied value by value after a convolution (normalisation, activation, dropout): the
# maps are shown after them, as the next layer reads them, not as the raw linear response.
ELEMENTWISE = frozenset({
    "BatchNormalization", "ReLU", "Activation", "LeakyReLU", "ELU", "PReLU",
    "Dropout", "SpatialDropout2D", "GaussianNoise", "GaussianDropout",
})
PIXELS = 28 * 28
WHITE_SHARE = 0.01  # of a layer's active pixels shown at full white (see `map_levels`)


@dataclass(frozen=True)
class ShownLayer:
    """A convolution or pooling layer whose maps the view shows."""

    name: str                     # the layer's own name, "conv1"
    shape: tuple[int, int, int]   # its maps: (height, width, channels)
    output_of: str                # the layer whose output is shown: the layer, or its last BN/activation
    sentence: str                 # what this layer does, for people


@dataclass(frozen=True)
class FilterBank:
    """What the first layer looks for, one small image per filter (or per unit of a Dense layer)."""

    layer: str
    weights: np.ndarray  # (count, height, width) float32, over the input's pixels
    sentence: str


@dataclass(frozen=True)
class FeatureMaps:
    """One shown layer's response to one input."""

    layer: str
    maps: np.ndarray  # (channels, height, width) float32


@dataclass(frozen=True)
class InsidePicture:
    """Everything the view shows for one model and one input (maps empty without an input)."""

    model_path: Path
    layers: tuple[ShownLayer, ...]
    filters: FilterBank | None
    note: str                          # "" for a CNN; why there are no maps otherwise
    maps: tuple[FeatureMaps, ...]


def shown_layers(model: keras.Model) -> list[ShownLayer]:
    """The model's convolution and pooling layers, in order, each with the layer its maps come from."""
    layers = list(model.layers)
    shown: list[ShownLayer] = []
    first_convolution = True
    for index, layer in enumerate(layers):
        kind = type(layer).__name__
        if kind not in CONVOLUTIONS | POOLINGS or len(layer.output.shape) != 4:
            continue
        last = layer
        for following in layers[index + 1:]:
            if type(following).__name__ not in ELEMENTWISE or _input_of(following) is not last.output:
                break
            last = following
        height, width, channels = (int(size) for size in layer.output.shape[1:])
        if kind in CONVOLUTIONS:
            sentence = _convolution_sentence(layer.name, first_convolution)
            first_convolution = False
        else:
            sentence = _pooling_sentence(layer)
        shown.append(ShownLayer(layer.name, (height, width, channels), last.name, sentence))
    return shown


def first_layer_filters(model: keras.Model) -> FilterBank | None:
    """The first convolution's kernels as (filters, h, w) when it is a Conv2D reading the pixels, or
    an MLP's first Dense weights as 28x28 images; None otherwise (a first layer of another kind, whose
    weights do not map onto the pixels one to one)."""
    for layer in model.layers:
        kind = type(layer).__name__
        if kind in CONVOLUTIONS:
            kernel = np.asarray(layer.get_weights()[0], dtype=np.float32)  # (h, w, channels in, filters)
            if kind != "Conv2D" or kernel.shape[2] != 1:
                return None
            weights = np.moveaxis(kernel[:, :, 0, :], -1, 0)
            count, height, width = weights.shape
            return FilterBank(layer.name, np.ascontiguousarray(weights), Sentence(QT_TRANSLATE_NOOP(
                "NetworkInside", "What {layer} looks for: its {count} filters of {height}×{width} pixels. Light: "
                "ink there raises the filter's response; dark: ink there lowers it; grey: it does not matter."),
                layer=layer.name, count=count, height=height, width=width))
        if kind == "Dense":
            kernel = np.asarray(layer.get_weights()[0], dtype=np.float32)  # (inputs, units)
            if kernel.shape[0] != PIXELS:
                return None
            units = kernel.shape[1]
            return FilterBank(layer.name, np.ascontiguousarray(kernel.T.reshape(units, 28, 28)), Sentence(
                QT_TRANSLATE_NOOP("NetworkInside", "What each of the {units} units of {layer} looks for. Light: ink "
                                  "there raises the unit; dark: ink there lowers it."),
                units=units, layer=layer.name))
    return None


def model_note(layers: Sequence[ShownLayer], filters: FilterBank | None) -> str:
    """Why a model shows no feature maps; "" for a model with convolution or pooling layers."""
    if layers:
        return ""
    if filters is not None:
        return QT_TRANSLATE_NOOP("NetworkInside", "No convolution layers: this multilayer perceptron weighs all "
                                 "784 pixels at once, so there are no feature maps to show.")
    return QT_TRANSLATE_NOOP("NetworkInside", "This model has no convolution layers and no Dense layer reading "
                             "the pixels directly, so there is nothing to picture here.")


def feature_maps(model: keras.Model, x: np.ndarray) -> list[FeatureMaps]:
    """The maps of every shown layer for one input (float32 28x28 in [0, 1], ink bright)."""
    extractor, layers = _extractor(model)
    if extractor is None:
        return []
    input_shape = digit_input_shape(model.name, [tuple(tensor.shape[1:]) for tensor in model.inputs])
    batch = np.asarray(x, dtype=np.float32).reshape(1, *input_shape)
    outputs = extractor.predict_on_batch([batch])
    if len(layers) == 1:
        outputs = [outputs]
    return [FeatureMaps(layer.name, np.ascontiguousarray(np.moveaxis(np.asarray(output)[0], -1, 0),
                                                         dtype=np.float32))
            for layer, output in zip(layers, outputs, strict=True)]


def load_model(path: Path) -> keras.Model:
    """Read a model file for looking inside (the `FileCache` read function), ready to answer at once.

    TensorFlow is imported here if it is not yet, and one pass on a blank input traces Keras'
    predict function, so the first drawing does not wait ~0.3 s for it.
    """
    tensorflow_runtime.import_tensorflow()
    model = load_keras_model(path)
    feature_maps(model, np.zeros((28, 28), np.float32))
    return model


# Keras models by file, loaded once, not on every drawing: in the engine process, which keeps
# them between jobs (a Keras model cannot cross to the window, and need not).
MODELS: FileCache[Any] = FileCache(load_model)


def look_inside(
    path: Path,
    x: np.ndarray | None,
    progress: Callable[[object], None],
    stop_event: StopSignal,
) -> InsidePicture:
    """The engine job behind the view: the model (from `MODELS`), its filters, and its maps for
    `x` if any. Bind `path` and `x` with `functools.partial`; the picture returned is picklable."""
    raise_if_stopped(stop_event, f"loading {path.name}")
    model = MODELS.get(path)
    layers = tuple(shown_layers(model))
    filters = first_layer_filters(model)
    raise_if_stopped(stop_event, "computing the feature maps")
    maps = tuple(feature_maps(model, x)) if x is not None else ()
    return InsidePicture(path, layers, filters, model_note(layers, filters), maps)


def map_levels(maps: np.ndarray) -> np.ndarray:
    """A layer's maps as uint8 grey levels on one scale for the whole layer: black is no response,
    white the layer's strongest responses (its top `WHITE_SHARE` of active pixels, clipped).

    One scale, not one per map, so a map that barely responds looks dark instead of being
    stretched to look as busy as the strongest one. White is set below the very maximum because
    one outlying pixel would otherwise leave the rest of the layer too dark to read.
    """
    values = np.maximum(np.asarray(maps, dtype=np.float32), 0.0)
    active = values[values > 0]
    if active.size == 0:
        return np.zeros(values.shape, np.uint8)
    white = float(np.percentile(active, 100 * (1 - WHITE_SHARE)))
    return np.round(np.minimum(values / white, 1.0) * 255).astype(np.uint8)


def weight_levels(weights: np.ndarray) -> np.ndarray:
    """Filters as uint8 grey levels, each on its own symmetric scale: 128 is zero, lighter
    positive, darker negative. Each filter is scaled alone because its pattern, not its size
    compared with the others, says what it looks for."""
    values = np.asarray(weights, dtype=np.float32)
    largest = np.abs(values).reshape(len(values), -1).max(axis=1, initial=0.0)
    scale = np.where(largest > 0, 127.0 / np.where(largest > 0, largest, 1.0), 0.0)
    return np.round(128.0 + values * scale[:, None, None]).astype(np.uint8)


# ----------------------------------------------------------------------------- internals

_EXTRACTORS: weakref.WeakKeyDictionary[Any, tuple[Any, tuple[ShownLayer, ...]]] = weakref.WeakKeyDictionary()
_EXTRACTORS_LOCK = threading.Lock()


def _extractor(model: keras.Model) -> tuple[keras.Model | None, tuple[ShownLayer, ...]]:
    """A sub-model returning every shown layer's output, built once per model: building and
    tracing it costs far more than running it."""
    with _EXTRACTORS_LOCK:
        cached = _EXTRACTORS.get(model)
    if cached is not None:
        return cached
    import keras

    layers = tuple(shown_layers(model))
    extractor = (keras.Model(model.inputs, [model.get_layer(layer.output_of).output for layer in layers])
                 if layers else None)
    with _EXTRACTORS_LOCK:
        _EXTRACTORS[model] = (extractor, layers)
    return extractor, layers


def _input_of(layer: Any) -> Any:
    """The tensor a layer reads, or None for a layer used more than once (no single input)."""
    try:
        return layer.input
    except (AttributeError, ValueError):
        return None


def _convolution_sentence(name: str, first: bool) -> str:
    if first:
        return Sentence(QT_TRANSLATE_NOOP("NetworkInside", "{name}: each filter slides over the drawing and lights "
                                          "up where a small piece of stroke matches its pattern. Brighter: a "
                                          "stronger response."), name=name)
    return Sentence(QT_TRANSLATE_NOOP("NetworkInside", "{name}: each map combines the maps before it, so it "
                                      "responds to larger shapes: corners, curves, loops. Brighter: a stronger "
                                      "response."), name=name)


def _pooling_sentence(layer: Any) -> str:
    height, width = (int(size) for size in layer.pool_size)
    if type(layer).__name__ == "MaxPooling2D":
        template = QT_TRANSLATE_NOOP("NetworkInside", "{name}: keeps the strongest response in each "
                                     "{height}×{width} block: smaller maps, which care less about exactly where "
                                     "the stroke is.")
    else:
        template = QT_TRANSLATE_NOOP("NetworkInside", "{name}: averages the response in each {height}×{width} "
                                     "block: smaller maps, which care less about exactly where the stroke is.")
    return Sentence(template, name=layer.name, height=height, width=width)
