"""Atomic saves: the old file survives every failure, and no temporary file is left behind."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from digitpad.core import atomic
from digitpad.core.atomic import (
    atomic_path,
    atomic_replace,
    atomic_write_bytes,
    atomic_write_text,
    check_output_path,
)
from digitpad.core.errors import StorageError


def no_space(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "model.keras"
    path.write_bytes(b"old content")
    return path


def test_write_creates_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    atomic_write_text(path, "first")
    assert path.read_text() == "first"
    atomic_write_bytes(path, b"second")
    assert path.read_bytes() == b"second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_data_and_directory_are_flushed(old_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    flushed: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(descriptor: int) -> None:
        flushed.append(os.readlink(f"/proc/self/fd/{descriptor}"))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    atomic_write_bytes(old_file, b"new")
    assert len(flushed) == 2
    assert flushed[0].endswith(".tmp.keras")  # the data, before the rename
    assert flushed[1] == str(old_file.parent)  # then the directory entry


def test_disk_full_during_replace_keeps_the_old_file(old_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(StorageError) as caught:
        atomic_write_bytes(old_file, b"new content")
    assert str(caught.value) == f"Could not save {old_file}: No space left on device."
    assert old_file.read_bytes() == b"old content"
    assert [p.name for p in old_file.parent.iterdir()] == ["model.keras"]


def test_disk_full_while_writing_keeps_the_old_file(old_file: Path) -> None:
    with pytest.raises(StorageError, match="No space left on device"), atomic_path(old_file) as temporary:
        temporary.write_bytes(b"half of the new")
        no_space()
    assert old_file.read_bytes() == b"old content"
    assert [p.name for p in old_file.parent.iterdir()] == ["model.keras"]


def test_other_errors_propagate_unchanged_and_clean_up(old_file: Path) -> None:
    with pytest.raises(ValueError, match="a bug"), atomic_path(old_file) as temporary:
        temporary.write_bytes(b"new")
        raise ValueError("a bug")
    assert old_file.read_bytes() == b"old content"
    assert [p.name for p in old_file.parent.iterdir()] == ["model.keras"]


def test_temporary_path_is_a_hidden_sibling_with_the_same_suffix(old_file: Path) -> None:
    with atomic_path(old_file) as temporary:
        assert temporary.parent == old_file.parent
        assert temporary.name.startswith(".model.")
        assert temporary.suffix == ".keras"
        assert temporary.exists()  # reserved, so no one else picks the name
        temporary.write_bytes(b"new")
    assert old_file.read_bytes() == b"new"
    assert not temporary.exists()


def test_replacing_keeps_the_file_permissions(old_file: Path) -> None:
    old_file.chmod(0o600)
    atomic_write_bytes(old_file, b"secret")
    assert stat.S_IMODE(old_file.stat().st_mode) == 0o600


def test_missing_directory_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "dir" / "model.keras"
    with pytest.raises(StorageError, match=f"Could not save {path}: No such file or directory"):
        atomic_write_bytes(path, b"x")


def test_failure_to_flush_the_directory_is_reported(old_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(directory: Path) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(atomic, "_fsync_directory", failing)
    with pytest.raises(StorageError, match="Input/output error"):
        atomic_write_bytes(old_file, b"new")
    assert [p.name for p in old_file.parent.iterdir()] == ["model.keras"]


def test_atomic_replace_moves_a_prepared_file(tmp_path: Path) -> None:
    prepared = tmp_path / ".prepared"
    prepared.write_bytes(b"ready")
    target = tmp_path / "target.bin"
    atomic_replace(prepared, target)
    assert target.read_bytes() == b"ready"
    assert not prepared.exists()


@pytest.mark.parametrize(("make", "message"), [
    (lambda root: root / "model.h5", "must end in .keras"),
    (lambda root: root / "folder.keras", "it is a folder"),
    (lambda root: root / ("x" * 236 + ".keras"), "too long"),
    (lambda root: root / "a-file" / "model.keras", "is not a folder"),
], ids=["suffix", "folder", "long", "file-as-folder"])
def test_outputs_that_cannot_be_saved_are_refused_before_any_work(tmp_path: Path, make, message: str) -> None:
    (tmp_path / "folder.keras").mkdir()
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(StorageError, match=message):
        check_output_path(make(tmp_path), ".keras")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "folder.keras"], "nothing left behind"


def test_an_unwritable_folder_is_found_by_trying(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check creates and removes a temporary file, as the save will: permissions, a full
    disk or a read-only mount all show. (Simulated: the tests run as root in CI.)"""

    def refuse(path: Path) -> Path:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(atomic, "_reserve_temporary", refuse)
    with pytest.raises(StorageError, match=r"Could not save .*model\.keras: Permission denied"):
        check_output_path(tmp_path / "model.keras", ".keras")


def test_a_missing_folder_needs_a_writable_ancestor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic.os, "access", lambda path, mode: Path(path) != tmp_path)
    with pytest.raises(StorageError, match="cannot be written to"):
        check_output_path(tmp_path / "new" / "model.keras", ".keras")


def test_outputs_that_can_be_saved_pass(tmp_path: Path) -> None:
    assert check_output_path(tmp_path / "model.keras", ".keras") == tmp_path / "model.keras"
    assert check_output_path(tmp_path / "new" / "deeper" / "model.keras", ".keras").name == "model.keras"
    assert check_output_path(tmp_path / ("x" * 235 + ".keras"), ".keras")
    assert list(tmp_path.iterdir()) == [], "the check leaves nothing behind"
