"""Dataset loaders: every source normalises to uint8 (N, 28, 28) / uint8 (N,) or fails in one sentence."""

from __future__ import annotations

import gzip
import io
import socket
import subprocess
import sys
import threading
import types
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitpad.core import datasets
from digitpad.core.cancellation import Cancelled
from digitpad.core.datasets import (
    FASHION_CLASS_NAMES,
    MNIST_CLASS_NAMES,
    Dataset,
    load_dataset,
    load_test_arrays,
)
from digitpad.core.errors import DataError

REPO_ROOT = Path(__file__).resolve().parents[2]
DEBIAN_FASHION = Path("/usr/share/datasets/fashion-mnist")


def _ids(x: np.ndarray) -> list[int]:
    """The `digits` fixture marks image i with the value i at pixel (0, 0)."""
    return sorted(int(v) for v in x[:, 0, 0])


def _assert_normalised(x: np.ndarray, y: np.ndarray) -> None:
    assert x.dtype == np.uint8 and x.ndim == 3 and x.shape[1:] == (28, 28)
    assert y.dtype == np.uint8 and y.shape == (len(x),)
    assert int(y.max(initial=0)) <= 9


# --- .npz -----------------------------------------------------------------------------------


def test_npz_keras_layout_is_loaded_as_is(tmp_path: Path, digits) -> None:
    x, y = digits
    path = tmp_path / "keras.npz"
    np.savez(path, x_train=x[:20], y_train=y[:20], x_test=x[20:], y_test=y[20:])
    dataset = load_dataset(path)
    assert isinstance(dataset, Dataset)
    assert dataset.name == "keras.npz" and dataset.class_names == MNIST_CLASS_NAMES and dataset.notes == ()
    np.testing.assert_array_equal(dataset.x_train, x[:20])
    np.testing.assert_array_equal(dataset.y_train, y[:20])
    np.testing.assert_array_equal(dataset.x_test, x[20:])
    np.testing.assert_array_equal(dataset.y_test, y[20:])
    assert dataset.test_label == "keras.npz test, 4"


def test_npz_x_y_is_split_deterministically_with_a_sixth_for_testing(tmp_path: Path, digits) -> None:
    x, y = digits
    path = tmp_path / "xy.npz"
    np.savez_compressed(path, x=x, y=y)
    first, second = load_dataset(path), load_dataset(str(path))
    assert (len(first.x_train), len(first.x_test)) == (20, 4)
    assert _ids(np.concatenate([first.x_train, first.x_test])) == list(range(24))
    assert first.x_train[:, 0, 0].tolist() != list(range(20))  # shuffled, not just cut
    for part_x, part_y in ((first.x_train, first.y_train), (first.x_test, first.y_test)):
        np.testing.assert_array_equal(part_y, part_x[:, 0, 0] % 10)  # labels stay with their images
    np.testing.assert_array_equal(first.x_test, second.x_test)
    np.testing.assert_array_equal(first.y_train, second.y_train)
    assert first.test_label == "held-out part of xy.npz, 4"
    assert load_test_arrays_dataset_label(path) == "xy.npz, 24"


def load_test_arrays_dataset_label(path: Path) -> str:
    return datasets.load_test_set(path).test_label


def test_the_bundled_split_names_its_held_out_digits() -> None:
    assert datasets.load_bundled_mnist().test_label == "bundled held-out MNIST, 1,000"


@pytest.mark.parametrize(
    "reshape",
    [lambda x: x.reshape(len(x), 784), lambda x: x[..., np.newaxis], lambda x: x.astype(np.int64)],
    ids=["flat-784", "channel-last", "int64"],
)
def test_npz_image_layouts_are_normalised(tmp_path: Path, digits, reshape) -> None:
    x, y = digits
    np.savez(tmp_path / "d.npz", x=reshape(x), y=y)
    got_x, got_y = load_test_arrays(tmp_path / "d.npz")
    _assert_normalised(got_x, got_y)
    np.testing.assert_array_equal(got_x, x)


def test_float_images_in_unit_range_are_scaled_to_uint8(tmp_path: Path, digits) -> None:
    x, y = digits
    np.savez(tmp_path / "f.npz", x=(x / 255.0).astype(np.float32), y=y)
    got_x, _ = load_test_arrays(tmp_path / "f.npz")
    assert got_x.dtype == np.uint8
    np.testing.assert_array_equal(got_x, x)


