"""Bring digits into the personal store and take them out, in the formats digit data sets use.

Imports read what `digitpad train --data` reads (a folder with subfolders 0-9 of images, an .npz
with x/y, an IDX folder) with the same readers, but one bad picture does not stop the rest: it is
listed with its reason and skipped, and everything else is added in one transaction, so an
interrupted import adds nothing rather than half a folder.

Gray pictures of 28x28 pixels are taken as model inputs already and stored as they are (only
inverted when the ink is dark on a light background), which makes export and re-import exact;
larger pictures go through `preprocess`, as a drawing on the canvas does.

Exports are MNIST-shaped (uint8 28x28, white ink on black) so `digitpad evaluate --data` and
`digitpad train --data` read them, as can any MNIST tool.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from digitpad.core.atomic import atomic_write_bytes
from digitpad.core.cancellation import StopSignal, raise_if_stopped
from digitpad.core.datasets import (
    IDX_FILE_NAMES,
    IDX_IMAGES_MAGIC,
    IDX_LABELS_MAGIC,
    XY_KEYS,
    digit_subfolders,
    from_one_hot,
    idx_name,
    idx_pair,
    idx_path,
    labelled_image_files,
    npz_array,
    open_npz,
)
from digitpad.core.digit_store import DigitStore
from digitpad.core.errors import DataError, DigitpadError, NothingDrawnError, StorageError
from digitpad.core.imageio import read_image
from digitpad.core.preprocess import has_ink, preprocess

Progress = Callable[[float], None]

FORMATS = ("npz", "png", "idx")
# `digitpad evaluate --data FOLDER` reads an IDX folder's "t10k" pair as its test set, so an
# export is written under that prefix: the personal digits are a test set for any model.
IDX_EXPORT_PREFIX = "t10k"
_SIDE = 28
# Import progress is reported this often at most; a GUI signal per image would flood its queue.
_PROGRESS_STEPS = 100


@dataclass(frozen=True)
class ImportReport:
    """How many digits an import added, and what it skipped: (file or entry, reason) pairs."""

    added: int
    skipped: list[tuple[str, str]] = field(default_factory=list)


def import_digits(
    store: DigitStore, path: str | Path, *, progress: Progress | None = None, stop_event: StopSignal | None = None
) -> ImportReport:
    """Add the digits of a folder (subfolders 0-9 of images, or IDX files) or an .npz (x/y) to `store`.

    Bad files and entries are skipped and listed; the rest go in one transaction. Raises DataError
    when `path` holds nothing to import at all, `Cancelled` (adding nothing) when `stop_event` is set.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise DataError(f"{path} does not exist.")
    if path.is_file() and path.name in IDX_FILE_NAMES:
        path = path.parent  # a file dialog picks files: one IDX file stands for its folder
    if path.is_dir():
        if any(idx_path(path, prefix, "images") for prefix in ("train", "t10k")):
            labels, images, skipped = _read_idx_folder(path)
        elif digit_subfolders(path):
            labels, images, skipped = _read_image_folder(path, progress, stop_event)
        else:
            raise DataError(f"{path} holds neither subfolders named 0-9 with images nor IDX files.")
    elif path.is_file():
        labels, images, skipped = _read_npz(path, progress, stop_event)
    else:
        raise DataError(f"{path} is neither a file nor a folder (a pipe or a device?): it cannot be imported.")
    raise_if_stopped(stop_event, "importing the digits")
    store.add_many(labels, images, source=f"imported: {path.name}")
    if progress is not None:
        progress(1.0)
    return ImportReport(added=len(labels), skipped=skipped)


def export_digits(store: DigitStore, out: str | Path, *, format: str | None = None) -> int:
    """Write every stored digit to `out` and return how many: an .npz (x uint8 (N, 28, 28) white
    ink on black, y uint8), a folder with subfolders 0-9 of PNGs named by id, or an IDX folder.

    Without `format`, a name ending in .npz means npz and anything else a folder of PNGs.
    """
    out = Path(out).expanduser()
    format = format or ("npz" if out.suffix.lower() == ".npz" else "png")
    if format not in FORMATS:
        raise DataError(f"Cannot export to the format {format!r}: digitpad writes {', '.join(FORMATS)}.")
    digits = store.digits()
    if not digits:
        raise DataError("There are no digits to export yet.")
    ids = [digit.id for digit in digits]
    x = np.stack([_to_uint8(digit.image) for digit in digits])
    y = np.array([digit.label for digit in digits], dtype=np.uint8)
    if format == "npz":
        _export_npz(out, x, y)
    elif format == "idx":
        _export_idx(out, x, y)
    else:
        _export_png(out, ids, x, y)
    return len(digits)


