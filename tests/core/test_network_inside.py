"""Inside the network: the layers shown, the filters, the maps against a hand computation, the cache."""

from __future__ import annotations

import pickle
import threading
from functools import partial
from pathlib import Path

import keras
import numpy as np
import pytest

from digitpad.core import network_inside
from digitpad.core.architectures import ArchitectureSpec, build_model
from digitpad.core.cancellation import Cancelled
from digitpad.core.engine import ThreadEngine
from digitpad.core.errors import ModelError
from digitpad.core.file_cache import FileCache
from digitpad.core.network_inside import (
    feature_maps,
    first_layer_filters,
    look_inside,
    map_levels,
    model_note,
    shown_layers,
    weight_levels,
)
from digitpad.core.resources import bundled_mnist_path, default_model_path

L = keras.layers
VERTICAL_EDGE = np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], np.float32)


def tiny_cnn() -> keras.Model:
    """Conv 3 filters 3x3 (a vertical edge, a blob, and one that only ever answers 0), MaxPool 2."""
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        L.Conv2D(3, 3, activation="relu", name="conv"),
        L.MaxPooling2D(2, name="pool"),
        L.Flatten(name="flatten"),
        L.Dense(10, activation="softmax", name="output"),
    ])
    kernel = np.stack([VERTICAL_EDGE, np.ones((3, 3), np.float32), -np.ones((3, 3), np.float32)], axis=-1)
    model.get_layer("conv").set_weights([kernel[:, :, None, :], np.array([0.0, -1.0, 0.0], np.float32)])
    return model


def tiny_mlp(units: int = 16) -> keras.Model:
    model = keras.Sequential([keras.Input((28, 28)), L.Flatten(), L.Dense(units, activation="relu", name="hidden"),
                              L.Dense(10, activation="softmax")])
    rng = np.random.default_rng(0)
    model.get_layer("hidden").set_weights([rng.normal(size=(784, units)).astype(np.float32), np.zeros(units, np.float32)])
    return model


def square(x0: int, y0: int, side: int) -> np.ndarray:
    x = np.zeros((28, 28), np.float32)
    x[y0:y0 + side, x0:x0 + side] = 1.0
    return x


