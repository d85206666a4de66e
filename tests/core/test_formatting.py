"""The number formats shared by the window and the console."""

from __future__ import annotations

import pytest

from digitpad.core.formatting import (
    accuracy_text,
    describe_lineage,
    format_count,
    format_duration,
    format_percent,
    format_seconds,
    format_shape,
    format_size,
)


@pytest.mark.parametrize(("seconds", "text"), [
    (None, "—"), (4.24, "4.2 s"), (59.94, "59.9 s"), (60, "1 min 00 s"), (187.4, "3 min 07 s"),
    (3599.4, "59 min 59 s"), (3600, "1 h 00 min"), (3900, "1 h 05 min"),
])
def test_duration(seconds: float | None, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize(("seconds", "text"), [
    (None, "estimating time left"), (0.4, "0 s left"), (59.4, "59 s left"), (61, "1:01 left"),
    (3599, "59:59 left"), (3720, "1 h 02 min left"),
])
def test_time_left(seconds: float | None, text: str) -> None:
    assert format_seconds(seconds) == text


def test_percent_count_size_and_accuracy() -> None:
    assert format_percent(0.97254) == "97.25 %" and format_percent(0.5, 0) == "50 %"
    assert format_percent(None) == "—" and accuracy_text(0.1) == "10.00 %"
    assert format_count(60000) == "60,000" and format_count(None) == "—"
    assert [format_size(s) for s in (512, 2048, 3 * 1024 * 1024)] == ["512 B", "2 KB", "3.0 MB"]


def test_shape_drops_the_batch_axis_and_marks_unknown_sizes() -> None:
    assert format_shape((None, 28, 28, 1)) == "28 × 28 × 1"
    assert format_shape((10,)) == "10"
    assert format_shape((None, None, 5)) == "? × 5"


def test_a_lineage_reads_as_its_parent_and_each_accuracy_before_and_after() -> None:
    lineage = {
        "parent": "Default model", "personal_digits": 80, "personal_variants": 640, "replayed_digits": 2000,
        "personal_before": {"accuracy": 0.75, "count": 20, "data": "your held-out digits"},
        "personal_after": {"accuracy": 1.0, "count": 20, "data": "your held-out digits"},
        "mnist_before": {"accuracy": 0.991, "count": 10000, "data": "MNIST test"},
        "mnist_after": {"accuracy": 0.9905, "count": 10000, "data": "MNIST test"},
        "stopped": True,
    }
    assert describe_lineage(lineage) == [
        "Fine-tuned from Default model on 80 of your digits, 640 re-drawn variants of them, "
        "2,000 replayed MNIST digits",
        "your held-out digits (20): 75.00 % → 100.00 %",
        "MNIST test (10,000): 99.10 % → 99.05 %",
        "Stopped early: the weights learnt until then were kept",
    ]


def test_a_lineage_with_missing_or_wrong_values_leaves_them_out() -> None:
    lineage = {"parent": "p", "personal_digits": "many", "mnist_before": {"accuracy": "high"},
               "mnist_after": {"accuracy": 0.9, "count": 5, "data": "x"}}
    assert describe_lineage(lineage) == ["Fine-tuned from p"]
    assert describe_lineage({}) == []
