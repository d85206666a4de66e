"""The LiteRT predictor against Keras itself, layer type by layer type; the output rule; every way a file can be bad."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import h5py
import keras
import numpy as np
import pytest

from digitpad.core import conversion, inference
from digitpad.core.architectures import ARCHITECTURE_NAMES, ArchitectureSpec, build_model
from digitpad.core.errors import ModelError, NothingDrawnError
from digitpad.core.inference import Predictor
from digitpad.core.model_file import INFERENCE_ENTRY, LITERT_ENTRY, ModelMetadata, save_model
from digitpad.core.preprocess import preprocess
from digitpad.core.resources import bundled_mnist_path, default_model_path

L = keras.layers
TOLERANCE = 1e-5


# ----------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def images() -> np.ndarray:
    """Real digits, noise, a blank and a full image: (14, 28, 28) float32 in [0, 1]."""
    with np.load(bundled_mnist_path()) as data:
        digits = data["x"][:10].astype(np.float32) / 255
    noise = np.random.default_rng(1).random((2, 28, 28), dtype=np.float32)
    return np.concatenate([digits, noise, np.zeros((1, 28, 28), np.float32), np.ones((1, 28, 28), np.float32)])


def randomize(model: keras.Model, seed: int = 0) -> keras.Model:
    """Weights of a realistic scale, with batch-norm statistics far from their 0/1 defaults."""
    rng = np.random.default_rng(seed)
    for weight in model.weights:
        shape, path = tuple(weight.shape), weight.path
        if path.endswith(("moving_variance", "gamma")):
            value = rng.uniform(0.5, 2.0, shape)
        elif len(shape) >= 2:
            value = rng.normal(0.0, 1.5 / np.sqrt(np.prod(shape[:-1])), shape)
        else:
            value = rng.normal(0.0, 0.3, shape)
        weight.assign(value.astype(np.float32))
    return model


def save(model: keras.Model, path: Path) -> Path:
    model.save(path)
    return path


def keras_probabilities(model: keras.Model, x: np.ndarray) -> np.ndarray:
    batch = x.reshape(len(x), *model.inputs[0].shape[1:]).astype(np.float32)
    return np.asarray(model(batch, training=False))


def functional(*layers: keras.layers.Layer, shape: tuple = (28, 28, 1)) -> keras.Model:
    inputs = keras.Input(shape)
    x = inputs
    for layer in layers:
        x = layer(x)
    return keras.Model(inputs, x)


def assert_matches_keras(model: keras.Model, path: Path, x: np.ndarray, engine: str = "litert") -> Predictor:
    predictor = Predictor.load(save(model, path))
    assert predictor.engine == engine
    expected = keras_probabilities(model, x)
    assert expected.std() > 1e-3  # not saturated: the comparison below means something
    np.testing.assert_allclose(predictor.predict_prepared(x), expected, atol=TOLERANCE, rtol=0)
    return predictor


# ----------------------------------------------------------------------------- parity, layer by layer


def conv_bn_pool_dense() -> keras.Model:
    return functional(
        L.Conv2D(4, 3, activation="relu"), L.BatchNormalization(), L.MaxPooling2D(2),
        L.Flatten(), L.Dense(10, activation="softmax"),
    )


def padding_and_strides() -> keras.Model:
    return functional(
        L.Conv2D(3, 3, strides=2, padding="same", activation="relu"),   # 28 -> 14
        L.Conv2D(4, (2, 3), strides=(1, 2), padding="same", activation="tanh"),  # uneven kernel and strides
        L.Conv2D(5, 4, strides=3, padding="valid", use_bias=False),
        L.GlobalAveragePooling2D(), L.Dense(10, activation="softmax"),
    )


def pooling_variants() -> keras.Model:
    return functional(
        L.Conv2D(3, 3, padding="same"),
        L.AveragePooling2D(2),
        L.AveragePooling2D(3, strides=2, padding="same"),  # padding excluded from the mean
        L.MaxPooling2D(3, strides=1, padding="same"),
        L.MaxPooling2D((2, 3), strides=(1, 2)),
        L.Flatten(), L.Dense(10, activation="softmax"),
    )


def batch_norm_options() -> keras.Model:
    return functional(
        L.Conv2D(4, 3), L.BatchNormalization(center=False), L.ReLU(),
        L.Conv2D(4, 3), L.BatchNormalization(scale=False, epsilon=0.1),
        L.Flatten(), L.Dense(16), L.BatchNormalization(axis=-1), L.Dense(10, activation="softmax"),
    )


def augmentation_and_dropout() -> keras.Model:
    return functional(
        L.RandomRotation(0.1), L.RandomTranslation(0.1, 0.1), L.RandomZoom(0.1), L.RandomFlip(),
        L.Conv2D(4, 3, activation="relu"), L.SpatialDropout2D(0.3), L.MaxPooling2D(),
        L.Flatten(), L.Dropout(0.5), L.Dense(10, activation="softmax"),
    )


def relu_and_softmax_layers() -> keras.Model:
    return functional(
        L.Flatten(), L.Dense(24), L.ReLU(),
        L.Dense(24), L.ReLU(max_value=1.5),
        L.Dense(24), L.ReLU(negative_slope=0.1),
        L.Dense(24), L.ReLU(threshold=0.2, negative_slope=0.05, max_value=2.0),
        L.Dense(10), L.Softmax(),
    )


def rescaling_and_reshape() -> keras.Model:
    return functional(
        L.Rescaling(2.0, offset=-1.0), L.Reshape((28, 28, 1)), L.Conv2D(4, 5, strides=2, activation="relu"),
        L.Reshape((-1,)), L.Dense(10), L.Activation("softmax"),
        shape=(784,),
    )


def mlp_28x28() -> keras.Model:
    return functional(L.Flatten(), L.Dense(32, activation="relu"), L.Dense(10, activation="softmax"), shape=(28, 28))


def mlp_784_sequential() -> keras.Model:
    return keras.Sequential([keras.Input((784,)), L.Dense(32, activation="relu"), L.Dense(10, activation="softmax")])


def dense_on_last_axis() -> keras.Model:
    """Dense on a (28, 28) input acts on each row, a case a flatten-first implementation gets wrong."""
    return functional(L.Dense(6, activation="relu"), L.Flatten(), L.Dense(10, activation="softmax"), shape=(28, 28))


def seed_cnn_sequential() -> keras.Model:
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(2),
        L.Conv2D(16, 2, activation="relu"), L.MaxPooling2D(2),
        L.Flatten(), L.Dense(128, activation="relu"), L.Dense(64, activation="relu"), L.Dense(10, activation="softmax"),
    ])


def nested_models() -> keras.Model:
    """A Sequential and a Functional used as layers: their weights live under nested h5 groups."""
    block = keras.Sequential([keras.Input((28, 28, 1)), L.Conv2D(3, 3), L.BatchNormalization(), L.ReLU()], name="block")
    head_input = keras.Input((26, 26, 3))
    head = keras.Model(head_input, L.Flatten()(L.MaxPooling2D()(head_input)), name="head")
    inputs = keras.Input((28, 28, 1))
    return keras.Model(inputs, L.Dense(10, activation="softmax")(head(block(inputs))))


PARITY_MODELS: dict[str, Callable[[], keras.Model]] = {
    "conv-bn-maxpool-dense": conv_bn_pool_dense,
    "padding-and-strides": padding_and_strides,
    "pooling-variants": pooling_variants,
    "batch-norm-options": batch_norm_options,
    "augmentation-and-dropout": augmentation_and_dropout,
    "relu-and-softmax-layers": relu_and_softmax_layers,
    "rescaling-and-reshape": rescaling_and_reshape,
    "mlp-28x28": mlp_28x28,
    "mlp-784-sequential": mlp_784_sequential,
    "dense-on-last-axis": dense_on_last_axis,
    "seed-cnn-sequential": seed_cnn_sequential,
    "nested-models": nested_models,
}


@pytest.mark.parametrize("kind", PARITY_MODELS)
def test_litert_predictor_matches_keras(kind: str, tmp_path: Path, images: np.ndarray) -> None:
    model = randomize(PARITY_MODELS[kind]())
    predictor = assert_matches_keras(model, tmp_path / f"{kind}.keras", images)
    assert predictor.num_params == model.count_params()


@pytest.mark.parametrize(
    "activation",
    ["relu", "relu6", "leaky_relu", "sigmoid", "tanh", "elu", "selu", "gelu",
     "softplus", "softsign", "swish", "silu", "exponential", "linear"],
)
def test_every_activation_matches_keras(activation: str, tmp_path: Path, images: np.ndarray) -> None:
    model = randomize(functional(
        L.Conv2D(2, 3, strides=3, activation=activation), L.Flatten(),
        L.Dense(12), L.Activation(activation), L.Dense(10, activation="softmax"),
    ))
    assert_matches_keras(model, tmp_path / f"{activation}.keras", images)


@pytest.mark.parametrize("name", ARCHITECTURE_NAMES)
@pytest.mark.parametrize("extras", [False, True], ids=["plain", "bn-dropout-augment"])
def test_digitpad_architectures_run_in_litert(name: str, extras: bool, tmp_path: Path, images: np.ndarray) -> None:
    spec = ArchitectureSpec(name, dropout=0.3, batch_norm=True, augment=True) if extras else ArchitectureSpec(name)
    model = randomize(build_model(spec))
    assert_matches_keras(model, tmp_path / f"{name}.keras", images)


def test_trained_model_with_optimizer_state(tmp_path: Path, images: np.ndarray) -> None:
    """A file straight from training: moving statistics updated, Adam's variables stored beside the weights."""
    model = randomize(conv_bn_pool_dense())
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(images[:, :, :, None], np.arange(len(images)) % 10, batch_size=len(images), epochs=1, verbose=0)
    path = save(model, tmp_path / "trained.keras")
    with zipfile.ZipFile(path) as archive, h5py.File(io.BytesIO(archive.read("model.weights.h5"))) as weights:
        assert "optimizer" in weights
    predictor = assert_matches_keras(model, path, images)
    assert [(layer.name, layer.kind, layer.output_shape, layer.params) for layer in predictor.layers] == [
        (layer.name, type(layer).__name__, tuple(layer.output.shape), layer.count_params()) for layer in model.layers
    ]


