"""The personal digit store: schema and migration, kill -9, damaged and foreign files, undo, threads."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from digitpad.core.digit_store import (
    SCHEMA_VERSION,
    DigitStore,
    DigitStoreError,
    StoredDigit,
    default_digits_path,
)
from digitpad.core.errors import DataError
from digitpad.core.strokes import Drawing, PenStroke

REPO = Path(__file__).resolve().parents[2]
# What a version-1 file looked like: the picture, label, origin and canvas, nothing more.
V1_SCHEMA = """
CREATE TABLE digits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    label INTEGER NOT NULL CHECK (label BETWEEN 0 AND 9),
    image BLOB NOT NULL CHECK (length(image) = 784),
    source TEXT NOT NULL,
    created REAL NOT NULL,
    canvas BLOB
);
CREATE INDEX digits_by_label ON digits (label);
PRAGMA user_version = 1;
"""
DAMAGED_NAME = re.compile(r"digits\.sqlite\.damaged-\d{8}-\d{6}(-\d+)?")


def picture(seed: int) -> np.ndarray:
    """A distinct uint8 28x28 model input."""
    image = np.zeros((28, 28), np.uint8)
    image[6:22, 12:16] = 255
    image[0, 0] = seed % 256
    return image


def drawing() -> Drawing:
    return Drawing(strokes=(PenStroke(points=((140.0, 40.0, 0.0), (141.0, 240.0, 0.25)), width=22.0),))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "digits.sqlite"


def test_a_new_store_has_the_current_schema_in_wal_mode(path: Path) -> None:
    with DigitStore.open(path) as store:
        assert store.path == path and store.set_aside is None
        assert store.total() == 0 and store.counts() == dict.fromkeys(range(10), 0)
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    columns = [row[1] for row in connection.execute("PRAGMA table_info(digits)")]
    assert {"strokes", "canvas", "image", "label", "model_name", "predicted", "confidence"} <= set(columns)
    connection.close()


def test_a_digit_comes_back_as_it_was_stored(path: Path) -> None:
    canvas = np.full((280, 280), 255, np.uint8)
    canvas[40:240, 130:152] = 0
    image = np.linspace(0, 1, 784, dtype=np.float32).reshape(28, 28)
    with DigitStore.open(path) as store:
        before = time.time()
        digit_id = store.add(4, image, drawing=drawing(), canvas=canvas, source="guided",
                             model_name="shipped", predicted=9, confidence=0.625)
        digit = store.get(digit_id)
        assert (digit.id, digit.label, digit.source) == (digit_id, 4, "guided")
        assert (digit.model_name, digit.predicted, digit.confidence) == ("shipped", 9, 0.625)
        assert digit.drawing == drawing()
        assert before <= digit.created <= time.time()
        assert digit.image.dtype == np.float32 and digit.image.shape == (28, 28)
        np.testing.assert_allclose(digit.image, image, atol=0.5 / 255)  # kept to 1/255
        decoded = store.canvas_image(digit_id)
        assert decoded is not None and np.array_equal(decoded, canvas)
        plain = store.add(1, picture(1))
        assert store.canvas_image(plain) is None and store.get(plain).drawing is None
    with DigitStore.open(path) as store:  # and after closing and reopening
        assert store.get(digit_id).drawing == drawing() and store.total() == 2


def test_listing_counting_and_arrays(path: Path) -> None:
    with DigitStore.open(path) as store:
        ids = store.add_many([3, 1, 3], [picture(0), picture(1), picture(2)], source="imported: a.npz")
        drawn = store.add(7, picture(3), drawing=drawing())
        assert ids == sorted(ids) and drawn > ids[-1]
        assert store.counts() == {**dict.fromkeys(range(10), 0), 1: 1, 3: 2, 7: 1}
        assert store.total() == 4
        assert [digit.id for digit in store.digits(3)] == [ids[0], ids[2]]
        assert [digit.id for digit in store.digits()] == [*ids, drawn]
        x, y, drawings = store.arrays()
        assert x.dtype == np.float32 and x.shape == (4, 28, 28)
        assert y.dtype == np.int64 and y.tolist() == [3, 1, 3, 7]
        assert drawings == [None, None, None, drawing()]
        assert np.array_equal(np.rint(x[1] * 255).astype(np.uint8), picture(1))


def test_add_many_is_all_or_nothing(path: Path) -> None:
    with DigitStore.open(path) as store:
        with pytest.raises(DataError, match="label"):
            store.add_many([1, 2, 12], [picture(0)] * 3, source="x")
        assert store.total() == 0


@pytest.mark.parametrize(
    ("label", "image"),
    [(10, picture(0)), (-1, picture(0)), (True, picture(0)), (1, np.zeros((28, 27))),
     (1, np.full((28, 28), 1.5)), (1, np.full((28, 28), np.nan))],
)
def test_bad_digits_are_refused(path: Path, label: int, image: np.ndarray) -> None:
    with DigitStore.open(path) as store, pytest.raises(DataError):
        store.add(label, image)


def test_relabel_delete_and_undo(path: Path) -> None:
    canvas = np.zeros((280, 280), np.uint8)
    with DigitStore.open(path) as store:
        first = store.add(1, picture(1), drawing=drawing(), canvas=canvas, model_name="m", predicted=7, confidence=0.9)
        second = store.add(2, picture(2))
        store.relabel([first, second], 5)
        assert store.counts()[5] == 2 and store.get(first).label == 5
        original = store.get(first)
        deleted = store.delete([first, 12345])
        assert [digit.id for digit in deleted] == [first]
        assert store.total() == 1
        with pytest.raises(DigitStoreError, match="no digit"):
            store.get(first)
        newer = store.add(3, picture(3))
        assert newer > second  # ids are never reused, so the undo below cannot collide
        store.restore(deleted)
        restored = store.get(first)
        assert _same(restored, original)
        assert store.canvas_image(first) is not None  # the canvas comes back too
        store.restore(deleted)  # undoing twice changes nothing
        assert store.total() == 3


def _same(a: StoredDigit, b: StoredDigit) -> bool:
    return (a.id, a.label, a.source, a.created, a.drawing, a.model_name, a.predicted, a.confidence) == (
        b.id, b.label, b.source, b.created, b.drawing, b.model_name, b.predicted, b.confidence
    ) and np.array_equal(a.image, b.image)


def test_a_version_1_file_is_migrated_keeping_its_digits(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.executescript(V1_SCHEMA)
    connection.executemany(
        "INSERT INTO digits (label, image, source, created, canvas) VALUES (?, ?, ?, ?, ?)",
        [(label, picture(label).tobytes(), "drawn", 1_700_000_000.0 + label, None) for label in (4, 8, 4)],
    )
    connection.commit()
    connection.close()
    with DigitStore.open(path) as store:
        assert store.set_aside is None
        assert store.counts()[4] == 2 and store.counts()[8] == 1
        old = store.digits()
        assert [digit.created for digit in old] == [1_700_000_004.0, 1_700_000_008.0, 1_700_000_004.0]
        assert all(digit.drawing is None and digit.model_name is None and digit.predicted is None for digit in old)
        assert np.array_equal(np.rint(old[1].image * 255).astype(np.uint8), picture(8))
        new = store.add(2, picture(2), drawing=drawing(), model_name="m", predicted=3, confidence=0.5)
        assert store.get(new).drawing == drawing() and new == 4
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    connection.close()


def test_a_file_from_a_newer_digitpad_is_refused_and_left_alone(path: Path) -> None:
    with DigitStore.open(path) as store:
        store.add(1, picture(1))
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    content = path.read_bytes()
    with pytest.raises(DigitStoreError, match="newer digitpad"):
        DigitStore.open(path)
    assert path.read_bytes() == content
    assert not [p.name for p in path.parent.iterdir() if "damaged" in p.name]  # not moved aside either


def test_an_sqlite_file_of_another_program_is_refused_and_left_alone(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE contacts (name TEXT)")
    connection.commit()
    connection.close()
    content = path.read_bytes()
    with pytest.raises(DigitStoreError, match="not a digitpad digits file"):
        DigitStore.open(path)
    assert path.read_bytes() == content


def test_a_file_of_garbage_is_moved_aside_with_its_date(path: Path) -> None:
    garbage = os.urandom(5000)
    path.write_bytes(garbage)
    Path(f"{path}-wal").write_bytes(b"stale wal")
    with DigitStore.open(path) as store:
        assert store.set_aside is not None and DAMAGED_NAME.fullmatch(store.set_aside.name)
        assert store.set_aside.read_bytes() == garbage  # moved, never deleted or changed
        assert Path(f"{store.set_aside}-wal").read_bytes() == b"stale wal"
        assert store.total() == 0
        store.add(5, picture(5))
    with DigitStore.open(path) as store:
        assert store.set_aside is None and store.total() == 1


def test_a_truncated_store_is_moved_aside_and_a_fresh_one_started(path: Path) -> None:
    with DigitStore.open(path) as store:
        canvas = np.random.default_rng(0).integers(0, 256, (200, 200), dtype=np.uint8)  # bulky, many pages
        for label in range(10):
            store.add(label, picture(label), canvas=canvas)
    size = path.stat().st_size
    with open(path, "r+b") as stream:
        stream.truncate(size // 2)
    with DigitStore.open(path) as store:
        assert store.set_aside is not None and store.set_aside.stat().st_size == size // 2
        assert store.total() == 0
        store.add(1, picture(1))
        assert store.total() == 1
    names = sorted(p.name for p in path.parent.iterdir())
    assert "digits.sqlite" in names and any(DAMAGED_NAME.fullmatch(name) for name in names)


def test_two_damaged_files_in_the_same_second_both_survive(path: Path) -> None:
    asides = []
    for content in (b"first garbage" * 100, b"second garbage" * 100):
        path.write_bytes(content)
        store = DigitStore.open(path)
        assert store.set_aside is not None
        asides.append(store.set_aside)
        store.close()
        path.unlink()  # the fresh, empty store; the test makes the next file damaged again
    assert asides[0] != asides[1]
    assert {aside.read_bytes()[:5] for aside in asides} == {b"first", b"secon"}


# A child that stores digits as fast as it can and prints each id once add() has returned.
_WRITER = """
import sys
import numpy as np
from digitpad.core.digit_store import DigitStore
from digitpad.core.strokes import Drawing, PenStroke
store = DigitStore.open(sys.argv[1])
canvas = np.random.default_rng(0).integers(0, 256, (280, 280), dtype=np.uint8)
strokes = Drawing(strokes=(PenStroke(points=tuple((float(i), float(i), i / 100) for i in range(200)), width=20.0),))
image = np.zeros((28, 28), np.float32)
print("ready", flush=True)
while True:
    digit_id = store.add(int(np.random.randint(10)), image, drawing=strokes, canvas=canvas)
    print(digit_id, flush=True)
