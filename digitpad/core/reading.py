"""What a model's ten probabilities say to a person: the answer, the runner-up, and whether to trust it.

A calibrated model's confidence is the share of such answers that are right, so a threshold on
it says how often an answer shown as sure would be wrong. digitpad calls an answer unsure below
75%, where at least one such answer in four is expected to be wrong, and then shows the
runner-up beside it ("7 or 1?"). At 75% or more the runner-up is at least 50 points behind, so
every close call between two digits is flagged too. On the shipped model's
validation split this flags 0.66% of the digits, of which it reads only 61% right, and 59% of
its mistakes (benchmarks/bench_default_model.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

UNSURE_BELOW = 0.75


@dataclass(frozen=True)
class Reading:
    """The most and second most probable classes of one prediction, and whether it is unsure."""

    label: int
    confidence: float
    runner_up: int
    runner_up_confidence: float

    @property
    def unsure(self) -> bool:
        return self.confidence < UNSURE_BELOW


def read_probabilities(probabilities: np.ndarray) -> Reading:
    """The reading of one (C,) probability vector, C >= 2; ties go to the lower class index."""
    values = np.asarray(probabilities, dtype=np.float64)
    if values.ndim != 1 or len(values) < 2:
        raise ValueError(f"A reading needs one vector of at least 2 probabilities, not shape {values.shape}.")
    order = np.argsort(-values, kind="stable")
    first, second = int(order[0]), int(order[1])
    return Reading(first, float(values[first]), second, float(values[second]))