def softmax(logits: np.ndarray) -> np.ndarray:
    exponentials = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exponentials / exponentials.sum(axis=1, keepdims=True)


def layer_normalization_model() -> keras.Model:
    return functional(L.Conv2D(3, 3), L.LayerNormalization(), L.Flatten(), L.Dense(10, activation="softmax"))


def residual_model() -> keras.Model:
    inputs = keras.Input((28, 28, 1))
    left, right = L.Conv2D(2, 3, padding="same")(inputs), L.Conv2D(2, 5, padding="same")(inputs)
    x = L.Flatten()(L.MaxPooling2D(4)(L.Add()([left, right])))
    return keras.Model(inputs, L.Dense(10, activation="softmax")(x))


@pytest.mark.parametrize("build", [layer_normalization_model, residual_model], ids=["layer-norm", "residual"])
def test_graphs_beyond_chains_run_in_litert(build: Callable[[], keras.Model], tmp_path: Path, images: np.ndarray) -> None:
    model = randomize(build())
    predictor = assert_matches_keras(model, tmp_path / "graph.keras", images)
    assert predictor.num_params == model.count_params()


# ----------------------------------------------------------------------------- one output rule for every path


HEADS: dict[str, tuple[Callable[[], keras.Model], str, Callable[[np.ndarray], np.ndarray]]] = {
    "softmax": (lambda: functional(L.Flatten(), L.Dense(10, activation="softmax")), "probabilities", lambda y: y),
    "softmax-layer": (lambda: functional(L.Flatten(), L.Dense(10), L.Activation("softmax")), "probabilities", lambda y: y),
    "sigmoid": (lambda: functional(L.Flatten(), L.Dense(10, activation="sigmoid")), "sigmoid", lambda y: y / y.sum(axis=1, keepdims=True)),
    "logits": (lambda: functional(L.Flatten(), L.Dense(10)), "logits", softmax),
    "logits-then-dropout": (lambda: functional(L.Flatten(), L.Dense(10), L.Dropout(0.5)), "logits", softmax),
    "relu-head": (lambda: functional(L.Flatten(), L.Dense(10, activation="relu")), "logits", softmax),
}