def test_float_images_in_byte_range_are_rounded(tmp_path: Path, digits) -> None:
    x, y = digits
    np.savez(tmp_path / "f.npz", x=np.where(x < 255, x + 0.4, x - 0.3), y=y)
    np.testing.assert_array_equal(load_test_arrays(tmp_path / "f.npz")[0], x)


@pytest.mark.parametrize(
    "encode",
    [
        lambda y: np.eye(10, dtype=np.float32)[y],
        lambda y: y.astype(np.int64)[:, np.newaxis],
        lambda y: y.astype(np.float64),
        lambda y: y.astype(np.int16),
    ],
    ids=["one-hot", "column", "whole-floats", "int16"],
)
def test_label_encodings_are_normalised(tmp_path: Path, digits, encode) -> None:
    x, y = digits
    np.savez(tmp_path / "l.npz", x=x, y=encode(y))
    _, got_y = load_test_arrays(tmp_path / "l.npz")
    assert got_y.dtype == np.uint8
    np.testing.assert_array_equal(got_y, y)


def test_loaded_arrays_are_writable(tmp_path: Path, digits) -> None:
    np.savez(tmp_path / "d.npz", x=digits[0], y=digits[1])
    dataset = load_dataset(tmp_path / "d.npz")
    dataset.x_train[0, 0, 0] = 7  # a shuffle or augmentation in place must not fail
    assert dataset.x_train[0, 0, 0] == 7


def test_load_test_arrays_reads_a_file_with_only_test_arrays(tmp_path: Path, digits) -> None:
    x, y = digits
    path = tmp_path / "test-only.npz"
    np.savez(path, x_test=x[:5], y_test=y[:5])
    got_x, got_y = load_test_arrays(path)
    np.testing.assert_array_equal(got_x, x[:5])
    np.testing.assert_array_equal(got_y, y[:5])
    with pytest.raises(DataError, match=r"holds no arrays named x_train/y_train/x_test/y_test or x/y \(it has x_test, y_test\)"):
        load_dataset(path)


def test_load_test_arrays_uses_the_test_split_of_a_keras_file(tmp_path: Path, digits) -> None:
    x, y = digits
    np.savez(tmp_path / "k.npz", x_train=x[:20], y_train=y[:20], x_test=x[20:], y_test=y[20:])
    got_x, got_y = load_test_arrays(tmp_path / "k.npz")
    np.testing.assert_array_equal(got_x, x[20:])
    np.testing.assert_array_equal(got_y, y[20:])


def test_load_test_arrays_uses_all_of_an_x_y_file_in_order(tmp_path: Path, digits) -> None:
    x, y = digits
    np.savez(tmp_path / "xy.npz", x=x, y=y)
    got_x, got_y = load_test_arrays(tmp_path / "xy.npz")
    np.testing.assert_array_equal(got_x, x)
    np.testing.assert_array_equal(got_y, y)


def _with(y: np.ndarray, index: int, value) -> np.ndarray:
    changed = y.astype(np.int64)
    changed[index] = value
    return changed


def _one_hot_smoothed(y: np.ndarray) -> np.ndarray:
    smooth = np.full((len(y), 10), 0.01)
    smooth[np.arange(len(y)), y] = 0.91
    return smooth


def _pixel(x: np.ndarray, value: float, dtype=np.float64) -> np.ndarray:
    changed = x.astype(dtype)
    changed[2, 5, 5] = value
    return changed


