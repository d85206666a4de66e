"""The answer, its runner-up, and the rule that calls an answer unsure."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core.reading import UNSURE_BELOW, read_probabilities


def test_the_reading_names_the_top_two_classes() -> None:
    reading = read_probabilities(np.array([0.01, 0.6, 0.0, 0.0, 0.0, 0.0, 0.0, 0.39, 0.0, 0.0]))
    assert (reading.label, reading.runner_up) == (1, 7)
    assert reading.confidence == pytest.approx(0.6)
    assert reading.runner_up_confidence == pytest.approx(0.39)


@pytest.mark.parametrize(
    ("top", "unsure"),
    [(0.99, False), (UNSURE_BELOW, False), (UNSURE_BELOW - 1e-6, True), (0.5, True), (0.11, True)],
)
def test_an_answer_below_the_threshold_is_unsure(top: float, unsure: bool) -> None:
    rest = (1 - top) / 9
    probabilities = np.full(10, rest)
    probabilities[3] = top
    reading = read_probabilities(probabilities)
    assert reading.label == 3
    assert reading.unsure is unsure


def test_ties_go_to_the_lower_class() -> None:
    reading = read_probabilities(np.array([0.0, 0.5, 0.0, 0.5]))
    assert (reading.label, reading.runner_up) == (1, 3)
    assert reading.unsure


def test_a_reading_needs_a_vector_of_probabilities() -> None:
    with pytest.raises(ValueError):
        read_probabilities(np.array([1.0]))
    with pytest.raises(ValueError):
        read_probabilities(np.ones((2, 10)) / 10)
