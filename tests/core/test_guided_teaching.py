from collections import Counter

import numpy as np

from digitpad.core.guided_teaching import missing, next_round


def test_a_round_asks_for_the_neediest_digits_and_never_more_than_needed() -> None:
    counts = {0: 10, 1: 0, 2: 9, 3: 10, 4: 10, 5: 10, 6: 10, 7: 3, 8: 10, 9: 10}
    plan = next_round(counts, 10, np.random.default_rng(0))
    assert len(plan) == 10
    asked = Counter(plan)
    assert asked[2] == 1, "2 needs one more, so it is asked once"
    assert set(asked) == {1, 2, 7}
    assert asked[1] >= asked[7] >= 1


def test_a_fresh_hand_gets_one_of_each_digit_per_round_in_random_order() -> None:
    plan = next_round({}, 10, np.random.default_rng(1))
    assert sorted(plan) == list(range(10))
    assert plan != list(range(10)), "shuffled, so the person does not draw 0..9 in order"


def test_nothing_is_asked_once_every_digit_has_enough() -> None:
    counts = dict.fromkeys(range(10), 12)
    assert next_round(counts, 10, np.random.default_rng(0)) == []
    assert missing(counts, 10) == {}
    assert missing({3: 4}, 5) == {0: 5, 1: 5, 2: 5, 3: 1, 4: 5, 5: 5, 6: 5, 7: 5, 8: 5, 9: 5}


def test_a_round_is_shorter_when_fewer_digits_are_missing() -> None:
    counts = dict.fromkeys(range(10), 10)
    counts[5] = 8
    assert next_round(counts, 10, np.random.default_rng(0)) == [5, 5]
