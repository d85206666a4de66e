"""The learning-rate range test: train a fresh network for a few hundred batches while its
learning rate grows exponentially, and read a good rate off the loss (Smith, "Cyclical Learning
Rates for Training Neural Networks", 2017).

At tiny rates the loss barely moves; past a good rate it falls fast; too high, it climbs and
explodes. The sweep stops as soon as the smoothed loss passes `EXPLODED_FACTOR` times its lowest
value, since the batches after that only confirm the failure. `suggest` states its rule in a
sentence so that people see why a rate was chosen, not just the number.

The sweep is `model.fit` over one pass of seeded, shuffled batches with one callback that sets
the optimizer's rate before each batch and resets Keras' running loss mean, so that every batch's
logged loss is that batch's own. Keras is imported inside the functions.

`sweep_job` is the window's sweep: it runs in the engine process (`digitpad.core.engine`), so it
is a module-level function of a picklable `LrFinderRequest`, its reports bundled before they cross.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from digitpad.core.architectures import ArchitectureSpec, build_model
from digitpad.core.cancellation import Cancelled, StopSignal, raise_if_stopped
from digitpad.core.datasets import Dataset, load_dataset
from digitpad.core.errors import DataError, DigitpadError
from digitpad.core.progress_relay import ProgressRelay
from digitpad.core.training import (
    NUM_CLASSES,
    StopRequested,
    TrainingSpec,
    compile_model,
    prepare_images,
    prepare_labels,
)
from digitpad.core.translatable import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    import keras

DEFAULT_MIN_LR = 1e-6
DEFAULT_MAX_LR = 1.0
DEFAULT_BATCHES = 250
MIN_BATCHES = 20
EXPLODED_FACTOR = 4.0
SWEEP_REPORTS_PER_SECOND = 8  # plot redraws a second: the curve grows smoothly, the sweep keeps the CPU
# The smoothing's memory is about 1 / (1 - SMOOTHING) = 10 batches, a quarter of a decade of rates
# over the default sweep: it calms the batch-to-batch noise without shifting the curve far right.
SMOOTHING = 0.9
# The first batches' smoothed values average only a few losses: too noisy to read a slope from.
SKIP_START = 10

# How the suggestion was chosen, in words the window shows (translated there, in this context).
STEEPEST_RULE = QT_TRANSLATE_NOOP(
    "LrFinder",
    "the rate where the smoothed loss falls fastest against the log of the rate, "
    "before the loss reaches its lowest point",
)
TENTH_OF_MINIMUM_RULE = QT_TRANSLATE_NOOP(
    "LrFinder",
    "one tenth of the rate at which the smoothed loss is lowest, since the loss never fell clearly before it",
)


@dataclass(frozen=True)
class LrFinderProgress:
    """One report per batch of the sweep."""

    batch: int  # 1-based
    batches: int  # the planned sweep; it may stop sooner when the loss explodes
    learning_rate: float
    loss: float
    smoothed: float


@dataclass(frozen=True)
class Suggestion:
    """A rate read off a sweep, the point of the sweep it comes from, and the rule as a sentence."""

    learning_rate: float
    index: int
    rule: str


@dataclass(frozen=True)
class LrFinderResult:
    """The sweep, batch by batch, and the rate it suggests; `exploded` when it stopped early
    because the loss passed `EXPLODED_FACTOR` times its lowest (or stopped being a number)."""

    learning_rates: tuple[float, ...]
    losses: tuple[float, ...]
    smoothed: tuple[float, ...]
    suggested: float
    rule: str
    exploded: bool
    batch_size: int
    optimizer: str
    duration_s: float


@dataclass(frozen=True)
class LrFinderRequest:
    """What the window sweeps: the Train tab's data, network, optimizer and batch size; `title`
    names the network and optimizer in the form's own words."""

    source: str
    architecture: ArchitectureSpec
    optimizer: str
    batch_size: int
    seed: int
    title: str
    batches: int = DEFAULT_BATCHES
    min_lr: float = DEFAULT_MIN_LR
    max_lr: float = DEFAULT_MAX_LR


