"""Metrics checked against numbers worked out by hand, and the batching/cancelling of `evaluate`."""

import json
import math
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from digitpad.core.errors import DataError, DigitpadError, ModelError
from digitpad.core.evaluation import (
    EvaluationCancelled,
    Misclassified,
    evaluate,
    metrics_from_probabilities,
)

REPO = Path(__file__).resolve().parents[2]

# Eight images of classes 0-2 in a 10-class problem: (true, predicted, confidence). The
# predicted class gets `confidence`, the other nine classes share the rest equally.
CASES = [
    (0, 0, 0.9),
    (0, 0, 0.8),
    (0, 1, 0.6),
    (1, 1, 0.7),
    (1, 2, 0.5),
    (2, 2, 0.95),
    (2, 0, 0.7),
    (2, 3, 0.4),  # class 3 is predicted once and never true
]


def case_arrays() -> tuple[np.ndarray, np.ndarray]:
    y = np.array([true for true, _, _ in CASES])
    p = np.empty((len(CASES), 10))
    for row, (_, predicted, confidence) in enumerate(CASES):
        p[row] = (1.0 - confidence) / 9.0
        p[row, predicted] = confidence
    return y, p


def test_accuracy_confusion_and_per_class_scores_match_hand_computation() -> None:
    y, p = case_arrays()
    result = metrics_from_probabilities(y, p)

    assert result.accuracy == pytest.approx(4 / 8)
    expected_confusion = np.zeros((10, 10), dtype=int)
    expected_confusion[0, :2] = [2, 1]
    expected_confusion[1, 1:3] = [1, 1]
    expected_confusion[2, [0, 2, 3]] = [1, 1, 1]
    np.testing.assert_array_equal(result.confusion, expected_confusion)

    # (precision, recall, f1, support), by hand from the confusion matrix above.
    expected = {
        0: (2 / 3, 2 / 3, 2 / 3, 3),
        1: (1 / 2, 1 / 2, 1 / 2, 2),
        2: (1 / 2, 1 / 3, 2 / 5, 3),  # f1 = 2 * (1/2 * 1/3) / (1/2 + 1/3) = 2/5
        3: (0.0, 0.0, 0.0, 0),  # recall 0/0 -> 0
    }
    for metrics in result.per_class:
        p_, r_, f_, s_ = expected.get(metrics.label, (0.0, 0.0, 0.0, 0))
        assert (metrics.precision, metrics.recall, metrics.f1, metrics.support) == pytest.approx(
            (p_, r_, f_, s_)
        ), metrics
    # Macro averages run over the classes that occur (0, 1, 2 as labels, 3 as a prediction).
    assert result.macro_precision == pytest.approx((2 / 3 + 1 / 2 + 1 / 2 + 0) / 4)  # 5/12
    assert result.macro_recall == pytest.approx((2 / 3 + 1 / 2 + 1 / 3 + 0) / 4)  # 3/8
    assert result.macro_f1 == pytest.approx((2 / 3 + 1 / 2 + 2 / 5 + 0) / 4)  # 47/120


def test_misclassified_lists_every_mistake_most_confident_first() -> None:
    y, p = case_arrays()
    mistakes = metrics_from_probabilities(y, p).misclassified
    assert isinstance(mistakes, tuple) and all(type(m) is Misclassified for m in mistakes)
    assert [(m.index, m.true, m.predicted) for m in mistakes] == [(6, 2, 0), (2, 0, 1), (4, 1, 2), (7, 2, 3)]
    assert [m.confidence for m in mistakes] == pytest.approx([0.7, 0.6, 0.5, 0.4])


def test_loss_is_mean_cross_entropy_of_the_true_class() -> None:
    y, p = case_arrays()
    by_hand = -(
        math.log(0.9)
        + math.log(0.8)
        + math.log(0.4 / 9)
        + math.log(0.7)
        + math.log(0.5 / 9)
        + math.log(0.95)
        + math.log(0.3 / 9)
        + math.log(0.6 / 9)
    ) / 8
    assert metrics_from_probabilities(y, p).loss == pytest.approx(by_hand, rel=1e-12)


def test_loss_clips_like_keras() -> None:
    import keras

    y, p = case_arrays()
    p[0] = 0.0
    p[0, 0] = 1.0  # certain and right: clipped to 1 - 1e-7
    p[1] = 0.0
    p[1, 5] = 1.0  # certain and wrong: true class clipped up to 1e-7
    ours = metrics_from_probabilities(y, p).loss
    theirs = float(
        np.mean(keras.losses.sparse_categorical_crossentropy(y, p.astype(np.float32)))
    )
    assert ours == pytest.approx(theirs, rel=1e-5)
    assert ours > -math.log(1e-7) / 8  # the wrong certain answer dominates, but is finite


def test_to_dict_is_json_with_the_documented_keys() -> None:
    y, p = case_arrays()
    data = json.loads(json.dumps(metrics_from_probabilities(y, p).to_dict()))
    assert set(data) == {
        "accuracy",
        "loss",
        "confusion",
        "per_class",
        "macro_precision",
        "macro_recall",
        "macro_f1",
        "misclassified",
        "seconds_per_image",
    }
    assert data["per_class"][2] == {
        "label": 2,
        "precision": pytest.approx(0.5),
        "recall": pytest.approx(1 / 3),
        "f1": pytest.approx(0.4),
        "support": 3,
    }
    assert data["misclassified"][0] == {
        "index": 6,
        "true": 2,
        "predicted": 0,
        "confidence": pytest.approx(0.7),
    }
    assert data["confusion"][2][3] == 1
    assert data["seconds_per_image"] is None


