"""Saves that either happen completely or not at all.

A model library must survive a full disk, a crash or a power cut in the middle of a save: the
new bytes go to a temporary file next to the target (same file system, so the final rename is
atomic), are flushed to disk, and only then replace the old file. Until that rename the old file
is untouched; after it the directory entry itself is flushed so the rename survives a power cut.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from digitpad.core.errors import StorageError

# Longest file name most file systems accept, in bytes.
MAX_NAME_BYTES = 255
# errno values of file systems that cannot make hard links (FAT, some network shares).
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK})
_TEMPORARY_NAME = re.compile(r"\..+\.[0-9a-f]{8}\.tmp\.[^.]+")


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_path(path) as temporary, open(temporary, "wb") as stream:
        stream.write(data)


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))


@contextmanager
def atomic_path(path: str | Path, *, exclusive: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `path` to write; on success it replaces `path` atomically.

    The temporary file already exists (empty) so that its name is reserved and its permissions
    follow the umask, or the replaced file's permissions when there is one. Writers such as
    `keras.Model.save` may overwrite it. On any exception the temporary file is removed and
    `path` keeps its old content; an OSError becomes a StorageError naming `path`.

    With `exclusive`, `path` must not exist: the finished file is linked into place, which fails
    with FileExistsError (passed on as it is, so the caller can pick another name) when another
    process created `path` meanwhile. Nothing is ever overwritten, and `path` never appears
    half-written.
    """
    path = Path(path)
    try:
        temporary = _reserve_temporary(path)
    except OSError as error:
        raise StorageError(_sentence(path, error)) from error
    try:
        yield temporary
        if exclusive:
            atomic_create(temporary, path)
        else:
            atomic_replace(temporary, path)
    except BaseException as error:
        _remove_quietly(temporary)
        if isinstance(error, OSError) and not isinstance(error, FileExistsError):
            raise StorageError(_sentence(path, error)) from error
        raise


def atomic_replace(temporary: str | Path, path: str | Path) -> None:
    """Flush `temporary` to disk, rename it over `path`, then flush the directory entry.

    Raw OSErrors propagate (the caller decides what to clean up); `temporary` must be in the
    same directory as `path` for the rename to be atomic.
    """
    _fsync_file(temporary)
    os.replace(temporary, path)
    _fsync_directory(Path(path).parent)


def check_output_path(path: str | Path, suffix: str) -> Path:
    """Make sure a save to `path` can succeed before any work is done for it.

    Checked: the suffix, that `path` is not a folder, that its name fits the file system with
    the temporary save's extra characters, and that its folder (or the nearest one that exists,
    since saves create the rest) takes a new file. StorageError names the path otherwise.
    """
    path = Path(path)
    if path.suffix != suffix:
        raise StorageError(f"Cannot save to {path}: the file name must end in {suffix}.")
    if path.is_dir():
        raise StorageError(f"Cannot save to {path}: it is a folder.")
    if not fits_with_temporary(path.name):
        raise StorageError(f"Cannot save to {path}: the file name is too long for the file system.")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise StorageError(f"Cannot save to {path}: {folder} is not a folder.")
    if folder == path.parent:
        try:
            _remove_quietly(_reserve_temporary(path))
        except OSError as error:
            raise StorageError(_sentence(path, error)) from error
    elif not os.access(folder, os.W_OK | os.X_OK):
        raise StorageError(f"Cannot save to {path}: {folder} cannot be written to.")
    return path


def fits_with_temporary(file_name: str) -> bool:
    """Whether `file_name` and the temporary name its save writes first both fit the file system."""
    path = Path(file_name)
    # fsencode, not encode: a name read from disk that is not UTF-8 holds surrogate escapes.
    return len(os.fsencode(f".{path.stem}.{'0' * 8}.tmp{path.suffix}")) <= MAX_NAME_BYTES


def atomic_create(temporary: str | Path, path: str | Path) -> None:
    """Flush `temporary` and make it appear as `path` only if `path` does not exist yet.

    A hard link is the one creation POSIX makes atomic and exclusive for a complete file. File
    systems without hard links get a reserved empty `path` (O_EXCL) that the file then replaces:
    a crash between the two leaves an empty file, never another's model overwritten.
    """
    _fsync_file(temporary)
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        os.replace(temporary, path)
    else:
        os.unlink(temporary)
    _fsync_directory(Path(path).parent)


def is_interrupted_save(path: Path) -> bool:
    """Whether `path` is the temporary file of a save (`.name.1a2b3c4d.tmp.keras`)."""
    return _TEMPORARY_NAME.fullmatch(path.name) is not None


def _fsync_file(path: str | Path) -> None:
    descriptor = os.open(path, os.O_RDWR)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


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
