"""`train` on a few hundred real MNIST digits with tiny models: history, progress, stop, options."""

import json
import math
import threading
from pathlib import Path

import numpy as np
import pytest

from digitpad.core.architectures import ArchitectureSpec, build_model
from digitpad.core.errors import DataError, DigitpadError
from digitpad.core.evaluation import metrics_from_probabilities
from digitpad.core.training import (
    OPTIMIZERS,
    TrainingProgress,
    TrainingSpec,
    prepare_images,
    split_validation,
    train,
)

MNIST = Path(__file__).resolve().parents[2] / "resources" / "mnist-train-10k.npz"
MLP = ArchitectureSpec("mlp")


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray]:
    with np.load(MNIST) as data:
        return data["x"][:1000], data["y"][:1000]


def test_mlp_learns_and_reports_every_batch_and_epoch(digits) -> None:
    x, y = digits
    events: list[TrainingProgress] = []
    spec = TrainingSpec(MLP, epochs=2, batch_size=32, validation_split=0.1)
    run = train(x[:500], y[:500], spec, progress=events.append)

    batches_per_epoch = math.ceil(450 / 32)  # 50 of the 500 are held out for validation
    assert len(run.batch_history["loss"]) == len(run.batch_history["accuracy"]) == 2 * batches_per_epoch
    assert {key: len(values) for key, values in run.epoch_history.items()} == {
        "loss": 2, "accuracy": 2, "val_loss": 2, "val_accuracy": 2,
    }
    assert run.epoch_history["loss"][1] < run.epoch_history["loss"][0]
    assert run.epochs_completed == 2 and not run.stopped_by_user and not run.stopped_early
    assert run.samples_per_second > 0 and run.duration_s > 0
    held_out = metrics_from_probabilities(y[500:], run.keras_model.predict_on_batch(prepare_images(x[500:])))
    assert held_out.accuracy > 0.6  # chance is 0.1

    batch_events = [event for event in events if event.kind == "batch"]
    epoch_events = [event for event in events if event.kind == "epoch"]
    assert [(e.epoch, e.batch) for e in batch_events] == [
        (epoch, batch) for epoch in (1, 2) for batch in range(1, batches_per_epoch + 1)
    ]
    assert [e.logs["loss"] for e in batch_events] == run.batch_history["loss"]
    assert all(e.epochs == 2 and e.batches_per_epoch == batches_per_epoch for e in events)
    assert all(e.samples_per_second > 0 for e in events)
    assert batch_events[0].seconds_left is None
    assert all(e.seconds_left is not None and e.seconds_left >= 0 for e in batch_events[1:])
    assert [(e.epoch, e.batch) for e in epoch_events] == [(1, batches_per_epoch), (2, batches_per_epoch)]
    assert [e.logs["val_accuracy"] for e in epoch_events] == run.epoch_history["val_accuracy"]
    assert epoch_events[-1].seconds_left == 0.0
    assert events.index(epoch_events[0]) == batches_per_epoch  # epoch report follows its batches


def test_stop_event_ends_training_within_a_batch_and_keeps_the_weights(digits) -> None:
    x, y = digits
    stop = threading.Event()
    spec = TrainingSpec(MLP, epochs=3, batch_size=16, validation_split=0.0, seed=5)

    def stop_after_three(event: TrainingProgress) -> None:
        if event.kind == "batch" and event.batch == 3:
            stop.set()

    run = train(x[:480], y[:480], spec, progress=stop_after_three, stop_event=stop)
    assert len(run.batch_history["loss"]) in (3, 4)
    assert run.stopped_by_user and run.epochs_completed == 0
    assert run.epoch_history["loss"] == []  # the interrupted epoch is not reported as complete

    import keras

    keras.utils.set_random_seed(spec.seed)  # train() starts from exactly these weights
    initial = build_model(MLP).get_weights()
    trained = run.keras_model.get_weights()
    assert not all(np.array_equal(a, b) for a, b in zip(initial, trained, strict=True))


def test_early_stopping_restores_the_best_weights(digits) -> None:
    x, y = digits
    # Validation labels shifted by one: the better the model learns the digits, the worse
    # its validation loss, so the first epoch is always the best one.
    x_val, y_val = x[500:600], (y[500:600] + 1) % 10
    spec = TrainingSpec(MLP, epochs=6, batch_size=32, learning_rate=3e-3, early_stopping=1)
    run = train(x[:500], y[:500], spec, validation_data=(x_val, y_val))

    losses = run.epoch_history["val_loss"]
    assert run.stopped_early and run.epochs_completed == 2 and len(losses) == 2
    assert losses[1] > losses[0]
    final = metrics_from_probabilities(y_val, run.keras_model.predict_on_batch(prepare_images(x_val)))
    assert final.loss == pytest.approx(losses[0], rel=1e-4)


def test_early_stopping_without_validation_is_refused(digits) -> None:
    x, y = digits
    with pytest.raises(DigitpadError, match="validation"):
        train(x[:50], y[:50], TrainingSpec(MLP, validation_split=0.0, early_stopping=2))


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_each_optimizer_trains(digits, name: str) -> None:
    x, y = digits
    spec = TrainingSpec(MLP, optimizer=name, learning_rate=0.01, epochs=1, batch_size=64)
    run = train(x[:256], y[:256], spec)
    assert type(run.keras_model.optimizer).__name__.lower() == name
    assert float(run.keras_model.optimizer.learning_rate) == pytest.approx(0.01)
    assert all(math.isfinite(value) for value in run.batch_history["loss"])


