"""Dataset sources for training and evaluation, all turned into MNIST-style uint8 arrays.

Every source (a named dataset, a .npz file, an IDX folder, a folder of digit images) goes through
one validation step, `_validated`, so the rest of digitpad can trust shapes, dtypes and labels, and
a user whose data is wrong gets one sentence naming the file and the problem.

Keras is imported only on the download path: listing or loading local data must not pay the
seconds TensorFlow takes to import, because the GUI calls this module before TensorFlow is up.
"""

from __future__ import annotations

import dataclasses
import gzip
import logging
import math
import os
import socket
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.core.cancellation import Cancelled, StopSignal, raise_if_stopped
from digitpad.core.errors import DataError, ImageError, NothingDrawnError
from digitpad.core.imageio import read_image
from digitpad.core.resources import bundled_mnist_path

Progress = Callable[[float], None]
_LOG = logging.getLogger(__name__)

MNIST_CLASS_NAMES: tuple[str, ...] = tuple(str(digit) for digit in range(10))
FASHION_CLASS_NAMES: tuple[str, ...] = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
DATASET_NAMES: tuple[str, ...] = ("mnist", "fashion-mnist")

OFFLINE_ENV = "DIGITPAD_OFFLINE"
KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
MNIST_FILE = "mnist.npz"
# The hash keras.datasets.mnist checks, so a damaged download is caught before it is cached.
MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
FASHION_DIR_NAME = "fashion-mnist"
DEBIAN_FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
FASHION_APT_HINT = "apt-get install dataset-fashion-mnist"
# Per socket operation, not for the whole file: an offline machine falls back within seconds
# while a slow but working connection still finishes.
DOWNLOAD_TIMEOUT_S = 10.0

SPLIT_SEED = 0
TEST_FRACTION = 1 / 6  # MNIST's own 60,000 / 10,000 proportion
BUNDLED_TEST_FRACTION = 0.1  # the bundled 10,000 digits -> 9,000 train / 1,000 test
BUNDLED_TEST_NAME = "bundled held-out MNIST"

# Ten times MNIST's training images; read no further, compressed or not.
MAX_IDX_BYTES = 512 * 2**20
IDX_IMAGES_MAGIC = 2051  # 0x0803: unsigned bytes, 3 dimensions
IDX_LABELS_MAGIC = 2049  # 0x0801: unsigned bytes, 1 dimension
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".pgm", ".ppm"})
_IMAGE_SHAPES = ((28, 28), (28, 28, 1), (784,))
_PROGRESS_STEPS = 100  # enough for a smooth bar, few enough not to flood a GUI signal queue


@dataclass(frozen=True)
class Dataset:
    """Train and test arrays: x uint8 (N, 28, 28) white ink on black, y uint8 (N,) in 0..9."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]
    notes: tuple[str, ...] = ()
    # What the test arrays are, for people: a test accuracy means little without its data set.
    test_name: str = ""

    @property
    def test_data(self) -> dict[str, str | int]:
        """The test arrays' name and size, as models and JSON reports record them."""
        return {"name": self.test_name or f"{self.name} test", "size": len(self.y_test)}

    @property
    def test_label(self) -> str:
        """The test arrays named with their size, as every accuracy shown is labelled: "MNIST test, 10,000"."""
        return f"{self.test_data['name']}, {len(self.y_test):,}"


def load_dataset(
    source: str | Path, *, progress: Progress | None = None, stop_event: StopSignal | None = None
) -> Dataset:
    """Load a dataset for training from a name ("mnist", "fashion-mnist") or a file or folder path.

    Raises DataError with one sentence naming the file and the problem when the source is
    missing or malformed, and `Cancelled` when `stop_event` is set: it is checked before and
    after a download, between images of a folder and before the arrays are validated.
    """
    return _load(source, test_only=False, progress=progress, stop_event=stop_event)