_SHAPES = "expected (N, 28, 28), (N, 28, 28, 1) or (N, 784)."
_BAD_NPZ = [
    pytest.param(lambda x, y: {"x": x, "y": y[:-1]}, " has 24 images but 23 labels.", id="count"),
    pytest.param(lambda x, y: {"x": x, "y": _with(y, 3, 12)}, " has label 12; labels must be 0-9.", id="label-12"),
    pytest.param(lambda x, y: {"x": x, "y": _with(y, 5, -1)}, " has label -1; labels must be 0-9.", id="label-negative"),
    pytest.param(lambda x, y: {"x": np.zeros((4, 32, 32), np.uint8), "y": y[:4]},
                 f" has images of shape (4, 32, 32); {_SHAPES}", id="shape"),
    pytest.param(lambda x, y: {"x": x[0], "y": y[:1]}, f" has images of shape (28, 28); {_SHAPES}", id="single-image"),
    pytest.param(lambda x, y: {"x": np.full((2, 784), "a"), "y": y[:2]},
                 " has images of type <U1; expected numbers.", id="string-images"),
    pytest.param(lambda x, y: {"x": x[:2], "y": np.array(["1", "2"])},
                 " has labels of type <U1; expected integers.", id="string-labels"),
    pytest.param(lambda x, y: {"x": x[:2], "y": np.array([True, False])},
                 " has labels of type bool; expected integers.", id="bool-labels"),
    pytest.param(lambda x, y: {"x": x[:2], "y": np.zeros((2, 3), np.uint8)},
                 " has labels of shape (2, 3); expected (N,) or one-hot (N, 10).", id="label-shape"),
    pytest.param(lambda x, y: {"x": x, "y": _one_hot_smoothed(y)},
                 " has labels of shape (24, 10) that are not one-hot rows of 0s and a single 1.", id="not-one-hot"),
    pytest.param(lambda x, y: {"x": x[:2], "y": np.array([1.5, 2.0])},
                 " has labels that are not whole numbers.", id="fractional-labels"),
    pytest.param(lambda x, y: {"x": _pixel(x, 300, np.int64), "y": y},
                 " has pixel values from 0 to 300; expected 0-255 (or 0-1 for floats).", id="pixel-range"),
    pytest.param(lambda x, y: {"x": _pixel(x / 255, -0.5), "y": y},
                 " has pixel values from -0.5 to 1; expected 0-255 (or 0-1 for floats).", id="negative-float"),
    pytest.param(lambda x, y: {"x": _pixel(x, np.nan), "y": y}, " has pixel values that are NaN or infinite.", id="nan"),
    pytest.param(lambda x, y: {"x": np.zeros((0, 28, 28), np.uint8), "y": np.zeros(0, np.uint8)},
                 " holds no images.", id="empty"),
    pytest.param(lambda x, y: {"x": x[:1], "y": y[:1]},
                 " has only 1 image; at least 2 are needed for a training and a test set.", id="one-image"),
    pytest.param(lambda x, y: {"images": x, "labels": y},
                 " holds no arrays named x_train/y_train/x_test/y_test or x/y (it has images, labels).", id="wrong-keys"),
]


@pytest.mark.parametrize(("build", "message"), _BAD_NPZ)
def test_bad_npz_contents_raise_one_sentence_naming_the_file(tmp_path: Path, digits, build, message: str) -> None:
    path = tmp_path / "data.npz"
    np.savez(path, **build(*digits))
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    assert str(caught.value) == f"{path}{message}"


def test_bad_arrays_in_a_keras_layout_name_the_pair(tmp_path: Path, digits) -> None:
    x, y = digits
    y_test = y[20:].copy()
    y_test[0] = 10
    path = tmp_path / "k.npz"
    np.savez(path, x_train=x[:20], y_train=y[:20], x_test=x[20:], y_test=y_test)
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    assert str(caught.value) == f"{path} (x_test/y_test) has label 10; labels must be 0-9."


def test_object_arrays_are_refused_without_unpickling(tmp_path: Path) -> None:
    path = tmp_path / "objects.npz"
    np.savez(path, x=np.array([{"a": 1}, None], dtype=object), y=np.array([1, 2]))
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    assert str(caught.value) == f"{path} stores x as Python objects, which digitpad refuses to unpickle."


def _npz_bytes(digits: tuple[np.ndarray, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, x=digits[0], y=digits[1])
    return buffer.getvalue()


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def test_damaged_array_inside_an_intact_archive(tmp_path: Path, digits) -> None:
    content = bytearray(_npz_bytes(digits))  # x.npy is the first member, its data starts near byte 60
    content[60:100] = b"\xff" * 40
    path = tmp_path / "data.npz"
    path.write_bytes(bytes(content))
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    assert str(caught.value) == f"{path} is damaged: its array x cannot be decompressed."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (lambda d: b"x,y\n1,2\n", "is not a .npz file, or it is damaged or truncated."),
        (lambda d: _npz_bytes(d)[:-200], "is not a .npz file, or it is damaged or truncated."),
        (lambda d: _npy_bytes(d[0]), "holds a single unnamed array (.npy); expected a .npz with named arrays."),
    ],
    ids=["csv", "truncated", "npy"],
)
def test_files_that_are_not_npz_archives(tmp_path: Path, digits, content, message: str) -> None:
    path = tmp_path / "data.npz"
    path.write_bytes(content(digits))
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    assert str(caught.value) == f"{path} {message}"


