"""The learning-rate range test: the suggestion rule on made-up curves, the sweep on a tiny
model, and `digitpad lr-find` end to end."""

from __future__ import annotations

import json
import threading
from functools import partial
from pathlib import Path

import keras
import numpy as np
import pytest

from digitpad.core.architecture_file import save_architecture
from digitpad.core.architectures import ArchitectureSpec, build_model
from digitpad.core.cancellation import Cancelled
from digitpad.core.datasets import Dataset
from digitpad.core.engine import ThreadEngine
from digitpad.core.errors import DigitpadError
from digitpad.core.lr_finder import (
    STEEPEST_RULE,
    TENTH_OF_MINIMUM_RULE,
    LrFinderProgress,
    LrFinderRequest,
    LrFinderResult,
    find_learning_rate,
    suggest,
    sweep_job,
)
from digitpad.core.resources import bundled_mnist_path
from tests.core.test_cli import run_cli

RATES = np.geomspace(1e-6, 1.0, 61)  # a tenth of a decade per point


def _synthetic_curve() -> np.ndarray:
    """Flat, then a fall centred on point 30, lowest at point 45, then a climb; the first points
    fall even faster (start-up noise) but must not count."""
    index = np.arange(61)
    curve = 2.3 - 2.0 / (1.0 + np.exp(-(index - 30) / 3.0))
    curve[:5] = [4.0, 3.5, 3.0, 2.6, 2.31]
    curve[46:] = curve[45] + 0.2 * (index[46:] - 45) ** 2
    return curve


def test_suggests_the_steepest_fall_before_the_lowest_loss() -> None:
    suggestion = suggest(RATES, _synthetic_curve())
    assert suggestion.index == 30
    assert suggestion.learning_rate == pytest.approx(1e-3)
    assert suggestion.rule == STEEPEST_RULE


def test_without_a_fall_suggests_a_tenth_of_the_lowest_point() -> None:
    rising = np.linspace(2.3, 9.0, 61)
    suggestion = suggest(RATES, rising)
    assert suggestion.index == 0
    assert suggestion.learning_rate == pytest.approx(1e-7)
    assert suggestion.rule == TENTH_OF_MINIMUM_RULE


def test_a_single_step_down_is_the_fall() -> None:
    curve = np.full(61, 2.3)
    curve[40] = 2.2  # lowest, but no point before it falls
    curve[39] = 2.3
    curve[:40] += np.linspace(0, 1e-9, 40)  # rising, ever so slightly
    suggestion = suggest(RATES, curve)
    assert suggestion.index == 40  # the one step down, read one-sided at the sweep's lowest point
    assert suggestion.rule == STEEPEST_RULE


@pytest.fixture(scope="module")
def tiny() -> Dataset:
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"][:256], data["y"][:256]
    return Dataset("tiny", x, y, x[:16], y[:16], tuple(str(d) for d in range(10)))


def _recording_builder(built: list[keras.Model]) -> keras.Model:
    model = build_model(ArchitectureSpec(name="mlp"))
    built.append(model)
    return model


def test_sweep_raises_the_rate_geometrically_batch_by_batch(tiny: Dataset) -> None:
    built: list[keras.Model] = []
    reports: list[LrFinderProgress] = []
    result = find_learning_rate(tiny, partial(_recording_builder, built), min_lr=1e-5, max_lr=1e-2,
                                batches=30, batch_size=16, progress=reports.append)
    rates = np.array(result.learning_rates)
    assert len(rates) == len(result.losses) == len(result.smoothed) == 30  # never explodes up to 1e-2
    np.testing.assert_allclose(rates[1:] / rates[:-1], 1000 ** (1 / 29), rtol=1e-9)
    assert rates[0] == pytest.approx(1e-5) and rates[-1] == pytest.approx(1e-2)
    assert np.all(np.isfinite(result.losses))
    assert not result.exploded
    assert 1e-5 <= result.suggested <= 1e-2
    # the optimizer really ran at the swept rates, and each loss is its batch's own
    assert float(built[0].optimizer.learning_rate) == pytest.approx(1e-2, rel=1e-6)
    assert result.losses[-1] < result.losses[0] - 0.5  # 30 batches at rising rates learn something
    assert [report.batch for report in reports] == list(range(1, 31))
    assert [report.loss for report in reports] == list(result.losses)


def test_sweep_stops_once_the_loss_explodes(tiny: Dataset) -> None:
    result = find_learning_rate(tiny, partial(build_model, ArchitectureSpec(name="mlp")), optimizer="sgd",
                                min_lr=1e-3, max_lr=1e4, batches=60, batch_size=16)
    assert result.exploded
    assert len(result.losses) < 60
    assert result.suggested < result.learning_rates[-1]


