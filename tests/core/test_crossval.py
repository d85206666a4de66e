"""k-fold cross-validation: the folds (an exact, stratified, seeded partition), a tiny run end to
end with its figures checked against the folds' own evaluations, stops, and `digitpad crossval`."""

from __future__ import annotations

import argparse
import json
import logging
import threading
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from digitpad.commands import crossval as crossval_command
from digitpad.core.architectures import ArchitectureSpec
from digitpad.core.cancellation import Cancelled
from digitpad.core.crossval import (
    CrossValidation,
    FinishedCrossValidation,
    FoldProgress,
    cross_validate,
    crossval_job,
    sparse_labels,
    stratified_folds,
)
from digitpad.core.datasets import MNIST_CLASS_NAMES, Dataset
from digitpad.core.engine import ThreadEngine
from digitpad.core.errors import DataError, DigitpadError
from digitpad.core.resources import bundled_mnist_path
from digitpad.core.training import TrainingSpec
from digitpad.core.workflows import LOADING, StageProgress
from tests.core.test_cli import run_cli

IMAGES = 300  # three folds of 100: each model trains on 200 images, 7 batches of 32
SPEC = TrainingSpec(ArchitectureSpec("mlp"), epochs=2, batch_size=32, validation_split=0.2, early_stopping=1)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"][:IMAGES], data["y"][:IMAGES]
    return Dataset("digits", x, y, x[:0], y[:0], MNIST_CLASS_NAMES)


@pytest.fixture(scope="module")
def reports_and_result(dataset: Dataset) -> tuple[list[FoldProgress], CrossValidation]:
    reports: list[FoldProgress] = []
    result = cross_validate(dataset, SPEC, 3, progress=reports.append, stop_event=threading.Event())
    return reports, result


# --- the folds ------------------------------------------------------------------------------


def test_folds_partition_the_rows_exactly_and_are_stratified() -> None:
    y = np.repeat(np.arange(10), [50, 47, 30, 31, 29, 60, 11, 25, 40, 33]).astype(np.uint8)
    np.random.default_rng(7).shuffle(y)
    folds = stratified_folds(y, 4, seed=3)
    assert len(folds) == 4
    assert np.array_equal(np.sort(np.concatenate(folds)), np.arange(len(y)))  # every row once, none twice
    sizes = [len(fold) for fold in folds]
    assert max(sizes) - min(sizes) <= 1 and sum(sizes) == len(y)
    per_label = np.array([np.bincount(y[fold], minlength=10) for fold in folds])  # (folds, labels)
    assert np.array_equal(per_label.sum(axis=0), np.bincount(y))
    assert (per_label.max(axis=0) - per_label.min(axis=0) <= 1).all()  # each label's count / 4, give or take one
    assert all(np.array_equal(fold, np.sort(fold)) for fold in folds)


def test_folds_are_seeded() -> None:
    y = np.arange(200) % 10
    first, again, other = (stratified_folds(y, 5, seed) for seed in (0, 0, 1))
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other, strict=True))


def test_fold_counts_that_cannot_work_are_user_errors() -> None:
    with pytest.raises(DigitpadError, match="at least 2 folds"):
        stratified_folds(np.arange(10), 1, seed=0)
    with pytest.raises(DataError, match="3 images are too few for 4 folds"):
        stratified_folds(np.arange(3), 4, seed=0)


def test_sparse_labels_are_those_with_fewer_images_than_folds() -> None:
    y = np.array([0] * 5 + [1] * 2 + [2] * 3)
    assert sparse_labels(y, 3) == [1]
    assert sparse_labels(y, 2) == []


# --- the job ----------------------------------------------------------------------------------


def test_each_fold_is_measured_on_its_held_out_images(reports_and_result, dataset: Dataset) -> None:
    _, result = reports_and_result
    assert [fold.index for fold in result.folds] == [1, 2, 3] and not result.stopped
    assert result.images == IMAGES and result.data_name == "digits"
    # Validation is the held-out fold itself, never a split of the training folds nor a stop on it.
    assert result.spec.early_stopping is None and result.spec.validation_split == 0.0
    held_out = stratified_folds(dataset.y_train, 3, SPEC.seed)
    for fold, rows in zip(result.folds, held_out, strict=True):
        assert fold.held_out == len(rows) == 100
        assert fold.evaluation.confusion.sum() == 100
        assert np.array_equal(fold.evaluation.confusion.sum(axis=1), np.bincount(dataset.y_train[rows], minlength=10))
        assert fold.accuracy == fold.evaluation.accuracy and fold.loss == fold.evaluation.loss
        assert 0.3 < fold.accuracy <= 1.0  # an MLP after 2 epochs on 200 digits is far above chance
        assert len(fold.history["loss"]) == len(fold.history["val_accuracy"]) == 2
        # Keras' last validation pass ran on the same images with the same weights.
        assert fold.history["val_accuracy"][-1] == pytest.approx(fold.accuracy, abs=1e-6)


