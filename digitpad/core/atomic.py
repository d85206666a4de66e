"""Saves that either happen completely or not at all.

A model library must survive a full disk, a crash or a power cut in the middle of a save: the
new bytes go to a temporary file next to the target (same file system, so the final rename is
atomic), are flushed to disk, and only then replace the old file. Until that rename the old file
is untouched; after it the directory entry itself is flushed so the rename survives a power cut.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from digitpad.core.errors import StorageError


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_path(path) as temporary, open(temporary, "wb") as stream:
        stream.write(data)


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path` to write; on success it replaces `path` atomically.

    The temporary file already exists (empty) so that its name is reserved and its permissions
    follow the umask, or the replaced file's permissions when there is one. Writers such as
    `keras.Model.save` may overwrite it. On any exception the temporary file is removed and
    `path` keeps its old content; an OSError becomes a StorageError naming `path`.
    """
    path = Path(path)
    try:
        temporary = _reserve_temporary(path)
    except OSError as error:
        raise StorageError(_sentence(path, error)) from error
    try:
        yield temporary
        atomic_replace(temporary, path)
    except BaseException as error:
        _remove_quietly(temporary)
        if isinstance(error, OSError):
            raise StorageError(_sentence(path, error)) from error
        raise


def atomic_replace(temporary: str | Path, path: str | Path) -> None:
    """Flush `temporary` to disk, rename it over `path`, then flush the directory entry.

    Raw OSErrors propagate (the caller decides what to clean up); `temporary` must be in the
    same directory as `path` for the rename to be atomic.
    """
    descriptor = os.open(temporary, os.O_RDWR)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(temporary, path)
    _fsync_directory(Path(path).parent)


def _reserve_temporary(path: Path) -> Path:
    """A new hidden file in `path`'s directory whose name ends like `path` (Keras checks suffixes)."""
    while True:
        temporary = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.tmp{path.suffix}")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(descriptor)
        try:
            if path.is_file():
                os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        except OSError:
            _remove_quietly(temporary)
            raise
        return temporary


def _fsync_directory(directory: Path) -> None:
    # Directories can only be opened and flushed this way on POSIX systems.
    if not hasattr(os, "O_DIRECTORY"):
        return
    descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove_quietly(path: Path) -> None:
    with suppress(OSError):
        path.unlink(missing_ok=True)


def _sentence(path: Path, error: OSError) -> str:
    reason = (error.strerror or str(error) or type(error).__name__).rstrip(".")
    return f"Could not save {path}: {reason}."
