"""The digitpad model file: a .keras archive, its description, its shape checks, saving and loading.

A digitpad model is an ordinary Keras `.keras` zip archive with one extra entry, `digitpad.json`,
holding how it was made (architecture, data, hyperparameters, history, test metrics, versions).
Keras ignores unknown entries, so the files stay loadable by plain Keras, and the description
travels with the weights instead of living in a side file that can get lost. Reading the
description (and listing the library) needs only `zipfile` and `json`, never TensorFlow.
"""

from __future__ import annotations

import io
import json
import logging
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from digitpad.core.atomic import atomic_path
from digitpad.core.errors import ModelError, StorageError
from digitpad.core.inference_description import (
    CONVERSION_VERSION,
    ConvertedModel,
    InferenceDescription,
    weights_digest,
)
from digitpad.core.weights_file import WEIGHTS_ENTRY, open_weights

if TYPE_CHECKING:
    import keras

log = logging.getLogger(__name__)

METADATA_ENTRY = "digitpad.json"
# The LiteRT form of the model's inference graph and what digitpad knows of it (see `conversion`).
LITERT_ENTRY = "digitpad-inference/model.tflite"
INFERENCE_ENTRY = "digitpad-inference/description.json"
CONFIG_ENTRY = "config.json"
MODEL_SUFFIX = ".keras"
NUM_CLASSES = 10
DIGIT_INPUT_SHAPES: tuple[tuple[int, ...], ...] = ((28, 28), (28, 28, 1), (784,))
DIGIT_CLASS_NAMES = tuple(str(digit) for digit in range(10))
# Digit models weigh a few MB; anything far larger is not one, and reading it would exhaust memory.
# Each entry has a cap proportionate to its job, enforced while it is decompressed (a zip's
# stated sizes can lie): a config or a description is a few KB, weights a few MB.
MAX_ENTRY_BYTES: dict[str, int] = {
    CONFIG_ENTRY: 8 * 2**20,
    WEIGHTS_ENTRY: 256 * 2**20,
    METADATA_ENTRY: 4 * 2**20,
    LITERT_ENTRY: 256 * 2**20,
    INFERENCE_ENTRY: 4 * 2**20,
}
DEFAULT_MAX_ENTRY_BYTES = 64 * 2**20
MAX_CLASS_NAME_CHARS = 40
# A .keras archive holds 3 to 5 files (config, weights, metadata, assets).
MAX_ARCHIVE_MEMBERS = 64
# Deeper JSON than any description digitpad writes (3 levels) is not a description.
MAX_METADATA_DEPTH = 16


