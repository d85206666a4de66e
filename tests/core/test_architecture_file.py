"""Architecture files: Keras model JSON in and out, and each mismatch with digitpad's data as one
sentence naming the file."""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
import pytest

from digitpad.core.architecture_file import build_from_file, save_architecture
from digitpad.core.architectures import ArchitectureSpec, build_model
from digitpad.core.errors import DigitpadError, StorageError
from digitpad.core.training import TrainingSpec, compile_model, prepare_images


def _write(model: keras.Model, path: Path) -> Path:
    path.write_text(model.to_json(), encoding="utf-8")
    return path


def _sequential(input_shape: tuple[int, ...], *layers: keras.layers.Layer) -> keras.Model:
    return keras.Sequential([keras.Input(shape=input_shape), *layers])


def test_saved_architecture_builds_the_same_network(tmp_path: Path) -> None:
    original = build_model(ArchitectureSpec(name="seed-cnn"))
    path = save_architecture(original, tmp_path / "course-cnn.json")
    rebuilt = build_from_file(path)
    assert rebuilt.input_shape == (None, 28, 28, 1)
    assert [type(layer).__name__ for layer in rebuilt.layers] == [type(layer).__name__ for layer in original.layers]
    assert rebuilt.count_params() == original.count_params() == 85_146
    assert not list(tmp_path.glob(".*tmp*"))  # the atomic save left no temporary file


def test_a_28x28_network_takes_digitpad_images_and_trains(tmp_path: Path, digits: tuple[np.ndarray, np.ndarray]) -> None:
    path = _write(_sequential((28, 28), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")),
                  tmp_path / "flat.json")
    model = build_from_file(path)
    assert model.input_shape == (None, 28, 28, 1)
    assert model.output_shape == (None, 10)
    x, y = digits
    compile_model(model, TrainingSpec(learning_rate=0.01))
    history = model.fit(prepare_images(x), y.astype(np.int32), batch_size=8, epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    probabilities = model.predict_on_batch(prepare_images(x[:3]))
    np.testing.assert_allclose(np.sum(probabilities, axis=1), 1.0, rtol=1e-5)


def test_a_final_softmax_layer_counts_as_probabilities(tmp_path: Path) -> None:
    path = _write(_sequential((28, 28, 1), keras.layers.Flatten(), keras.layers.Dense(10), keras.layers.Softmax()),
                  tmp_path / "softmax.json")
    assert build_from_file(path).output_shape == (None, 10)


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (lambda: _sequential((32, 32, 3), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")),
         "the model takes (32, 32, 3) images; digitpad needs 28x28 or 28x28x1"),
        (lambda: _sequential((28, 28, 1), keras.layers.Flatten(), keras.layers.Dense(5, activation="softmax")),
         "the model's output is (5,); digitpad needs 10 classes"),
        (lambda: _sequential((28, 28, 1), keras.layers.Dense(10, activation="softmax")),
         "the model's output is (28, 28, 10)"),
        (lambda: _sequential((28, 28, 1), keras.layers.Flatten(), keras.layers.Dense(10)),
         "the last layer's activation is linear"),
    ],
)
def test_each_mismatch_is_one_sentence_naming_the_file(tmp_path: Path, model, message: str) -> None:
    path = _write(model(), tmp_path / "wrong.json")
    with pytest.raises(DigitpadError) as raised:
        build_from_file(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


def test_python_code_in_a_file_is_refused(tmp_path: Path) -> None:
    model = _sequential((28, 28, 1), keras.layers.Lambda(lambda x: x * 2),
                        keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax"))
    path = _write(model, tmp_path / "lambda.json")
    assert "__lambda__" in path.read_text()  # the file does carry the function's bytecode
    with pytest.raises(DigitpadError, match=r"Keras cannot build this model: .* Python lambda"):
        build_from_file(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "not a Keras model's JSON"),
        ('{"class_name": "NoSuchLayer", "config": {}}', "Keras cannot build this model"),
    ],
)
def test_files_that_are_not_architectures(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DigitpadError, match=message):
        build_from_file(path)


def test_a_network_without_an_input_shape_is_explained(tmp_path: Path) -> None:
    path = _write(keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")]),
                  tmp_path / "unbuilt.json")
    with pytest.raises(DigitpadError, match="the model does not say what images it takes"):
        build_from_file(path)


def test_missing_file_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        build_from_file(tmp_path / "absent.json")


def test_saving_needs_a_json_name(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match=r"must end in \.json"):
        save_architecture(build_model(ArchitectureSpec(name="mlp")), tmp_path / "mlp.keras")
