"""`ProgressRelay`: bundles reports to a few a second, loses none, never delays a phase change."""

from __future__ import annotations

import pytest

from digitpad.core.progress_relay import ProgressRelay


class Clock:
    """A clock the test moves by hand, so the rate limit is checked without sleeping."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make(per_second: float = 10, **options) -> tuple[ProgressRelay, list[tuple], Clock]:
    bundles: list[tuple] = []
    clock = Clock()
    relay = ProgressRelay(bundles.append, per_second=per_second, clock=clock, **options)
    return relay, bundles, clock


def test_a_storm_of_reports_crosses_at_most_per_second_times_and_in_order() -> None:
    relay, bundles, clock = make(per_second=10, key=lambda _r: "training")
    for batch in range(1000):  # one second of 1,000 batches a second
        relay(batch)
        clock.now += 0.001
    relay.flush()
    assert 10 <= len(bundles) <= 12  # the first report at once, then one bundle per 0.1 s, then the rest
    assert bundles[0] == (0,)
    assert [report for bundle in bundles for report in bundle] == list(range(1000))


def test_nothing_waits_after_flush_and_an_empty_flush_sends_nothing() -> None:
    relay, bundles, _ = make(key=lambda _r: "training")
    relay("a")
    relay("b")
    assert bundles == [("a",)]
    relay.flush()
    relay.flush()
    assert bundles == [("a",), ("b",)]


def test_a_new_stage_is_delivered_at_once_after_the_old_stages_last_report() -> None:
    relay, bundles, _ = make(key=lambda r: r[0])
    relay(("loading", 0.1))
    relay(("loading", 0.2))  # within the interval: waits
    relay(("testing", 0.0))  # a new phase: the waiting report first, then the new one
    assert bundles == [(("loading", 0.1),), (("loading", 0.2),), (("testing", 0.0),)]


def test_urgent_reports_are_not_held_back() -> None:
    relay, bundles, _ = make(key=lambda _r: "training", urgent=lambda r: r == "epoch")
    relay("batch 1")
    relay("batch 2")
    relay("epoch")
    assert bundles == [("batch 1",), ("batch 2", "epoch")]


def test_the_default_key_is_the_report_type() -> None:
    relay, bundles, _ = make()
    relay(1)
    relay(2)
    relay("text")
    assert bundles == [(1,), (2,), ("text",)]


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="per_second"):
        ProgressRelay(lambda bundle: None, per_second=0)