@pytest.mark.parametrize("fallback", [False, True], ids=["litert", "keras-fallback"])
@pytest.mark.parametrize("head", HEADS)
def test_every_head_becomes_probabilities_once_the_same_way_on_every_path(
    head: str, fallback: bool, tmp_path: Path, images: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    build, kind, to_probabilities = HEADS[head]
    model = randomize(build())
    if fallback:
        monkeypatch.setattr(conversion, "convert", refuse_conversion)
    predictor = Predictor.load(save(model, tmp_path / "head.keras"))
    assert predictor.output_kind == kind
    assert predictor.engine == ("keras" if fallback else "litert")
    expected = to_probabilities(keras_probabilities(model, images))
    result = predictor.predict_prepared(images)
    np.testing.assert_allclose(result, expected, atol=TOLERANCE, rtol=0)
    np.testing.assert_allclose(result.sum(axis=1), 1.0, atol=1e-5)


def refuse_conversion(*args: object, **kwargs: object) -> None:
    raise ModelError("LiteRT cannot run this model (a test said so).")


def test_a_model_litert_cannot_take_runs_on_keras_with_the_same_answers(
    tmp_path: Path, images: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conversion, "convert", refuse_conversion)
    model = randomize(conv_bn_pool_dense())
    predictor = assert_matches_keras(model, tmp_path / "fallback.keras", images, engine="keras")
    assert predictor.converted is None and predictor.num_params == model.count_params()


def test_a_model_that_rescales_its_own_input_is_flagged(tmp_path: Path, images: np.ndarray) -> None:
    model = randomize(functional(L.Rescaling(1 / 255), L.Flatten(), L.Dense(10, activation="softmax")))
    predictor = Predictor.load(save(model, tmp_path / "rescaled.keras"))
    (warning,) = predictor.warnings
    assert "rescales its own input" in warning and "0.003922" in warning
    plain = Predictor.load(save(randomize(functional(L.Rescaling(2.0), L.Flatten(), L.Dense(10, activation="softmax"))), tmp_path / "x2.keras"))
    assert plain.warnings == []


def test_augmentation_is_left_out_of_the_converted_graph() -> None:
    model = build_model(ArchitectureSpec("mlp", augment=True))
    graph = conversion.inference_model(model)
    kinds = [type(layer).__name__ for layer in graph.layers]
    assert not any(kind.startswith("Random") for kind in kinds)
    assert graph.get_layer("dense1") is model.get_layer("dense1")  # shared, not copied


# ----------------------------------------------------------------------------- predicting


@pytest.fixture(scope="module")
def cnn_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save(randomize(conv_bn_pool_dense()), tmp_path_factory.mktemp("cnn") / "cnn.keras")


def canvas_drawing(digit: np.ndarray) -> np.ndarray:
    """A 280x280 canvas like the window's: dark ink on white paper."""
    return (255 - np.kron(digit, np.ones((10, 10)))).astype(np.uint8)


def test_predict_is_preprocess_then_predict_prepared(cnn_path: Path, images: np.ndarray) -> None:
    predictor = Predictor.load(cnn_path)
    drawings = [canvas_drawing((images[i] * 255).astype(np.uint8)) for i in range(3)]
    single = predictor.predict(drawings[0])
    assert single.shape == (10,)
    assert float(single.sum()) == pytest.approx(1.0, abs=1e-6)
    np.testing.assert_array_equal(single, predictor.predict_prepared(preprocess(drawings[0])[np.newaxis])[0])
    expected = predictor.predict_prepared(np.stack([preprocess(d) for d in drawings]))
    np.testing.assert_array_equal(predictor.predict_batch(drawings), expected)
    # BLAS may round a batch of 3 differently from a batch of 1, but only in the last bits.
    np.testing.assert_allclose(expected[0], single, atol=1e-6, rtol=0)
    assert predictor.predict_batch([]).shape == (0, 10)


def test_blank_drawings_raise_nothing_drawn(cnn_path: Path, images: np.ndarray) -> None:
    predictor = Predictor.load(cnn_path)
    blank = np.full((280, 280), 255, np.uint8)
    with pytest.raises(NothingDrawnError):
        predictor.predict(blank)
    with pytest.raises(NothingDrawnError):
        predictor.predict_batch([canvas_drawing((images[0] * 255).astype(np.uint8)), blank])


def test_prepared_input_shapes_and_types(cnn_path: Path, images: np.ndarray) -> None:
    predictor = Predictor.load(cnn_path)
    expected = predictor.predict_prepared(images)
    np.testing.assert_array_equal(predictor.predict_prepared(images[:, :, :, None]), expected)
    np.testing.assert_array_equal(predictor.predict_prepared(images.reshape(-1, 784)), expected)
    np.testing.assert_allclose(predictor.predict_prepared(images.astype(np.float64)), expected, atol=1e-7)
    assert expected.dtype == np.float32
    np.testing.assert_allclose(expected.sum(axis=1), 1.0, atol=1e-6)
    assert predictor.predict_prepared(np.zeros((0, 28, 28), np.float32)).shape == (0, 10)
    with pytest.raises(ValueError, match="floats"):
        predictor.predict_prepared((images * 255).astype(np.uint8))
    with pytest.raises(ValueError, match="28x28"):
        predictor.predict_prepared(np.zeros((2, 32, 32), np.float32))


def test_large_batches_are_split_without_changing_results(cnn_path: Path) -> None:
    predictor = Predictor.load(cnn_path)
    x = np.random.default_rng(3).random((2 * inference.CHUNK + 5, 28, 28), dtype=np.float32)
    model = keras.saving.load_model(cnn_path)
    result = predictor.predict_prepared(x)
    assert result.shape == (len(x), 10)
    np.testing.assert_allclose(result, keras_probabilities(model, x), atol=TOLERANCE, rtol=0)


def test_metadata_and_class_names(tmp_path: Path, cnn_path: Path) -> None:
    plain = Predictor.load(cnn_path)
    assert plain.metadata is None
    assert plain.class_names == [str(d) for d in range(10)]
    assert plain.path == cnn_path
    names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    model = keras.saving.load_model(cnn_path)
    described = save_model(model, tmp_path / "fashion.keras", ModelMetadata(name="fashion", dataset="fashion-mnist", class_names=names))
    predictor = Predictor.load(described)
    assert predictor.metadata is not None and predictor.metadata.dataset == "fashion-mnist"
    assert predictor.class_names == names


def test_load_without_path_uses_the_shipped_model(cnn_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inference, "default_model_path", lambda: cnn_path)
    assert Predictor.load().path == cnn_path
    missing = tmp_path / "default-model.keras"
    monkeypatch.setattr(inference, "default_model_path", lambda: missing)
    with pytest.raises(ModelError, match=f"default model is missing \\({missing}\\)"):
        Predictor.load()


def test_shipped_default_model_runs_its_stored_litert_form(images: np.ndarray) -> None:
    if not default_model_path().exists():
        pytest.skip("the default model has not been trained yet")
    predictor = Predictor.load()
    assert predictor.engine == "litert" and predictor.converted is not None
    assert predictor.metadata is not None and predictor.warnings == []
    model = keras.saving.load_model(default_model_path())
    expected = keras_probabilities(model, images)
    np.testing.assert_allclose(predictor.predict_prepared(images), expected, atol=TOLERANCE, rtol=0)


def test_fast_path_never_imports_tensorflow_and_keeps_the_terminal_clean(saved_path: Path, tmp_path: Path) -> None:
    code = (
        "import sys, numpy as np\n"
        "from digitpad import Predictor\n"
        f"p = Predictor.load({str(saved_path)!r})\n"
        "canvas = np.full((280, 280), 255, np.uint8); canvas[80:200, 130:150] = 0\n"
        "p.predict(canvas); p.predict_prepared(np.zeros((3, 28, 28), np.float32))\n"
        "print(p.engine, sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))\n"
    )
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["litert", "[]"]
    assert result.stderr == ""  # LiteRT's "Created TensorFlow Lite XNNPACK delegate" went to the log
    assert "XNNPACK" in (tmp_path / "digitpad" / "tensorflow-startup.log").read_text()


# ----------------------------------------------------------------------------- the stored LiteRT form


@pytest.fixture(scope="module")
def saved_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A digitpad-saved file: its LiteRT form is stored inside."""
    model = randomize(conv_bn_pool_dense())
    return save_model(model, tmp_path_factory.mktemp("saved") / "saved.keras", ModelMetadata(name="saved"))


def test_a_digitpad_file_carries_its_litert_form_and_loads_it_without_conversion(
    saved_path: Path, images: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    with zipfile.ZipFile(saved_path) as archive:
        assert {LITERT_ENTRY, INFERENCE_ENTRY} <= set(archive.namelist())
    monkeypatch.setattr(conversion, "convert", refuse_conversion)  # loading must not convert
    predictor = Predictor.load(saved_path)
    assert predictor.engine == "litert" and predictor.output_kind == "probabilities"
    expected = keras_probabilities(keras.saving.load_model(saved_path), images)
    np.testing.assert_allclose(predictor.predict_prepared(images), expected, atol=TOLERANCE, rtol=0)
    assert keras.saving.load_model(saved_path, safe_mode=True).count_params() == predictor.num_params


def stored_description(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(INFERENCE_ENTRY))


@pytest.mark.parametrize(
    "change",
    [
        lambda n, d: json.dumps({**json.loads(d), "weights_sha256": "0" * 64}).encode() if n == INFERENCE_ENTRY else d,
        lambda n, d: json.dumps({**json.loads(d), "version": 0}).encode() if n == INFERENCE_ENTRY else d,
        lambda n, d: b"not a flatbuffer" * 10 if n == LITERT_ENTRY else d,
        lambda n, d: b"{oops" if n == INFERENCE_ENTRY else d,
    ],
    ids=["weights-changed-since", "older-converter", "damaged-litert", "damaged-description"],
)
def test_a_stale_or_damaged_stored_form_is_converted_anew(
    change: Callable[[str, bytes], bytes], saved_path: Path, tmp_path: Path, images: np.ndarray
) -> None:
    path = rewrite_archive(saved_path, tmp_path / "changed.keras", change)
    predictor = Predictor.load(path)
    assert predictor.engine == "litert" and predictor.converted is not None
    assert predictor.converted.description.weights_sha256 == stored_description(saved_path)["weights_sha256"]
    np.testing.assert_allclose(predictor.predict_prepared(images), Predictor.load(saved_path).predict_prepared(images), atol=TOLERANCE)


def test_threads_predicting_at_once_get_the_answers_of_one(saved_path: Path) -> None:
    predictor = Predictor.load(saved_path)
    rng = np.random.default_rng(5)
    batches = [rng.random((size, 28, 28), dtype=np.float32) for size in (1, 7, 300, 1, 64, 2)]
    expected = [predictor.predict_prepared(batch) for batch in batches]
    results: dict[int, list[np.ndarray]] = {}

    def work(worker: int) -> None:
        results[worker] = [predictor.predict_prepared(batch) for _ in range(5) for batch in batches][-len(batches):]

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [0, 1, 2, 3]
    for answers in results.values():
        for answer, reference in zip(answers, expected, strict=True):
            np.testing.assert_array_equal(answer, reference)


def test_lambda_layers_are_refused(tmp_path: Path) -> None:
    model = functional(L.Lambda(lambda t: t * 2.0), L.Flatten(), L.Dense(10, activation="softmax"))
    with pytest.raises(ModelError, match="Lambda"):
        Predictor.load(save(model, tmp_path / "lambda.keras"))


# ----------------------------------------------------------------------------- refused models and bad files


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: functional(L.Flatten(), L.Dense(10, activation="softmax"), shape=(32, 32, 3)),
         r"odd\.keras expects input \(32, 32, 3\); digitpad needs a 28x28 grayscale image\."),
        (lambda: functional(L.Flatten(), L.Dense(10, activation="softmax"), shape=(28, 28, 3)),
         r"expects input \(28, 28, 3\)"),
        (lambda: functional(L.Flatten(), L.Dense(5, activation="softmax")),
         r"odd\.keras has 5 outputs; digitpad needs 10 classes\."),
        (lambda: functional(L.Dense(10, activation="softmax")),
         r"odd\.keras produces outputs of shape \(28, 28, 10\)"),
        (lambda: functional(L.Flatten(), L.LayerNormalization(), L.Dense(5, activation="softmax")),
         r"odd\.keras has 5 outputs"),
    ],
    ids=["rgb-32", "rgb-28", "five-classes", "per-pixel", "five-classes-keras"],
)
def test_wrong_shapes_are_refused(build: Callable[[], keras.Model], message: str, tmp_path: Path) -> None:
    path = save(build(), tmp_path / "odd.keras")
    with pytest.raises(ModelError, match=message):
        Predictor.load(path)


def rewrite_archive(source: Path, target: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """Copy a .keras zip entry by entry; `change` returns new bytes, or None to leave the entry out."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
    return target


def wrong_kernel(weights: bytes) -> bytes:
    buffer = io.BytesIO(weights)
    with h5py.File(buffer, "a") as store:
        del store["layers/dense/vars/0"]
        store["layers/dense/vars/0"] = np.zeros((100, 10), np.float32)
    return buffer.getvalue()


def folder(good: Path, bad: Path) -> Path:
    bad.mkdir()
    return bad


def written(data: Callable[[Path], bytes]) -> Callable[[Path, Path], Path]:
    def make(good: Path, bad: Path) -> Path:
        bad.write_bytes(data(good))
        return bad

    return make


BAD_FILES: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "missing": (lambda good, bad: bad, "does not exist"),
    "folder": (folder, "folder"),
    "empty": (written(lambda good: b""), "not a zip"),
    "random-bytes": (written(lambda good: np.random.default_rng(0).bytes(5000)), "not a zip"),
    "truncated-zip": (written(lambda good: good.read_bytes()[: good.stat().st_size // 2]), "not a zip"),
    "no-config": (lambda good, bad: rewrite_archive(good, bad, lambda n, d: None if n == "config.json" else d), "no config.json"),
    "no-weights": (lambda good, bad: rewrite_archive(good, bad, lambda n, d: None if n.endswith(".h5") else d), "no model.weights.h5"),
    "config-not-json": (lambda good, bad: rewrite_archive(good, bad, lambda n, d: b"{oops" if n == "config.json" else d), "not valid JSON"),
    "truncated-h5": (lambda good, bad: rewrite_archive(good, bad, lambda n, d: d[: len(d) // 2] if n.endswith(".h5") else d), "damaged"),
    "wrong-weight-shape": (lambda good, bad: rewrite_archive(good, bad, lambda n, d: wrong_kernel(d) if n.endswith(".h5") else d), r"do not fit its layers .*value\.shape=\(100, 10\)\)\.$"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_files_raise_model_error_naming_the_file(kind: str, cnn_path: Path, tmp_path: Path) -> None:
    make, message = BAD_FILES[kind]
    bad = make(cnn_path, tmp_path / "bad.keras")
    with pytest.raises(ModelError, match=message) as caught:
        Predictor.load(bad)
    assert str(bad) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_damaged_config_of_a_keras_only_model_is_refused(tmp_path: Path) -> None:
    path = save(layer_normalization_model(), tmp_path / "good.keras")
    broken = rewrite_archive(path, tmp_path / "bad.keras", lambda n, d: json.dumps({"class_name": "Nonsense"}).encode() if n == "config.json" else d)
    with pytest.raises(ModelError, match=r"bad\.keras"):
        Predictor.load(broken)
