"""Fashion models read image files the way Fashion-MNIST was made, not through the digit recipe."""

from __future__ import annotations

import json
from pathlib import Path

import keras
import numpy as np
import pytest
from PIL import Image

from digitpad.core.datasets import DEBIAN_FASHION_DIR, FASHION_CLASS_NAMES, load_dataset
from digitpad.core.errors import NothingDrawnError
from digitpad.core.image_reading import fashion_input, model_input, reads_whole_picture
from digitpad.core.imageio import read_image
from digitpad.core.inference import Predictor
from digitpad.core.model_file import ModelMetadata, save_model
from digitpad.core.preprocess import preprocess
from digitpad.core.resources import bundled_mnist_path
from tests.core.test_cli import run_cli

pytestmark = pytest.mark.skipif(
    not DEBIAN_FASHION_DIR.is_dir(), reason="Fashion-MNIST is missing: apt-get install dataset-fashion-mnist"
)

TRAIN_IMAGES = 4000
PNG_IMAGES = 300


@pytest.fixture(scope="module")
def fashion(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A tiny Fashion MLP saved by digitpad, and test images as arrays and as PNG files of both
    polarities (dark background as in the data set, light as in a catalogue photo)."""
    with pytest.MonkeyPatch.context() as patch:  # read /usr/share, never the network or a user's cache
        patch.setenv("DIGITPAD_OFFLINE", "1")
        patch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
        data = load_dataset("fashion-mnist")
    root = tmp_path_factory.mktemp("fashion")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(data.x_train[:TRAIN_IMAGES] / 255.0, data.y_train[:TRAIN_IMAGES], epochs=5, batch_size=64, verbose=0)
    metadata = ModelMetadata(name="fashion-mlp", dataset="fashion-mnist", class_names=list(FASHION_CLASS_NAMES))
    path = save_model(model, root / "fashion-mlp.keras", metadata)
    x, y = data.x_test[:PNG_IMAGES], data.y_test[:PNG_IMAGES]
    files: dict[str, list[Path]] = {}
    for polarity, images in (("dark", x), ("light", 255 - x)):
        (root / polarity).mkdir()
        files[polarity] = [root / polarity / f"{index}-{y[index]}.png" for index in range(len(images))]
        for file, image in zip(files[polarity], images, strict=True):
            Image.fromarray(image).save(file)
    return {"path": path, "x": x, "y": y, "files": files, "root": root}


@pytest.mark.parametrize("polarity", ["dark", "light"])
def test_png_files_read_back_as_the_arrays(fashion: dict, polarity: str) -> None:
    read = np.stack([model_input(read_image(file), "fashion-mnist") for file in fashion["files"][polarity]])
    assert read.dtype == np.float32 and read.shape == (PNG_IMAGES, 28, 28)
    np.testing.assert_allclose(read, fashion["x"] / np.float32(255), atol=1e-6)


@pytest.mark.parametrize("polarity", ["dark", "light"])
def test_a_fashion_model_reads_png_files_as_well_as_the_arrays(fashion: dict, polarity: str) -> None:
    predictor = Predictor.load(fashion["path"])
    y = fashion["y"]
    on_arrays = float((predictor.predict_prepared(fashion["x"] / np.float32(255)).argmax(1) == y).mean())
    pictures = [read_image(file) for file in fashion["files"][polarity]]
    on_files = float((predictor.predict_batch(pictures).argmax(1) == y).mean())
    one_by_one = np.array([predictor.predict(picture).argmax() for picture in pictures[:20]])
    # Through the digit recipe (the old reading) the same files read far worse: that is the bug.
    digit_way = float((predictor.predict_prepared(np.stack([preprocess(p) for p in pictures])).argmax(1) == y).mean())
    assert on_arrays > 0.7
    assert on_files == on_arrays
    assert np.array_equal(one_by_one, predictor.predict_batch(pictures[:20]).argmax(1))
    assert digit_way < on_arrays - 0.2


def test_a_digit_model_still_reads_through_the_digit_recipe() -> None:
    with np.load(bundled_mnist_path()) as data:
        digit = data["x"][0]
    canvas = np.full((120, 160), 255, np.uint8)  # a small dark digit in the corner of white paper
    canvas[5:61, 8:64] = 255 - np.asarray(Image.fromarray(digit).resize((56, 56)))
    for name in ("mnist", "", "my-digits"):
        assert not reads_whole_picture(name)
        np.testing.assert_array_equal(model_input(canvas, name), preprocess(canvas))
    assert reads_whole_picture("fashion-mnist")


def test_bigger_and_transparent_pictures_are_fitted_centred_on_a_dark_background(fashion: dict) -> None:
    item = fashion["x"][0]
    # a catalogue-style photo four times the size: dark product on white
    photo = np.asarray(Image.fromarray(255 - item).resize((112, 112), Image.Resampling.NEAREST))
    np.testing.assert_allclose(fashion_input(photo), item / np.float32(255), atol=1e-6)  # area averaging
    # a tall RGB picture keeps its aspect: 56x28 becomes 28x14, centred between dark columns
    tall = np.zeros((56, 28), np.uint8)
    tall[4:52, 4:24] = 200
    read = fashion_input(np.stack([tall] * 3, axis=-1))
    assert read.shape == (28, 28)
    assert np.all(read[:, :7] == 0) and np.all(read[:, 21:] == 0)
    np.testing.assert_allclose(read[2:26, 9:19], 200 / 255, atol=1e-6)
    # transparency is the catalogue's white paper, so it becomes the dark background
    rgba = np.zeros((28, 28, 4), np.uint8)
    rgba[8:20, 8:20] = (40, 40, 40, 255)
    read = fashion_input(rgba)
    assert read[0, 0] == 0 and read[14, 14] == pytest.approx(215 / 255)


def test_a_flat_picture_has_nothing_to_recognise() -> None:
    with pytest.raises(NothingDrawnError):
        fashion_input(np.full((40, 30), 250, np.uint8))


def test_cli_predict_names_the_fashion_class(fashion: dict) -> None:
    files = fashion["files"]["light"][:3]
    result = run_cli("predict", "--model", str(fashion["path"]), "--json", *map(str, files), home=fashion["root"])
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    predictor = Predictor.load(fashion["path"])
    expected = [int(predictor.predict(read_image(file)).argmax()) for file in files]
    assert [line["label"] for line in lines] == expected
    assert [line["class_name"] for line in lines] == [FASHION_CLASS_NAMES[label] for label in expected]