@pytest.mark.parametrize(
    ("y", "p", "error"),
    [
        (np.array([0, 1]), np.full((2, 9), 1 / 9), ModelError),
        (np.array([0, 1, 2]), np.full((2, 10), 0.1), DataError),
        (np.array([0, 10]), np.full((2, 10), 0.1), DataError),
        (np.array([0.0, 1.0]), np.full((2, 10), 0.1), DataError),
        (np.array([], dtype=int), np.zeros((0, 10)), DataError),
    ],
)
def test_bad_inputs_raise_user_errors(y: np.ndarray, p: np.ndarray, error: type) -> None:
    with pytest.raises(error):
        metrics_from_probabilities(y, p)


def fake_model(calls: list[np.ndarray]):
    """Predicts the class given by an image's top-left pixel x 10, confident 0.55."""

    def predict(batch: np.ndarray) -> np.ndarray:
        calls.append(batch)
        out = np.full((len(batch), 10), 0.05)
        out[np.arange(len(batch)), np.rint(batch[:, 0, 0] * 10).astype(int) % 10] = 0.55
        return out

    return predict


def images_with_classes(predicted: list[int]) -> np.ndarray:
    x = np.zeros((len(predicted), 28, 28), dtype=np.uint8)
    x[:, 0, 0] = np.rint(np.array(predicted) * 25.5).astype(np.uint8)
    return x


def test_evaluate_batches_scales_and_reports_progress() -> None:
    predicted = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    y = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 0])  # the last one is wrong
    calls: list[np.ndarray] = []
    fractions: list[float] = []
    result = evaluate(
        fake_model(calls), images_with_classes(predicted), y, batch_size=4, progress=fractions.append
    )
    assert [len(batch) for batch in calls] == [4, 4, 2]
    assert all(batch.dtype == np.float32 and batch.shape[1:] == (28, 28) for batch in calls)
    assert calls[0][1, 0, 0] == pytest.approx(26 / 255)  # uint8 26 scaled to [0, 1]
    assert fractions == [0.4, 0.8, 1.0]
    assert result.accuracy == pytest.approx(0.9)
    assert isinstance(result.misclassified, tuple) and len(result.misclassified) == 1
    mistake = result.misclassified[0]
    assert type(mistake) is Misclassified and (mistake.index, mistake.true, mistake.predicted) == (9, 0, 9)
    assert mistake.confidence == pytest.approx(0.55)
    assert isinstance(result.seconds_per_image, float) and result.seconds_per_image >= 0.0


def test_evaluate_accepts_float_images_with_a_channel_axis() -> None:
    calls: list[np.ndarray] = []
    x = images_with_classes([3, 4]).astype(np.float32)[..., None] / 255.0
    result = evaluate(fake_model(calls), x, np.array([3, 4]))
    assert result.accuracy == 1.0
    assert calls[0].shape == (2, 28, 28)


def test_stop_event_cancels_evaluation_between_batches() -> None:
    stop = threading.Event()
    calls: list[np.ndarray] = []
    with pytest.raises(EvaluationCancelled) as caught:
        evaluate(
            fake_model(calls),
            images_with_classes([1] * 10),
            np.ones(10, dtype=int),
            batch_size=3,
            progress=lambda fraction: stop.set(),
            stop_event=stop,
        )
    assert len(calls) == 1
    assert isinstance(caught.value, DigitpadError)
    assert str(caught.value) == "Evaluation cancelled."


def test_evaluate_rejects_wrong_model_output_and_image_shape() -> None:
    with pytest.raises(ModelError):
        evaluate(lambda batch: np.zeros((len(batch) + 1, 10)), images_with_classes([1]), np.array([1]))
    with pytest.raises(DataError):
        evaluate(fake_model([]), np.zeros((2, 32, 32), dtype=np.uint8), np.array([1, 2]))


def test_module_imports_without_tensorflow() -> None:
    code = (
        "import sys, digitpad.core.evaluation; "
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, "
        "sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras'))[:5]"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_test_set_warnings_name_models_that_trained_on_the_test_digits() -> None:
    import dataclasses

    from digitpad.core.datasets import BUNDLED_TEST_NAME, load_bundled_mnist
    from digitpad.core.evaluation import test_set_warnings
    from digitpad.core.model_file import ModelMetadata

    bundled = dataclasses.replace(load_bundled_mnist(), notes=("Offline: bundled digits.",))
    shipped = ModelMetadata(name="shipped", seen_test_sets=[BUNDLED_TEST_NAME])
    fresh = ModelMetadata(name="fresh")
    warnings = test_set_warnings(bundled, [shipped, fresh, None])
    assert warnings[0] == "Offline: bundled digits."
    assert len(warnings) == 2 and warnings[1].startswith("shipped was trained on the digits of bundled held-out MNIST")
    other = dataclasses.replace(bundled, test_name="MNIST test", notes=())
    assert test_set_warnings(other, [shipped, fresh]) == []


def test_inverted_and_binarized_test_images_are_pointed_out() -> None:
    import dataclasses

    from digitpad.core.datasets import load_bundled_mnist
    from digitpad.core.evaluation import test_set_warnings

    bundled = load_bundled_mnist()
    assert test_set_warnings(bundled, []) == []
    inverted = dataclasses.replace(bundled, x_test=255 - bundled.x_test)
    assert any("look inverted" in w for w in test_set_warnings(inverted, []))
    binarized = dataclasses.replace(bundled, x_test=np.where(bundled.x_test > 127, 255, 0).astype(np.uint8))
    warnings = test_set_warnings(binarized, [])
    assert len(warnings) == 1 and "binarized" in warnings[0]
