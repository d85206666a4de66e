"""The user's own labelled digits, kept in one SQLite file so a model can learn their hand.

Why SQLite, and why these settings: the window stores a digit every time the user corrects a
reading, and the process may be killed at any moment (a crash, `kill -9`, a logout). In WAL mode
a commit appends the transaction to the `-wal` file with write() before it returns, so once
`add` has returned its id the digit is in the operating system's hands and survives the process
dying; a transaction cut off half-way is ignored on the next open. `synchronous=NORMAL` skips the
fsync at every commit (it would cost milliseconds per digit): in WAL mode that can only lose the
last few commits on a power cut, never corrupt the file, which is the right trade for digits a
person can draw again.

The schema is versioned with `PRAGMA user_version` and brought up to date by `_MIGRATIONS`, which
a new file runs from the start, so the upgrade path is exercised every time a store is created.
A file that is not a database or fails `PRAGMA integrity_check` is moved aside with the date in
its name and a fresh store started (`DigitStore.set_aside` says where); nothing is ever deleted.
A file from a newer digitpad is refused, untouched: it is not damaged, only not ours to read.
"""

from __future__ import annotations

import io
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from digitpad.core.errors import DataError, DigitpadError
from digitpad.core.strokes import Drawing
from digitpad.core.user_dirs import configured_or, user_data_dir

_LOG = logging.getLogger(__name__)

DIGITS_ENV = "DIGITPAD_DIGITS"
FILE_NAME = "digits.sqlite"
IMAGE_SIDE = 28
IMAGE_BYTES = IMAGE_SIDE * IMAGE_SIDE
# Seconds a write waits for another digitpad process holding the file (two windows open).
BUSY_TIMEOUT_S = 5.0
# The canvas image is a few hundred pixels square; anything far larger is not one.
MAX_CANVAS_SIDE = 4096
# SQLite's primary result codes for a file that is not a database or is corrupt.
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SIDECARS = ("-wal", "-shm")


class DigitStoreError(DigitpadError):
    """The digits file cannot be opened, read or written."""


def default_digits_path() -> Path:
    """$DIGITPAD_DIGITS, else $XDG_DATA_HOME/digitpad/digits.sqlite, else ~/.local/share/digitpad/digits.sqlite.

    A relative XDG_DATA_HOME is ignored, as the XDG specification says, and as the model library does.
    """
    return configured_or(DIGITS_ENV, user_data_dir() / FILE_NAME)


@dataclass(frozen=True)
class StoredDigit:
    """One labelled digit as stored. `image` is the model input, kept to 1/255 (as uint8)."""

    id: int
    label: int
    image: np.ndarray  # float32 (28, 28) in 0..1, white ink on black
    source: str  # "drawn", "guided", or "imported: <file name>"
    created: float  # Unix time
    drawing: Drawing | None  # None for imported images
    model_name: str | None  # the model that read it when it was stored
    predicted: int | None  # what that model read
    confidence: float | None


# --- schema ----------------------------------------------------------------------------------

# Version 1 kept the picture, its label and where it came from; version 2 added the strokes, so
# digits can be re-rendered at other pen widths, and what the model of the moment read.
_V1 = """
CREATE TABLE digits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    label INTEGER NOT NULL CHECK (label BETWEEN 0 AND 9),
    image BLOB NOT NULL CHECK (length(image) = 784),
    source TEXT NOT NULL,
    created REAL NOT NULL,
    canvas BLOB
);
CREATE INDEX digits_by_label ON digits (label);
"""
_V2 = """
ALTER TABLE digits ADD COLUMN strokes TEXT;
ALTER TABLE digits ADD COLUMN model_name TEXT;
ALTER TABLE digits ADD COLUMN predicted INTEGER CHECK (predicted IS NULL OR predicted BETWEEN 0 AND 9);
ALTER TABLE digits ADD COLUMN confidence REAL;
"""
# AUTOINCREMENT: ids are never reused, so an undone delete can always put a digit back under its id.
_MIGRATIONS: tuple[str, ...] = (_V1, _V2)  # _MIGRATIONS[n] takes user_version n to n + 1
SCHEMA_VERSION = len(_MIGRATIONS)
_COLUMNS = ("id", "label", "image", "source", "created", "canvas", "strokes", "model_name", "predicted", "confidence")
# Everything but the canvas PNG, which only `canvas_image` needs.
_DIGIT_COLUMNS = "id, label, image, source, created, strokes, model_name, predicted, confidence"