def image_warnings(x: np.ndarray) -> list[str]:
    """Sentences about uint8 (N, 28, 28) images that do not look like MNIST's, in the ways that
    quietly ruin a model's figures: inverted (dark ink on a light background) or binarized."""
    if len(x) == 0:
        return []
    sample = x[:: max(1, len(x) // 2000)]
    warnings = []
    border = np.concatenate((sample[:, 0], sample[:, -1], sample[:, :, 0], sample[:, :, -1]), axis=1)
    if float(np.median(border)) > 127:
        warnings.append("These images look inverted (dark digits on a light background); digitpad's "
                        "models read light ink on black, as in MNIST, so their accuracy here will be poor.")
    elif float(np.isin(sample, (0, 255)).mean()) > 0.999:
        warnings.append("These images are pure black and white (binarized); models trained on MNIST's "
                        "grey edges may read them a little worse.")
    return warnings


def load_test_set(
    source: str | Path, *, progress: Progress | None = None, stop_event: StopSignal | None = None
) -> Dataset:
    """Load only what evaluation needs: the test split, or the whole of an unsplit x/y source,
    with its name and notes (the training arrays are empty).

    Reading only the test part matters for large sources: it skips decompressing MNIST-sized
    training files, and lets users evaluate on a file that holds nothing but x_test/y_test.
    """
    return _load(source, test_only=True, progress=progress, stop_event=stop_event)


def load_test_arrays(
    source: str | Path, *, progress: Progress | None = None, stop_event: StopSignal | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """`load_test_set`'s images and labels alone."""
    dataset = load_test_set(source, progress=progress, stop_event=stop_event)
    return dataset.x_test, dataset.y_test


# --- dispatch ------------------------------------------------------------------------------


def _load(
    source: str | Path, *, test_only: bool, progress: Progress | None, stop_event: StopSignal | None
) -> Dataset:
    raise_if_stopped(stop_event, "loading the data")
    name = source.strip().lower() if isinstance(source, str) else ""
    path = Path(source).expanduser()
    if name == "mnist":
        dataset = _load_mnist(test_only, progress, stop_event)
    elif name == "fashion-mnist":
        dataset = _load_fashion_mnist(test_only, progress, stop_event)
    elif not path.exists():
        raise DataError(f"{path} does not exist.")
    elif not path.is_file() and not path.is_dir():
        raise DataError(f"{path} is neither a file nor a folder (a pipe or a device?): it cannot be read as data.")
    elif path.is_file() and path.name in IDX_FILE_NAMES:
        # A file dialog picks files, not folders: one IDX file stands for the folder holding the set.
        dataset = _load_idx_dir(path.parent, test_only)
    elif path.is_file():
        dataset = _load_npz(path, test_only)
    elif idx_path(path, "train", "images") or idx_path(path, "t10k", "images"):
        dataset = _load_idx_dir(path, test_only)
    elif digit_subfolders(path):
        dataset = _load_image_folder(path, test_only, progress, stop_event)
    else:
        raise DataError(
            f"{path} holds neither IDX files (train-images-idx3-ubyte[.gz] and friends) "
            "nor subfolders named 0-9 with images."
        )
    raise_if_stopped(stop_event, "loading the data")
    _report(progress, 1.0)
    return dataset


def _report(progress: Progress | None, fraction: float) -> None:
    if progress is not None:
        progress(min(1.0, max(0.0, fraction)))


# --- validation: the single gate every loader goes through ---------------------------------


def _validated(
    images: np.ndarray, labels: np.ndarray, *, images_from: str, labels_from: str
) -> tuple[np.ndarray, np.ndarray]:
    """Check and normalise one (images, labels) pair to uint8 (N, 28, 28) and uint8 (N,).

    `images_from`/`labels_from` name where the arrays came from, for the error sentence.
    Always returns fresh, writable, contiguous arrays: data read with np.frombuffer is read-only,
    and callers (shuffles, augmentation) must not trip over that later.
    """
    x = _as_images(np.asarray(images), images_from)
    y = _as_labels(np.asarray(labels), labels_from)
    if len(x) != len(y):
        if images_from == labels_from:
            raise DataError(f"{images_from} has {len(x)} images but {len(y)} labels.")
        raise DataError(f"{images_from} has {len(x)} images but {labels_from} has {len(y)} labels.")
    return x, y


def _as_images(x: np.ndarray, where: str) -> np.ndarray:
    if x.dtype.kind not in "uif":
        raise DataError(f"{where} has images of type {x.dtype}; expected numbers.")
    if x.ndim < 2 or x.shape[1:] not in _IMAGE_SHAPES:
        raise DataError(f"{where} has images of shape {x.shape}; expected (N, 28, 28), (N, 28, 28, 1) or (N, 784).")
    if len(x) == 0:
        raise DataError(f"{where} holds no images.")
    if x.dtype.kind == "f" and not np.all(np.isfinite(x)):
        raise DataError(f"{where} has pixel values that are NaN or infinite.")
    low, high = float(x.min()), float(x.max())
    if low < 0 or high > 255:
        raise DataError(f"{where} has pixel values from {low:g} to {high:g}; expected 0-255 (or 0-1 for floats).")
    if x.dtype.kind == "f":
        # Floats in [0, 1] are the Keras convention (x / 255); larger floats are taken as 0-255.
        x = np.rint(x * 255.0 if high <= 1.0 else x)
    return np.array(x.reshape(len(x), 28, 28), dtype=np.uint8)


def _as_labels(y: np.ndarray, where: str) -> np.ndarray:
    if y.dtype.kind not in "uif":
        raise DataError(f"{where} has labels of type {y.dtype}; expected integers.")
    if y.ndim == 2 and y.shape[1] == 10:
        y = from_one_hot(y, where)
    elif y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    elif y.ndim != 1:
        raise DataError(f"{where} has labels of shape {y.shape}; expected (N,) or one-hot (N, 10).")
    if y.dtype.kind == "f" and not np.all(np.isfinite(y) & (y == np.round(y))):
        raise DataError(f"{where} has labels that are not whole numbers.")
    out_of_range = y[(y < 0) | (y > 9)]
    if out_of_range.size:
        raise DataError(f"{where} has label {int(out_of_range[0])}; labels must be 0-9.")
    return np.array(y, dtype=np.uint8)


def from_one_hot(y: np.ndarray, where: str) -> np.ndarray:
    if not (np.all((y == 0) | (y == 1)) and np.all(y.sum(axis=1) == 1)):
        raise DataError(f"{where} has labels of shape {y.shape} that are not one-hot rows of 0s and a single 1.")
    return y.argmax(axis=1)


# --- dataset assembly ------------------------------------------------------------------------


def _split(name: str, x: np.ndarray, y: np.ndarray, *, test_fraction: float, where: str) -> Dataset:
    """Seeded shuffle, last `test_fraction` as test: the same file always gives the same split,
    so accuracies of models trained on it at different times are comparable."""
    if len(x) < 2:
        raise DataError(f"{where} has only {len(x)} image; at least 2 are needed for a training and a test set.")
    order = np.random.default_rng(SPLIT_SEED).permutation(len(x))
    n_test = min(len(x) - 1, max(1, round(len(x) * test_fraction)))
    train, test = order[:-n_test], order[-n_test:]
    return Dataset(name, x[train], y[train], x[test], y[test], MNIST_CLASS_NAMES, test_name=f"held-out part of {name}")


def _test_only(name: str, x: np.ndarray, y: np.ndarray) -> Dataset:
    """A Dataset holding only test arrays; used internally by load_test_arrays."""
    empty_x, empty_y = np.empty((0, 28, 28), np.uint8), np.empty((0,), np.uint8)
    return Dataset(name, empty_x, empty_y, x, y, MNIST_CLASS_NAMES, test_name=name)


def _unsplit(
    name: str, x: np.ndarray, y: np.ndarray, *, test_only: bool, where: str, test_fraction: float = TEST_FRACTION
) -> Dataset:
    """Sources without a split: evaluation uses all of them, training splits them."""
    if test_only:
        return _test_only(name, x, y)
    return _split(name, x, y, test_fraction=test_fraction, where=where)


# --- .npz ------------------------------------------------------------------------------------

_TRAIN_KEYS = ("x_train", "y_train")
_TEST_KEYS = ("x_test", "y_test")
XY_KEYS = ("x", "y")


def _load_npz(path: Path, test_only: bool, *, test_fraction: float = TEST_FRACTION) -> Dataset:
    """Keras layout (x_train/y_train/x_test/y_test) or x/y; never unpickles (allow_pickle=False)."""
    with open_npz(path) as archive:
        keys = set(archive.files)
        if test_only and set(_TEST_KEYS) <= keys:
            return _test_only(path.name, *_npz_pair(archive, path, _TEST_KEYS))
        if not test_only and set(_TRAIN_KEYS + _TEST_KEYS) <= keys:
            x_train, y_train = _npz_pair(archive, path, _TRAIN_KEYS)
            x_test, y_test = _npz_pair(archive, path, _TEST_KEYS)
            return Dataset(path.name, x_train, y_train, x_test, y_test, MNIST_CLASS_NAMES, test_name=f"{path.name} test")
        if set(XY_KEYS) <= keys:
            x, y = _npz_pair(archive, path, XY_KEYS)
            return _unsplit(path.name, x, y, test_only=test_only, where=str(path), test_fraction=test_fraction)
    wanted = "x_test/y_test" if test_only else "x_train/y_train/x_test/y_test"
    found = ", ".join(sorted(keys)) or "nothing"
    raise DataError(f"{path} holds no arrays named {wanted} or x/y (it has {found}).")


@contextmanager
def open_npz(path: Path) -> Iterator[np.lib.npyio.NpzFile]:
    """The archive, open while the caller reads arrays from it lazily.

    The file is opened here, not by np.load, because np.load leaks its handle when the zip is bad.
    """
    try:
        stream = open(path, "rb")  # noqa: SIM115 - only the open may raise here; `with` below closes it
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    with stream:
        try:
            archive = np.load(stream, allow_pickle=False)
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
            raise DataError(f"{path} is not a .npz file, or it is damaged or truncated.") from exc
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise DataError(f"{path} holds a single unnamed array (.npy); expected a .npz with named arrays.")
        with archive:
            yield archive


def _npz_pair(archive: np.lib.npyio.NpzFile, path: Path, keys: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
    where = str(path) if keys == XY_KEYS else f"{path} ({keys[0]}/{keys[1]})"
    images, labels = (npz_array(archive, path, key) for key in keys)
    return _validated(images, labels, images_from=where, labels_from=where)


def npz_array(archive: np.lib.npyio.NpzFile, path: Path, key: str) -> np.ndarray:
    try:
        _check_npz_array_size(archive, path, key)
        return archive[key]
    except ValueError as exc:
        # Object arrays need pickle, which can run arbitrary code: refuse rather than trust the file.
        raise DataError(f"{path} stores {key} as Python objects, which digitpad refuses to unpickle.") from exc
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        raise DataError(f"{path} is damaged: its array {key} cannot be decompressed.") from exc


def _check_npz_array_size(archive: np.lib.npyio.NpzFile, path: Path, key: str) -> None:
    """Refuse an array whose header announces more than MAX_IDX_BYTES, before NumPy allocates and
    inflates it: a 1 MB .npz can announce gigabytes of zeros."""
    if archive.zip is None:  # only once the archive is closed, never while a caller reads it
        raise DataError(f"{path} was closed before its array {key} was read.")
    with archive.zip.open(f"{key}.npy") as member:
        version = np.lib.format.read_magic(member)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _fortran_order, dtype = read_header(member)
    if math.prod(shape) * dtype.itemsize > MAX_IDX_BYTES:
        raise DataError(f"{path} announces more than {MAX_IDX_BYTES // 2**20} MB in its array {key}, "
                        "far more than a digit data set.")


# --- IDX ---------------------------------------------------------------------------------------


def idx_name(prefix: str, kind: str) -> str:
    """The canonical name, e.g. "train-images-idx3-ubyte" for ("train", "images")."""
    return f"{prefix}-{kind}-idx{3 if kind == 'images' else 1}-ubyte"


def _idx_candidates(prefix: str, kind: str) -> tuple[str, ...]:
    """Accepted names: gzipped or not, and the "train-images.idx3-ubyte" spelling of several MNIST mirrors."""
    canonical = idx_name(prefix, kind)
    dotted = canonical.replace(f"-{kind}-", f"-{kind}.")
    return (canonical, canonical + ".gz", dotted, dotted + ".gz")


IDX_FILE_NAMES = frozenset(
    name for prefix in ("train", "t10k") for kind in ("images", "labels") for name in _idx_candidates(prefix, kind)
)


def idx_path(folder: Path, prefix: str, kind: str) -> Path | None:
    return next((folder / name for name in _idx_candidates(prefix, kind) if (folder / name).is_file()), None)


def _idx_prefixes(test_only: bool) -> tuple[str, ...]:
    return ("t10k",) if test_only else ("train", "t10k")


def _has_idx_files(folder: Path, test_only: bool) -> bool:
    prefixes = _idx_prefixes(test_only)
    return all(idx_path(folder, prefix, kind) for prefix in prefixes for kind in ("images", "labels"))


def _load_idx_dir(folder: Path, test_only: bool) -> Dataset:
    if test_only:
        return _test_only(folder.name, *idx_pair(folder, "t10k"))
    x_train, y_train = idx_pair(folder, "train")
    x_test, y_test = idx_pair(folder, "t10k")
    return Dataset(folder.name, x_train, y_train, x_test, y_test, MNIST_CLASS_NAMES, test_name=f"{folder.name} t10k")


def idx_pair(folder: Path, prefix: str) -> tuple[np.ndarray, np.ndarray]:
    paths = []
    for kind in ("images", "labels"):
        path = idx_path(folder, prefix, kind)
        if path is None:
            raise DataError(f"{folder} has no {idx_name(prefix, kind)}[.gz] file.")
        paths.append(path)
    images = _read_idx(paths[0], IDX_IMAGES_MAGIC)
    labels = _read_idx(paths[1], IDX_LABELS_MAGIC)
    return _validated(images, labels, images_from=str(paths[0]), labels_from=str(paths[1]))


def _read_idx(path: Path, magic: int) -> np.ndarray:
    """Parse an IDX file (big-endian magic, then one uint32 per dimension, then uint8 data)."""
    data = _read_bytes(path)
    kind = "image" if magic == IDX_IMAGES_MAGIC else "label"
    if len(data) < 4:
        raise DataError(f"{path} is too short to be an IDX {kind} file.")
    found = int.from_bytes(data[:4], "big")
    if found != magic:
        raise DataError(f"{path} is not an IDX {kind} file (magic number {found}, expected {magic}).")
    ndim = magic & 0xFF
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DataError(f"{path} is truncated: its header is incomplete.")
    dims = tuple(int(d) for d in np.frombuffer(data, ">u4", count=ndim, offset=4))
    # Python's product, not NumPy's: 2^31 x 2^31 x 4 wraps to 0 in 64 bits and would pass.
    expected, actual = math.prod(dims), len(data) - header
    if actual < expected:
        raise DataError(f"{path} is truncated: its header announces {expected} bytes of data but it holds {actual}.")
    if actual > expected:
        raise DataError(f"{path} has {actual - expected} unexpected bytes after the data its header announces.")
    return np.frombuffer(data, np.uint8, offset=header).reshape(dims)


def _read_bytes(path: Path) -> bytes:
    """Whole file contents, gunzipped when the content is gzip (judged by its magic, not its name).

    Both are capped at MAX_IDX_BYTES while they are read: a small .gz can inflate to gigabytes.
    """
    if not path.is_file():
        raise DataError(f"{path} is not a regular file (a pipe or a device?): it cannot be read as data.")
    too_large = DataError(f"{path} holds more than {MAX_IDX_BYTES // 2**20} MB of data, far more than a digit data set.")
    try:
        with open(path, "rb") as stream:
            gzipped = stream.read(2) == b"\x1f\x8b"
            stream.seek(0)
            with gzip.open(stream, "rb") if gzipped else stream as content:
                data = content.read(MAX_IDX_BYTES + 1)
        if len(data) > MAX_IDX_BYTES:
            raise too_large
    except EOFError as exc:
        raise DataError(f"{path} is truncated: the gzip stream ends early.") from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise DataError(f"{path} is a damaged gzip file.") from exc
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    return data


def _unreadable(path: Path, exc: OSError) -> DataError:
    return DataError(f"{path} cannot be read: {exc.strerror or exc}.")


# --- folder of images ---------------------------------------------------------------------------


def digit_subfolders(folder: Path) -> list[Path]:
    return [folder / str(digit) for digit in range(10) if (folder / str(digit)).is_dir()]


def labelled_image_files(folder: Path) -> list[tuple[Path, int]]:
    """Image files per digit subfolder, sorted, so the same folder always gives the same dataset.
    Hidden files and other extensions (.DS_Store, Thumbs.db, notes) are not images and are ignored."""
    return [
        (path, int(subfolder.name))
        for subfolder in digit_subfolders(folder)
        for path in sorted(subfolder.iterdir())
        if path.is_file() and not path.name.startswith(".") and path.suffix.lower() in IMAGE_SUFFIXES
    ]


def _load_image_folder(
    folder: Path, test_only: bool, progress: Progress | None, stop_event: StopSignal | None
) -> Dataset:
    """Each image goes through the app's own preprocessing, exactly like a drawing on the canvas,
    so a model trained or evaluated on the folder sees what it will see in use."""
    # Imported here: preprocess is only needed for this source, and the module stays importable
    # on its own.
    from digitpad.core.preprocess import preprocess

    files = labelled_image_files(folder)
    if not files:
        raise DataError(f"{folder} has no images in its subfolders 0-9.")
    images, labels, blank = [], [], []
    every = max(1, len(files) // _PROGRESS_STEPS)
    for index, (path, label) in enumerate(files, start=1):
        raise_if_stopped(stop_event, "reading the images")
        try:
            image = read_image(path)
        except ImageError as exc:
            raise DataError(str(exc)) from exc
        try:
            images.append(np.rint(preprocess(image) * 255.0).astype(np.uint8))
            labels.append(label)
        except NothingDrawnError:
            blank.append(path)
        if index % every == 0:
            _report(progress, index / len(files))
    if not images:
        raise DataError(f"{folder} has {len(files)} images but none of them has any ink.")
    x, y = _validated(np.stack(images), np.array(labels), images_from=str(folder), labels_from=str(folder))
    dataset = _unsplit(folder.name, x, y, test_only=test_only, where=str(folder))
    if blank:
        note = f"Skipped {len(blank)} blank image(s) with no ink, e.g. {blank[0].relative_to(folder)}."
        dataset = dataclasses.replace(dataset, notes=(note,))
    return dataset


# --- named datasets --------------------------------------------------------------------------


def _offline() -> bool:
    return os.environ.get(OFFLINE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def _keras_datasets_dir() -> Path:
    """Where Keras caches datasets: $KERAS_HOME/datasets, else ~/.keras/datasets."""
    home = os.environ.get("KERAS_HOME") or Path.home() / ".keras"
    return Path(home) / "datasets"


@contextmanager
def _socket_timeout(seconds: float) -> Iterator[None]:
    """urllib (inside keras.utils.get_file) has no timeout argument; without a default timeout a
    half-open network can hang the download forever. The setting is process-wide, so restore it."""
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous)


def _keras_download(file_name: str, subdir: str, file_hash: str | None = None) -> Path:
    """Download into the Keras cache with Keras' own get_file (which reuses a cached copy)."""
    import keras  # the only TensorFlow/Keras import in this module: seconds, paid only to download

    with _socket_timeout(DOWNLOAD_TIMEOUT_S):
        path = keras.utils.get_file(
            fname=file_name,
            origin=KERAS_ORIGIN + file_name,
            file_hash=file_hash,
            cache_dir=str(_keras_datasets_dir().parent),
            cache_subdir=subdir,
        )
    return Path(path)


def _load_mnist(test_only: bool, progress: Progress | None, stop_event: StopSignal | None) -> Dataset:
    """Keras' cached MNIST, else a download into that cache, else the bundled 10,000 digits."""
    path, reason = _official_mnist_file(progress, stop_event)
    raise_if_stopped(stop_event, "downloading MNIST")
    if path is None:
        return _bundled_mnist(test_only, reason)
    return dataclasses.replace(_load_npz(path, test_only), name="mnist", test_name="MNIST test")


def _official_mnist_file(
    progress: Progress | None, stop_event: StopSignal | None = None
) -> tuple[Path | None, str]:
    """(Keras' mnist.npz, "") from its cache or a download into it, else (None, why not)."""
    cached = _keras_datasets_dir() / MNIST_FILE
    if cached.is_file():
        return cached, ""
    if _offline():
        return None, f"{OFFLINE_ENV} is set"
    _report(progress, 0.0)
    raise_if_stopped(stop_event, "downloading MNIST")
    try:
        return _keras_download(MNIST_FILE, "datasets", MNIST_SHA256), ""
    # Keras wraps every network failure in a bare Exception, so nothing narrower catches them.
    except Exception as exc:
        return None, _download_failure(exc)


def load_mnist_training_set(path: Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """MNIST's 60,000 training digits in their official order: from `path` (an .npz with x/y or
    x_train/y_train), else Keras' cache or download. Never the bundled 10,000: too few to stand
    for the whole set, so an offline caller is told to pass the file."""
    if path is None:
        path, reason = _official_mnist_file(None)
        if path is None:
            raise DataError(f"MNIST's training set is not available ({reason}); pass its .npz file.")
    with open_npz(path) as archive:
        keys = set(archive.files)
        pair = next((p for p in (_TRAIN_KEYS, XY_KEYS) if set(p) <= keys), None)
        if pair is None:
            raise DataError(f"{path} holds no arrays named x_train/y_train or x/y.")
        return _npz_pair(archive, path, pair)


def load_bundled_mnist() -> Dataset:
    """The 10,000 real MNIST digits shipped with digitpad, split 9,000 / 1,000 the same way
    everywhere, so models trained offline at different times are measured on the same digits."""
    return dataclasses.replace(
        _load_npz(bundled_mnist_path(), test_only=False, test_fraction=BUNDLED_TEST_FRACTION),
        name="mnist",
        test_name=BUNDLED_TEST_NAME,
    )


def _bundled_mnist(test_only: bool, reason: str) -> Dataset:
    dataset = load_bundled_mnist()
    n_train, n_test = len(dataset.x_train), len(dataset.x_test)
    # People get one plain sentence; the reason (often a raw URL error) goes to the log.
    _LOG.info("MNIST is not available online (%s); using the bundled digits.", reason)
    note = (
        f"Offline: using the {n_train + n_test:,} MNIST digits bundled with digitpad "
        f"({n_train:,} for training, {n_test:,} for testing)."
    )
    if test_only:
        dataset = _test_only(dataset.name, dataset.x_test, dataset.y_test)
    return dataclasses.replace(dataset, name="mnist", notes=(note,), test_name=BUNDLED_TEST_NAME)


def _load_fashion_mnist(test_only: bool, progress: Progress | None, stop_event: StopSignal | None) -> Dataset:
    folder, notes = _fashion_mnist_folder(test_only, progress, stop_event)
    dataset = _load_idx_dir(folder, test_only)
    return dataclasses.replace(
        dataset, name="fashion-mnist", class_names=FASHION_CLASS_NAMES, notes=notes, test_name="Fashion-MNIST test"
    )


def _fashion_mnist_folder(
    test_only: bool, progress: Progress | None, stop_event: StopSignal | None
) -> tuple[Path, tuple[str, ...]]:
    """Keras' cache, else a Keras download, else Debian's dataset-fashion-mnist package."""
    cache = _keras_datasets_dir() / FASHION_DIR_NAME
    if _has_idx_files(cache, test_only):
        return cache, ()
    if _offline():
        reason = f"{OFFLINE_ENV} is set"
    else:
        try:
            return _download_fashion_mnist(test_only, progress, stop_event), ()
        except Cancelled:
            raise
        except Exception as exc:  # Keras' network failures are bare Exceptions, as in _official_mnist_file
            reason = _download_failure(exc)
    if _has_idx_files(DEBIAN_FASHION_DIR, test_only):
        _LOG.info("Fashion-MNIST is not available online (%s); using %s.", reason, DEBIAN_FASHION_DIR)
        return DEBIAN_FASHION_DIR, (f"Offline: using Fashion-MNIST from {DEBIAN_FASHION_DIR}.",)
    raise DataError(f"Fashion-MNIST is not available offline ({reason}); install it with `{FASHION_APT_HINT}`.")


def _download_fashion_mnist(test_only: bool, progress: Progress | None, stop_event: StopSignal | None) -> Path:
    """Fetch the IDX files keras.datasets.fashion_mnist uses, into the same cache folder."""
    prefixes = _idx_prefixes(test_only)
    names = [idx_name(prefix, kind) + ".gz" for prefix in prefixes for kind in ("images", "labels")]
    subdir = os.path.join("datasets", FASHION_DIR_NAME)
    for step, name in enumerate(names):
        _report(progress, step / len(names))
        raise_if_stopped(stop_event, "downloading Fashion-MNIST")
        path = _keras_download(name, subdir)
    return path.parent


def _download_failure(exc: Exception) -> str:
    """First line of the error: Keras' messages include the URL and the OS reason, but can span lines."""
    message = str(exc).strip().splitlines()
    return f"download failed: {message[0] if message else type(exc).__name__}"
