"""Every training run kept, so that any runs' curves can be overlaid later, as TensorBoard's scalars are.

A model file keeps the history of the one run that made it, and only if someone saved it. The run
log keeps every run, saved or not, from the window and from `digitpad train`: its settings, data
set, per-epoch curves, test result and, once it exists, the model it produced. It is a folder of
small JSON files, one per run, so the CLI and the window can both add runs without a shared file to
lock, a record is written atomically (a killed process leaves the old files whole), and one damaged
file costs one run, never the others: it is skipped with a warning and left on disk for a person to
look at. The file's name is the run's id.

Plain files and `json` only: the window lists the runs before TensorFlow has loaded.
"""

from __future__ import annotations

import json
import logging
import math
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digitpad.core.atomic import atomic_path, atomic_write_text
from digitpad.core.errors import DigitpadError, StorageError
from digitpad.core.user_dirs import configured_or, user_data_dir

if TYPE_CHECKING:
    from digitpad.core.library import LibraryEntry, ModelLibrary
    from digitpad.core.workflows import TrainedModel

_LOG = logging.getLogger(__name__)

RUNS_ENV = "DIGITPAD_RUNS"
RUN_FORMAT = 1
SUFFIX = ".json"
ORIGINS: tuple[str, ...] = ("window", "cli")
TRAINING, FINE_TUNE = "training", "fine-tune"


def default_runs_dir() -> Path:
    """$DIGITPAD_RUNS, else $XDG_DATA_HOME/digitpad/runs, else ~/.local/share/digitpad/runs.

    A relative XDG_DATA_HOME is ignored, as the XDG specification says and the model library does.
    """
    return configured_or(RUNS_ENV, user_data_dir() / "runs")


def default_tensorboard_dir() -> Path:
    """Where the Train tab offers to write TensorBoard logs: $XDG_DATA_HOME/digitpad/tensorboard."""
    return user_data_dir() / "tensorboard"


