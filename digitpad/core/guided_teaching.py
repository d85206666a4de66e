"""Which digits to ask for next when the Draw tab guides a person through teaching their hand.

A model learns a hand best from a balanced set, and a person tires of drawing the same digit
ten times running, so each round of `ROUND_SIZE` asks first for the digits furthest below the
wanted count, shuffled, each at most as often as it still needs. Plain logic with no Qt, so it
is tested on its own.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

ROUND_SIZE = 10
DEFAULT_TARGET = 10     # digits per class: the goal is met with 10 of each
MAX_TARGET = 100


def missing(counts: Mapping[int, int], target: int) -> dict[int, int]:
    """How many more of each digit 0..9 reach `target` (zeros left out)."""
    return {label: target - counts.get(label, 0) for label in range(10) if counts.get(label, 0) < target}


def next_round(counts: Mapping[int, int], target: int, rng: np.random.Generator,
               size: int = ROUND_SIZE) -> list[int]:
    """Up to `size` labels to ask for, the most needed first in turn, never more of a label
    than it still needs; empty when every digit has `target` examples."""
    needed = missing(counts, target)
    plan: list[int] = []
    while len(plan) < size and needed:
        # one pass asks each still-needed label once, neediest first, ties in random order
        order = sorted(needed, key=lambda label: (-needed[label], rng.random()))
        for label in order[: size - len(plan)]:
            plan.append(label)
            needed[label] -= 1
            if needed[label] == 0:
                del needed[label]
    rng.shuffle(plan)
    return plan
