"""Pairwise comparison counts against a hand-worked example."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from digitpad.core.comparison import compare_models, right_wrong_matrix, unique_names


class FixedPredictor:
    """Answers a fixed label per image, so every count below can be worked out by hand."""

    def __init__(self, path: Path, labels: list[int], num_params: int = 10) -> None:
        self.path = path
        self.num_params = num_params
        self._labels = np.array(labels)
        self._seen = 0

    def predict_prepared(self, x: np.ndarray) -> np.ndarray:
        labels = self._labels[self._seen:self._seen + len(x)]
        self._seen += len(x)
        probabilities = np.full((len(x), 10), 0.02, np.float32)
        probabilities[np.arange(len(x)), labels] = 0.82
        return probabilities


def test_right_wrong_matrix_by_hand():
    a = np.array([True, True, False, False, True])
    b = np.array([True, False, True, False, False])
    matrix = right_wrong_matrix([a, b])
    # a right & b wrong: images 1 and 4; b right & a wrong: image 2.
    assert matrix.tolist() == [[0, 2], [1, 0]]


def test_compare_models_counts_and_metrics(tmp_path):
    y = np.array([0, 1, 2, 3, 4, 5])
    x = np.zeros((6, 28, 28), np.uint8)
    first = tmp_path / "first.keras"
    first.write_bytes(b"x" * 1234)
    second = tmp_path / "other" / "second.keras"
    predictors = [
        FixedPredictor(first, [0, 1, 2, 3, 9, 9], num_params=7),  # right on 0-3
        FixedPredictor(second, [0, 9, 2, 9, 4, 5]),              # right on 0, 2, 4, 5
    ]
    progress: list[float] = []
    comparison = compare_models(predictors, x, y, progress=progress.append)
    assert comparison.image_count == 6
    first_result, second_result = comparison.results
    assert first_result.name == "first" and second_result.name == "second"
    assert first_result.evaluation.accuracy == pytest.approx(4 / 6)
    assert second_result.evaluation.accuracy == pytest.approx(4 / 6)
    assert first_result.file_size == 1234 and second_result.file_size == 0
    assert first_result.num_params == 7
    assert comparison.right_wrong.tolist() == [[0, 2], [2, 0]]  # images 1, 3 vs images 4, 5
    assert progress[-1] == pytest.approx(1.0)
    assert progress == sorted(progress)
    report = comparison.to_dict()
    assert report["pairwise"][0] == {"model": "first", "other": "second", "right_where_other_wrong": 2}
    assert report["models"][0]["per_class_accuracy"][:6] == [1.0, 1.0, 1.0, 1.0, 0.0, 0.0]


def test_unique_names_disambiguates_same_stems():
    paths = [Path("/a/model.keras"), Path("/b/model.keras"), Path("/b/other.keras")]
    assert unique_names(paths) == ["a/model", "b/model", "other"]