def test_mean_and_spread_are_those_of_the_folds(reports_and_result) -> None:
    _, result = reports_and_result
    accuracies = [fold.accuracy for fold in result.folds]
    losses = [fold.loss for fold in result.folds]
    assert result.accuracy_mean == pytest.approx(sum(accuracies) / 3)
    assert result.accuracy_std == pytest.approx(np.std(accuracies))
    assert result.loss_mean == pytest.approx(sum(losses) / 3)
    assert result.loss_std == pytest.approx(np.std(losses))
    assert result.accuracy_text() == (
        f"accuracy {100 * result.accuracy_mean:.1f} % ± {100 * result.accuracy_std:.1f}"
    )
    report = result.to_dict()
    assert [fold["fold"] for fold in report["folds"]] == [1, 2, 3]
    assert report["folds"][1]["accuracy"] == accuracies[1]
    assert set(report) == {"folds", "accuracy_mean", "accuracy_std", "loss_mean", "loss_std"}


def test_progress_announces_each_fold_its_training_and_its_result(reports_and_result) -> None:
    reports, result = reports_and_result
    starts = [r.fold for r in reports if r.training is None and r.result is None]
    finished = [r.result for r in reports if r.result is not None]
    assert starts == [1, 2, 3] and finished == list(result.folds)
    epochs = [(r.fold, r.training.epoch) for r in reports if r.training is not None and r.training.kind == "epoch"]
    assert epochs == [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2)]
    assert all(r.folds == 3 for r in reports)


def test_a_stop_in_a_later_fold_keeps_the_finished_folds(dataset: Dataset) -> None:
    stop = threading.Event()
    batches_after_stop: list[int] = []

    def watch(report: FoldProgress) -> None:
        if stop.is_set() and report.training is not None:
            batches_after_stop.append(report.training.batch)
        if report.fold == 2 and report.training is not None and report.training.batch == 3:
            stop.set()

    result = cross_validate(dataset, SPEC, 3, progress=watch, stop_event=stop)
    assert result.stopped and [fold.index for fold in result.folds] == [1] and result.fold_count == 3
    assert batches_after_stop == []  # the stop took effect after the batch that asked for it
    assert result.accuracy_std == 0.0 and result.accuracy_mean == result.folds[0].accuracy


def test_a_stop_in_the_first_fold_has_nothing_to_return(dataset: Dataset) -> None:
    stop = threading.Event()

    def watch(report: FoldProgress) -> None:
        if report.training is not None and report.training.batch == 2:
            stop.set()

    with pytest.raises(Cancelled, match="first fold"):
        cross_validate(dataset, SPEC, 3, progress=watch, stop_event=stop)


# --- digitpad crossval ----------------------------------------------------------------------


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    crossval_command.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(["crossval", *argv])


def test_the_options_make_the_same_spec_as_train_would() -> None:
    args = _parse("--folds", "4", "--arch", "mlp", "--epochs", "3", "--batch-size", "16", "--optimizer", "sgd",
                  "--lr", "0.01", "--dropout", "0.25", "--batch-norm", "--augment", "--seed", "9")
    assert args.folds == 4 and args.data == "mnist" and not args.json and args.handler is crossval_command.run
    assert crossval_command.training_spec(args) == TrainingSpec(
        ArchitectureSpec("mlp", dropout=0.25, batch_norm=True, augment=True),
        optimizer="sgd", learning_rate=0.01, epochs=3, batch_size=16, validation_split=0.0, seed=9,
    )
    assert _parse().folds == crossval_command.DEFAULT_FOLDS


@pytest.mark.parametrize("argv", [("--folds", "1"), ("--lr", "0"), ("--dropout", "1")])
def test_bad_options_are_refused_by_the_parser(argv: tuple[str, ...]) -> None:
    with pytest.raises(SystemExit):
        _parse(*argv)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"], data["y"]
    path = tmp_path_factory.mktemp("crossval") / "tiny.npz"
    np.savez(path, x_train=x[:300], y_train=y[:300], x_test=x[300:400], y_test=y[300:400])
    return path