class DigitStore:
    """The digits file, open. Safe to use from several threads: one connection behind one lock."""

    def __init__(self, connection: sqlite3.Connection, path: Path, set_aside: Path | None) -> None:
        """Use `DigitStore.open`; this only wraps a connection it has checked and migrated."""
        self._connection = connection
        self._lock = threading.Lock()
        self.path = path
        self.set_aside = set_aside
        # Canvas pictures of digits deleted in this session, so that undo brings them back whole
        # (StoredDigit does not carry the canvas). Forgotten on close, as the undo history is.
        self._deleted_canvases: dict[int, bytes] = {}

    @classmethod
    def open(cls, path: str | Path | None = None) -> DigitStore:
        """Open the store at `path` (default `default_digits_path()`), creating or upgrading it.

        A damaged file is moved aside and a fresh store started (see `set_aside`). Raises
        DigitStoreError when the file comes from a newer digitpad, is not a digits file, or cannot
        be opened at all (permissions, a full disk).
        """
        path = Path(path).expanduser() if path is not None else default_digits_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DigitStoreError(f"Cannot create the folder for your digits, {path.parent}: {exc.strerror or exc}.") from exc
        set_aside = None
        try:
            connection = _open_checked(path)
        except _Damaged as damage:
            _LOG.warning("%s is damaged (%s); moving it aside", path, damage)
            set_aside = _move_aside(path)
            connection = _open_checked(path)
        return cls(connection, path, set_aside)

    def __enter__(self) -> DigitStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file; in WAL mode this also folds the -wal file back into it."""
        with self._lock:
            self._deleted_canvases.clear()
            self._connection.close()

    # --- writing ---------------------------------------------------------------------------

    def add(
        self,
        label: int,
        image: np.ndarray,
        *,
        drawing: Drawing | None = None,
        canvas: np.ndarray | None = None,
        source: str = "drawn",
        model_name: str | None = None,
        predicted: int | None = None,
        confidence: float | None = None,
    ) -> int:
        """Store one digit and return its id; the digit is safely on disk when this returns.

        `image` is the 28x28 model input (float in 0..1 or uint8), `canvas` the picture the user
        drew (uint8 gray or RGB), `drawing` its strokes.
        """
        row = (
            _label(label),
            _image_bytes(image),
            source,
            time.time(),
            None if canvas is None else _png_bytes(canvas),
            None if drawing is None else drawing.to_json(),
            model_name,
            None if predicted is None else _label(predicted),
            None if confidence is None else float(confidence),
        )
        with self._transaction("save the digit") as connection:
            cursor = connection.execute(
                "INSERT INTO digits (label, image, source, created, canvas, strokes, model_name, predicted, confidence)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            return _row_id(cursor)

    def add_many(self, labels: Sequence[int] | np.ndarray, images: Sequence[np.ndarray] | np.ndarray, *,
                 source: str) -> list[int]:
        """Store many digits in one transaction (all or none) and return their ids in order."""
        created = time.time()
        rows = [(_label(label), _image_bytes(image), source, created) for label, image in zip(labels, images, strict=True)]
        with self._transaction("save the digits") as connection:
            return [
                _row_id(connection.execute(
                    "INSERT INTO digits (label, image, source, created) VALUES (?, ?, ?, ?)", row
                ))
                for row in rows
            ]

    def relabel(self, ids: Sequence[int], label: int) -> None:
        """Give the digits `ids` the label `label`; ids no longer stored are passed over."""
        label = _label(label)
        with self._transaction("relabel the digits") as connection:
            connection.executemany("UPDATE digits SET label = ? WHERE id = ?", [(label, int(i)) for i in ids])

    def delete(self, ids: Sequence[int]) -> list[StoredDigit]:
        """Delete the digits `ids` and return them as they were, for `restore` (undo)."""
        wanted = [int(i) for i in ids]
        with self._transaction("delete the digits") as connection:
            deleted = []
            for digit_id in wanted:
                row = connection.execute(f"SELECT {_DIGIT_COLUMNS}, canvas FROM digits WHERE id = ?",
                                         (digit_id,)).fetchone()
                if row is None:
                    continue
                deleted.append(_digit(row[:-1]))
                if row[-1] is not None:
                    self._deleted_canvases[digit_id] = row[-1]
                connection.execute("DELETE FROM digits WHERE id = ?", (digit_id,))
            return deleted

    def restore(self, digits: Sequence[StoredDigit]) -> None:
        """Put deleted digits back under their own ids (undo of `delete`); ones present are left alone."""
        rows = [
            (
                digit.id, _label(digit.label), _image_bytes(digit.image), digit.source, digit.created,
                self._deleted_canvases.get(digit.id), None if digit.drawing is None else digit.drawing.to_json(),
                digit.model_name, digit.predicted, digit.confidence,
            )
            for digit in digits
        ]
        with self._transaction("restore the digits") as connection:
            connection.executemany(
                f"INSERT OR IGNORE INTO digits ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                rows,
            )
        for digit in digits:
            self._deleted_canvases.pop(digit.id, None)

    # --- reading ---------------------------------------------------------------------------

    def get(self, digit_id: int) -> StoredDigit:
        """The digit `digit_id`; DigitStoreError when there is none."""
        rows = self._query(f"SELECT {_DIGIT_COLUMNS} FROM digits WHERE id = ?", (int(digit_id),))
        if not rows:
            raise DigitStoreError(f"There is no digit #{digit_id} in your digits (it may have been deleted).")
        return _digit(rows[0])

    def canvas_image(self, digit_id: int) -> np.ndarray | None:
        """The canvas as the user drew it, uint8 (H, W) gray; None when it was not kept (imports)."""
        rows = self._query("SELECT canvas FROM digits WHERE id = ?", (int(digit_id),))
        if not rows or rows[0][0] is None:
            return None
        try:
            with Image.open(io.BytesIO(rows[0][0])) as picture:
                return np.array(picture.convert("L"), dtype=np.uint8)
        except (OSError, SyntaxError, ValueError) as exc:
            _LOG.warning("the canvas picture of digit #%s cannot be decoded: %s", digit_id, exc)
            return None

    def digits(self, label: int | None = None) -> list[StoredDigit]:
        """All digits, or those labelled `label`, oldest first."""
        if label is None:
            rows = self._query(f"SELECT {_DIGIT_COLUMNS} FROM digits ORDER BY id")
        else:
            rows = self._query(f"SELECT {_DIGIT_COLUMNS} FROM digits WHERE label = ? ORDER BY id", (_label(label),))
        return [_digit(row) for row in rows]

    def counts(self) -> dict[int, int]:
        """How many digits each label 0..9 has, zeros included."""
        counts = dict.fromkeys(range(10), 0)
        for label, count in self._query("SELECT label, COUNT(*) FROM digits GROUP BY label"):
            counts[int(label)] = int(count)
        return counts

    def total(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM digits")[0][0])

    def arrays(self) -> tuple[np.ndarray, np.ndarray, list[Drawing | None]]:
        """x float32 (N, 28, 28), y int64 (N,) and the drawings, oldest first, for training."""
        digits = self.digits()
        x = np.stack([digit.image for digit in digits]) if digits else np.empty((0, 28, 28), np.float32)
        y = np.array([digit.label for digit in digits], dtype=np.int64)
        return x, y, [digit.drawing for digit in digits]

    # --- plumbing --------------------------------------------------------------------------

    def _query(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._connection.execute(sql, parameters).fetchall()
            except sqlite3.Error as exc:
                raise _store_error(self.path, "read", exc) from exc

    @contextmanager
    def _transaction(self, what: str) -> Iterator[sqlite3.Connection]:
        """One write transaction under the lock; rolled back whole on any error."""
        with self._lock:
            connection = self._connection
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _store_error(self.path, what, exc) from exc
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException as exc:
                # Some errors (a full disk) end the transaction themselves.
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise _store_error(self.path, what, exc) from exc
                raise


# --- opening, checking, migrating ------------------------------------------------------------


class _Damaged(Exception):
    """The file is not a database, or a damaged one."""


def _open_checked(path: Path) -> sqlite3.Connection:
    """A connection to a checked store at the current schema version; raises _Damaged or DigitStoreError.

    The file is checked through a read-only connection first: closing a read-write connection
    to a damaged file lets SQLite delete or checkpoint its -wal, and what is set aside must be
    exactly what was found.
    """
    if path.exists():
        with _connection(path, read_only=True) as checking:
            _check(checking, path)
    with _connection(path, read_only=False, keep=True) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        _migrate(connection, path)
        _check_columns(connection)
    return connection


@contextmanager
def _connection(path: Path, *, read_only: bool, keep: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection for the block, closed after it (after an error only, with `keep`); SQLite's
    errors become _Damaged for a damaged file and DigitStoreError for anything else."""
    try:
        if read_only:
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S,
                                         isolation_level=None)
        else:
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise _store_error(path, "open", exc) from exc
    try:
        yield connection
    except sqlite3.Error as exc:
        connection.close()
        if _is_damage(exc):
            raise _Damaged(str(exc)) from exc
        raise _store_error(path, "open", exc) from exc
    except BaseException:
        connection.close()
        raise
    if not keep:
        connection.close()


