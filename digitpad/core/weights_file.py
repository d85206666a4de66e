"""Reading a `.keras` archive's `model.weights.h5` safely, for every path that reads one.

HDF5 lets a dataset keep its bytes in other files (external storage, virtual datasets) and lets
a group link into another file. Reading such a weight would read whatever local file it names,
and a FIFO there blocks forever. Keras refuses these files ("Not allowed: H5 file with external
Dataset"); digitpad's own readers refuse them too, after looking only at the file's structure,
before any weight is read.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from digitpad.core.errors import ModelError

WEIGHTS_ENTRY = "model.weights.h5"


@contextmanager
def open_weights(path: Path, weights: bytes) -> Iterator[Any]:
    """The weights as an open, read-only `h5py.File`; ModelError naming `path` when they are
    damaged or keep anything outside the archive."""
    import h5py  # ~0.2 s to import, so only once weights are actually read

    try:
        with h5py.File(io.BytesIO(weights), "r") as store:
            outside = _outside_data(store)
            if outside is not None:
                raise ModelError(
                    f"Cannot load {path}: its weights ({WEIGHTS_ENTRY}) take data from outside the file "
                    f"({outside}); Keras refuses such files too."
                )
            yield store
    except (OSError, KeyError, ValueError) as error:
        raise ModelError(f"Cannot load {path}: its weights ({WEIGHTS_ENTRY}) are damaged ({error}).") from error


def _outside_data(store: Any) -> str | None:
    """A description of the first link or dataset that reaches outside the file, else None."""
    import h5py

    found: list[str] = []

    def check_link(name: str, link: Any) -> None:
        if not found and isinstance(link, h5py.ExternalLink):
            found.append(f"a link to {link.filename!r} at {name}")

    store.visititems_links(check_link)
    if found:
        return found[0]

    def check_object(name: str, item: Any) -> None:
        if found or not isinstance(item, h5py.Dataset):
            return
        if item.external:
            found.append(f"an external dataset at {name}")
        elif item.is_virtual:
            found.append(f"a virtual dataset at {name}")

    store.visititems(check_object)
    return found[0] if found else None


def count_weights(path: Path, weights: bytes) -> int:
    """How many numbers the model's layers hold, from the weights file alone: Keras keeps every
    layer's variables under `layers/` and optimizer state elsewhere. Building the model instead
    could need TensorFlow, and a listing must never wait for that."""
    import h5py

    sizes: list[int] = []

    def add(_name: str, item: Any) -> None:
        if isinstance(item, h5py.Dataset):
            sizes.append(int(item.size))

    with open_weights(path, weights) as store:
        layers = store.get("layers")
        if isinstance(layers, h5py.Group):
            layers.visititems(add)
    return sum(sizes)
