"""Importing digits into the store and exporting them: exact round trips, bad files skipped."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitpad.core.cancellation import Cancelled
from digitpad.core.datasets import load_dataset, load_test_set
from digitpad.core.digit_exchange import export_digits, import_digits
from digitpad.core.digit_store import DigitStore
from digitpad.core.errors import DataError
from digitpad.core.preprocess import preprocess
from digitpad.core.resources import bundled_mnist_path


@pytest.fixture(scope="module")
def mnist() -> tuple[np.ndarray, np.ndarray]:
    """30 real MNIST digits, three of each label."""
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"], data["y"]
    order = np.concatenate([np.flatnonzero(y == label)[:3] for label in range(10)])
    return x[order], y[order]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DigitStore]:
    opened = DigitStore.open(tmp_path / "digits.sqlite")
    yield opened
    opened.close()


def stored_uint8(store: DigitStore) -> tuple[np.ndarray, np.ndarray]:
    x, y, _drawings = store.arrays()
    return np.rint(x * 255).astype(np.uint8), y.astype(np.uint8)


def test_npz_import_then_export_is_exact(store: DigitStore, mnist: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    x, y = mnist
    np.savez(tmp_path / "in.npz", x=x, y=y)
    report = import_digits(store, tmp_path / "in.npz")
    assert report.added == 30 and report.skipped == []
    assert store.digits()[0].source == "imported: in.npz"
    assert store.counts() == dict.fromkeys(range(10), 3)
    assert export_digits(store, tmp_path / "out.npz") == 30
    with np.load(tmp_path / "out.npz") as data:
        assert data["x"].dtype == np.uint8 and data["y"].dtype == np.uint8
        assert np.array_equal(data["x"], x) and np.array_equal(data["y"], y)


def test_float_one_hot_and_flat_npz_are_read_like_training_data(store: DigitStore, mnist: tuple[np.ndarray, np.ndarray],
                                                                 tmp_path: Path) -> None:
    x, y = mnist
    np.savez(tmp_path / "keras.npz", x=(x / 255.0).reshape(30, 784).astype(np.float32), y=np.eye(10)[y])
    assert import_digits(store, tmp_path / "keras.npz").added == 30
    assert np.array_equal(stored_uint8(store)[0], x)


def test_npz_of_large_pictures_is_preprocessed(store: DigitStore, mnist: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    x, y = mnist
    # Black ink on white canvases of 140x140, as a scan would be.
    big = np.stack([255 - np.array(Image.fromarray(digit).resize((140, 140), Image.Resampling.BICUBIC)) for digit in x[:5]])
    np.savez(tmp_path / "big.npz", x=big, y=y[:5])
    assert import_digits(store, tmp_path / "big.npz").added == 5
    stored = store.arrays()[0]
    for digit, picture in zip(stored, big, strict=True):
        np.testing.assert_allclose(digit, np.rint(preprocess(picture) * 255) / 255, atol=1e-6)


def test_npz_bad_entries_are_listed_and_the_rest_imported(store: DigitStore, mnist: tuple[np.ndarray, np.ndarray],
                                                          tmp_path: Path) -> None:
    x, y = mnist
    x = x[:6].astype(np.float32)
    labels = y[:6].astype(np.float32)
    labels[1] = 11
    labels[2] = 2.5
    x[3, 5, 5] = np.nan
    x[4] = 0  # blank
    np.savez(tmp_path / "mixed.npz", x=x, y=labels)
    report = import_digits(store, tmp_path / "mixed.npz")
    assert report.added == 2
    skipped = dict(report.skipped)
    assert set(skipped) == {f"mixed.npz entry {index}" for index in (1, 2, 3, 4)}
    assert "label 11" in skipped["mixed.npz entry 1"] and "label 2.5" in skipped["mixed.npz entry 2"]
    assert "0-255" in skipped["mixed.npz entry 3"] and "no ink" in skipped["mixed.npz entry 4"]
    assert store.digits()[1].label == int(y[5])


@pytest.mark.parametrize(
    ("arrays", "message"),
    [({"images": np.zeros((2, 28, 28)), "labels": np.zeros(2)}, "no arrays named x and y"),
     ({"x": np.zeros((3, 28, 28)), "y": np.zeros(2)}, "shape"),
     ({"x": np.zeros((2, 30)), "y": np.zeros(2)}, "784")],
)
def test_npz_without_usable_arrays_is_one_error(store: DigitStore, tmp_path: Path, arrays: dict[str, np.ndarray],
                                                message: str) -> None:
    np.savez(tmp_path / "bad.npz", **arrays)  # type: ignore[arg-type]
    with pytest.raises(DataError, match=message):
        import_digits(store, tmp_path / "bad.npz")
    assert store.total() == 0


def test_png_folder_round_trip_is_exact(store: DigitStore, mnist: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    x, y = mnist
    store.add_many(y, x, source="drawn")
    ids = [digit.id for digit in store.digits()]
    assert export_digits(store, tmp_path / "pngs") == 30
    files = sorted((tmp_path / "pngs").glob("*/*.png"))
    assert len(files) == 30
    assert {(int(path.parent.name), int(path.stem)) for path in files} == set(zip(y.tolist(), ids, strict=True))
    first = np.array(Image.open(tmp_path / "pngs" / str(y[0]) / f"{ids[0]:06d}.png"))
    assert first.dtype == np.uint8 and np.array_equal(first, x[0])  # white ink on black, as MNIST

    again = DigitStore.open(tmp_path / "again.sqlite")
    assert import_digits(again, tmp_path / "pngs").added == 30
    got_x, got_y = stored_uint8(again)
    # Sorted per label by id, so the order is that of the export.
    order = np.argsort(y, kind="stable")
    assert np.array_equal(got_y, y[order]) and np.array_equal(got_x, x[order])
    again.close()
    # digitpad's own data loader reads the export too.
    assert len(load_test_set(tmp_path / "pngs").y_test) == 30


def test_image_folder_bad_files_are_listed_and_skipped(store: DigitStore, mnist: tuple[np.ndarray, np.ndarray],
                                                       tmp_path: Path) -> None:
    x, y = mnist
    folder = tmp_path / "hand"
    for label in range(10):
        (folder / str(label)).mkdir(parents=True)
    scan = np.full((120, 90), 255, np.uint8)
    scan[20:104, 3:87] = 255 - np.array(Image.fromarray(x[12]).resize((84, 84)))
    Image.fromarray(scan).save(folder / str(y[12]) / "scan.png")  # large, dark on light: preprocessed
    Image.fromarray(255 - x[0]).save(folder / str(y[0]) / "small-inverted.png")  # 28x28 dark on light
    Image.fromarray(x[3]).convert("RGB").save(folder / str(y[3]) / "colour.jpg", quality=100)
    (folder / "4" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (folder / "5" / "empty.png").write_bytes(b"")
    Image.fromarray(np.full((50, 50), 255, np.uint8)).save(folder / "6" / "blank.png")
    (folder / "7" / "notes.txt").write_text("not a digit")
    (folder / "7" / ".DS_Store").write_bytes(b"hidden")
    (folder / "8" / "nested").mkdir()
    report = import_digits(store, folder)
    assert report.added == 3
    skipped = dict(report.skipped)
    assert set(skipped) == {"4/broken.png", "5/empty.png", "6/blank.png", "7/notes.txt", "8/nested"}
    assert "not an image" in skipped["4/broken.png"] and "empty" in skipped["5/empty.png"]
    assert "ink" in skipped["6/blank.png"]
    assert store.counts()[int(y[0])] >= 1
    by_source = {digit.label: digit for digit in store.digits()}
    assert np.array_equal(np.rint(by_source[int(y[0])].image * 255).astype(np.uint8), x[0])  # turned round, exact
    scanned = by_source[int(y[12])].image
    assert np.corrcoef(scanned.ravel(), preprocess(x[12]).ravel())[0, 1] > 0.95  # read as the same digit


def test_idx_round_trip_is_exact_and_evaluate_reads_it(store: DigitStore, mnist: tuple[np.ndarray, np.ndarray],
                                                       tmp_path: Path) -> None:
    x, y = mnist
    store.add_many(y, x, source="drawn")
    assert export_digits(store, tmp_path / "idx", format="idx") == 30
    test_set = load_test_set(tmp_path / "idx")  # what `digitpad evaluate --data FOLDER` reads
    assert np.array_equal(test_set.x_test, x) and np.array_equal(test_set.y_test, y)
    again = DigitStore.open(tmp_path / "again.sqlite")
    assert import_digits(again, tmp_path / "idx" / "t10k-images-idx3-ubyte").added == 30  # a file stands for its folder
    assert all(np.array_equal(a, b) for a, b in zip(stored_uint8(again), (x, y), strict=True))
    again.close()
    assert export_digits(store, tmp_path / "idx", format="idx") == 30  # re-exporting replaces the two files


def test_npz_export_is_training_data(store: DigitStore, mnist: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    x, y = mnist
    store.add_many(y, x, source="drawn")
    export_digits(store, tmp_path / "mine.npz")
    dataset = load_dataset(tmp_path / "mine.npz")
    assert len(dataset.y_train) + len(dataset.y_test) == 30


def test_export_refusals(store: DigitStore, mnist: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no digits"):
        export_digits(store, tmp_path / "empty.npz")
    x, y = mnist
    store.add_many(y[:2], x[:2], source="drawn")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(DataError, match="new or empty folder"):
        export_digits(store, tmp_path / "full")
    assert (tmp_path / "full" / "keep.txt").read_text() == "mine"
    with pytest.raises(DataError, match="format"):
        export_digits(store, tmp_path / "x", format="csv")
    (tmp_path / "file").write_text("")
    with pytest.raises(DataError, match="it is a file"):
        export_digits(store, tmp_path / "file", format="idx")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["digits.sqlite", "digits.sqlite-shm",
                                                                 "digits.sqlite-wal", "file", "full"]
    (tmp_path / "empty").mkdir()
    assert export_digits(store, tmp_path / "empty") == 2  # an empty folder is fine


def test_import_refusals(store: DigitStore, tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        import_digits(store, tmp_path / "missing")
    (tmp_path / "plain").mkdir()
    with pytest.raises(DataError, match="subfolders named 0-9"):
        import_digits(store, tmp_path / "plain")
    (tmp_path / "hand" / "3").mkdir(parents=True)
    with pytest.raises(DataError, match="no images"):
        import_digits(store, tmp_path / "hand")
    (tmp_path / "not.npz").write_bytes(b"garbage")
    with pytest.raises(DataError, match=r"not a \.npz"):
        import_digits(store, tmp_path / "not.npz")


def test_a_stopped_import_adds_nothing(store: DigitStore, mnist: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    x, y = mnist
    np.savez(tmp_path / "in.npz", x=x, y=y)
    stop = threading.Event()
    fractions: list[float] = []

    def progress(fraction: float) -> None:
        fractions.append(fraction)
        if fraction > 0.5:
            stop.set()

    with pytest.raises(Cancelled):
        import_digits(store, tmp_path / "in.npz", progress=progress, stop_event=stop)
    assert store.total() == 0 and fractions == sorted(fractions)