def test_stop_event_cancels_the_sweep(tiny: Dataset) -> None:
    stop = threading.Event()
    seen: list[int] = []

    def progress(report: LrFinderProgress) -> None:
        seen.append(report.batch)
        if report.batch == 3:
            stop.set()

    with pytest.raises(Cancelled):
        find_learning_rate(tiny, partial(build_model, ArchitectureSpec(name="mlp")), batches=30,
                           batch_size=16, progress=progress, stop_event=stop)
    assert seen == [1, 2, 3]


@pytest.mark.parametrize(
    ("options", "message"),
    [({"min_lr": 1.0, "max_lr": 0.1}, "lowest rate < highest rate"), ({"batches": 5}, "at least 20 batches"),
     ({"optimizer": "lion"}, "Unknown optimizer"), ({"batch_size": 0}, "batch size")],
)
def test_bad_settings_are_one_sentence(tiny: Dataset, options: dict, message: str) -> None:
    with pytest.raises(DigitpadError, match=message):
        find_learning_rate(tiny, partial(build_model, ArchitectureSpec(name="mlp")), **options)


@pytest.fixture(scope="module")
def tiny_npz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"][:1200], data["y"][:1200]
    path = tmp_path_factory.mktemp("lr") / "tiny.npz"
    np.savez(path, x_train=x[:1000], y_train=y[:1000], x_test=x[1000:], y_test=y[1000:])
    return path


def test_cli_json_for_a_named_architecture(tiny_npz: Path, tmp_path: Path) -> None:
    done = run_cli("lr-find", "--data", str(tiny_npz), "--arch", "mlp", "--json", home=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert {"learning_rates", "losses", "suggested"} <= result.keys()
    assert len(result["learning_rates"]) == len(result["losses"]) > 20
    assert result["learning_rates"][0] == pytest.approx(1e-6)
    assert 1e-6 <= result["suggested"] <= 1.0


def test_cli_text_for_an_architecture_file(tiny_npz: Path, tmp_path: Path) -> None:
    path = save_architecture(build_model(ArchitectureSpec(name="mlp")), tmp_path / "mlp.json")
    done = run_cli("lr-find", "--data", str(tiny_npz), "--arch-file", str(path), home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Suggested learning rate: ")
    assert STEEPEST_RULE in done.stdout or TENTH_OF_MINIMUM_RULE in done.stdout


def test_cli_wants_exactly_one_architecture(tiny_npz: Path, tmp_path: Path) -> None:
    both = run_cli("lr-find", "--data", str(tiny_npz), "--arch", "mlp", "--arch-file", "x.json", home=tmp_path)
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
    wrong = tmp_path / "wrong.json"
    wrong.write_text(keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(),
                                       keras.layers.Dense(10, activation="softmax")]).to_json())
    refused = run_cli("lr-find", "--data", str(tiny_npz), "--arch-file", str(wrong), home=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.strip() == (f"digitpad: error: {wrong}: the model takes (32, 32, 3) images; "
                                      "digitpad needs 28x28 or 28x28x1.")


# --- the window's sweep, as the engine runs it -----------------------------------------------


def _request(source: Path, **changes: object) -> LrFinderRequest:
    return LrFinderRequest(source=str(source), architecture=ArchitectureSpec(name="mlp"), optimizer="sgd",
                           batch_size=16, seed=0, title="MLP with SGD", batches=40, min_lr=1e-4, max_lr=1.0,
                           **changes)


def test_the_windows_sweep_crosses_the_engine_in_bundles(tiny_npz: Path) -> None:
    bundles: list[tuple[LrFinderProgress, ...]] = []
    result = ThreadEngine().run(partial(sweep_job, _request(tiny_npz), per_second=1000.0), bundles.append,
                                threading.Event())
    assert isinstance(result, LrFinderResult)
    assert 2 <= len(result.losses) <= 40 and result.batch_size == 16 and result.optimizer == "sgd"
    assert result.learning_rates[0] == pytest.approx(1e-4)
    assert 1e-5 <= result.suggested <= 1.0
    assert result.rule in (STEEPEST_RULE, TENTH_OF_MINIMUM_RULE) and result.rule.context == "LrFinder"  # type: ignore[attr-defined]
    reports = [report for bundle in bundles for report in bundle]
    assert [report.batch for report in reports] == list(range(1, len(result.losses) + 1))
    assert [report.loss for report in reports] == pytest.approx(list(result.losses))


def test_the_windows_sweep_is_cancelled_by_its_stop_event(tiny_npz: Path) -> None:
    stop = threading.Event()
    stop.set()
    bundles: list[tuple[LrFinderProgress, ...]] = []
    with pytest.raises(Cancelled):
        sweep_job(_request(tiny_npz), bundles.append, stop)
    assert bundles == []
