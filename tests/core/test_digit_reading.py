import threading

import numpy as np
import pytest

from digitpad.core.cancellation import Cancelled
from digitpad.core.digit_reading import read_digits
from digitpad.core.inference import CHUNK, Predictor
from digitpad.core.resources import bundled_mnist_path


def _ignore(_report: object) -> None:
    """No progress is reported while reading."""


def test_each_stored_digit_gets_the_models_answer_and_confidence() -> None:
    predictor = Predictor.load()
    with np.load(bundled_mnist_path()) as data:
        images = data["x"][: CHUNK + 20].astype(np.float32) / 255.0   # more than one chunk
        labels = data["y"][: CHUNK + 20]
    ids = [1000 + i for i in range(len(images))]
    readings = read_digits(predictor, ids, images, _ignore, threading.Event())
    assert readings.predictor is predictor and sorted(readings.answers) == ids
    expected = predictor.predict_prepared(images)
    answers = np.array([readings.answers[i][0] for i in ids])
    np.testing.assert_array_equal(answers, expected.argmax(axis=1))
    np.testing.assert_allclose([readings.answers[i][1] for i in ids], expected.max(axis=1), rtol=1e-6)
    assert (answers == labels).mean() > 0.95, "the shipped model reads MNIST"


def test_a_stop_ends_the_reading() -> None:
    stop = threading.Event()
    stop.set()
    with pytest.raises(Cancelled):
        read_digits(Predictor.load(), [1], np.zeros((1, 28, 28), np.float32), _ignore, stop)