def sweep_rates(min_lr: float, max_lr: float, batches: int) -> np.ndarray:
    """The rate of each batch: `min_lr` to `max_lr` in equal steps of its logarithm."""
    return np.geomspace(min_lr, max_lr, batches)


def suggest(
    learning_rates: Sequence[float] | np.ndarray, smoothed: Sequence[float] | np.ndarray, skip_start: int = SKIP_START
) -> Suggestion:
    """The rate of steepest descent of the smoothed loss (slope against log rate, central
    differences) among the points after the first `skip_start` and up to the lowest loss.
    When that stretch has no falling slope, one tenth of the rate at the lowest loss."""
    rates = np.asarray(learning_rates, dtype=float)
    values = np.asarray(smoothed, dtype=float)
    if len(rates) != len(values) or len(rates) < 2:
        raise DigitpadError("A learning-rate sweep needs at least two points to suggest a rate.")
    lowest = int(np.argmin(values))
    start = min(skip_start, lowest)
    if lowest - start >= 2:
        slopes = np.gradient(values[: lowest + 1], np.log(rates[: lowest + 1]))
        steepest = start + int(np.argmin(slopes[start : lowest + 1]))
        if slopes[steepest] < 0:
            return Suggestion(float(rates[steepest]), steepest, STEEPEST_RULE)
    return Suggestion(float(rates[lowest]) / 10, lowest, TENTH_OF_MINIMUM_RULE)


def find_learning_rate(
    source: Dataset | str | Path,
    build_model: Callable[[], keras.Model],
    *,
    optimizer: str = "adam",
    min_lr: float = DEFAULT_MIN_LR,
    max_lr: float = DEFAULT_MAX_LR,
    batches: int = DEFAULT_BATCHES,
    batch_size: int = 64,
    seed: int = 0,
    progress: Callable[[LrFinderProgress], None] | None = None,
    stop_event: StopSignal | None = None,
) -> LrFinderResult:
    """Sweep the rate from `min_lr` to `max_lr` over `batches` batches of a fresh
    `build_model()` compiled as `training.train` compiles it with `optimizer`, on the training
    split of `source` (reused in new shuffles when it holds fewer than `batches` batches).

    The model is built before the data is loaded, so that a bad architecture file is reported
    before minutes of loading. Raises `Cancelled` when `stop_event` is set: half a sweep never
    reached the rates that would show where the loss explodes, so it suggests nothing.
    """
    if not 0 < min_lr < max_lr:
        raise DigitpadError(f"The sweep needs 0 < lowest rate < highest rate, not {min_lr:g} and {max_lr:g}.")
    if batches < MIN_BATCHES:
        raise DigitpadError(f"The sweep needs at least {MIN_BATCHES} batches, not {batches}.")
    spec = TrainingSpec(optimizer=optimizer, learning_rate=min_lr, batch_size=batch_size, seed=seed)
    started = time.perf_counter()
    import keras

    keras.utils.set_random_seed(seed)
    model = build_model()
    dataset = source if isinstance(source, Dataset) else load_dataset(source, stop_event=stop_event)
    raise_if_stopped(stop_event, "loading the data")
    x = prepare_images(dataset.x_train)
    y = prepare_labels(dataset.y_train, len(x))
    if len(x) == 0:
        raise DataError("There are no training images.")
    rows = _batch_rows(len(x), batches * batch_size, seed)
    compile_model(model, spec)
    sweep = _Sweep(model, sweep_rates(min_lr, max_lr, batches), progress, stop_event)
    try:
        model.fit(x[rows], y[rows], batch_size=batch_size, epochs=1, shuffle=False,
                  callbacks=[sweep.callback()], verbose=0)
    except StopRequested as stopped:
        raise Cancelled("Stopped while sweeping the learning rate.") from stopped
    except _LossExploded:
        pass
    if len(sweep.losses) < 2:
        raise DigitpadError(
            f"The loss exploded within the first batch at rate {min_lr:g}: start the sweep at a lower rate."
        )
    suggestion = suggest(sweep.rates, sweep.smoothed)
    return LrFinderResult(
        learning_rates=tuple(sweep.rates),
        losses=tuple(sweep.losses),
        smoothed=tuple(sweep.smoothed),
        suggested=suggestion.learning_rate,
        rule=suggestion.rule,
        exploded=sweep.exploded,
        batch_size=batch_size,
        optimizer=optimizer,
        duration_s=time.perf_counter() - started,
    )


