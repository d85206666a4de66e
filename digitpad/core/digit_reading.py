"""How a model reads the stored personal digits: its answer and confidence for each one.

The My digits tab shows this (the misread digits marked) and runs it on a worker; the inputs are
the stored 28x28 model inputs, already in MNIST form, so nothing is preprocessed again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from digitpad.core.cancellation import raise_if_stopped
from digitpad.core.inference import CHUNK, Predictor


@dataclass(frozen=True)
class Readings:
    """What one model read for some stored digits: id -> (answer, confidence)."""

    predictor: Predictor
    answers: dict[int, tuple[int, float]]


def read_digits(
    predictor: Predictor, ids: list[int], images: np.ndarray,
    _progress: Callable[[object], None], stop_event: threading.Event,
) -> Readings:
    """The model's answer for each stored 28x28 input (already in MNIST form, so no
    re-preprocessing), a chunk at a time so a newer request stops it quickly."""
    answers: dict[int, tuple[int, float]] = {}
    for start in range(0, len(ids), CHUNK):
        raise_if_stopped(stop_event, "reading your digits")
        probabilities = predictor.predict_prepared(images[start:start + CHUNK])
        for digit_id, row in zip(ids[start:start + CHUNK], probabilities, strict=True):
            answer = int(np.argmax(row))
            answers[digit_id] = (answer, float(row[answer]))
    return Readings(predictor, answers)
