"""The gallery's questions answered headless: which images, in which order."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core.errors import DataError
from digitpad.core.evaluated_set import EvaluatedSet
from digitpad.core.evaluation import metrics_from_probabilities


def _one_hot_ish(answers: list[int], confidences: list[float]) -> np.ndarray:
    probabilities = np.zeros((len(answers), 10), np.float32)
    for row, (answer, confidence) in enumerate(zip(answers, confidences, strict=True)):
        probabilities[row] = (1 - confidence) / 9
        probabilities[row, answer] = confidence
    return probabilities


def _evaluated(labels: list[int], answers: list[int], confidences: list[float]) -> EvaluatedSet:
    y = np.array(labels)
    probabilities = _one_hot_ish(answers, confidences)
    images = np.arange(len(y) * 784, dtype=np.int64).reshape(len(y), 28, 28).astype(np.uint8)
    return EvaluatedSet(metrics_from_probabilities(y, probabilities), images, y, tuple(str(d) for d in range(10)),
                        "tiny test, 6", "m")


def test_select_puts_confident_mistakes_first_then_unsure_right_answers() -> None:
    evaluated = _evaluated(labels=[7, 7, 1, 1, 7, 3], answers=[1, 7, 7, 1, 1, 3],
                           confidences=[0.6, 0.99, 0.9, 0.5, 0.95, 0.7])
    assert evaluated.select().tolist() == [4, 2, 0, 3, 5, 1]
    assert evaluated.select(shown="mistakes").tolist() == [4, 2, 0]
    assert evaluated.select(shown="correct").tolist() == [3, 5, 1]


def test_select_by_cell_gives_exactly_that_confusion_cell() -> None:
    evaluated = _evaluated(labels=[7, 7, 1, 1, 7, 3], answers=[1, 7, 7, 1, 1, 3],
                           confidences=[0.6, 0.99, 0.9, 0.5, 0.95, 0.7])
    assert evaluated.select(true=7, predicted=1).tolist() == [4, 0]
    assert len(evaluated.select(true=7, predicted=1)) == evaluated.evaluation.confusion[7, 1]
    assert evaluated.select(true=7).tolist() == [4, 0, 1]
    assert evaluated.select(predicted=3, shown="mistakes").tolist() == []


def test_image_is_the_model_input_in_zero_one() -> None:
    evaluated = _evaluated(labels=[1, 2], answers=[1, 2], confidences=[0.9, 0.9])
    image = evaluated.image(1)
    assert image.dtype == np.float32 and image.shape == (28, 28)
    assert image.max() <= 1.0 and image[0, 0] == pytest.approx(((784) % 256) / 255)


def test_mismatched_sizes_are_refused() -> None:
    y = np.array([1, 2])
    evaluation = metrics_from_probabilities(y, _one_hot_ish([1, 2], [0.9, 0.9]))
    with pytest.raises(DataError, match="do not match"):
        EvaluatedSet(evaluation, np.zeros((3, 28, 28), np.uint8), y, tuple("0123456789"), "t", "m")
