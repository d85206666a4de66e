"""Results of reading files, kept until the file changes: loaded models, layer listings, weight counts.

Reading a model file means unzipping, maybe loading Keras: worth doing once per file version.
A file is read again only when its size or modification time changes, and a file that cannot
be read keeps the error that says why, so a corrupt file is not re-read on every refresh.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from digitpad.core.errors import DigitpadError, ModelError

T = TypeVar("T")


@dataclass(frozen=True)
class _Stamp:
    modified_ns: int
    size: int


def _stamp(path: Path) -> _Stamp:
    try:
        info = path.stat()
    except OSError as error:  # deleted or moved since it was listed
        raise ModelError(f"Cannot read {path}: {error.strerror or error}.") from error
    return _Stamp(info.st_mtime_ns, info.st_size)


class FileCache(Generic[T]):
    """Results of reading a file (or the error explaining why it cannot be read), by file.

    A file is read again only when its size or modification time changes, so a corrupt file or
    a big plain Keras file costs its parsing once, not on every refresh. Thread-safe: the
    worker jobs fill it while the GUI thread may look up other files.
    """

    def __init__(self, read: Callable[[Path], T]) -> None:
        self._read = read
        self._entries: dict[Path, tuple[_Stamp, T | DigitpadError]] = {}
        self._lock = threading.Lock()

    def get(self, path: Path, read: Callable[[Path], T] | None = None) -> T:
        """Raises the `DigitpadError` that explains why the file cannot be used. `read`, when
        given, reads this one file instead of the cache's own function (say, stoppably)."""
        key = path.resolve()
        stamp = _stamp(key)
        with self._lock:
            cached = self._entries.get(key)
        if cached is None or cached[0] != stamp:
            try:
                outcome: T | DigitpadError = (read or self._read)(key)
            except DigitpadError as error:
                outcome = error
            cached = (stamp, outcome)
            with self._lock:
                self._entries[key] = cached
        if isinstance(cached[1], DigitpadError):
            raise cached[1]
        return cached[1]

    def peek(self, path: Path) -> T | None:
        """The cached, still current result for `path`, without reading anything slow."""
        key = path.resolve()
        with self._lock:
            cached = self._entries.get(key)
        try:
            current = cached is not None and cached[0] == _stamp(key)
        except ModelError:
            return None
        if not current or cached is None or isinstance(cached[1], DigitpadError):
            return None
        return cached[1]

    def forget_missing(self) -> None:
        with self._lock:
            for key in [key for key in self._entries if not key.exists()]:
                del self._entries[key]