"""


def test_kill_9_in_the_middle_of_inserts_loses_at_most_the_digit_being_written(path: Path) -> None:
    rng = np.random.default_rng(7)
    reported: list[int] = []
    for _round in range(3):
        before = _total(path)
        child = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE, text=True, cwd=REPO
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        printed = [int(child.stdout.readline()) for _ in range(int(rng.integers(5, 40)))]
        time.sleep(float(rng.uniform(0, 0.01)))  # then at some moment within an insert or between two
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
        # Ids printed before the kill; a last line may have been cut off mid-write.
        printed += [int(line) for line in child.stdout.read().splitlines() if line.strip().isdigit()]
        child.stdout.close()
        connection = sqlite3.connect(path)
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        connection.close()
        with DigitStore.open(path) as store:
            assert store.set_aside is None
            added = store.total() - before
            # Committed and reported, or committed while the child was killed before it could print.
            assert len(printed) <= added <= len(printed) + 1
            stored = {digit.id for digit in store.digits()}
        reported += printed
        assert set(reported) <= stored


def _total(path: Path) -> int:
    if not path.exists():
        return 0
    with DigitStore.open(path) as store:
        return store.total()


def test_threads_share_one_store(path: Path) -> None:
    errors: list[BaseException] = []
    with DigitStore.open(path) as store:

        def work(label: int) -> None:
            try:
                for index in range(25):
                    store.add(label, picture(index))
                    store.counts()
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(label,)) for label in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        assert store.total() == 100 and [store.counts()[label] for label in range(4)] == [25] * 4


def test_an_unwritable_place_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(DigitStoreError, match="Cannot create the folder"):
        DigitStore.open(blocker / "digits.sqlite")


def test_default_path_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("DIGITPAD_DIGITS", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert default_digits_path() == tmp_path / ".local" / "share" / "digitpad" / "digits.sqlite"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    assert default_digits_path() == tmp_path / ".local" / "share" / "digitpad" / "digits.sqlite"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_digits_path() == tmp_path / "data" / "digitpad" / "digits.sqlite"
    monkeypatch.setenv("DIGITPAD_DIGITS", str(tmp_path / "mine.sqlite"))
    assert default_digits_path() == tmp_path / "mine.sqlite"