# --- import ----------------------------------------------------------------------------------


def _read_image_folder(
    folder: Path, progress: Progress | None, stop_event: StopSignal | None
) -> tuple[list[int], list[np.ndarray], list[tuple[str, str]]]:
    files = labelled_image_files(folder)
    skipped = [(str(other.relative_to(folder)), "not an image file digitpad reads")
               for other in _other_entries(folder, {path for path, _label in files})]
    labels, images = [], []
    every = max(1, len(files) // _PROGRESS_STEPS)
    for index, (path, label) in enumerate(files, start=1):
        raise_if_stopped(stop_event, "reading the images")
        try:
            images.append(_model_input(read_image(path)))
            labels.append(label)
        except DigitpadError as exc:
            skipped.append((str(path.relative_to(folder)), _reason(exc)))
        if progress is not None and index % every == 0:
            progress(0.99 * index / len(files))
    if not files and not skipped:
        raise DataError(f"{folder} has no images in its subfolders 0-9.")
    return labels, images, skipped


def _other_entries(folder: Path, images: set[Path]) -> list[Path]:
    """Visible entries of the digit subfolders that are not images, so the report can name them."""
    return [
        entry
        for subfolder in digit_subfolders(folder)
        for entry in sorted(subfolder.iterdir())
        if entry not in images and not entry.name.startswith(".")
    ]


def _read_idx_folder(folder: Path) -> tuple[list[int], list[np.ndarray], list[tuple[str, str]]]:
    """Every IDX pair in the folder (train and t10k); they are checked whole, as IDX files have no parts."""
    labels: list[int] = []
    images: list[np.ndarray] = []
    skipped: list[tuple[str, str]] = []
    for prefix in ("train", "t10k"):
        if idx_path(folder, prefix, "images") is None:
            continue
        try:
            x, y = idx_pair(folder, prefix)
        except DataError as exc:
            skipped.append((idx_name(prefix, "images"), _reason(exc)))
            continue
        labels.extend(int(label) for label in y)
        images.extend(x)
    return labels, images, skipped


def _read_npz(
    path: Path, progress: Progress | None, stop_event: StopSignal | None
) -> tuple[list[int], list[np.ndarray], list[tuple[str, str]]]:
    with open_npz(path) as archive:
        if not set(XY_KEYS) <= set(archive.files):
            found = ", ".join(sorted(archive.files)) or "nothing"
            raise DataError(f"{path} holds no arrays named x and y (it has {found}).")
        x, y = (npz_array(archive, path, key) for key in XY_KEYS)
    y = _label_column(y, path)
    if x.dtype.kind not in "uifb" or x.ndim not in (2, 3, 4) or len(x) != len(y):
        raise DataError(f"{path} has x of {x.dtype} and shape {x.shape} for {len(y)} labels; "
                        "expected one image (N, height, width[, channels]) or (N, 784) per label.")
    if x.ndim == 2:
        if x.shape[1] != _SIDE * _SIDE:
            raise DataError(f"{path} has flat images of {x.shape[1]} values; expected 784 (28x28).")
        x = x.reshape(len(x), _SIDE, _SIDE)
    # Floats in 0..1 are the Keras convention; decided for the whole array, as training does.
    finite = x[np.isfinite(x)] if x.dtype.kind == "f" else x
    scale = 255.0 if x.dtype.kind == "f" and finite.size and float(finite.max()) <= 1.0 else 1.0
    labels, images, skipped = [], [], []
    every = max(1, len(x) // _PROGRESS_STEPS)
    for index, (raw_label, picture) in enumerate(zip(y, x, strict=True)):
        raise_if_stopped(stop_event, "reading the images")
        entry = f"{path.name} entry {index}"
        if not (np.isfinite(raw_label) and raw_label == round(raw_label) and 0 <= raw_label <= 9):
            skipped.append((entry, f"label {raw_label:g} is not a digit 0-9"))
            continue
        values = np.asarray(picture, dtype=np.float64) * scale
        if not np.all(np.isfinite(values)) or values.min() < 0 or values.max() > 255:
            skipped.append((entry, "its pixel values are not all in 0-255 (or 0-1 for floats)"))
            continue
        try:
            images.append(_model_input(np.rint(values).astype(np.uint8)))
            labels.append(int(raw_label))
        except DigitpadError as exc:
            skipped.append((entry, _reason(exc)))
        if progress is not None and (index + 1) % every == 0:
            progress(0.99 * (index + 1) / len(x))
    return labels, images, skipped


def _label_column(y: np.ndarray, path: Path) -> np.ndarray:
    """Labels as a float column (so bad ones can be reported one by one): (N,), (N, 1) or one-hot."""
    if y.dtype.kind not in "uifb":
        raise DataError(f"{path} has labels of type {y.dtype}; expected numbers.")
    if y.ndim == 2 and y.shape[1] == 10:
        y = from_one_hot(y, str(path))
    elif y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    elif y.ndim != 1:
        raise DataError(f"{path} has labels of shape {y.shape}; expected (N,) or one-hot (N, 10).")
    return y.astype(np.float64)


def _model_input(picture: np.ndarray) -> np.ndarray:
    """uint8 (28, 28) white ink on black: a 28x28 gray picture as it is, anything else preprocessed."""
    if picture.ndim == 3 and picture.shape[2] == 1:
        picture = picture[:, :, 0]
    if picture.shape == (_SIDE, _SIDE):
        if not has_ink(picture):
            raise NothingDrawnError("the image holds no ink")
        border = np.concatenate((picture[0], picture[-1], picture[1:-1, 0], picture[1:-1, -1]))
        # Dark ink on light paper is turned round: the store keeps digits as MNIST shows them.
        return 255 - picture if float(np.median(border)) > 127 else picture
    return np.rint(preprocess(picture) * 255.0).astype(np.uint8)


def _reason(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text.rstrip(".")


# --- export ----------------------------------------------------------------------------------


def _to_uint8(image: np.ndarray) -> np.ndarray:
    return np.rint(np.asarray(image, dtype=np.float64) * 255.0).astype(np.uint8)


def _export_npz(out: Path, x: np.ndarray, y: np.ndarray) -> None:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, x=x, y=y)
    atomic_write_bytes(out, buffer.getvalue())


def _export_idx(out: Path, x: np.ndarray, y: np.ndarray) -> None:
    if out.exists() and not out.is_dir():
        raise DataError(f"Cannot export to {out}: it is a file, and IDX files are written into a folder.")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"Cannot export to {out}: {exc.strerror or exc}.") from exc
    for kind, magic, array in (("images", IDX_IMAGES_MAGIC, x), ("labels", IDX_LABELS_MAGIC, y)):
        header = magic.to_bytes(4, "big") + np.array(array.shape, ">u4").tobytes()
        atomic_write_bytes(out / idx_name(IDX_EXPORT_PREFIX, kind), header + array.tobytes())


def _export_png(out: Path, ids: list[int], x: np.ndarray, y: np.ndarray) -> None:
    """Written into a temporary folder beside `out` and renamed into place, so a failed export
    leaves no half-filled folder; `out` must be new or empty, so no older export is mixed in."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise DataError(f"Cannot export to {out}: choose a new or empty folder for the PNG files.")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as exc:
        raise StorageError(f"Cannot export to {out}: {exc.strerror or exc}.") from exc
    try:
        for digit in range(10):
            (staging / str(digit)).mkdir()
        for digit_id, image, label in zip(ids, x, y, strict=True):
            Image.fromarray(image).save(staging / str(label) / f"{digit_id:06d}.png")
        if out.exists():
            out.rmdir()  # empty, checked above
        os.rename(staging, out)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise StorageError(f"Cannot export to {out}: {exc.strerror or exc}.") from exc
        raise

