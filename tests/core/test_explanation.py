"""Explanations are faithful (the deletion test), aligned with the input, and drawn the same everywhere."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np
import pytest
from PIL import Image

from digitpad.core.errors import StorageError
from digitpad.core.explanation import (
    AGAINST_COLOURS,
    PATCH,
    SUPPORT_COLOURS,
    deletion_test,
    explain,
    explain_file_record,
    overlay_png,
    saliency_rgba,
)
from digitpad.core.inference import Predictor
from digitpad.core.resources import bundled_mnist_path, validation_digits_path

Predict = Callable[[np.ndarray], np.ndarray]
L = keras.layers


@pytest.fixture(scope="module")
def mnist() -> tuple[np.ndarray, np.ndarray]:
    """3,000 real digits as model inputs, float32 in [0, 1], and their labels."""
    with np.load(bundled_mnist_path()) as data:
        return data["x"][:3000].astype(np.float32) / 255, data["y"][:3000].astype(np.int64)


@pytest.fixture(scope="module")
def tiny_cnn(mnist: tuple[np.ndarray, np.ndarray]) -> Predict:
    """A two-layer CNN trained for three epochs on 2,500 digits (~85% right, a few seconds)."""
    x, y = mnist
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        L.Conv2D(8, 3, activation="relu"),
        L.MaxPooling2D(2),
        L.Conv2D(16, 3, activation="relu"),
        L.MaxPooling2D(2),
        L.Flatten(),
        L.Dense(10, activation="softmax"),
    ])
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x[:2500, ..., np.newaxis], y[:2500], epochs=3, batch_size=64, verbose=0)

    def predict(batch: np.ndarray) -> np.ndarray:
        return np.asarray(model.predict_on_batch(batch[..., np.newaxis]))

    return predict


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (shifted / shifted.sum(axis=1, keepdims=True)).astype(np.float32)


def win_rate(predict: Predict, x: np.ndarray, saliency_of: Callable[[np.ndarray, int], np.ndarray]) -> float:
    rng = np.random.default_rng(0)
    wins = []
    for image in x:
        label = int(predict(image[np.newaxis])[0].argmax())
        result = deletion_test(predict, image, saliency_of(image, label), label, rng=rng)
        wins.append(result.won)
    return float(np.mean(wins))


def test_occlusion_beats_random_ink_on_a_trained_model(tiny_cnn: Predict, mnist: tuple[np.ndarray, np.ndarray]) -> None:
    held_out = mnist[0][2500:2540]
    occlusion = win_rate(tiny_cnn, held_out, lambda image, label: explain(tiny_cnn, image, label).saliency)
    # the deletion test tells maps apart: the same map upside down loses, noise wins about half
    reversed_map = win_rate(tiny_cnn, held_out, lambda image, label: -explain(tiny_cnn, image, label).saliency)
    noise = np.random.default_rng(1)
    random_map = win_rate(tiny_cnn, held_out, lambda image, label: noise.random((28, 28)))
    assert occlusion >= 0.9
    assert reversed_map <= 0.2
    assert 0.2 <= random_map <= 0.8


def test_occlusion_is_faithful_for_the_shipped_model() -> None:
    predictor = Predictor.load(None)
    with np.load(validation_digits_path()) as data:  # digits the model never trained on
        x = data["x"][:40].astype(np.float32) / 255
    rate = win_rate(predictor.predict_prepared, x, lambda image, label: explain(predictor.predict_prepared, image, label).saliency)
    assert rate >= 0.9


def test_a_model_reading_only_the_left_half_gets_saliency_only_there(mnist: tuple[np.ndarray, np.ndarray]) -> None:
    weights = np.random.default_rng(2).normal(0.0, 0.5, (10, 28, 14))

    def left_half(batch: np.ndarray) -> np.ndarray:
        return softmax(np.einsum("nij,kij->nk", batch[:, :, :14], weights))

    image = mnist[0][0]
    explanation = explain(left_half, image)
    saliency = explanation.saliency
    assert saliency.shape == (28, 28) and saliency.dtype == np.float32
    # a patch reaching across the middle carries what it covered on the left at most PATCH - 1 columns right
    assert np.all(saliency[:, 14 + PATCH - 1 :] == 0)
    assert np.abs(saliency[:, :14]).sum() > 0.95 * np.abs(saliency).sum() > 0


@pytest.mark.parametrize("pixel", [(5, 20), (0, 0), (27, 27), (27, 3), (14, 9)])
def test_the_map_peaks_on_the_one_pixel_the_model_reads(pixel: tuple[int, int]) -> None:
    row, col = pixel

    def one_pixel(batch: np.ndarray) -> np.ndarray:
        logit = 6 * batch[:, row, col] - 3
        return softmax(np.stack([np.zeros_like(logit), logit], axis=1))

    image = np.full((28, 28), 0.8, np.float32)
    explanation = explain(one_pixel, image)
    saliency = explanation.saliency
    assert explanation.label == 1
    # the pixel gets the full drop of every patch over it; with a stride of 2 a neighbour covered
    # by fewer patches, all of them over the pixel too, may tie with it, but no pixel further off
    assert saliency[row, col] == saliency.max() > 0
    peaks = np.argwhere(saliency == saliency.max())
    assert np.abs(peaks - pixel).max() <= 1
    near = np.zeros((28, 28), dtype=bool)
    near[max(0, row - PATCH + 1) : row + PATCH, max(0, col - PATCH + 1) : col + PATCH] = True
    assert saliency.min() >= 0 and not saliency[~near].any()


def test_ink_arguing_against_the_answer_gets_negative_saliency() -> None:
    def left_minus_right(batch: np.ndarray) -> np.ndarray:
        logit = batch[:, :, :14].sum(axis=(1, 2)) - batch[:, :, 14:].sum(axis=(1, 2))
        return softmax(np.stack([0.2 * logit, np.zeros_like(logit)], axis=1))

    image = np.zeros((28, 28), np.float32)
    image[8:20, 4:8] = 1.0  # strong ink on the left: class 0
    image[8:12, 20:24] = 1.0  # a little on the right, against it
    explanation = explain(left_minus_right, image)
    assert explanation.label == 0
    assert explanation.saliency[8:20, 4:8].min() > 0
    assert explanation.saliency[8:12, 20:24].max() < 0


def test_explain_asks_the_model_once_and_reports_its_answer(mnist: tuple[np.ndarray, np.ndarray]) -> None:
    weights = np.random.default_rng(3).normal(0.0, 0.3, (10, 28, 28))
    calls: list[tuple[int, ...]] = []

    def linear(batch: np.ndarray) -> np.ndarray:
        calls.append(batch.shape)
        assert batch.dtype == np.float32
        return softmax(np.einsum("nij,kij->nk", batch, weights))

    image = mnist[0][1]
    explanation = explain(linear, image)
    assert len(calls) == 1
    # only patches touching ink are run: fewer than the 196 of the whole grid
    assert 1 < calls[0][0] < 196
    expected = softmax(np.einsum("ij,kij->k", image, weights)[np.newaxis])[0]
    np.testing.assert_allclose(explanation.probabilities, expected, rtol=1e-6)
    assert explanation.label == int(expected.argmax())
    assert explanation.method == "occlusion"
    other = (explanation.label + 1) % 10
    assert explain(linear, image, other).label == other
    with pytest.raises(ValueError, match="10 classes"):
        explain(linear, image, 10)


def test_a_blank_input_has_nothing_to_explain() -> None:
    calls: list[int] = []

    def uniform(batch: np.ndarray) -> np.ndarray:
        calls.append(len(batch))
        return np.full((len(batch), 10), 0.1, np.float32)

    explanation = explain(uniform, np.zeros((28, 28), np.float32))
    assert calls == [1]
    assert not explanation.saliency.any()


def test_the_deletion_test_blanks_the_top_ranked_ink_and_measures_log_probability() -> None:
    seen: list[np.ndarray] = []

    def ink_counter(batch: np.ndarray) -> np.ndarray:
        """p(class 0) = e^(-pixels blanked in the first row): a drop of one per pixel there."""
        seen.append(batch.copy())
        blanked_top_row = (batch[:, 0, :] == 0).sum(axis=1).astype(np.float64)
        p = np.exp(-blanked_top_row / 2)
        return np.stack([p, 1 - p], axis=1)

    image = np.zeros((28, 28), np.float32)
    image[0, :10] = 1.0  # ten ink pixels in the top row
    image[5:9, :10] = 0.6  # forty further down
    image[20, :] = 0.1  # too faint to count as ink
    saliency = np.zeros((28, 28), np.float32)
    saliency[0, :10] = 1.0
    result = deletion_test(ink_counter, image, saliency, 0, fraction=0.2, rng=np.random.default_rng(0))
    (batch,) = seen
    ranked, randomly = batch[1], batch[2]
    # 20% of the 50 ink pixels: the 10 the map ranks highest, and 10 at random, faint ones never
    assert np.count_nonzero(image - ranked) == 10 and not ranked[0, :10].any()
    assert np.count_nonzero(image - randomly) == 10 and np.array_equal(randomly[20], image[20])
    # the drop counts the top-row pixels blanked, halved
    assert result.drop_map == pytest.approx(10 / 2)
    assert result.drop_random == pytest.approx((randomly[0, :10] == 0).sum() / 2)
    assert result.won
    losing = deletion_test(ink_counter, image, -saliency, 0, fraction=0.2, rng=np.random.default_rng(0))
    assert losing.drop_map == pytest.approx(0.0) and not losing.won


def test_overlay_colours_say_which_way_a_pixel_pushes() -> None:
    saliency = np.zeros((28, 28), np.float32)
    saliency[3, 4] = 2.0
    saliency[3, 5] = 0.5
    saliency[10, 20] = -1.0
    saliency[11, 20] = 0.05  # under 5% of the peak: left out
    rgba = saliency_rgba(saliency)
    assert rgba.shape == (28, 28, 4) and rgba.dtype == np.uint8
    assert tuple(rgba[3, 4, :3]) == SUPPORT_COLOURS[1]  # the peak: strongest warm colour
    assert tuple(saliency_rgba(-saliency)[3, 4, :3]) == AGAINST_COLOURS[1]
    assert rgba[3, 4, 3] > rgba[3, 5, 3] > 0  # weaker pixels more transparent
    red, _, blue = rgba[10, 20, :3]
    assert blue > red and rgba[10, 20, 3] > 0
    assert rgba[11, 20, 3] == 0 and rgba[0, 0, 3] == 0
    assert not saliency_rgba(np.zeros((28, 28), np.float32)).any()


def test_overlay_upsampled_stays_aligned_with_the_input() -> None:
    saliency = np.zeros((28, 28), np.float32)
    saliency[5, 20] = 1.0
    saliency[22, 3] = -1.0
    big = saliency_rgba(saliency, size=280)
    assert big.shape == (280, 280, 4)
    warm = np.argwhere((big[:, :, 3] > 0) & (big[:, :, 0] > big[:, :, 2]))
    cool = np.argwhere((big[:, :, 3] > 0) & (big[:, :, 2] > big[:, :, 0]))
    # each coloured blob centred on its input pixel's centre, 10 picture pixels per input pixel
    np.testing.assert_allclose(warm.mean(axis=0), (55, 205), atol=1.0)
    np.testing.assert_allclose(cool.mean(axis=0), (225, 35), atol=1.0)
    assert np.abs(warm - (55, 205)).max() < 20  # no further than the next input pixel


def test_overlay_png_shows_the_input_under_the_map(tmp_path: Path) -> None:
    x = np.zeros((28, 28), np.float32)
    x[4:24, 12:16] = 1.0
    saliency = np.zeros((28, 28), np.float32)
    saliency[6, 13] = 1.0
    saliency[20, 13] = -1.0
    path = overlay_png(x, saliency, tmp_path / "seven.png", scale=4)
    assert path == tmp_path / "seven.png"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seven.png"]  # no temporary file left
    picture = np.asarray(Image.open(path).convert("RGB")).astype(int)
    assert picture.shape == (112, 112, 3)
    assert tuple(picture[0, 0]) == (255, 255, 255)  # paper
    plain_ink = picture[4 * 22 + 2, 4 * 14 + 2]
    assert plain_ink[0] == plain_ink[1] == plain_ink[2] < 128  # dark ink without colour
    assert tuple(picture[4 * 14 + 2, 4 * 22 + 2]) == (255, 255, 255)  # rows are rows
    warm, cool = picture[4 * 6 + 2, 4 * 13 + 2], picture[4 * 20 + 2, 4 * 13 + 2]
    assert warm[0] > warm[2] and cool[2] > cool[0]


def test_overlay_png_reports_a_folder_it_cannot_write(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    x = np.zeros((28, 28), np.float32)
    with pytest.raises(StorageError):
        overlay_png(x, x, blocker / "overlay.png")


def test_the_json_record_holds_the_input_and_its_aligned_map() -> None:
    rng = np.random.default_rng(4)
    x = rng.random((28, 28), dtype=np.float32)
    saliency = rng.normal(0, 1e-3, (28, 28)).astype(np.float32)
    saliency[2, 7] = -0.0
    record = explain_file_record(Path("digits/seven.png"), 7, x, saliency)
    line = json.dumps(record)
    back = json.loads(line)
    assert back["file"] == str(Path("digits/seven.png")) and back["label"] == 7
    # nested rows of floats, exact in float32, and aligned: row i, column j is pixel (i, j)
    assert len(back["input"]) == 28 and all(len(row) == 28 for row in back["input"])
    assert np.array_equal(np.asarray(back["input"], np.float32), x)
    assert np.array_equal(np.asarray(back["saliency"], np.float32), saliency)
    assert len(line) < 2 * 784 * 16  # short float32 forms, not 17-digit expansions


def test_inputs_that_are_not_model_inputs_are_refused() -> None:
    def never(batch: np.ndarray) -> np.ndarray:
        raise AssertionError("the model should not be asked")

    with pytest.raises(ValueError, match="28, 28"):
        explain(never, np.zeros((28, 28), np.uint8))
    with pytest.raises(ValueError, match="28, 28"):
        explain(never, np.zeros((1, 28, 28), np.float32))