def test_missing_path_and_unrecognised_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        load_dataset(tmp_path / "nowhere.npz")
    assert str(caught.value) == f"{tmp_path / 'nowhere.npz'} does not exist."
    (tmp_path / "stuff").mkdir()
    (tmp_path / "stuff" / "readme.txt").write_text("hi")
    with pytest.raises(DataError, match=r"holds neither IDX files .* nor subfolders named 0-9 with images"):
        load_test_arrays(tmp_path / "stuff")


# --- IDX ------------------------------------------------------------------------------------


@pytest.mark.parametrize("gz", [True, False], ids=["gz", "raw"])
def test_idx_folder_is_loaded_exactly(tmp_path: Path, digits, write_idx_set, gz: bool) -> None:
    x, y = digits
    folder = write_idx_set(tmp_path / "idx", x[:18], y[:18], x[18:], y[18:], gz=gz)
    fractions: list[float] = []
    dataset = load_dataset(folder, progress=fractions.append)
    assert dataset.name == "idx" and dataset.class_names == MNIST_CLASS_NAMES
    np.testing.assert_array_equal(dataset.x_train, x[:18])
    np.testing.assert_array_equal(dataset.y_train, y[:18])
    np.testing.assert_array_equal(dataset.x_test, x[18:])
    np.testing.assert_array_equal(dataset.y_test, y[18:])
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and all(0 <= f <= 1 for f in fractions)


def test_idx_file_path_stands_for_its_folder(tmp_path: Path, digits, write_idx_set) -> None:
    x, y = digits
    folder = write_idx_set(tmp_path / "idx", x[:18], y[:18], x[18:], y[18:])
    dataset = load_dataset(folder / "train-labels-idx1-ubyte.gz")
    np.testing.assert_array_equal(dataset.x_test, x[18:])


def test_idx_mirror_spelling_with_a_dot(tmp_path: Path, digits, write_idx) -> None:
    x, y = digits
    write_idx(tmp_path / "t10k-images.idx3-ubyte", 2051, x, gz=False)
    write_idx(tmp_path / "t10k-labels.idx1-ubyte", 2049, y, gz=False)
    got_x, got_y = load_test_arrays(tmp_path)
    np.testing.assert_array_equal(got_x, x)
    np.testing.assert_array_equal(got_y, y)


def test_load_test_arrays_needs_only_the_t10k_files(tmp_path: Path, digits, write_idx) -> None:
    x, y = digits
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", 2051, x)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", 2049, y)
    np.testing.assert_array_equal(load_test_arrays(tmp_path)[1], y)
    with pytest.raises(DataError) as caught:
        load_dataset(tmp_path)
    assert str(caught.value) == f"{tmp_path} has no train-images-idx3-ubyte[.gz] file."


def _idx_folder(tmp_path: Path, write_idx, x, y) -> tuple[Path, Path]:
    images = write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", 2051, x)
    labels = write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", 2049, y)
    return images, labels


def test_idx_wrong_magic_numbers(tmp_path: Path, digits, write_idx) -> None:
    x, y = digits
    images, labels = _idx_folder(tmp_path, write_idx, x, y)
    write_idx(images, 1234, x)
    with pytest.raises(DataError) as caught:
        load_test_arrays(tmp_path)
    assert str(caught.value) == f"{images} is not an IDX image file (magic number 1234, expected 2051)."
    write_idx(images, 2051, x)
    write_idx(labels, 2051, y[:, np.newaxis, np.newaxis])  # an image file where labels belong
    with pytest.raises(DataError) as caught:
        load_test_arrays(tmp_path)
    assert str(caught.value) == f"{labels} is not an IDX label file (magic number 2051, expected 2049)."


