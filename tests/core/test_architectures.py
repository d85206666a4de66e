"""Each architecture's layer sequence and size, the optional layers, and the summary rows."""

import json

import numpy as np
import pytest

from digitpad.core.architectures import (
    ARCHITECTURE_DESCRIPTIONS,
    ARCHITECTURE_NAMES,
    ArchitectureSpec,
    LayerSummary,
    build_model,
    summarize,
)
from digitpad.core.errors import DigitpadError

# Layer types the NumPy predictor re-implements (see the contract).
SUPPORTED_KINDS = {
    "InputLayer", "Conv2D", "MaxPooling2D", "AveragePooling2D", "BatchNormalization", "Dense",
    "Flatten", "Dropout", "Activation", "ReLU", "GlobalAveragePooling2D", "RandomRotation",
    "RandomTranslation", "RandomZoom",
}

PLAIN_KINDS = {
    "mlp": ["InputLayer", "Flatten", "Dense", "Dense"],
    "seed-cnn": [
        "InputLayer", "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten",
        "Dense", "Dense", "Dense",
    ],
    "digitpad-cnn": [
        "InputLayer", "Conv2D", "Conv2D", "MaxPooling2D", "Conv2D", "Conv2D", "MaxPooling2D",
        "Flatten", "Dense", "Dense",
    ],
}

# Weights + biases, by hand:
# mlp: 784*128+128 + 128*10+10 = 100,480 + 1,290.
# seed-cnn: conv 3*3*1*32+32 = 320 (26x26 -> pool 13x13); conv 2*2*32*16+16 = 2,064 (12x12 ->
#   pool 6x6, 576 features); dense 576*128+128 = 73,856; 128*64+64 = 8,256; 64*10+10 = 650.
# digitpad-cnn: 320 + 3*3*32*32+32 = 9,248 (24x24 -> pool 12) + 3*3*32*64+64 = 18,496
#   + 3*3*64*64+64 = 36,928 (8x8 -> pool 4x4x64 = 1,024) + 1,024*128+128 = 131,200 + 1,290.
PARAMS = {
    "mlp": 100_480 + 1_290,
    "seed-cnn": 320 + 2_064 + 73_856 + 8_256 + 650,
    "digitpad-cnn": 320 + 9_248 + 18_496 + 36_928 + 131_200 + 1_290,
}


def kinds(model) -> list[str]:
    return [type(layer).__name__ for layer in model.layers]


@pytest.mark.parametrize("name", ARCHITECTURE_NAMES)
def test_architecture_layers_shapes_and_size(name: str) -> None:
    model = build_model(ArchitectureSpec(name=name))
    assert kinds(model) == PLAIN_KINDS[name]
    assert tuple(model.input.shape) == (None, 28, 28, 1)
    assert tuple(model.output.shape) == (None, 10)
    assert model.layers[-1].activation.__name__ == "softmax"
    assert model.count_params() == PARAMS[name]
    assert name in ARCHITECTURE_DESCRIPTIONS


def test_param_counts_written_out() -> None:
    assert PARAMS == {"mlp": 101_770, "seed-cnn": 85_146, "digitpad-cnn": 197_482}


def test_seed_cnn_layer_shapes() -> None:
    shapes = [row.output_shape for row in summarize(build_model(ArchitectureSpec("seed-cnn")))]
    assert shapes == [
        (None, 28, 28, 1), (None, 26, 26, 32), (None, 13, 13, 32), (None, 12, 12, 16),
        (None, 6, 6, 16), (None, 576), (None, 128), (None, 64), (None, 10),
    ]


def test_dropout_follows_each_hidden_dense_layer() -> None:
    model = build_model(ArchitectureSpec("seed-cnn", dropout=0.25))
    assert kinds(model)[-5:] == ["Dense", "Dropout", "Dense", "Dropout", "Dense"]
    assert {layer.rate for layer in model.layers if type(layer).__name__ == "Dropout"} == {0.25}
    assert model.count_params() == PARAMS["seed-cnn"]


