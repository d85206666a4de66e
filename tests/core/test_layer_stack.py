"""The editor's arithmetic against Keras itself, its mistakes one sentence on the right layer,
and the round trip through Keras model JSON."""

from __future__ import annotations

import json

import keras
import pytest

from digitpad.core.architecture_store import PRESETS, preset
from digitpad.core.architectures import ArchitectureSpec, build_model
from digitpad.core.errors import DigitpadError
from digitpad.core.layer_stack import (
    AVERAGE_POOLING,
    BATCH_NORMALIZATION,
    CONV2D,
    DENSE,
    DROPOUT,
    FLATTEN,
    GLOBAL_AVERAGE_POOLING,
    MAX_POOLING,
    Layer,
    analyze,
    new_layer,
    shape_text,
    stack_from_json,
    stack_to_json,
)

CONV = new_layer(CONV2D)
POOL = new_layer(MAX_POOLING)
OUT = Layer(DENSE, units=10, activation="softmax")

# Every kind, both paddings, strides, a pool whose stride differs from its size.
VARIED = [
    Layer(CONV2D, filters=8, kernel=5, stride=2, padding="same", activation="tanh"),
    Layer(BATCH_NORMALIZATION),
    Layer(CONV2D, filters=12, kernel=3, stride=1, padding="valid", activation="relu"),
    Layer(AVERAGE_POOLING, pool=3, stride=2, padding="valid"),
    Layer(MAX_POOLING, pool=2, stride=1, padding="same"),
    Layer(DROPOUT, rate=0.3),
    Layer(GLOBAL_AVERAGE_POOLING),
    Layer(DENSE, units=20, activation="gelu"),
    Layer(BATCH_NORMALIZATION),
    OUT,
]


@pytest.mark.parametrize("layers", [VARIED, list(PRESETS[0].layers), list(PRESETS[1].layers),
                                    [CONV, Layer(FLATTEN), Layer(FLATTEN), OUT]])
def test_shapes_and_weights_match_keras(layers: list[Layer]) -> None:
    analysis = analyze(layers)
    assert analysis.ok, analysis.problems
    model = keras.models.model_from_json(stack_to_json(layers, "my net"))
    assert model.name == "my-net"  # TensorFlow refuses spaces in the name scope training opens
    keras_layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    assert [type(layer).__name__ for layer in keras_layers] == [layer.kind for layer in layers]
    for row, keras_layer in zip(analysis.rows, keras_layers, strict=True):
        assert row.output_shape == tuple(keras_layer.output.shape[1:]), row.layer
        assert row.params == keras_layer.count_params(), row.layer
    assert analysis.total_params == model.count_params()


def test_course_cnn_in_figures() -> None:
    analysis = analyze(list(preset("Course CNN").layers))  # type: ignore[union-attr]
    assert [shape_text(row.output_shape) for row in analysis.rows] == [
        "26x26x32", "13x13x32", "12x12x16", "6x6x16", "576", "128", "64", "10"]
    assert [row.params for row in analysis.rows] == [320, 0, 2_064, 0, 0, 73_856, 8_256, 650]
    assert analysis.total_params == 85_146


def test_a_shape_shrinking_below_one_is_reported_on_that_layer() -> None:
    big = Layer(CONV2D, filters=4, kernel=9, stride=1, activation="relu")
    analysis = analyze([big, POOL, big, Layer(FLATTEN), OUT])  # 20x20 -> 10x10 -> 9x9 kernel leaves 2x2
    assert analysis.ok
    analysis = analyze([big, POOL, big, POOL, big, Layer(FLATTEN), OUT])  # 1x1 -> a 9x9 kernel cannot fit
    assert [row.problem is not None for row in analysis.rows] == [False, False, False, False, True, False, False]
    assert (analysis.rows[4].problem or "").startswith("The image is only 1x1x4 here, so this layer would shrink it to 0x0x4")
    assert analysis.rows[4].output_shape is None and analysis.rows[6].params is None
    assert analysis.total_params is None
    assert analysis.problems == (f"Layer 5 (Conv2D 4 9x9 relu): {analysis.rows[4].problem}",)