@dataclass(frozen=True)
class RecordedRun:
    """One training or fine-tuning run as recorded when it ended."""

    id: str
    created: str  # ISO 8601, UTC, when the run was recorded
    origin: str  # "window" | "cli"
    kind: str  # TRAINING | FINE_TUNE
    architecture: str  # the architecture's name: "digitpad-cnn", "mlp", ...
    dataset: str
    settings: dict[str, Any]  # TrainingSpec.to_dict(); a fine-tune's own settings under "fine_tune"
    history: dict[str, list[float]]  # per epoch: loss, accuracy, val_loss, val_accuracy
    test_accuracy: float | None
    test_loss: float | None
    test_label: str  # what the test figures were measured on: "MNIST test, 10,000"
    stopped_by_user: bool
    epochs_completed: int
    duration_s: float
    model_path: Path | None = None  # the model the run produced, once it was saved
    model_name: str | None = None
    tensorboard_dir: Path | None = None  # this run's TensorBoard logs, when it wrote them
    parent: str | None = None  # the model a fine-tune started from

    @property
    def created_at(self) -> datetime:
        """`created` as an aware datetime (a record is not listed unless it parses)."""
        return _parse_created(self.created)

    @property
    def epochs_planned(self) -> int | None:
        epochs = self.settings.get("epochs")
        return epochs if isinstance(epochs, int) and not isinstance(epochs, bool) else None

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON values; non-finite numbers become null (JSON has none)."""
        data = asdict(self)
        for key in ("model_path", "tensorboard_dir"):
            data[key] = None if data[key] is None else str(data[key])
        data["history"] = {key: [_finite_or_none(v) for v in values] for key, values in self.history.items()}
        for key in ("test_accuracy", "test_loss", "duration_s"):
            data[key] = _finite_or_none(data[key])
        return data


class RunLog:
    """The folder of recorded runs (`default_runs_dir()` unless `root` is given)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_runs_dir()

    def record(self, trained: TrainedModel, *, origin: str, model_path: Path | None = None) -> RecordedRun:
        """Keep the run behind `trained` (a fresh training or a fine-tune, whose metadata has a
        lineage). `model_path`: where the model was saved, if it was. Raises StorageError when the
        folder cannot be written; a finished run is worth keeping, so callers report it and go on."""
        if origin not in ORIGINS:
            raise ValueError(f"origin must be one of {ORIGINS}, not {origin!r}")
        run, metadata = trained.run, trained.metadata
        lineage = metadata.lineage or {}
        settings = run.spec.to_dict()
        if "settings" in lineage:
            settings["fine_tune"] = lineage["settings"]
        now = datetime.now(timezone.utc)
        recorded = RecordedRun(
            id="",
            created=now.isoformat(timespec="microseconds"),
            origin=origin,
            kind=FINE_TUNE if metadata.lineage else TRAINING,
            architecture=str(metadata.architecture.get("name", run.spec.architecture.name)),
            dataset=trained.dataset.name,
            settings=settings,
            history={key: [float(v) for v in values] for key, values in run.epoch_history.items()},
            test_accuracy=float(trained.evaluation.accuracy),
            test_loss=float(trained.evaluation.loss),
            test_label=trained.dataset.test_label,
            stopped_by_user=run.stopped_by_user,
            epochs_completed=run.epochs_completed,
            duration_s=float(run.duration_s),
            model_path=model_path,
            model_name=metadata.name if model_path is not None else None,
            tensorboard_dir=run.tensorboard_dir,
            parent=str(lineage["parent"]) if lineage.get("parent") else None,
        )
        return self._create(recorded, now)

    def record_if_possible(self, trained: TrainedModel, *, origin: str, model_path: Path | None = None) -> RecordedRun | None:
        """`record`, or None with a warning in the log when the folder cannot be written: the
        model of a finished run matters more than its entry in the log."""
        try:
            return self.record(trained, origin=origin, model_path=model_path)
        except StorageError:
            _LOG.warning("A run could not be recorded in %s", self.root, exc_info=True)
            return None

    def attach_model(self, run_id: str, path: Path, name: str) -> RecordedRun:
        """Note that the run's model was saved later (the window saves on request) at `path` as `name`."""
        updated = replace(self.get(run_id), model_path=Path(path), model_name=name)
        atomic_write_text(self._path(run_id), _dumps(updated))
        return updated

    def get(self, run_id: str) -> RecordedRun:
        path = self._path(run_id)
        try:
            return _read(path)
        except FileNotFoundError as error:
            raise DigitpadError(f"The run {run_id} is no longer recorded in {self.root}.") from error
        except (OSError, ValueError) as error:
            raise DigitpadError(f"The record of run {run_id} cannot be read ({error}).") from error

    def runs(self) -> list[RecordedRun]:
        """Every readable run, newest first; damaged records are skipped with a warning and kept."""
        try:
            paths = [path for path in self.root.iterdir() if path.suffix == SUFFIX and not path.name.startswith(".")]
        except FileNotFoundError:
            return []
        except OSError as error:
            raise StorageError(f"Cannot list the recorded runs in {self.root}: {error.strerror or error}.") from error
        runs = []
        for path in paths:
            try:
                runs.append(_read(path))
            except (OSError, ValueError) as error:  # json's errors are ValueErrors
                _LOG.warning("skipping the damaged run record %s (left in place): %s", path, error)
        runs.sort(key=lambda run: (run.created_at, run.id), reverse=True)
        return runs

    def delete(self, run_ids: Iterable[str]) -> None:
        """Forget these runs (ids already gone are fine); their models and TensorBoard logs stay."""
        for run_id in run_ids:
            path = self._path(run_id)
            try:
                path.unlink(missing_ok=True)
            except OSError as error:
                raise StorageError(f"Could not delete the record {path}: {error.strerror or error}.") from error

    def _create(self, recorded: RecordedRun, now: datetime) -> RecordedRun:
        """Write under a new id; exclusive, so two processes recording in the same second never collide."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(f"Cannot record the run in {self.root}: {error.strerror or error}.") from error
        while True:
            run = replace(recorded, id=f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}")
            try:
                with atomic_path(self._path(run.id), exclusive=True) as temporary:
                    temporary.write_text(_dumps(run), encoding="utf-8")
            except FileExistsError:
                continue
            return run

    def _path(self, run_id: str) -> Path:
        # Ids come from file names, but a caller could pass anything: never a path outside the folder.
        if not run_id or run_id.startswith(".") or Path(run_id).name != run_id:
            raise ValueError(f"not a run id: {run_id!r}")
        return self.root / f"{run_id}{SUFFIX}"


def _dumps(run: RecordedRun) -> str:
    data = run.to_dict()
    del data["id"]  # the file's name is the id: a copied file cannot claim another's
    return json.dumps({"format": RUN_FORMAT, **data}, indent=1, allow_nan=False)


def _read(path: Path) -> RecordedRun:
    """The record in `path`; ValueError naming the first problem when it is not one."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    history = data.get("history")
    if not isinstance(history, dict) or not all(
        isinstance(values, list) and all(value is None or _is_number(value) for value in values)
        for values in history.values()
    ):
        raise ValueError("history must map names to lists of numbers")
    settings = data.get("settings")
    if not isinstance(settings, dict):
        raise ValueError("settings must be an object")
    created = _text(data, "created")
    _parse_created(created)
    epochs = data.get("epochs_completed")
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 0:
        raise ValueError("epochs_completed must be a whole number")
    stopped = data.get("stopped_by_user")
    if not isinstance(stopped, bool):
        raise ValueError("stopped_by_user must be true or false")
    model_path, tensorboard_dir = _optional_text(data, "model_path"), _optional_text(data, "tensorboard_dir")
    return RecordedRun(
        id=path.stem,
        created=created,
        origin=_text(data, "origin"),
        kind=_text(data, "kind"),
        architecture=_text(data, "architecture"),
        dataset=_text(data, "dataset"),
        settings=settings,
        history={str(key): [math.nan if v is None else float(v) for v in values] for key, values in history.items()},
        test_accuracy=_optional_number(data, "test_accuracy"),
        test_loss=_optional_number(data, "test_loss"),
        test_label=_text(data, "test_label"),
        stopped_by_user=stopped,
        epochs_completed=epochs,
        duration_s=_optional_number(data, "duration_s") or 0.0,
        model_path=Path(model_path) if model_path else None,
        model_name=_optional_text(data, "model_name"),
        tensorboard_dir=Path(tensorboard_dir) if tensorboard_dir else None,
        parent=_optional_text(data, "parent"),
    )


def _parse_created(text: str) -> datetime:
    moment = datetime.fromisoformat(text)  # ValueError when malformed
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{key} must be text")
    return value


def _optional_text(data: Mapping[str, Any], key: str) -> str | None:
    return None if data.get(key) is None else _text(data, key)


def _optional_number(data: Mapping[str, Any], key: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if not _is_number(value):
        raise ValueError(f"{key} must be a number")
    return float(value)


def _finite_or_none(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def save_and_note(
    trained: TrainedModel, library: ModelLibrary, name: str, run_log: RunLog, run_id: str | None
) -> LibraryEntry:
    """Save `trained` to `library` as `name`, then name the saved file in its run's record
    (`run_id`, None when the run was not recorded). The model is what matters: a record that
    cannot be updated is logged, not raised. A worker's job (saving converts the model)."""
    from digitpad.core.workflows import save_to_library

    entry = save_to_library(trained, library, name)
    if run_id is not None:
        try:
            run_log.attach_model(run_id, entry.path, entry.name)
        except DigitpadError:
            _LOG.warning("Could not note %s in run %s", entry.path, run_id, exc_info=True)
    return entry
