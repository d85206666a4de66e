"""Training and fine-tuning as the window runs them, in the engine process (see `core.engine`).

The window's process never holds TensorFlow, so a model trained for it must cross to it as
something else than Keras objects. These jobs train and test as `digitpad train` and
`digitpad finetune` do, keep the run in the run log, then hand the model over as a file: saved
once, with its LiteRT form, in a scratch folder. The window draws with that file, shows its
test results and explanations through LiteRT, and "Save to library" copies it under the name
chosen (`ModelLibrary.adopt`), so nothing has to be converted twice. The training images stay
behind (the window only shows the test images); what they might warn about comes along as notes.

Progress goes through a `ProgressRelay` here, in the engine, so only a few bundles a second
cross to the window however fast the batches come.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Hashable, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from digitpad.core.cancellation import AnyOf, Cancelled, StopSignal
from digitpad.core.datasets import image_warnings
from digitpad.core.digit_store import StoredDigit
from digitpad.core.finetune import FineTuneResult, FineTuneSettings, finetune
from digitpad.core.model_file import MODEL_SUFFIX, save_model
from digitpad.core.progress_relay import REPORTS_PER_SECOND, ProgressRelay
from digitpad.core.run_log import RecordedRun, RunLog
from digitpad.core.training import TrainingProgress, TrainingSpec
from digitpad.core.user_dirs import configured_or
from digitpad.core.workflows import StageProgress, TrainedModel, train_and_evaluate

# Handed-over models nobody saved are removed once this old (the window that made them is gone).
SCRATCH_KEPT_S = 24 * 3600
_TRAINING = "training"

JobReport = StageProgress | TrainingProgress


@dataclass(frozen=True)
class FinishedTraining:
    """A run that produced a model, handed over (`trained.model_file`), and its entry in the run
    log (None if it could not be written)."""

    trained: TrainedModel
    recorded: RecordedRun | None


@dataclass(frozen=True)
class FinishedFineTune:
    """A fine-tune that produced a model, handed over like a training's, and its run-log entry."""

    result: FineTuneResult
    recorded: RecordedRun | None


def relay_key(report: JobReport) -> Hashable:
    """The phase a report belongs to: a new phase is shown at once, batches are bundled."""
    return report.stage if isinstance(report, StageProgress) else _TRAINING


def is_epoch_end(report: JobReport) -> bool:
    """An epoch's validation point: shown at once, it is what people wait for."""
    return isinstance(report, TrainingProgress) and report.kind == "epoch"


def handover_dir() -> Path:
    """$DIGITPAD_HANDOVER_DIR, else $XDG_CACHE_HOME/digitpad/trained (~/.cache/digitpad/trained)."""
    cache_home = os.environ.get("XDG_CACHE_HOME")
    base = Path(cache_home) if cache_home and os.path.isabs(cache_home) else Path.home() / ".cache"
    return configured_or("DIGITPAD_HANDOVER_DIR", base / "digitpad" / "trained")


def hand_over(trained: TrainedModel, folder: Path | None = None) -> TrainedModel:
    """`trained` ready to cross processes: its model saved to a new file in `folder` (default
    `handover_dir()`), without the Keras model and the training images. Old unsaved files there
    are swept first."""
    folder = folder if folder is not None else handover_dir()
    _sweep(folder)
    path = save_model(trained.run.keras_model, folder / f"{uuid.uuid4().hex}{MODEL_SUFFIX}", trained.metadata)
    dataset = trained.dataset
    notes = (*dataset.notes, *image_warnings(dataset.x_train))
    light = replace(dataset, x_train=dataset.x_train[:0], y_train=dataset.y_train[:0], notes=notes)
    return replace(trained, run=replace(trained.run, model=None), dataset=light, model_file=path)


def train_job(
    source: str | Path,
    spec: TrainingSpec,
    run_log: RunLog,
    tensorboard_dir: Path | None,
    progress: Callable[[object], None],
    stop_event: StopSignal,
    end_training: StopSignal,
) -> FinishedTraining | None:
    """Load, train, test, keep the run, hand the model over. `end_training` is the Stop button
    (the weights so far are still tested); `stop_event` abandons the job, and the result is then
    None, as it is when Stop came before there was anything to test."""
    relay: ProgressRelay[JobReport] = ProgressRelay(progress, per_second=REPORTS_PER_SECOND, key=relay_key,
                                                    urgent=is_epoch_end)
    try:
        trained = train_and_evaluate(source, spec, progress=relay, stop_event=stop_event, end_training=end_training,
                                     tensorboard_dir=tensorboard_dir)
    except Cancelled:
        return None
    finally:
        relay.flush()
    recorded = run_log.record_if_possible(trained, origin="window")
    return FinishedTraining(hand_over(trained), recorded)


def finetune_job(
    parent: Path | None,
    digits: Sequence[StoredDigit],
    settings: FineTuneSettings,
    run_log: RunLog,
    progress: Callable[[object], None],
    stop_event: StopSignal,
    end_training: StopSignal,
) -> FinishedFineTune | None:
    """Fine-tune `parent` (None: the shipped model) on `digits`, keep the run, hand the model
    over. Stop (`end_training`) ends training after the current batch and still measures it;
    `stop_event` abandons the job (None)."""
    relay: ProgressRelay[JobReport] = ProgressRelay(progress, per_second=REPORTS_PER_SECOND, key=relay_key,
                                                    urgent=is_epoch_end)
    x = np.stack([digit.image for digit in digits]).astype(np.float32, copy=False)
    y = np.array([digit.label for digit in digits], dtype=np.int64)
    drawings = [digit.drawing for digit in digits]
    try:
        result = finetune(parent, x, y, drawings, settings, progress=relay, stop_event=AnyOf(stop_event, end_training))
    except Cancelled:
        return None
    finally:
        relay.flush()
    recorded = run_log.record_if_possible(result.trained, origin="window")
    return FinishedFineTune(replace(result, trained=hand_over(result.trained)), recorded)


def _sweep(folder: Path) -> None:
    cutoff = time.time() - SCRATCH_KEPT_S
    with suppress(OSError):
        for path in folder.glob(f"*{MODEL_SUFFIX}"):
            with suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