def test_crossval_json_is_one_object_with_every_fold(tiny: Path, tmp_path: Path) -> None:
    result = run_cli("crossval", "--folds", "3", "--data", str(tiny), "--arch", "mlp", "--epochs", "1",
                     "--batch-size", "32", "--json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [fold["fold"] for fold in report["folds"]] == [1, 2, 3]
    accuracies = [fold["accuracy"] for fold in report["folds"]]
    assert report["accuracy_mean"] == pytest.approx(np.mean(accuracies))
    assert report["accuracy_std"] == pytest.approx(np.std(accuracies))
    assert all(0.0 <= a <= 1.0 for a in accuracies) and report["loss_mean"] > 0
    assert "fold 3/3: accuracy" in result.stderr  # progress goes to stderr


def test_crossval_text_prints_the_table_and_the_mean_with_its_spread(tiny: Path, tmp_path: Path) -> None:
    result = run_cli("crossval", "--folds", "2", "--data", str(tiny), "--arch", "mlp", "--epochs", "1",
                     home=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2-fold cross-validation of mlp on ") and "(300 training images)" in lines[0]
    rows = [line.split() for line in lines if line.split()[:1] in (["1"], ["2"])]
    assert [row[1] for row in rows] == ["150", "150"]
    summary = lines[-1].split()
    assert summary[:1] == ["accuracy"] and summary[2:4] == ["%", "±"] and "loss" in summary
    # The mean of the two rows, which are rounded to 0.01 point.
    assert float(summary[1]) == pytest.approx((float(rows[0][2]) + float(rows[1][2])) / 2, abs=0.06)


def test_crossval_with_more_folds_than_images_is_one_line_error(tmp_path: Path) -> None:
    few = tmp_path / "few.npz"
    x = np.zeros((4, 28, 28), np.uint8)
    np.savez(few, x_train=x, y_train=np.arange(4, dtype=np.uint8), x_test=x, y_test=np.arange(4, dtype=np.uint8))
    result = run_cli("crossval", "--folds", "5", "--data", str(few), home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "digitpad: error: 4 images are too few for 5 folds: each fold needs one at least."


def test_tensorflows_retracing_warning_is_dropped_while_folds_run(caplog: pytest.LogCaptureFixture) -> None:
    import tensorflow as tf

    from digitpad.core.crossval import _expected_retracing_unreported

    # TensorFlow's own words (polymorphic_function.py), through its own logger; it warns at most
    # twice per step function in a process, so the test does not count on provoking it for real.
    retracing = "5 out of the last 7 calls to <function f at 0x1> triggered tf.function retracing. Tracing is..."
    logger = tf.get_logger()
    with caplog.at_level(logging.WARNING, logger=logger.name):
        with _expected_retracing_unreported():
            logger.warning(retracing)
            logger.warning("another warning")
        logger.warning(retracing)
    assert [r.getMessage() for r in caplog.records] == ["another warning", retracing]


# --- the window's job, as the engine runs it -------------------------------------------------


@pytest.fixture(scope="module")
def one_nine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 digits of which a single 9: two folds cannot both test it."""
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"][:400], data["y"][:400]
    keep = [*np.flatnonzero(y != 9)[:299].tolist(), int(np.flatnonzero(y == 9)[0])]
    path = tmp_path_factory.mktemp("crossval_job") / "one_nine.npz"
    np.savez(path, x_train=x[keep], y_train=y[keep], x_test=x[:20], y_test=y[:20])
    return path


def test_the_windows_job_crosses_the_engine_with_its_folds_and_notes(one_nine: Path) -> None:
    bundles: list[tuple[object, ...]] = []
    finished = ThreadEngine().run(partial(crossval_job, one_nine, replace(SPEC, epochs=1), 2, per_second=1000.0),
                                  bundles.append, threading.Event())
    assert isinstance(finished, FinishedCrossValidation)
    result = finished.result
    assert result.fold_count == 2 and len(result.folds) == 2 and not result.stopped
    assert result.images == 300 and sorted(fold.held_out for fold in result.folds) == [150, 150]
    assert all(0.0 <= fold.accuracy <= 1.0 and fold.loss > 0 for fold in result.folds)
    assert all(isinstance(bundle, tuple) and bundle for bundle in bundles)
    reports = [report for bundle in bundles for report in bundle]
    first = reports[0]
    assert isinstance(first, StageProgress) and first.stage == LOADING
    assert first.text == "Loading the data…" and first.text.context == "CrossvalView"  # type: ignore[attr-defined]
    assert [report.result.index for report in reports if isinstance(report, FoldProgress) and report.result] == [1, 2]
    note = finished.notes[-1]
    assert note == "Label(s) 9 have fewer images than 2 folds: some folds did not test them."
    assert note.template.context == "CrossvalView" and note.values == {"value": "9", "folds": 2}  # type: ignore[attr-defined]


def test_the_windows_job_stopped_before_a_fold_finished_returns_nothing(one_nine: Path) -> None:
    stop = threading.Event()
    stop.set()
    bundles: list[tuple[object, ...]] = []
    assert crossval_job(one_nine, SPEC, 2, bundles.append, stop) is None
    assert [report.stage for bundle in bundles for report in bundle] == [LOADING]  # type: ignore[attr-defined]