def test_batch_norm_sits_between_linear_layer_and_relu() -> None:
    model = build_model(ArchitectureSpec("digitpad-cnn", batch_norm=True))
    assert kinds(model) == [
        "InputLayer",
        *["Conv2D", "BatchNormalization", "ReLU"] * 2, "MaxPooling2D",
        *["Conv2D", "BatchNormalization", "ReLU"] * 2, "MaxPooling2D",
        "Flatten", "Dense", "BatchNormalization", "ReLU", "Dense",
    ]
    convs = [layer for layer in model.layers if type(layer).__name__ == "Conv2D"]
    assert all(layer.activation.__name__ == "linear" for layer in convs)
    # Each BatchNormalization adds 4 numbers per channel: 4*(32+32+64+64+128).
    assert model.count_params() == PARAMS["digitpad-cnn"] + 4 * 320


def test_augmentation_layers_come_first_and_fill_with_black() -> None:
    spec = ArchitectureSpec("mlp", augment=True, rotation=0.05, shift=0.15, zoom=0.2)
    model = build_model(spec)
    assert kinds(model)[:4] == ["InputLayer", "RandomRotation", "RandomTranslation", "RandomZoom"]
    rotation, shift, zoom = model.layers[1:4]
    assert rotation.factor == (-0.05, 0.05)
    assert shift.height_factor == shift.width_factor == 0.15
    assert zoom.height_factor == zoom.width_factor == 0.2
    assert {(layer.fill_mode, layer.fill_value) for layer in (rotation, shift, zoom)} == {
        ("constant", 0.0)
    }


def test_augmentation_is_identity_at_inference_and_active_in_training() -> None:
    import keras

    keras.utils.set_random_seed(1)
    model = build_model(ArchitectureSpec("seed-cnn", augment=True))
    x = np.zeros((4, 28, 28, 1), dtype=np.float32)
    x[:, 8:20, 12:16, 0] = 1.0  # a vertical bar
    for layer in model.layers[1:4]:
        np.testing.assert_array_equal(np.asarray(layer(x, training=False)), x)
        assert not np.allclose(np.asarray(layer(x, training=True)), x)
    plain = build_model(ArchitectureSpec("seed-cnn"))
    plain.set_weights(model.get_weights())
    np.testing.assert_allclose(model.predict_on_batch(x), plain.predict_on_batch(x), atol=1e-6)


@pytest.mark.parametrize("name", ARCHITECTURE_NAMES)
def test_every_option_uses_only_layers_the_numpy_predictor_supports(name: str) -> None:
    model = build_model(ArchitectureSpec(name, dropout=0.3, batch_norm=True, augment=True))
    assert set(kinds(model)) <= SUPPORTED_KINDS
    assert tuple(model.output.shape) == (None, 10)


def test_summarize_rows_match_the_model() -> None:
    model = build_model(ArchitectureSpec("mlp", dropout=0.5))
    assert summarize(model) == [
        LayerSummary("image", "InputLayer", (None, 28, 28, 1), 0),
        LayerSummary("flatten", "Flatten", (None, 784), 0),
        LayerSummary("dense1", "Dense", (None, 128), 100_480),
        LayerSummary("dense1_dropout", "Dropout", (None, 128), 0),
        LayerSummary("output", "Dense", (None, 10), 1_290),
    ]


def test_spec_round_trips_through_json_and_ignores_unknown_keys() -> None:
    spec = ArchitectureSpec("seed-cnn", dropout=0.2, batch_norm=True, augment=True, zoom=0.05)
    data = json.loads(json.dumps(spec.to_dict()))
    assert ArchitectureSpec.from_dict(data) == spec
    assert ArchitectureSpec.from_dict({**data, "added_later": 1}) == spec
    assert ArchitectureSpec.from_dict({}) == ArchitectureSpec()


@pytest.mark.parametrize(
    "fields",
    [{"name": "resnet"}, {"dropout": 1.0}, {"dropout": -0.1}, {"rotation": 1.5}, {"zoom": -0.1}],
)
def test_invalid_specs_raise_user_errors(fields: dict) -> None:
    with pytest.raises(DigitpadError):
        ArchitectureSpec(**fields)
    with pytest.raises(DigitpadError):
        ArchitectureSpec.from_dict(fields)


def test_malformed_spec_values_raise_user_errors() -> None:
    with pytest.raises(DigitpadError, match="malformed"):
        ArchitectureSpec.from_dict({"dropout": "a lot"})