def _check(connection: sqlite3.Connection, path: Path) -> None:
    results = [row[0] for row in connection.execute("PRAGMA integrity_check").fetchall()]
    if results != ["ok"]:
        raise _Damaged("; ".join(str(result) for result in results[:3]))
    version = _user_version(connection)
    if version > SCHEMA_VERSION:
        raise DigitStoreError(
            f"{path} was written by a newer digitpad (digits format {version}; this one reads up to "
            f"{SCHEMA_VERSION}): update digitpad to use it, or set {DIGITS_ENV} to another file."
        )
    if version == 0 and _tables(connection):
        raise DigitStoreError(
            f"{path} is an SQLite database but not a digitpad digits file; set {DIGITS_ENV} to another file."
        )


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    """Run the migrations the file lacks, each in its own transaction with its version number."""
    while (version := _user_version(connection)) < SCHEMA_VERSION:
        _LOG.info("upgrading %s from digits format %d to %d", path, version, version + 1)
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(_MIGRATIONS[version]):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {version + 1}")
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise


def _check_columns(connection: sqlite3.Connection) -> None:
    """A file claiming the current version must have its table; one without it is not a store we made."""
    columns = tuple(row[1] for row in connection.execute("PRAGMA table_info(digits)").fetchall())
    if columns != _COLUMNS:
        raise _Damaged(f"the digits table has columns {columns}, expected {_COLUMNS}")


