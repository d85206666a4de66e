"""Temperature scaling and the expected calibration error, against values worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from digitpad.core.calibration import (
    expected_calibration_error,
    fit_temperature,
    negative_log_likelihood,
    with_temperature,
)


def test_ece_of_a_hand_worked_example() -> None:
    # Two bins are used with bins=2: (0, 0.5] and (0.5, 1].
    # High bin: confidences 0.9, 0.8, 0.7 with 2 of 3 right -> |2/3 - 0.8| = 0.1333...
    # Low bin: confidences 0.4, 0.5 (ties in three classes) with 1 of 2 right -> |0.5 - 0.45| = 0.05
    # ECE = (3 * 0.13333 + 2 * 0.05) / 5 = 0.1
    probabilities = np.array([
        [0.9, 0.1, 0.0],
        [0.2, 0.8, 0.0],
        [0.7, 0.3, 0.0],
        [0.4, 0.3, 0.3],
        [0.25, 0.25, 0.5],
    ])
    labels = np.array([0, 1, 1, 0, 0])
    assert expected_calibration_error(probabilities, labels, bins=2) == pytest.approx(0.1)


def test_a_perfectly_calibrated_set_has_no_error() -> None:
    # Confidence 0.75 and three right answers in four: calibrated exactly.
    probabilities = np.tile([0.75, 0.25], (4, 1))
    labels = np.array([0, 0, 0, 1])
    assert expected_calibration_error(probabilities, labels) == pytest.approx(0.0)


def test_temperature_one_changes_nothing_and_two_flattens_by_hand() -> None:
    probabilities = np.array([[0.8, 0.2]])
    np.testing.assert_allclose(with_temperature(probabilities, 1.0), probabilities)
    # softmax(log p / 2) = sqrt(p) normalised: sqrt(.8) / (sqrt(.8) + sqrt(.2)) = 2/3.
    np.testing.assert_allclose(with_temperature(probabilities, 2.0), [[2 / 3, 1 / 3]])
    with pytest.raises(ValueError):
        with_temperature(probabilities, 0.0)


def test_a_temperature_is_undone_by_its_inverse() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, (50, 10))
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(with_temperature(with_temperature(p, 1.7), 1 / 1.7), p, atol=1e-9)


def test_fitting_recovers_the_temperature_that_generated_the_labels() -> None:
    """Labels drawn from softmax(z / 2.5): the model's softmax(z) is over-confident by T = 2.5."""
    rng = np.random.default_rng(1)
    logits = rng.normal(0, 4, (20_000, 10))
    true_p = with_temperature(np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True), 2.5)
    labels = np.array([rng.choice(10, p=row) for row in true_p])
    model_p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    temperature = fit_temperature(model_p, labels)
    assert temperature == pytest.approx(2.5, rel=0.05)
    calibrated = with_temperature(model_p, temperature)
    assert negative_log_likelihood(calibrated, labels) < negative_log_likelihood(model_p, labels)
    assert expected_calibration_error(calibrated, labels) < 0.02 < expected_calibration_error(model_p, labels)


def test_the_fitted_temperature_minimises_the_likelihood_loss() -> None:
    rng = np.random.default_rng(2)
    logits = rng.normal(0, 3, (500, 4))
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    labels = np.array([rng.choice(4, p=row) for row in with_temperature(p, 1.5)])
    best = fit_temperature(p, labels)
    loss = negative_log_likelihood(with_temperature(p, best), labels)
    for nearby in (best * 0.9, best * 1.1):
        assert loss <= negative_log_likelihood(with_temperature(p, nearby), labels)
    assert math.isfinite(best)