@dataclass
class ModelMetadata:
    """How a model was made; defaults exist only so that files from older versions still read."""

    name: str
    architecture: dict[str, Any] = field(default_factory=dict)
    dataset: str = ""
    hyperparameters: dict[str, Any] = field(default_factory=dict)
    history: dict[str, list[float]] = field(default_factory=dict)  # per epoch
    test_metrics: dict[str, Any] = field(default_factory=dict)
    preprocess_version: str = ""
    keras_version: str = ""
    tensorflow_version: str = ""
    param_count: int = 0
    training_seconds: float = 0.0
    created: str = ""  # ISO 8601
    class_names: list[str] = field(default_factory=lambda: list(DIGIT_CLASS_NAMES))
    # What `test_metrics` were measured on: {"name": "MNIST test", "size": 10000}.
    test_data: dict[str, Any] = field(default_factory=dict)
    # Temperature scaling baked into the output layer: {"temperature", "fitted_on", "ece_before", "ece_after"}.
    calibration: dict[str, Any] = field(default_factory=dict)
    # Names of test sets (`Dataset.test_name`) whose digits this model trained on: measuring it
    # there would flatter it, so evaluations on them carry a warning.
    seen_test_sets: list[str] = field(default_factory=list)
    # Where a fine-tuned model came from (see `finetune`): its parent, the personal and replayed
    # digits, the settings and the accuracies before and after. None for a model trained afresh.
    lineage: dict[str, Any] | None = None

    # Fields of the file whose values were of the wrong kind and were left at their defaults;
    # shown in the model's details, never written back.
    ignored: list[str] = field(default_factory=list, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["ignored"]
        return data

    def test_label(self) -> str:
        """The data set behind the test accuracy, with its size: "MNIST test, 10,000"."""
        name, size = self.test_set()
        return f"{name}, {size:,}" if size else name

    def test_set(self) -> tuple[str, int | None]:
        """The data set behind the test accuracy, named, and its size when known (the window
        writes the size with its own thousands separator).

        Files from before digitpad recorded it are labelled from their data set's name and the
        number of digits their per-class figures count, never left unnamed.
        """
        name = self.test_data.get("name") if isinstance(self.test_data, dict) else None
        size = self.test_data.get("size") if isinstance(self.test_data, dict) else None
        if not isinstance(size, int):
            per_class = self.test_metrics.get("per_class") if isinstance(self.test_metrics, dict) else None
            supports = [row.get("support") for row in per_class or [] if isinstance(row, dict)]
            size = sum(s for s in supports if isinstance(s, int)) or None
        if not isinstance(name, str) or not name:
            name = f"{self.dataset} test split" if self.dataset else "an unnamed test set"
        return name, size

    def seen_warning(self, test_name: str) -> str | None:
        """A warning when `test_name` names digits this model trained on, else None."""
        if not isinstance(self.seen_test_sets, list) or test_name not in self.seen_test_sets:
            return None
        return (f"{self.name} was trained on the digits of {test_name}: its accuracy there overstates "
                "how it reads new digits.")

    def accuracy_text(self) -> str:
        """"99.62% on MNIST validation split, 5,000", or "" for a model never evaluated."""
        accuracy = self.test_metrics.get("accuracy") if isinstance(self.test_metrics, dict) else None
        if not isinstance(accuracy, int | float) or isinstance(accuracy, bool):
            return ""
        return f"{accuracy:.2%} on {self.test_label()}"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelMetadata:
        """Keys a newer digitpad added are skipped, and values of the wrong kind are left at their
        defaults and named in `ignored`, so one odd file never breaks a listing. A missing or
        non-text name, or JSON nested deeper than any description, is a ValueError."""
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            raise ValueError("model metadata needs a name")
        if _json_depth(data) > MAX_METADATA_DEPTH:
            raise ValueError("model metadata is nested too deeply")
        kept: dict[str, Any] = {"name": data["name"]}
        ignored: list[str] = []
        for key, check in _FIELD_CHECKS.items():
            if key in data:
                if check(data[key]):
                    kept[key] = data[key]
                else:
                    ignored.append(key)
        return cls(**kept, ignored=ignored)


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_object(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(key, str) for key in value)


def _is_texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_labels(value: Any) -> bool:
    """Class names shown in the window and printed on terminals: short, and no control or
    invisible characters (an ANSI escape in a name would repaint the user's terminal)."""
    return _is_texts(value) and all(
        0 < len(name) <= MAX_CLASS_NAME_CHARS and not any(unicodedata.category(c) in ("Cc", "Cf") for c in name)
        for name in value
    )


def _is_history(value: Any) -> bool:
    return _is_object(value) and all(
        isinstance(series, list) and all(_is_number(v) for v in series) for series in value.values()
    )


def _is_lineage(value: Any) -> bool:
    """None, or an object of numbers, flags, printable texts and objects of those (the settings
    and the scores): it is shown in the window and printed on terminals."""

    def plain(item: Any) -> bool:
        if isinstance(item, str):
            return not any(unicodedata.category(c) in ("Cc", "Cf") for c in item)
        return item is None or isinstance(item, bool | int | float)

    return value is None or (_is_object(value) and all(
        plain(item) or (_is_object(item) and all(plain(inner) for inner in item.values()))
        for item in value.values()
    ))


# The kind of value each field of `ModelMetadata` must hold, besides `name`.
_FIELD_CHECKS: dict[str, Any] = {
    "architecture": _is_object,
    "dataset": _is_text,
    "hyperparameters": _is_object,
    "history": _is_history,
    "test_metrics": _is_object,
    "preprocess_version": _is_text,
    "keras_version": _is_text,
    "tensorflow_version": _is_text,
    "param_count": _is_count,
    "training_seconds": _is_number,
    "created": _is_text,
    "class_names": _is_labels,
    "test_data": _is_object,
    "calibration": _is_object,
    "seen_test_sets": _is_texts,
    "lineage": _is_lineage,
}


def _json_depth(value: Any) -> int:
    """How deeply lists and objects nest in parsed JSON, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_METADATA_DEPTH:
                stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


@dataclass(frozen=True)
class ModelArchive:
    """The parts of a .keras file that digitpad reads without Keras."""

    weights: bytes
    metadata: ModelMetadata | None
    # The stored conversion, when there is one that is current: made from these very weights by
    # this version of digitpad's converter. Anything else is ignored and converted anew.
    converted: ConvertedModel | None = None


# ----------------------------------------------------------------------------- reading files


def read_metadata(path: str | Path) -> ModelMetadata | None:
    """The embedded description; None for plain Keras files and for a malformed description
    (the model itself may still be fine). ModelError when the file is missing or not a zip."""
    path = Path(path)
    with _open_archive(path) as archive:
        raw = _read_entry(archive, path, METADATA_ENTRY, required=False)
    return _parse_metadata(raw)


def read_model_archive(path: str | Path) -> ModelArchive:
    """Config, weights and description in one pass; ModelError naming the file for anything amiss."""
    path = Path(path)
    with _open_archive(path) as archive:
        raw_config = _read_required(archive, path, CONFIG_ENTRY)
        weights = _read_required(archive, path, WEIGHTS_ENTRY)
        raw_metadata = _read_entry(archive, path, METADATA_ENTRY, required=False)
        litert = _read_entry(archive, path, LITERT_ENTRY, required=False)
        raw_description = _read_entry(archive, path, INFERENCE_ENTRY, required=False)
    try:
        config = json.loads(raw_config)
    except ValueError as error:
        raise ModelError(f"Cannot load {path}: its {CONFIG_ENTRY} is not valid JSON ({error}).") from error
    if not isinstance(config, dict):
        raise ModelError(f"Cannot load {path}: its {CONFIG_ENTRY} does not describe a Keras model.")
    return ModelArchive(
        weights=weights,
        metadata=_parse_metadata(raw_metadata),
        converted=_current_conversion(litert, raw_description, weights),
    )


def _open_archive(path: Path) -> zipfile.ZipFile:
    if not path.exists():
        raise ModelError(f"Cannot load {path}: the file does not exist.")
    if path.is_dir():
        raise ModelError(f"Cannot load {path}: it is a folder, not a .keras model file.")
    if not path.is_file():
        # A pipe or a device: reading it could wait forever.
        raise ModelError(f"Cannot load {path}: it is not a regular file (a pipe or a device).")
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise ModelError(f"Cannot load {path}: it is not a Keras .keras file (not a zip archive).") from error
    except OSError as error:
        raise ModelError(f"Cannot read {path}: {error.strerror or error}.") from error


def _read_required(archive: zipfile.ZipFile, path: Path, entry: str) -> bytes:
    data = _read_entry(archive, path, entry, required=True)
    assert data is not None  # required entries raise ModelError when missing
    return data


def _read_entry(archive: zipfile.ZipFile, path: Path, entry: str, *, required: bool) -> bytes | None:
    try:
        info = archive.getinfo(entry)
    except KeyError:
        if required:
            message = f"Cannot load {path}: the archive has no {entry}, so it is not a complete Keras model."
            raise ModelError(message) from None
        return None
    cap = MAX_ENTRY_BYTES.get(entry, DEFAULT_MAX_ENTRY_BYTES)
    too_large = f"Cannot load {path}: its {entry} is over {cap:,} bytes, far too large for a digit model."
    if info.file_size > cap:
        raise ModelError(too_large)
    try:
        with archive.open(info) as stream:
            data = stream.read(cap + 1)
        if len(data) > cap:
            raise ModelError(too_large)
        return data
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError, OSError) as error:
        # CRC mismatch or short data (truncated copy); zipfile raises NotImplementedError for
        # compression methods it lacks and RuntimeError for encrypted entries.
        raise ModelError(f"Cannot load {path}: its {entry} is damaged ({error}).") from error


def _current_conversion(litert: bytes | None, raw_description: bytes | None, weights: bytes) -> ConvertedModel | None:
    if not litert or raw_description is None:
        return None
    try:
        description = InferenceDescription.from_dict(json.loads(raw_description))
    except (ValueError, TypeError, KeyError, RecursionError):
        return None
    if description.version != CONVERSION_VERSION or description.weights_sha256 != weights_digest(weights):
        return None  # converted by another digitpad, or the weights changed since (re-saved by Keras)
    return ConvertedModel(litert=litert, description=description)


def _parse_metadata(raw: bytes | None) -> ModelMetadata | None:
    if raw is None:
        return None
    try:
        return ModelMetadata.from_dict(json.loads(raw))
    except (ValueError, TypeError, RecursionError):
        return None


# ----------------------------------------------------------------------------- shapes


def digit_input_shape(file_name: str, input_shapes: Sequence[Sequence[int | None]]) -> tuple[int, ...]:
    """The concrete shape of one digit as this model wants it, or ModelError saying why it cannot take one.

    `input_shapes` are the model's inputs without the batch axis; None dimensions accept any size.
    """
    if len(input_shapes) != 1:
        raise ModelError(
            f"{file_name} takes {len(input_shapes)} inputs; digitpad needs one 28x28 grayscale image as input."
        )
    shape = tuple(input_shapes[0])
    for candidate in DIGIT_INPUT_SHAPES:
        if len(shape) == len(candidate) and all(d is None or d == c for d, c in zip(shape, candidate, strict=True)):
            return candidate
    raise ModelError(f"{file_name} expects input {shape}; digitpad needs a 28x28 grayscale image.")


def check_class_output(file_name: str, output_shapes: Sequence[Sequence[int | None]]) -> None:
    if len(output_shapes) != 1:
        raise ModelError(
            f"{file_name} returns {len(output_shapes)} tensors; digitpad needs one output of {NUM_CLASSES} classes."
        )
    shape = tuple(output_shapes[0])
    if len(shape) != 1:
        raise ModelError(
            f"{file_name} produces outputs of shape {shape}; digitpad needs {NUM_CLASSES} classes."
        )
    if shape[0] != NUM_CLASSES:
        raise ModelError(f"{file_name} has {shape[0]} outputs; digitpad needs {NUM_CLASSES} classes.")


# ----------------------------------------------------------------------------- Keras


def save_model(model: keras.Model, path: str | Path, metadata: ModelMetadata, *, exclusive: bool = False) -> Path:
    """Write `model` with `metadata` embedded, atomically, without optimizer state; with
    `exclusive`, FileExistsError when `path` exists (see `atomic_path`).

    Optimizer state (Adam keeps two extra copies of every weight) nearly triples the file (a
    trained digitpad-cnn: 2.5 MB with it, 0.9 MB without) and is useless for drawing and
    evaluation; the training code compiles a fresh optimizer anyway. Keras has no
    switch for that in .keras files, so the archive it writes is slimmed down afterwards: the h5
    loses its `optimizer` group and config.json its `compile_config` (else Keras would rebuild
    the optimizer on load and warn that its saved variables are missing).
    """
    path = Path(path)
    if path.suffix != MODEL_SUFFIX:
        raise StorageError(f"Cannot save {path}: model files must end in {MODEL_SUFFIX}.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(f"Could not save {path}: {error.strerror or error}.") from error
    with atomic_path(path, exclusive=exclusive) as temporary:
        model.save(temporary)
        entries = archive_entries(temporary)
        entries = [(info, _slimmed(info.filename, data)) for info, data in entries]
        weights = next(data for info, data in entries if info.filename == WEIGHTS_ENTRY)
        write_archive(temporary, entries, metadata, converted=_converted_or_none(model, path, weights))
    return path


def _converted_or_none(model: keras.Model, path: Path, weights: bytes) -> ConvertedModel | None:
    """The LiteRT form to store with the model; None (drawing then uses Keras) when LiteRT
    cannot represent it."""
    from digitpad.core.conversion import convert

    input_shape = digit_input_shape(path.name, [tuple(tensor.shape[1:]) for tensor in model.inputs])
    try:
        return convert(model, input_shape, weights)
    except ModelError as error:
        log.warning("Saving %s without its LiteRT form: %s", path, error)
        return None


def load_keras_model(path: str | Path) -> keras.Model:
    """The model as Keras sees it (needs TensorFlow); safe_mode refuses files that carry code."""
    path = Path(path)
    with _open_archive(path) as archive:
        _read_required(archive, path, CONFIG_ENTRY)
        weights = _read_required(archive, path, WEIGHTS_ENTRY)
    with open_weights(path, weights):
        pass  # damaged weights, or weights kept outside the file, get digitpad's own message
    import keras

    try:
        model = keras.saving.load_model(path, safe_mode=True)
    except Exception as error:  # Keras reports bad files with many exception types
        raise ModelError(_keras_load_problem(path, error)) from error
    digit_input_shape(path.name, [tuple(tensor.shape[1:]) for tensor in model.inputs])
    check_class_output(path.name, [tuple(tensor.shape[1:]) for tensor in model.outputs])
    return model


def _keras_load_problem(path: Path, error: Exception) -> str:
    text = str(error)
    if "safe_mode" in text or "arbitrary code" in text:
        return (
            f"Refusing to load {path}: it contains Python code (such as a Lambda layer) that could do "
            "anything on this computer, so digitpad only loads models made of standard Keras layers."
        )
    if "Could not locate class" in text or "could not be deserialized" in text:
        found = re.search(r"Could not locate class '([^']+)'", text)
        layer = f" ({found.group(1)})" if found else ""
        return f"Cannot load {path}: it uses a custom layer{layer} that is not part of Keras."
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith(":"):
        # "A total of 1 objects could not be loaded. Example error message for object <Dense>:"
        # says nothing by itself; the line after it says what is wrong.
        detail = lines[1].split(" Target variable:")[0].rstrip(".")
        return f"Cannot load {path}: its weights do not fit its layers ({detail})."
    first_line = lines[0] if lines else type(error).__name__
    return f"Cannot load {path}: Keras could not read it ({first_line.rstrip('.')})."


# ----------------------------------------------------------------------------- archive rewriting


def archive_entries(path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Every member, each read under its cap (a model imported from elsewhere may hide a zip bomb
    in a member digitpad does not otherwise read)."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > MAX_ARCHIVE_MEMBERS:
            raise ModelError(f"Cannot load {path}: it holds {len(members):,} files, far more than a Keras model.")
        return [(info, _read_required(archive, path, info.filename)) for info in members]


def _slimmed(entry: str, data: bytes) -> bytes:
    if entry == WEIGHTS_ENTRY:
        return _without_optimizer(data)
    if entry == CONFIG_ENTRY:
        config = json.loads(data)
        config.pop("compile_config", None)
        return json.dumps(config).encode("utf-8")
    return data


def _without_optimizer(weights: bytes) -> bytes:
    import h5py

    slim = io.BytesIO()
    with h5py.File(io.BytesIO(weights), "r") as source, h5py.File(slim, "w") as target:
        for key, value in source.attrs.items():
            target.attrs[key] = value
        for key in source:
            if key != "optimizer":
                source.copy(source[key], target, key)
    return slim.getvalue()


def write_archive(
    path: Path,
    entries: list[tuple[zipfile.ZipInfo, bytes]],
    metadata: ModelMetadata | None,
    *,
    converted: ConvertedModel | None = None,
) -> None:
    """Rewrite `path` with `entries` (each keeps its compression: Keras stores the h5 uncompressed
    so that it can seek in it) and `metadata` as digitpad.json, replacing any previous one; with
    `converted`, its LiteRT form replaces any stored one too."""
    replaced = ({METADATA_ENTRY} if metadata is not None else set()) | (
        {LITERT_ENTRY, INFERENCE_ENTRY} if converted is not None else set()
    )
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            if info.filename not in replaced:
                archive.writestr(info, data)
        if metadata is not None:
            text = json.dumps(metadata.to_dict(), indent=1, default=_json_value)
            archive.writestr(METADATA_ENTRY, text, compress_type=zipfile.ZIP_DEFLATED)
        if converted is not None:
            archive.writestr(LITERT_ENTRY, converted.litert, compress_type=zipfile.ZIP_DEFLATED)
            description = json.dumps(converted.description.to_dict(), indent=1)
            archive.writestr(INFERENCE_ENTRY, description, compress_type=zipfile.ZIP_DEFLATED)


def _json_value(value: Any) -> Any:
    """NumPy numbers and arrays that slip into histories or metrics, as plain JSON values."""
    if isinstance(value, (np.generic, np.ndarray)):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} cannot be stored in model metadata")