def _user_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def _tables(connection: sqlite3.Connection) -> list[str]:
    return [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]


def _statements(script: str) -> list[str]:
    return [statement.strip() for statement in script.split(";") if statement.strip()]


def _is_damage(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    message = str(exc).lower()
    return "not a database" in message or "malformed" in message


def _move_aside(path: Path) -> Path:
    """Rename the damaged file (and its -wal/-shm) to `<name>.damaged-YYYYMMDD-HHMMSS`; never delete."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while any(Path(f"{target}{sidecar}").exists() for sidecar in ("", *_SIDECARS)):
        number += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    try:
        os.rename(path, target)
        for sidecar in _SIDECARS:
            if Path(f"{path}{sidecar}").exists():
                os.rename(f"{path}{sidecar}", f"{target}{sidecar}")
    except OSError as exc:
        raise DigitStoreError(
            f"{path} is damaged and could not be moved aside to {target}: {exc.strerror or exc}."
        ) from exc
    return target


def _store_error(path: Path, what: str, exc: sqlite3.Error) -> DigitStoreError:
    return DigitStoreError(f"Could not {what} in your digits file {path}: {exc}.")


# --- rows ------------------------------------------------------------------------------------


def _row_id(cursor: sqlite3.Cursor) -> int:
    row_id = cursor.lastrowid
    assert row_id is not None  # an INSERT always sets it
    return row_id


def _label(label: int) -> int:
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label <= 9:
        raise DataError(f"A digit's label must be a whole number from 0 to 9, not {label!r}.")
    return int(label)


def _image_bytes(image: np.ndarray) -> bytes:
    """The 28x28 model input as 784 bytes: uint8 as is, floats in 0..1 scaled by 255 and rounded."""
    array = np.asarray(image)
    if array.size != IMAGE_BYTES or array.dtype.kind not in "uif":
        raise DataError(f"A digit's image must be 28x28 numbers, not {array.dtype} of shape {array.shape}.")
    if array.dtype == np.uint8:
        return array.tobytes()
    values = array.astype(np.float64)
    if not np.all(np.isfinite(values)) or values.min() < 0 or values.max() > 1:
        raise DataError("A digit's image must hold values from 0 to 1.")
    return np.rint(values * 255.0).astype(np.uint8).tobytes()


def _png_bytes(canvas: np.ndarray) -> bytes:
    array = np.asarray(canvas)
    if array.dtype != np.uint8 or not (array.ndim == 2 or (array.ndim == 3 and array.shape[2] in (3, 4))):
        raise DataError(f"The canvas must be a uint8 gray or colour picture, not {array.dtype} of shape {array.shape}.")
    if max(array.shape[:2]) > MAX_CANVAS_SIDE or min(array.shape[:2]) == 0:
        raise DataError(f"The canvas must be 1 to {MAX_CANVAS_SIDE} pixels a side, not {array.shape[1]}x{array.shape[0]}.")
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(array)).save(buffer, format="PNG")
    return buffer.getvalue()


def _digit(row: Sequence[Any]) -> StoredDigit:
    digit_id, label, image, source, created, strokes, model_name, predicted, confidence = row
    return StoredDigit(
        id=int(digit_id),
        label=int(label),
        image=np.frombuffer(image, np.uint8).reshape(IMAGE_SIDE, IMAGE_SIDE).astype(np.float32) / np.float32(255),
        source=str(source),
        created=float(created),
        drawing=_drawing(digit_id, strokes),
        model_name=model_name,
        predicted=None if predicted is None else int(predicted),
        confidence=None if confidence is None else float(confidence),
    )


def _drawing(digit_id: int, strokes: str | None) -> Drawing | None:
    """The strokes, or None; a digit whose strokes cannot be read keeps its image and label."""
    if strokes is None:
        return None
    try:
        return Drawing.from_json(strokes)
    except DataError as exc:
        _LOG.warning("the strokes of digit #%s cannot be read: %s", digit_id, exc)
        return None