def test_conv_after_flatten_names_the_flatten() -> None:
    analysis = analyze([CONV, Layer(FLATTEN), CONV, OUT])
    assert analysis.rows[2].problem == (
        "Conv2D needs an image, but layer 2 (Flatten) already made it a flat list of 21,632 numbers; "
        "move this layer above it.")
    assert len(analysis.problems) == 1


def test_a_dense_on_an_image_without_flatten_is_the_mistake() -> None:
    analysis = analyze([CONV, Layer(DENSE, units=64, activation="relu"), OUT])
    assert analysis.rows[2].output_shape == (26, 26, 10)  # legal Keras, but not 10 values
    assert analysis.rows[1].problem is not None and "put Flatten or GlobalAveragePooling2D before it" \
        in analysis.rows[1].problem
    assert [row.problem is None for row in analysis.rows] == [True, False, True]


@pytest.mark.parametrize("last", [Layer(DENSE, units=10, activation="relu"), Layer(DENSE, units=9,
                                  activation="softmax"), Layer(DROPOUT, rate=0.1)])
def test_the_network_must_end_in_dense_10_softmax(last: Layer) -> None:
    analysis = analyze([Layer(FLATTEN), last])
    assert analysis.rows[-1].problem is not None
    assert analysis.rows[-1].problem.startswith("The last layer must be Dense 10 softmax")
    assert not analyze([]).ok


def test_mistakes_cannot_be_saved() -> None:
    with pytest.raises(DigitpadError, match="cannot be saved: Layer 1"):
        stack_to_json([CONV], "x")


def test_keras_json_round_trips_and_reads_digitpads_own_networks() -> None:
    assert stack_from_json(stack_to_json(VARIED, "varied")) == VARIED
    # The built-in seed CNN, a functional model with named layers, is the course's CNN.
    text = build_model(ArchitectureSpec(name="seed-cnn")).to_json()
    assert stack_from_json(text) == list(preset("Course CNN").layers)  # type: ignore[union-attr]


def test_shipped_preset_files_hold_the_presets() -> None:
    for shipped in PRESETS:
        assert stack_from_json(shipped.path.read_text(encoding="utf-8")) == list(shipped.layers)


def _json(*layers: keras.layers.Layer, shape: tuple[int, ...] = (28, 28, 1)) -> str:
    return keras.Sequential([keras.Input(shape=shape), *layers]).to_json()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (lambda: _json(keras.layers.Reshape((784,)), keras.layers.Dense(10, activation="softmax")),
         "This file has a Reshape layer, which the editor cannot show; train it with digitpad train --arch-file."),
        (lambda: _json(keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax"), shape=(28, 28)),
         "The network takes 28x28 images; the editor shows networks on 28x28x1 images"),
        (lambda: _json(keras.layers.Conv2D(4, (3, 2)), keras.layers.Flatten()),
         "non-square window [3, 2]"),
        (lambda: _json(keras.layers.Dense(10, use_bias=False)), "without its bias or scale weights"),
        (lambda: "[1, 2]", "This is not a Keras model's JSON"),
        (lambda: "{oops", "This is not valid JSON"),
    ],
)
def test_what_the_editor_cannot_show_is_one_sentence(text, message: str) -> None:
    with pytest.raises(DigitpadError) as raised:
        stack_from_json(text())
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_branching_network_is_refused() -> None:
    inputs = keras.Input(shape=(28, 28, 1), name="image")
    flat = keras.layers.Flatten(name="flat")(inputs)
    joined = keras.layers.Add(name="add")([keras.layers.Dense(784, name="wide")(flat), flat])
    text = keras.Model(inputs, keras.layers.Dense(10, activation="softmax", name="out")(joined)).to_json()
    with pytest.raises(DigitpadError, match="not a plain stack of layers \\(at add\\)"):
        stack_from_json(text)
    # Supported layers fed from an earlier layer than the one before them: caught by the chain check too.
    skipping = json.loads(keras.Model(inputs, keras.layers.Dense(10, activation="softmax", name="out")(flat)).to_json())
    skipping["config"]["layers"][2]["inbound_nodes"][0]["args"][0]["config"]["keras_history"][0] = "image"
    with pytest.raises(DigitpadError, match="not a plain stack of layers \\(at out\\)"):
        stack_from_json(json.dumps(skipping))