def sweep_job(
    request: LrFinderRequest,
    progress: Callable[[tuple[LrFinderProgress, ...]], None],
    stop_event: StopSignal,
    *,
    per_second: float = SWEEP_REPORTS_PER_SECOND,
) -> LrFinderResult:
    """The window's sweep (picklable, for the engine): `find_learning_rate` of a fresh network of
    `request.architecture`, its per-batch reports bundled by a `ProgressRelay` so that only
    `per_second` bundles cross to the window each second. Raises `Cancelled` when stopped."""
    relay: ProgressRelay[LrFinderProgress] = ProgressRelay(progress, per_second=per_second)
    try:
        return find_learning_rate(
            request.source,
            partial(build_model, request.architecture, NUM_CLASSES),
            optimizer=request.optimizer,
            min_lr=request.min_lr,
            max_lr=request.max_lr,
            batches=request.batches,
            batch_size=request.batch_size,
            seed=request.seed,
            progress=relay,
            stop_event=stop_event,
        )
    finally:
        relay.flush()


def _batch_rows(count: int, needed: int, seed: int) -> np.ndarray:
    """`needed` row indices: seeded shuffles of all `count` rows, one after another."""
    rng = np.random.default_rng(seed)
    shuffles = [rng.permutation(count) for _ in range(-(-needed // count))]
    return np.concatenate(shuffles)[:needed]


class _LossExploded(Exception):
    """Raised from the batch callback to end the sweep once the loss has clearly exploded."""


class _Sweep:
    """Keras callback hooks: the rate before each batch, the batch's loss after it."""

    def __init__(
        self,
        model: keras.Model,
        schedule: np.ndarray,
        progress: Callable[[LrFinderProgress], None] | None,
        stop_event: StopSignal | None,
    ) -> None:
        self._model = model
        self._schedule = schedule
        self._progress = progress
        self._stop_event = stop_event
        self.rates: list[float] = []
        self.losses: list[float] = []
        self.smoothed: list[float] = []
        self.exploded = False
        self._average = 0.0
        self._lowest = math.inf

    def batch_begin(self, batch: int, logs: dict[str, float] | None = None) -> None:
        self._model.optimizer.learning_rate = float(self._schedule[batch])
        # Keras logs the running mean of the pass so far; reset, it logs this batch's loss alone.
        self._model.reset_metrics()

    def batch_end(self, batch: int, logs: dict[str, float] | None = None) -> None:
        loss = float((logs or {}).get("loss", math.nan))
        if not math.isfinite(loss):
            self.exploded = True
            raise _LossExploded
        rate = float(self._schedule[batch])
        self.rates.append(rate)
        self.losses.append(loss)
        # An exponential moving average, bias-corrected so the first values are not pulled to 0.
        self._average = SMOOTHING * self._average + (1 - SMOOTHING) * loss
        smoothed = self._average / (1 - SMOOTHING ** len(self.losses))
        self.smoothed.append(smoothed)
        self._lowest = min(self._lowest, smoothed)
        if self._progress is not None:
            self._progress(LrFinderProgress(len(self.losses), len(self._schedule), rate, loss, smoothed))
        if self._stop_event is not None and self._stop_event.is_set():
            raise StopRequested
        if smoothed > EXPLODED_FACTOR * self._lowest:
            self.exploded = True
            raise _LossExploded

    def callback(self) -> keras.callbacks.Callback:
        import keras

        return keras.callbacks.LambdaCallback(on_train_batch_begin=self.batch_begin, on_train_batch_end=self.batch_end)