def by_hand(model: keras.Model, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The tiny CNN's conv and pool maps, (channels, h, w), computed with numpy alone."""
    kernel, bias = model.get_layer("conv").get_weights()
    windows = np.lib.stride_tricks.sliding_window_view(x, (3, 3))          # (26, 26, 3, 3)
    conv = np.maximum(np.einsum("ijab,abk->kij", windows, kernel[:, :, 0, :]) + bias[:, None, None], 0.0)
    pool = conv.reshape(3, 13, 2, 13, 2).max(axis=(2, 4))
    return conv, pool


def test_the_maps_are_the_layers_outputs_computed_by_hand() -> None:
    model = tiny_cnn()
    x = square(8, 6, 10)
    maps = feature_maps(model, x)
    conv, pool = by_hand(model, x)
    assert [m.layer for m in maps] == ["conv", "pool"]
    np.testing.assert_allclose(maps[0].maps, conv, atol=1e-5)
    np.testing.assert_allclose(maps[1].maps, pool, atol=1e-5)
    # The edge filter answers only at the square's left edge (ink on its right), nowhere else.
    edge = maps[0].maps[0]
    assert edge[10, 6] == pytest.approx(3.0) and edge[10, 12] == 0.0 and edge[0, 0] == 0.0
    assert not maps[0].maps[2].any()  # the negative filter never fires on ink


def test_shown_layers_name_each_conv_and_pool_and_show_them_after_normalisation_and_activation() -> None:
    tiny = shown_layers(tiny_cnn())
    assert [(s.name, s.shape, s.output_of) for s in tiny] == [("conv", (26, 26, 3), "conv"), ("pool", (13, 13, 3), "pool")]
    assert "slides over the drawing" in tiny[0].sentence and "2×2" in tiny[1].sentence

    # Augmentation layers are skipped; a Conv -> BN -> ReLU block is shown as the ReLU's output.
    model = build_model(ArchitectureSpec("seed-cnn", batch_norm=True, augment=True))
    shown = shown_layers(model)
    assert [(s.name, s.output_of) for s in shown] == [
        ("conv1", "conv1_relu"), ("pool1", "pool1"), ("conv2", "conv2_relu"), ("pool2", "pool2")]
    assert "larger shapes" in shown[2].sentence  # a deeper convolution combines maps
    maps = feature_maps(model, square(5, 5, 12))
    assert [m.maps.shape for m in maps] == [(32, 26, 26), (32, 13, 13), (16, 12, 12), (16, 6, 6)]
    assert all(m.maps.min() >= 0 for m in maps)  # after the ReLU, as the next layer reads them


def test_first_layer_filters_are_the_conv_kernels() -> None:
    model = tiny_cnn()
    filters = first_layer_filters(model)
    assert filters is not None and filters.layer == "conv"
    assert filters.weights.shape == (3, 3, 3) and filters.weights.dtype == np.float32
    np.testing.assert_array_equal(filters.weights[0], VERTICAL_EDGE)
    np.testing.assert_array_equal(filters.weights[2], -np.ones((3, 3)))
    assert "3 filters of 3×3" in filters.sentence
    assert model_note(shown_layers(model), filters) == ""


def test_a_first_layer_whose_weights_do_not_lie_over_the_pixels_gets_no_filters_but_keeps_its_maps() -> None:
    model = keras.Sequential([keras.Input((28, 28, 1)), L.SeparableConv2D(4, 3, name="separable"),
                              L.Conv2D(5, 3, name="conv"), L.Flatten(), L.Dense(10, activation="softmax")])
    assert first_layer_filters(model) is None
    layers = shown_layers(model)
    assert [s.name for s in layers] == ["separable", "conv"] and model_note(layers, None) == ""
    assert [m.maps.shape for m in feature_maps(model, square(4, 4, 9))] == [(4, 26, 26), (5, 24, 24)]


def test_an_mlp_gets_its_first_dense_weights_as_images_and_a_clear_message() -> None:
    model = tiny_mlp(16)
    filters = first_layer_filters(model)
    assert filters is not None and filters.layer == "hidden" and filters.weights.shape == (16, 28, 28)
    kernel = model.get_layer("hidden").get_weights()[0]
    np.testing.assert_array_equal(filters.weights[5].reshape(784), kernel[:, 5])  # row-major, as Flatten reads
    assert shown_layers(model) == [] and feature_maps(model, square(3, 3, 5)) == []
    note = model_note([], filters)
    assert "No convolution layers" in note and "multilayer perceptron" in note
    assert "nothing to picture" in model_note([], None)


def test_map_levels_share_one_scale_per_layer() -> None:
    maps = np.zeros((3, 10, 10), np.float32)
    maps[0] = 4.0       # a strong map
    maps[1] = 1.0       # a weak one stays dark instead of being stretched to white
    maps[2, 0, 0] = -5  # negative responses read as none
    levels = map_levels(maps)
    assert levels.dtype == np.uint8 and levels[0].min() == 255 and levels[1].max() == 64 and not levels[2].any()
    # One outlying pixel does not darken the whole layer.
    maps[0, 0, 0] = 400.0
    assert map_levels(maps)[0, 5, 5] == 255
    assert not map_levels(np.zeros((2, 4, 4), np.float32)).any()


def test_weight_levels_centre_zero_and_scale_each_filter_alone() -> None:
    weights = np.stack([VERTICAL_EDGE, 0.01 * VERTICAL_EDGE, np.zeros((3, 3), np.float32)])
    levels = weight_levels(weights)
    np.testing.assert_array_equal(levels[0], levels[1])  # a small filter's pattern is as visible
    assert (levels[0, :, 0] == 1).all() and (levels[0, :, 1] == 128).all() and (levels[0, :, 2] == 255).all()
    assert (levels[2] == 128).all()


def test_look_inside_loads_a_file_once_and_stops_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "tiny.keras"
    tiny_cnn().save(path)
    loads: list[Path] = []
    real_load = network_inside.load_keras_model

    def counting_load(file: Path) -> keras.Model:
        loads.append(file)
        return real_load(file)

    monkeypatch.setattr(network_inside, "load_keras_model", counting_load)
    stop = threading.Event()
    empty = look_inside(path, None, lambda _: None, stop)
    assert empty.model_path == path and empty.maps == () and [s.name for s in empty.layers] == ["conv", "pool"]
    assert empty.filters is not None and empty.note == ""
    for x in (square(2, 2, 8), square(10, 12, 6)):
        picture = look_inside(path, x, lambda _: None, stop)
        np.testing.assert_allclose(picture.maps[1].maps, by_hand(tiny_cnn(), x)[1], atol=1e-5)
    assert len(loads) == 1   # the module's cache keeps the model (in the engine process, between jobs)
    stop.set()
    with pytest.raises(Cancelled):
        look_inside(path, square(2, 2, 8), lambda _: None, stop)


def test_look_inside_crosses_the_engine_as_plain_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The job and its picture survive pickling (the engine process sends them), and the picture
    holds no Keras object: numbers, names, sentences and numpy arrays only."""
    monkeypatch.setattr(network_inside, "MODELS", FileCache(network_inside.load_model))
    path = tmp_path / "tiny.keras"
    tiny_cnn().save(path)
    x = square(8, 6, 10)
    reports: list[object] = []
    picture = ThreadEngine().run(partial(look_inside, path, x), reports.append, threading.Event())
    assert picture.model_path == path and [(s.name, s.shape) for s in picture.layers] == [
        ("conv", (26, 26, 3)), ("pool", (13, 13, 3))]
    conv, pool = by_hand(tiny_cnn(), x)
    np.testing.assert_allclose(picture.maps[0].maps, conv, atol=1e-5)
    np.testing.assert_allclose(picture.maps[1].maps, pool, atol=1e-5)
    assert picture.filters is not None
    np.testing.assert_array_equal(picture.filters.weights[0], VERTICAL_EDGE)
    assert "3 filters of 3×3" in picture.filters.sentence
    sent = pickle.dumps(picture)
    assert b"keras.src" not in sent and b"tensorflow" not in sent
    assert reports == []
    stopped = threading.Event()
    stopped.set()
    with pytest.raises(Cancelled):
        ThreadEngine().run(partial(look_inside, path, x), reports.append, stopped)


def test_a_file_that_is_not_a_model_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "broken.keras"
    path.write_bytes(b"not a zip archive")
    with pytest.raises(ModelError):
        look_inside(path, None, lambda _: None, threading.Event())


def test_the_shipped_model_shows_its_six_layers_responding_to_a_real_digit() -> None:
    with np.load(bundled_mnist_path()) as data:
        digit = data["x"][0].astype(np.float32) / 255
    picture = look_inside(default_model_path(), digit, lambda _: None, threading.Event())
    assert [(s.name, s.shape) for s in picture.layers] == [
        ("conv1", (26, 26, 32)), ("conv2", (24, 24, 32)), ("pool1", (12, 12, 32)),
        ("conv3", (10, 10, 64)), ("conv4", (8, 8, 64)), ("pool2", (4, 4, 64))]
    assert picture.filters is not None and picture.filters.weights.shape == (32, 3, 3)
    # The first layer answers along the strokes: the ink's neighbourhood moves far more than the
    # corners, which are blank in every MNIST digit.
    blank = network_inside.feature_maps(network_inside.load_model(default_model_path()), np.zeros((28, 28), np.float32))
    change = np.abs(picture.maps[0].maps - blank[0].maps).sum(axis=0)   # (26, 26)
    ink = digit[1:27, 1:27] > 0.5
    assert change[ink].mean() > 10 * change[:4, :4].mean() + 1e-6