def test_idx_truncated_raw_and_gz(tmp_path: Path, digits, write_idx) -> None:
    x, y = digits
    images, _ = _idx_folder(tmp_path, write_idx, x, y)
    raw = gzip.decompress(images.read_bytes())
    images.write_bytes(raw[:-10])
    with pytest.raises(DataError) as caught:
        load_test_arrays(tmp_path)
    assert str(caught.value) == f"{images} is truncated: its header announces 18816 bytes of data but it holds 18806."
    images.write_bytes(raw[:10])
    with pytest.raises(DataError, match="is truncated: its header is incomplete"):
        load_test_arrays(tmp_path)
    images.write_bytes(raw[:2])
    with pytest.raises(DataError, match="is too short to be an IDX image file"):
        load_test_arrays(tmp_path)
    images.write_bytes(gzip.compress(raw)[:-30])
    with pytest.raises(DataError) as caught:
        load_test_arrays(tmp_path)
    assert str(caught.value) == f"{images} is truncated: the gzip stream ends early."


def test_idx_extra_bytes_and_damaged_gzip(tmp_path: Path, digits, write_idx) -> None:
    x, y = digits
    images, _ = _idx_folder(tmp_path, write_idx, x, y)
    raw = gzip.decompress(images.read_bytes())
    images.write_bytes(gzip.compress(raw + b"\0\0\0"))
    with pytest.raises(DataError) as caught:
        load_test_arrays(tmp_path)
    assert str(caught.value) == f"{images} has 3 unexpected bytes after the data its header announces."
    damaged = bytearray(gzip.compress(raw))
    damaged[20:40] = b"\xff" * 20
    images.write_bytes(bytes(damaged))
    with pytest.raises(DataError, match=r"is a damaged gzip file|is truncated"):
        load_test_arrays(tmp_path)


def test_idx_count_mismatch_names_both_files(tmp_path: Path, digits, write_idx) -> None:
    x, y = digits
    images, labels = _idx_folder(tmp_path, write_idx, x, y[:-1])
    with pytest.raises(DataError) as caught:
        load_test_arrays(tmp_path)
    assert str(caught.value) == f"{images} has 24 images but {labels} has 23 labels."


def test_idx_label_out_of_range_and_wrong_image_size(tmp_path: Path, digits, write_idx) -> None:
    x, y = digits
    y_bad = y.copy()
    y_bad[7] = 11
    images, labels = _idx_folder(tmp_path, write_idx, x, y_bad)
    with pytest.raises(DataError) as caught:
        load_test_arrays(tmp_path)
    assert str(caught.value) == f"{labels} has label 11; labels must be 0-9."
    write_idx(labels, 2049, y)
    write_idx(images, 2051, np.zeros((24, 32, 32), np.uint8))
    with pytest.raises(DataError, match=r"has images of shape \(24, 32, 32\)"):
        load_test_arrays(tmp_path)


# --- folder of images -------------------------------------------------------------------------


def _draw_digit(path: Path, label: int, *, blank: bool = False) -> None:
    """Dark ink on a white 64x64 page, like a scanned digit; the stroke position depends on the label."""
    image = Image.new("L", (64, 64), 255)
    if not blank:
        draw = ImageDraw.Draw(image)
        draw.line([(20, 10), (20 + 2 * label, 54)], fill=0, width=4)
        draw.line([(20, 10), (44, 10 + 3 * label)], fill=0, width=4)
    image.save(path)


@pytest.fixture
def digit_folder(tmp_path: Path) -> Path:
    """Two drawn digits in each of the subfolders 0..9, plus files that are not images."""
    folder = tmp_path / "my-digits"
    for label in range(10):
        (folder / str(label)).mkdir(parents=True)
        _draw_digit(folder / str(label) / "a.png", label)
        _draw_digit(folder / str(label) / "b.png", label)
    (folder / "3" / ".DS_Store").write_bytes(b"\0\1")
    (folder / "3" / "notes.txt").write_text("drawn by hand")
    (folder / "extra").mkdir()
    return folder


def test_image_folder_goes_through_preprocess(digit_folder: Path) -> None:
    from digitpad.core.imageio import read_image
    from digitpad.core.preprocess import preprocess

    fractions: list[float] = []
    x, y = load_test_arrays(digit_folder, progress=fractions.append)
    _assert_normalised(x, y)
    np.testing.assert_array_equal(y, np.repeat(np.arange(10), 2))  # sorted: 0/a, 0/b, 1/a, ...
    expected = np.rint(preprocess(read_image(digit_folder / "7" / "b.png")) * 255).astype(np.uint8)
    np.testing.assert_array_equal(x[15], expected)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and all(0 <= f <= 1 for f in fractions)


