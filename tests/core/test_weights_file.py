"""Weights that live outside the .keras file are refused, before any of their bytes is read."""

from __future__ import annotations

import os
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import h5py
import numpy as np
import pytest

from digitpad.core.errors import ModelError
from digitpad.core.inference import Predictor
from digitpad.core.weights_file import WEIGHTS_ENTRY, count_weights


@pytest.fixture(scope="module")
def plain_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import keras

    model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
    path = tmp_path_factory.mktemp("models") / "plain.keras"
    model.save(path)
    return path


def _rewrite_weights(source: Path, target: Path, change: Callable[[h5py.File, Path], None]) -> Path:
    """Copy `source` with its weights file changed in place by `change(store, scratch_folder)`."""
    scratch = target.parent / (target.stem + ".h5")
    with zipfile.ZipFile(source) as original:
        scratch.write_bytes(original.read(WEIGHTS_ENTRY))
        with h5py.File(scratch, "r+") as store:
            change(store, target.parent)
        with zipfile.ZipFile(target, "w") as copy:
            for item in original.infolist():
                data = scratch.read_bytes() if item.filename == WEIGHTS_ENTRY else original.read(item)
                copy.writestr(item, data)
    return target


def _kernel_name(store: h5py.File) -> str:
    names: list[str] = []
    store.visititems(lambda name, item: names.append(name) if isinstance(item, h5py.Dataset) and item.ndim == 2 else None)
    return names[0]


def _external_fifo(store: h5py.File, folder: Path) -> None:
    """The kernel's bytes "stored" in a FIFO: reading them would block forever."""
    fifo = folder / "weights.fifo"
    os.mkfifo(fifo)
    name = _kernel_name(store)
    shape, dtype = store[name].shape, store[name].dtype
    del store[name]
    store.create_dataset(name, shape=shape, dtype=dtype, external=[(str(fifo), 0, h5py.h5f.UNLIMITED)])


def _virtual(store: h5py.File, folder: Path) -> None:
    other = folder / "elsewhere.h5"
    name = _kernel_name(store)
    shape, dtype = store[name].shape, store[name].dtype
    with h5py.File(other, "w") as elsewhere:
        elsewhere.create_dataset("data", data=np.ones(shape, dtype))
    layout = h5py.VirtualLayout(shape=shape, dtype=dtype)
    layout[:] = h5py.VirtualSource(str(other), "data", shape=shape)
    del store[name]
    store.create_virtual_dataset(name, layout)


def _external_link(store: h5py.File, folder: Path) -> None:
    store["layers/elsewhere"] = h5py.ExternalLink(str(folder / "elsewhere.h5"), "/")


def _within_seconds(seconds: float, work: Callable[[], object]) -> BaseException | None:
    """Run `work` in a thread; the error it raised, or a failure if it is still running."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            work()
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"still reading after {seconds} s: it blocked on the outside file")
    return outcome[0]


@pytest.mark.parametrize(("change", "what"), [
    (_external_fifo, "an external dataset"),
    (_virtual, "a virtual dataset"),
    (_external_link, "a link to"),
], ids=["external-fifo", "virtual", "external-link"])
def test_weights_from_outside_the_file_are_refused_in_one_sentence(
    plain_model: Path, tmp_path: Path, change: Callable[[h5py.File, Path], None], what: str
) -> None:
    hostile = _rewrite_weights(plain_model, tmp_path / "hostile.keras", change)
    for read in (lambda: Predictor.load(hostile), lambda: count_weights(hostile, _weights(hostile))):
        error = _within_seconds(10, read)
        assert isinstance(error, ModelError)
        message = str(error)
        assert "take data from outside the file" in message and what in message
        assert str(hostile) in message and "\n" not in message


def test_ordinary_weights_are_read_and_counted(plain_model: Path) -> None:
    assert count_weights(plain_model, _weights(plain_model)) == 784 * 10 + 10
    x = np.random.default_rng(0).random((2, 28, 28), dtype=np.float32)
    assert Predictor.load(plain_model).predict_prepared(x).shape == (2, 10)


def test_damaged_weights_are_one_sentence(plain_model: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.keras"
    with zipfile.ZipFile(plain_model) as original, zipfile.ZipFile(broken, "w") as copy:
        for item in original.infolist():
            copy.writestr(item, b"not hdf5" if item.filename == WEIGHTS_ENTRY else original.read(item))
    with pytest.raises(ModelError, match="are damaged"):
        count_weights(broken, _weights(broken))


def _weights(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(WEIGHTS_ENTRY)



def test_a_pipe_given_as_a_model_data_set_or_image_is_refused_without_waiting(tmp_path: Path) -> None:
    from digitpad.core.datasets import load_dataset
    from digitpad.core.errors import DataError, ImageError
    from digitpad.core.imageio import read_image

    for name in ("model.keras", "digits.npz", "digit.png"):
        os.mkfifo(tmp_path / name)
    idx = tmp_path / "idx"
    idx.mkdir()
    os.mkfifo(idx / "t10k-images-idx3-ubyte")
    os.mkfifo(idx / "t10k-labels-idx1-ubyte")
    cases = [
        (lambda: Predictor.load(tmp_path / "model.keras"), ModelError, "not a regular file"),
        (lambda: load_dataset(tmp_path / "digits.npz"), DataError, "neither a file nor a folder"),
        (lambda: load_dataset(idx), DataError, "holds neither IDX files"),
        (lambda: read_image(tmp_path / "digit.png"), ImageError, "not a regular file"),
    ]
    for read, kind, message in cases:
        error = _within_seconds(10, read)
        assert isinstance(error, kind) and message in str(error)
