"""Data fixtures for the core tests: tiny synthetic digit arrays and file writers."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

IDX_IMAGES_MAGIC = 2051
IDX_LABELS_MAGIC = 2049


@pytest.fixture
def digits() -> tuple[np.ndarray, np.ndarray]:
    """24 distinct uint8 (28, 28) images whose label is recoverable from the pixels.

    Image i has the value i at pixel (0, 0), so a test can tell which image ended up where after
    a split, and label i % 10, so every digit appears.
    """
    x = np.zeros((24, 28, 28), np.uint8)
    x[:, 0, 0] = np.arange(24)
    x[:, 10:18, 13:15] = 255
    y = (np.arange(24) % 10).astype(np.uint8)
    return x, y


def _write_idx(path: Path, magic: int, array: np.ndarray, *, gz: bool = True) -> Path:
    """Write `array` as an IDX file: big-endian magic, one uint32 per dimension, uint8 data."""
    dims = np.array(array.shape, ">u4").tobytes()
    data = magic.to_bytes(4, "big") + dims + np.ascontiguousarray(array, np.uint8).tobytes()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


@pytest.fixture
def write_idx() -> Callable[..., Path]:
    """Returns write(path, magic, array, gz=True) -> path, for hand-made (possibly wrong) IDX files."""
    return _write_idx


@pytest.fixture
def write_idx_set() -> Callable[..., Path]:
    """Returns write(folder, x_train, y_train, x_test, y_test, gz=True) -> folder with the four IDX files."""

    def write(folder: Path, x_train, y_train, x_test, y_test, *, gz: bool = True) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        suffix = ".gz" if gz else ""
        for prefix, x, y in (("train", x_train, y_train), ("t10k", x_test, y_test)):
            _write_idx(folder / f"{prefix}-images-idx3-ubyte{suffix}", IDX_IMAGES_MAGIC, x, gz=gz)
            _write_idx(folder / f"{prefix}-labels-idx1-ubyte{suffix}", IDX_LABELS_MAGIC, y, gz=gz)
        return folder

    return write


@pytest.fixture
def offline_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty HOME with no Keras cache, and DIGITPAD_OFFLINE=1: nothing is downloaded or found."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.setenv("DIGITPAD_OFFLINE", "1")
    return home