def test_image_folder_split_is_deterministic(digit_folder: Path) -> None:
    first, second = load_dataset(digit_folder), load_dataset(digit_folder)
    assert first.name == "my-digits" and first.notes == ()
    assert (len(first.x_train), len(first.x_test)) == (17, 3)
    np.testing.assert_array_equal(first.x_test, second.x_test)
    np.testing.assert_array_equal(first.y_train, second.y_train)
    assert sorted(np.concatenate([first.y_train, first.y_test]).tolist()) == sorted(list(range(10)) * 2)


def test_blank_images_are_skipped_with_a_note(digit_folder: Path) -> None:
    _draw_digit(digit_folder / "4" / "c.png", 4, blank=True)
    dataset = load_dataset(digit_folder)
    assert len(dataset.x_train) + len(dataset.x_test) == 20
    assert dataset.notes == ("Skipped 1 blank image(s) with no ink, e.g. 4/c.png.",)


def test_image_folder_errors(tmp_path: Path) -> None:
    folder = tmp_path / "digits"
    for label in range(10):
        (folder / str(label)).mkdir(parents=True)
    with pytest.raises(DataError) as caught:
        load_dataset(folder)
    assert str(caught.value) == f"{folder} has no images in its subfolders 0-9."
    _draw_digit(folder / "2" / "blank.png", 2, blank=True)
    with pytest.raises(DataError) as caught:
        load_dataset(folder)
    assert str(caught.value) == f"{folder} has 1 images but none of them has any ink."
    (folder / "5" / "fake.png").write_text("not really a png")
    with pytest.raises(DataError) as caught:
        load_dataset(folder)
    assert str(caught.value) == f"Cannot read image {folder / '5' / 'fake.png'}: not an image file."


# --- named datasets -----------------------------------------------------------------------------


