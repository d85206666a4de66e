"""Inference-only NumPy float32 versions of the Keras layers digitpad models are built from.

Keras' `model.predict` costs 90 ms or more per call, far too slow to follow a pen; these layers
answer a 28x28 digit in under a millisecond and need neither TensorFlow nor Keras. Each builder reads a
layer's Keras config plus its stored weights and returns a closure over a batch
(N, *shape) -> (N, *output_shape). Formulas follow Keras 3 on TensorFlow (padding, pooling and
batch-norm folding included) so probabilities agree to ~1e-6.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

Shape = tuple[int, ...]  # one sample, without the batch axis
Forward = Callable[[np.ndarray], np.ndarray]


class Unsupported(Exception):
    """No NumPy version of this layer or setting: the caller runs the model in Keras instead."""


class LayerMismatch(Exception):
    """The stored weights or the input shape do not fit the layer's configuration."""


@dataclass(frozen=True)
class CompiledLayer:
    forward: Forward | None  # None: the identity at inference (dropout, augmentation, input)
    output_shape: Shape
    scratch_floats: int = 0  # per image, the largest temporary it allocates (to size batches)


def compile_layer(
    class_name: str, config: dict[str, Any], weights: list[np.ndarray], shape: Shape
) -> CompiledLayer:
    """Raises Unsupported for layers or settings without a NumPy version, LayerMismatch for bad weights."""
    builder = _BUILDERS.get(class_name)
    if builder is None:
        raise Unsupported(f"layer type {class_name}")
    _require_float32(config)
    return builder(config, weights, shape)


def is_supported(class_name: str) -> bool:
    return class_name in _BUILDERS


def is_identity(class_name: str) -> bool:
    """Whether the layer passes its input through unchanged at inference."""
    return _BUILDERS.get(class_name) is _identity


# ----------------------------------------------------------------------------- activations


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # tanh form: no overflow warnings for large negative inputs, same value as 1 / (1 + e^-x).
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def softmax(x: np.ndarray, axis: int | tuple[int, ...] = -1) -> np.ndarray:
    exponentials = np.exp(x - x.max(axis=axis, keepdims=True))
    exponentials /= exponentials.sum(axis=axis, keepdims=True)
    return exponentials


def _elu(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def _selu(x: np.ndarray) -> np.ndarray:
    return 1.0507009873554805 * _elu(x, 1.6732632423543772)


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to ~1.2e-7 (Numerical Recipes' Chebyshev erfc), as NumPy has none."""
    z = np.abs(x).astype(np.float64)
    t = 1.0 / (1.0 + 0.5 * z)
    coefficients = (-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
                    0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277)
    series = np.zeros_like(z)
    for coefficient in reversed(coefficients):  # Horner's rule
        series = coefficient + t * series
    polynomial = -z * z + series
    return (np.sign(x) * (1.0 - t * np.exp(polynomial))).astype(x.dtype)


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


_ACTIVATIONS: dict[str, Forward] = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6),
    "leaky_relu": lambda x: np.where(x > 0, x, np.float32(0.2) * x),
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "softmax": softmax,
    "elu": _elu,
    "selu": _selu,
    "gelu": _gelu,
    "softplus": lambda x: np.logaddexp(np.float32(0), x),
    "softsign": lambda x: x / (1 + np.abs(x)),
    "swish": lambda x: x * _sigmoid(x),
    "silu": lambda x: x * _sigmoid(x),
    "exponential": np.exp,
}


def activation_function(name: Any) -> Forward:
    if not isinstance(name, str) or name not in _ACTIVATIONS:
        raise Unsupported(f"activation {name!r}")
    return _ACTIVATIONS[name]


def _with_activation(forward: Forward, config: dict[str, Any]) -> Forward:
    activation_name = config.get("activation", "linear")
    activation = activation_function(activation_name)
    if activation_name == "linear":
        return forward
    return lambda x: activation(forward(x))


# ----------------------------------------------------------------------------- helpers