def test_the_cosine_schedule_anneals_the_rate_to_a_hundredth_over_the_run(digits) -> None:
    x, y = digits
    spec = TrainingSpec(MLP, learning_rate=0.01, epochs=2, batch_size=64, validation_split=0.0, lr_schedule="cosine")
    run = train(x[:256], y[:256], spec)
    # 256 images in batches of 64 for two epochs: the schedule ends exactly at the last step.
    assert int(run.keras_model.optimizer.iterations) == 8
    assert float(run.keras_model.optimizer.learning_rate) == pytest.approx(0.01 * 0.01, rel=1e-3)


def test_unknown_optimizer_raises_user_error() -> None:
    with pytest.raises(DigitpadError, match="optimizer 'adagrad'"):
        TrainingSpec(optimizer="adagrad")


def test_validation_split_holds_out_images_and_explicit_set_uses_all(digits) -> None:
    x, y = digits
    split = train(x[:200], y[:200], TrainingSpec(MLP, epochs=1, batch_size=20, validation_split=0.25))
    assert len(split.batch_history["loss"]) == 150 // 20 + 1
    assert round(split.epoch_history["val_accuracy"][0] * 50, 4).is_integer()  # 50 held out

    explicit = train(
        x[:200], y[:200], TrainingSpec(MLP, epochs=1, batch_size=20), validation_data=(x[200:237], y[200:237])
    )
    assert len(explicit.batch_history["loss"]) == 200 // 20
    assert round(explicit.epoch_history["val_accuracy"][0] * 37, 4).is_integer()

    none = train(x[:40], y[:40], TrainingSpec(MLP, epochs=1, batch_size=20, validation_split=0.0))
    assert none.epoch_history["val_loss"] == [] and len(none.epoch_history["loss"]) == 1


def test_split_is_seeded_and_disjoint() -> None:
    x = np.arange(100, dtype=np.uint8).repeat(784).reshape(100, 28, 28)
    y = np.arange(100) % 10
    x_train, _, (x_val, y_val) = split_validation(x, y, 0.2, seed=7)
    again = split_validation(x, y, 0.2, seed=7)
    other = split_validation(x, y, 0.2, seed=8)
    ids_train, ids_val = set(x_train[:, 0, 0]), set(x_val[:, 0, 0])
    assert len(ids_val) == 20 and len(ids_train) == 80 and not ids_train & ids_val
    np.testing.assert_array_equal(again[2][0], x_val)
    assert set(other[2][0][:, 0, 0]) != ids_val
    np.testing.assert_array_equal(y_val, x_val[:, 0, 0] % 10)  # labels travel with their images
    with pytest.raises(DataError):
        split_validation(x[:1], y[:1], 0.5, seed=0)


def test_prepare_images_scales_uint8_and_adds_the_channel_axis() -> None:
    x = np.array([[[0, 255] * 14] * 28], dtype=np.uint8)
    prepared = prepare_images(x)
    assert prepared.shape == (1, 28, 28, 1) and prepared.dtype == np.float32
    assert prepared[0, 0, :2, 0].tolist() == [0.0, 1.0]
    assert prepare_images(prepared).shape == (1, 28, 28, 1)
    with pytest.raises(DataError):
        prepare_images(np.zeros((2, 32, 32), dtype=np.uint8))


def test_bad_labels_raise_data_errors(digits) -> None:
    x, _ = digits
    with pytest.raises(DataError):
        train(x[:10], np.arange(10) + 1, TrainingSpec(MLP, epochs=1))
    with pytest.raises(DataError):
        train(x[:10], np.zeros(9, dtype=int), TrainingSpec(MLP, epochs=1))


def test_training_spec_round_trips_through_json() -> None:
    spec = TrainingSpec(
        ArchitectureSpec("seed-cnn", dropout=0.3), optimizer="rmsprop", learning_rate=5e-4,
        epochs=7, batch_size=128, validation_split=0.2, early_stopping=3, seed=42, lr_schedule="cosine",
    )
    assert TrainingSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec
    assert TrainingSpec.from_dict({}) == TrainingSpec()


@pytest.mark.parametrize(
    "fields",
    [{"learning_rate": 0.0}, {"epochs": 0}, {"batch_size": 0}, {"validation_split": 1.0}, {"early_stopping": 0},
     {"lr_schedule": "step"}],
)
def test_invalid_training_specs_raise_user_errors(fields: dict) -> None:
    with pytest.raises(DigitpadError):
        TrainingSpec(**fields)


def test_a_diverging_run_stops_with_one_sentence_and_keeps_nothing(digits) -> None:
    from digitpad.core.training import TrainingDiverged

    x, y = digits
    spec = TrainingSpec(MLP, optimizer="sgd", learning_rate=1e12, epochs=3, batch_size=32, validation_split=0.0)
    reports: list[TrainingProgress] = []
    with pytest.raises(TrainingDiverged, match=r"Training diverged: the loss became (nan|inf|-inf) in epoch 1") as error:
        train(x[:256], y[:256], spec, progress=reports.append)
    assert "lower learning rate" in str(error.value) and "\n" not in str(error.value)
    assert all(math.isfinite(report.logs.get("loss", 0.0)) for report in reports), "no NaN reached the curves"