def _block_keras(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `import keras` fail, proving a code path never imports (or downloads with) Keras."""
    monkeypatch.setitem(sys.modules, "keras", None)


def test_mnist_offline_uses_the_bundled_digits_split_9000_1000(offline_home: Path, monkeypatch) -> None:
    _block_keras(monkeypatch)
    dataset = load_dataset("mnist")
    assert dataset.name == "mnist" and dataset.class_names == MNIST_CLASS_NAMES
    assert (len(dataset.x_train), len(dataset.x_test)) == (9000, 1000)
    _assert_normalised(dataset.x_train, dataset.y_train)
    _assert_normalised(dataset.x_test, dataset.y_test)
    assert dataset.notes == (
        "Offline: using the 10,000 MNIST digits bundled with digitpad (9,000 for training, 1,000 for testing).",
    )
    with np.load(datasets.bundled_mnist_path()) as bundled:
        all_labels = np.concatenate([dataset.y_train, dataset.y_test])
        np.testing.assert_array_equal(np.bincount(all_labels, minlength=10), np.bincount(bundled["y"], minlength=10))
        assert int(dataset.x_test.astype(np.int64).sum() + dataset.x_train.astype(np.int64).sum()) == int(
            bundled["x"].astype(np.int64).sum()
        )
    x_test, y_test = load_test_arrays("MNIST")
    np.testing.assert_array_equal(x_test, dataset.x_test)
    np.testing.assert_array_equal(y_test, dataset.y_test)


def _write_mnist_cache(keras_dir: Path, digits) -> None:
    x, y = digits
    (keras_dir / "datasets").mkdir(parents=True)
    np.savez(keras_dir / "datasets" / "mnist.npz", x_train=x[:20], y_train=y[:20], x_test=x[20:], y_test=y[20:])


def test_mnist_cache_in_home_is_used_without_keras(tmp_path: Path, monkeypatch, digits) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.delenv("DIGITPAD_OFFLINE", raising=False)  # would download if the cache were ignored
    _block_keras(monkeypatch)
    _write_mnist_cache(tmp_path / ".keras", digits)
    dataset = load_dataset("mnist")
    assert dataset.name == "mnist" and dataset.notes == ()
    np.testing.assert_array_equal(dataset.x_train, digits[0][:20])
    np.testing.assert_array_equal(load_test_arrays("mnist")[1], digits[1][20:])


def test_mnist_cache_follows_keras_home(tmp_path: Path, offline_home: Path, monkeypatch, digits) -> None:
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    _write_mnist_cache(tmp_path / "kh", digits)
    np.testing.assert_array_equal(load_test_arrays("mnist")[0], digits[0][20:])


def test_mnist_download_failure_falls_back_to_the_bundled_digits(offline_home: Path, monkeypatch, caplog) -> None:
    """People read one plain sentence; the raw download error is kept in the log."""
    monkeypatch.delenv("DIGITPAD_OFFLINE")
    _block_keras(monkeypatch)
    with caplog.at_level("INFO", logger="digitpad.core.datasets"):
        dataset = load_dataset("mnist")
    assert len(dataset.x_test) == 1000
    assert dataset.notes == (
        "Offline: using the 10,000 MNIST digits bundled with digitpad (9,000 for training, 1,000 for testing).",)
    assert "http" not in dataset.notes[0]
    assert any("download failed: " in record.getMessage() for record in caplog.records)


def test_mnist_download_uses_keras_get_file_into_the_cache(offline_home: Path, monkeypatch, digits) -> None:
    """A stand-in `keras` module records the call and writes the file where get_file would."""
    monkeypatch.delenv("DIGITPAD_OFFLINE")
    calls: list[dict] = []

    def get_file(*, fname, origin, file_hash, cache_dir, cache_subdir):
        calls.append({"fname": fname, "origin": origin, "hash": file_hash, "cache_dir": cache_dir,
                      "subdir": cache_subdir, "timeout": socket.getdefaulttimeout()})
        _write_mnist_cache(Path(cache_dir), digits)
        return str(Path(cache_dir) / cache_subdir / fname)

    monkeypatch.setitem(sys.modules, "keras", types.SimpleNamespace(utils=types.SimpleNamespace(get_file=get_file)))
    timeout_before = socket.getdefaulttimeout()
    fractions: list[float] = []
    dataset = load_dataset("mnist", progress=fractions.append)
    assert calls == [{
        "fname": "mnist.npz",
        "origin": "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
        "hash": datasets.MNIST_SHA256,
        "cache_dir": str(offline_home / ".keras"),
        "subdir": "datasets",
        "timeout": datasets.DOWNLOAD_TIMEOUT_S,
    }]
    assert socket.getdefaulttimeout() == timeout_before
    assert dataset.name == "mnist" and dataset.notes == ()
    np.testing.assert_array_equal(dataset.y_test, digits[1][20:])
    assert fractions[0] == 0.0 and fractions[-1] == 1.0


def test_fashion_mnist_from_the_keras_cache(offline_home: Path, monkeypatch, digits, write_idx_set) -> None:
    x, y = digits
    write_idx_set(offline_home / ".keras" / "datasets" / "fashion-mnist", x[:20], y[:20], x[20:], y[20:])
    _block_keras(monkeypatch)
    dataset = load_dataset("fashion-mnist")
    assert dataset.name == "fashion-mnist" and dataset.class_names == FASHION_CLASS_NAMES and dataset.notes == ()
    np.testing.assert_array_equal(dataset.x_train, x[:20])
    np.testing.assert_array_equal(dataset.y_test, y[20:])


def test_fashion_mnist_missing_everywhere_names_the_debian_package(offline_home: Path, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(datasets, "DEBIAN_FASHION_DIR", tmp_path / "no-such-dir")
    with pytest.raises(DataError) as caught:
        load_dataset("fashion-mnist")
    assert str(caught.value) == (
        "Fashion-MNIST is not available offline (DIGITPAD_OFFLINE is set); "
        "install it with `apt-get install dataset-fashion-mnist`."
    )


@pytest.mark.skipif(not DEBIAN_FASHION.is_dir(), reason="Debian's dataset-fashion-mnist is not installed")
def test_fashion_mnist_from_the_debian_package(offline_home: Path, monkeypatch) -> None:
    _block_keras(monkeypatch)
    dataset = load_dataset("fashion-mnist")
    assert dataset.class_names == FASHION_CLASS_NAMES
    assert (dataset.x_train.shape, dataset.x_test.shape) == ((60000, 28, 28), (10000, 28, 28))
    _assert_normalised(dataset.x_train, dataset.y_train)
    np.testing.assert_array_equal(np.bincount(dataset.y_test), [1000] * 10)
    assert dataset.notes == (f"Offline: using Fashion-MNIST from {DEBIAN_FASHION}.",)
    _, y_test = load_test_arrays("fashion-mnist")
    np.testing.assert_array_equal(y_test, dataset.y_test)


def test_importing_datasets_loads_neither_tensorflow_nor_qt() -> None:
    code = (
        "import sys, digitpad.core.datasets, digitpad.core.imageio; "
        "print(sorted(m for m in ('tensorflow', 'keras', 'PySide6', 'pyqtgraph') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_an_idx_header_whose_size_wraps_around_is_refused(tmp_path: Path) -> None:
    """2^31 x 2^31 x 4 bytes is 2^64: a 64-bit product wraps to 0 and an empty file would pass."""
    path = tmp_path / "t10k-images-idx3-ubyte"
    path.write_bytes((2051).to_bytes(4, "big") + (2**31).to_bytes(4, "big") * 2 + (4).to_bytes(4, "big"))
    with pytest.raises(DataError, match="truncated: its header announces 18446744073709551616 bytes"):
        datasets._read_idx(path, 2051)


def test_a_small_gzip_that_inflates_beyond_the_cap_is_refused_while_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(datasets, "MAX_IDX_BYTES", 100_000)
    bomb = tmp_path / "t10k-images-idx3-ubyte.gz"
    bomb.write_bytes(gzip.compress(b"\0" * 10_000_000))
    assert bomb.stat().st_size < 20_000
    with pytest.raises(DataError, match="holds more than"):
        datasets._read_bytes(bomb)
    plain = tmp_path / "big-idx3-ubyte"
    plain.write_bytes(b"\0" * 100_001)
    with pytest.raises(DataError, match="holds more than"):
        datasets._read_bytes(plain)


def test_an_npz_announcing_a_huge_array_is_refused_before_it_is_inflated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(datasets, "MAX_IDX_BYTES", 1_000_000)
    path = tmp_path / "bomb.npz"
    np.savez_compressed(path, x=np.zeros((2_000, 28, 28), np.uint8), y=np.zeros(2_000, np.uint8))
    assert path.stat().st_size < 50_000
    with pytest.raises(DataError, match="announces more than 0 MB in its array x"):
        load_dataset(path)
    small = tmp_path / "small.npz"
    np.savez_compressed(small, x=np.zeros((20, 28, 28), np.uint8), y=np.arange(20, dtype=np.uint8) % 10)
    assert len(load_dataset(small).y_test) == 3


# --- stopping ---------------------------------------------------------------------------------


def test_a_stop_set_before_loading_reads_nothing(tmp_path: Path, digits, monkeypatch) -> None:
    np.savez(tmp_path / "d.npz", x=digits[0], y=digits[1])
    monkeypatch.setattr(datasets, "_load_npz", lambda *a, **k: pytest.fail("read anyway"))
    stop = threading.Event()
    stop.set()
    with pytest.raises(Cancelled, match="loading the data"):
        load_dataset(tmp_path / "d.npz", stop_event=stop)


def test_a_stop_while_reading_images_ends_within_one_image(digit_folder: Path, monkeypatch) -> None:
    """The 20 images report one by one; a stop at the fifth leaves the other fifteen unread."""
    from digitpad.core import imageio

    read: list[Path] = []

    def read_image(path: Path) -> np.ndarray:
        read.append(path)
        return imageio.read_image(path)

    monkeypatch.setattr(datasets, "read_image", read_image)
    stop = threading.Event()

    def progress(fraction: float) -> None:
        if fraction >= 5 / 20:
            stop.set()

    with pytest.raises(Cancelled, match="reading the images"):
        load_dataset(digit_folder, progress=progress, stop_event=stop)
    assert len(read) == 5


def test_a_stop_during_a_download_is_honoured_once_it_returns(offline_home: Path, monkeypatch, digits) -> None:
    """Keras' get_file cannot be interrupted; the stop set meanwhile ends the load right after it."""
    monkeypatch.delenv("DIGITPAD_OFFLINE")
    stop = threading.Event()

    def get_file(*, fname, origin, file_hash, cache_dir, cache_subdir):
        _write_mnist_cache(Path(cache_dir), digits)
        stop.set()  # the user closes the window while the file downloads
        return str(Path(cache_dir) / cache_subdir / fname)

    monkeypatch.setitem(sys.modules, "keras", types.SimpleNamespace(utils=types.SimpleNamespace(get_file=get_file)))
    monkeypatch.setattr(datasets, "_load_npz", lambda *a, **k: pytest.fail("read anyway"))
    with pytest.raises(Cancelled, match="downloading MNIST"):
        load_dataset("mnist", stop_event=stop)