# OpenBLAS hands a matrix product to more threads beyond 4 x 65536 multiply-adds. For one drawing
# the hand-off costs more than the arithmetic, and on a busy machine (say, training in the
# background) waiting for the other thread takes tens of milliseconds: the p95 of one 576x288x32
# product measured 86 ms, against 0.3 ms in blocks of rows under the limit. On the 2-core
# development machine batches lost to threads as well (3.5 ms per image against 2.0 ms), so
# every product is cut into single-threaded blocks.
SINGLE_THREAD_MACS = 4 * 65536


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b for 2-D arrays, computed on the calling thread only (see SINGLE_THREAD_MACS)."""
    rows, inner = a.shape
    columns = b.shape[1]
    if rows * inner * columns <= SINGLE_THREAD_MACS:
        return a @ b
    step = max(1, SINGLE_THREAD_MACS // (inner * columns))
    result = np.empty((rows, columns), np.result_type(a, b))
    for start in range(0, rows, step):
        np.matmul(a[start : start + step], b, out=result[start : start + step])
    return result


def _require_float32(config: dict[str, Any]) -> None:
    """Mixed-precision layers compute in float16 in Keras; only float32 reproduces its numbers."""
    dtype = config.get("dtype", "float32")
    if isinstance(dtype, dict):
        dtype = dtype.get("config", {}).get("name")
    if dtype not in (None, "float32"):
        raise Unsupported(f"dtype policy {dtype!r}")


def _require_channels_last(config: dict[str, Any]) -> None:
    if config.get("data_format", "channels_last") != "channels_last":
        raise Unsupported("channels_first data format")


def _pair(value: int | Sequence[int]) -> tuple[int, int]:
    if isinstance(value, int):
        return value, value
    first, second = value
    return int(first), int(second)


def _image_shape(shape: Shape, class_name: str) -> tuple[int, int, int]:
    if len(shape) != 3:
        raise LayerMismatch(f"{class_name} needs height x width x channels input, not {shape}")
    height, width, channels = shape
    return height, width, channels


def _take(weights: list[np.ndarray], shapes: list[Shape], what: str) -> list[np.ndarray]:
    """The weights as float32, after checking that their count and shapes are what the config implies."""
    if len(weights) != len(shapes):
        raise LayerMismatch(
            f"{what} has {len(weights)} stored weight arrays where its configuration needs {len(shapes)}"
        )
    for array, shape in zip(weights, shapes):
        if tuple(array.shape) != tuple(shape):
            raise LayerMismatch(
                f"{what} has a stored weight of shape {tuple(array.shape)} "
                f"where its configuration needs {tuple(shape)}"
            )
    return [np.asarray(array, dtype=np.float32) for array in weights]


def _window(size: int, kernel: int, stride: int, padding: str) -> tuple[int, int, int]:
    """Output size and the padding before/after, as TensorFlow computes them."""
    if padding == "valid":
        out = (size - kernel) // stride + 1
        if out < 1:
            raise LayerMismatch(f"a {kernel}-wide window does not fit an input {size} wide")
        return out, 0, 0
    if padding == "same":
        out = -(-size // stride)
        total = max((out - 1) * stride + kernel - size, 0)
        return out, total // 2, total - total // 2
    raise Unsupported(f"padding {padding!r}")


def _windows(
    x: np.ndarray, size: tuple[int, int], stride: tuple[int, int], out: tuple[int, int]
) -> np.ndarray:
    """(N, H, W, C) -> a strided view (N, out_h, out_w, C, kh, kw) of every window."""
    view = sliding_window_view(x, size, axis=(1, 2))
    return view[:, : (out[0] - 1) * stride[0] + 1 : stride[0], : (out[1] - 1) * stride[1] + 1 : stride[1]]


def _padding(config: dict[str, Any]) -> str:
    return str(config.get("padding", "valid")).lower()


# ----------------------------------------------------------------------------- layers


def _identity(config: dict[str, Any], weights: list[np.ndarray], shape: Shape) -> CompiledLayer:
    _take(weights, [], config.get("name", "layer"))
    return CompiledLayer(None, shape)


def _dense(config: dict[str, Any], weights: list[np.ndarray], shape: Shape) -> CompiledLayer:
    if config.get("quantization_config") or config.get("lora_rank"):
        raise Unsupported("quantized or LoRA Dense layer")
    units = int(config["units"])
    shapes: list[Shape] = [(shape[-1], units)] + ([(units,)] if config.get("use_bias", True) else [])
    kernel, *bias = _take(weights, shapes, f"Dense layer {config.get('name')}")
    offset = bias[0] if bias else None

    def forward(x: np.ndarray) -> np.ndarray:
        # Dense acts on the last axis, also of a (N, 28, 28) input.
        result = matmul(x.reshape(-1, x.shape[-1]), kernel).reshape(*x.shape[:-1], units)
        if offset is not None:
            result += offset
        return result
    return CompiledLayer(_with_activation(forward, config), shape[:-1] + (units,))


def _conv2d(config: dict[str, Any], weights: list[np.ndarray], shape: Shape) -> CompiledLayer:
    """im2col: every window copied into one row of a matrix, then a single matmul with the kernel."""
    _require_channels_last(config)
    if _pair(config.get("dilation_rate", 1)) != (1, 1) or int(config.get("groups", 1)) != 1:
        raise Unsupported("dilated or grouped convolution")
    height, width, channels = _image_shape(shape, "Conv2D")
    kernel_size, strides = _pair(config["kernel_size"]), _pair(config.get("strides", 1))
    filters = int(config["filters"])
    shapes: list[Shape] = [(*kernel_size, channels, filters)]
    if config.get("use_bias", True):
        shapes.append((filters,))
    kernel, *bias = _take(weights, shapes, f"Conv2D layer {config.get('name')}")
    out_h, top, bottom = _window(height, kernel_size[0], strides[0], _padding(config))
    out_w, left, right = _window(width, kernel_size[1], strides[1], _padding(config))
    pad = ((0, 0), (top, bottom), (left, right), (0, 0))
    padded = top + bottom + left + right > 0
    matrix = np.ascontiguousarray(kernel.reshape(-1, filters))  # rows ordered (kh, kw, C)
    offset = bias[0] if bias else None

    def forward(x: np.ndarray) -> np.ndarray:
        if padded:
            x = np.pad(x, pad)
        # Copying windows as (kh, kw, C) keeps each pixel's channels together: ~3x faster
        # than the (C, kh, kw) order the window view has.
        windows = _windows(x, kernel_size, strides, (out_h, out_w)).transpose(0, 1, 2, 4, 5, 3)
        result = matmul(windows.reshape(-1, matrix.shape[0]), matrix)
        if offset is not None:
            result += offset
        return result.reshape(len(x), out_h, out_w, filters)

    scratch = out_h * out_w * matrix.shape[0]
    return CompiledLayer(_with_activation(forward, config), (out_h, out_w, filters), scratch_floats=scratch)


def _pooling(reduce: str) -> Callable[[dict[str, Any], list[np.ndarray], Shape], CompiledLayer]:
    def build(config: dict[str, Any], weights: list[np.ndarray], shape: Shape) -> CompiledLayer:
        _require_channels_last(config)
        _take(weights, [], f"pooling layer {config.get('name')}")
        height, width, channels = _image_shape(shape, "pooling")
        pool = _pair(config.get("pool_size", 2))
        strides = _pair(config.get("strides") or pool)
        padding = _padding(config)
        out_h, top, bottom = _window(height, pool[0], strides[0], padding)
        out_w, left, right = _window(width, pool[1], strides[1], padding)
        out_shape = (out_h, out_w, channels)
        if padding == "valid" and pool == strides:
            return CompiledLayer(_tiled_pool(reduce, pool, out_shape), out_shape)
        pad = ((0, 0), (top, bottom), (left, right), (0, 0))
        if reduce == "max":
            # TensorFlow never picks a padded position, which -inf guarantees.
            def forward(x: np.ndarray) -> np.ndarray:
                padded = np.pad(x, pad, constant_values=-np.inf)
                return _windows(padded, pool, strides, (out_h, out_w)).max(axis=(-2, -1))

            return CompiledLayer(forward, out_shape)
        # TensorFlow averages over the real pixels of each window only, not the padding.
        ones = np.pad(np.ones((1, height, width, 1), np.float32), pad)
        counts = _windows(ones, pool, strides, (out_h, out_w)).sum(axis=(-2, -1))[0]

        def average(x: np.ndarray) -> np.ndarray:
            return _windows(np.pad(x, pad), pool, strides, (out_h, out_w)).sum(axis=(-2, -1)) / counts

        return CompiledLayer(average, out_shape)

    return build


def _tiled_pool(reduce: str, pool: tuple[int, int], out_shape: Shape) -> Forward:
    """Non-overlapping windows: a reshape instead of a window view, several times faster."""
    out_h, out_w, channels = out_shape

    def forward(x: np.ndarray) -> np.ndarray:
        cropped = x[:, : out_h * pool[0], : out_w * pool[1]]
        tiles = cropped.reshape(len(x), out_h, pool[0], out_w, pool[1], channels)
        return tiles.max(axis=(2, 4)) if reduce == "max" else tiles.mean(axis=(2, 4), dtype=np.float32)

    return forward


def _batch_normalization(config: dict[str, Any], weights: list[np.ndarray], shape: Shape) -> CompiledLayer:
    """Folded into one multiply-add per channel, exactly as tf.nn.batch_normalization does."""
    axis = config.get("axis", -1)
    if isinstance(axis, list) and len(axis) == 1:
        axis = axis[0]
    if axis not in (-1, len(shape)) or config.get("renorm") or config.get("synchronized"):
        raise Unsupported("batch normalization over an axis other than the last")
    channels = shape[-1]
    scale, center = config.get("scale", True), config.get("center", True)
    count = 2 + int(scale) + int(center)
    arrays = _take(weights, [(channels,)] * count, f"BatchNormalization layer {config.get('name')}")
    gamma = arrays.pop(0) if scale else np.ones(channels, np.float32)
    beta = arrays.pop(0) if center else np.zeros(channels, np.float32)
    mean, variance = arrays
    multiplier = (gamma / np.sqrt(variance + np.float32(config.get("epsilon", 1e-3)))).astype(np.float32)
    offset = (beta - mean * multiplier).astype(np.float32)
    return CompiledLayer(lambda x: x * multiplier + offset, shape)


def _flatten(config: dict[str, Any], weights: list[np.ndarray], shape: Shape) -> CompiledLayer:
    _require_channels_last(config)
    _take(weights, [], f"Flatten layer {config.get('name')}")
    return CompiledLayer(lambda x: x.reshape(len(x), -1), (math.prod(shape),))


def _reshape(config: dict[str, Any], weights: list[np.ndarray], shape: Shape) -> CompiledLayer:
    _take(weights, [], f"Reshape layer {config.get('name')}")
    target = [int(d) for d in config["target_shape"]]
    if target.count(-1) == 1:
        known = math.prod(d for d in target if d != -1)
        target[target.index(-1)] = math.prod(shape) // known if known else 0
    if math.prod(target) != math.prod(shape):
        raise LayerMismatch(f"Reshape layer {config.get('name')} cannot reshape {shape} to {tuple(target)}")
    out_shape = tuple(target)
    return CompiledLayer(lambda x: x.reshape(len(x), *out_shape), out_shape)


def _activation(config: dict[str, Any], weights: list[np.ndarray], shape: Shape) -> CompiledLayer:
    _take(weights, [], f"Activation layer {config.get('name')}")
    return CompiledLayer(activation_function(config.get("activation")), shape)


def _relu(config: dict[str, Any], weights: list[np.ndarray], shape: Shape) -> CompiledLayer:
    """keras.layers.ReLU with its three options, following keras.activations.relu term by term."""
    _take(weights, [], f"ReLU layer {config.get('name')}")
    max_value = config.get("max_value")
    slope = np.float32(config.get("negative_slope", 0.0) or 0.0)
    threshold = np.float32(config.get("threshold", 0.0) or 0.0)

    def forward(x: np.ndarray) -> np.ndarray:
        result = np.where(x > threshold, x, np.float32(0)) if threshold else np.maximum(x, 0)
        if max_value is not None:
            result = np.clip(result, np.float32(0), np.float32(max_value))
        if slope:
            result = result - slope * np.maximum(threshold - x, 0)
        return result

    return CompiledLayer(forward, shape)


def _softmax_layer(config: dict[str, Any], weights: list[np.ndarray], shape: Shape) -> CompiledLayer:
    _take(weights, [], f"Softmax layer {config.get('name')}")
    axis = config.get("axis", -1)
    axes = tuple(axis) if isinstance(axis, list) else (axis,)
    return CompiledLayer(lambda x: softmax(x, axes), shape)


def _global_average_pooling(config: dict[str, Any], weights: list[np.ndarray], shape: Shape) -> CompiledLayer:
    _require_channels_last(config)
    _take(weights, [], f"GlobalAveragePooling2D layer {config.get('name')}")
    _, _, channels = _image_shape(shape, "GlobalAveragePooling2D")
    keepdims = bool(config.get("keepdims", False))
    return CompiledLayer(
        lambda x: x.mean(axis=(1, 2), keepdims=keepdims, dtype=np.float32),
        (1, 1, channels) if keepdims else (channels,),
    )


def _rescaling(config: dict[str, Any], weights: list[np.ndarray], shape: Shape) -> CompiledLayer:
    _take(weights, [], f"Rescaling layer {config.get('name')}")
    scale = np.asarray(config.get("scale", 1.0), np.float32)
    offset = np.asarray(config.get("offset", 0.0), np.float32)
    return CompiledLayer(lambda x: x * scale + offset, shape)


_BUILDERS: dict[str, Callable[[dict[str, Any], list[np.ndarray], Shape], CompiledLayer]] = {
    "InputLayer": _identity,
    # Regularisation and augmentation layers leave the input unchanged at inference.
    "Dropout": _identity,
    "SpatialDropout2D": _identity,
    "RandomRotation": _identity,
    "RandomTranslation": _identity,
    "RandomZoom": _identity,
    "RandomFlip": _identity,
    "Dense": _dense,
    "Conv2D": _conv2d,
    "MaxPooling2D": _pooling("max"),
    "AveragePooling2D": _pooling("mean"),
    "BatchNormalization": _batch_normalization,
    "Flatten": _flatten,
    "Reshape": _reshape,
    "Activation": _activation,
    "ReLU": _relu,
    "Softmax": _softmax_layer,
    "GlobalAveragePooling2D": _global_average_pooling,
    "Rescaling": _rescaling,
}
