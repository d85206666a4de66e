"""The user's model library: a folder of digitpad model files, listed, saved, imported, renamed and deleted.

Listing needs only `zipfile` and `json` (see `model_file`), never TensorFlow, so the window can
show the library while TensorFlow is still loading.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from digitpad.core.atomic import atomic_path, fits_with_temporary, is_interrupted_save
from digitpad.core.errors import ModelError, StorageError
from digitpad.core.inference import Predictor
from digitpad.core.inference_description import ConvertedModel
from digitpad.core.model_file import (
    MODEL_SUFFIX,
    ModelMetadata,
    archive_entries,
    read_metadata,
    save_model,
    write_archive,
)
from digitpad.core.user_dirs import configured_or, user_data_dir

if TYPE_CHECKING:
    import keras

# Temporary files of saves older than this were left by a killed process and are removed.
SWEEP_AFTER_S = 3600


@dataclass(frozen=True)
class LibraryEntry:
    name: str  # the file name without .keras; the embedded metadata name is kept equal
    path: Path
    metadata: ModelMetadata | None  # None: a plain Keras file, or a file that cannot be read
    file_size: int
    modified: datetime  # timezone-aware, local time


def default_library_dir() -> Path:
    """$DIGITPAD_LIBRARY, else the XDG data directory (relative XDG paths are invalid per the spec)."""
    return configured_or("DIGITPAD_LIBRARY", user_data_dir() / "models")


# ----------------------------------------------------------------------------- the library


_COPY_SUFFIX = re.compile(r" \((\d+)\)$")


class ModelLibrary:
    """A folder of .keras files; a model's name is its file name without the suffix."""

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_library_dir()

    def entries(self) -> list[LibraryEntry]:
        """Newest first. Unreadable files are listed too (metadata None) so the user can delete them."""
        if not self.root.is_dir():
            return []
        try:
            files = [p for p in self.root.iterdir() if p.suffix == MODEL_SUFFIX]
        except OSError as error:
            message = f"Cannot read the model library {self.root}: {error.strerror or error}."
            raise StorageError(message) from error
        self._sweep_interrupted_saves(files)
        candidates = [p for p in files if not p.name.startswith(".")]
        entries = []
        for path in candidates:
            try:
                entries.append(self._entry(path))
            except OSError:
                continue  # deleted meanwhile, a folder named like a model, or not ours to read
        return sorted(entries, key=lambda entry: (entry.modified, entry.name), reverse=True)

    def path_for(self, name: str) -> Path:
        return self.root / f"{_checked_name(name)}{MODEL_SUFFIX}"

    def save(self, model: keras.Model, metadata: ModelMetadata) -> LibraryEntry:
        """Saved under metadata.name, or "name (2)" etc. when taken; the embedded name matches.

        Names are claimed exclusively, so two processes saving "same" at once get "same" and
        "same (2)", never one model overwriting the other.
        """
        for name in self._free_names(metadata.name):
            try:
                path = save_model(model, self.path_for(name), replace(metadata, name=name), exclusive=True)
            except FileExistsError:
                continue  # another process took the name while this one was writing
            return self._entry(path)
        raise AssertionError("unreachable: _free_names never ends")

    def import_file(
        self, path: str | Path, name: str | None = None, *, converted: ConvertedModel | None = None
    ) -> LibraryEntry:
        """Copy a model into the library, as `name` (default: the file's name; "name (2)" when
        taken), after checking that digitpad can use it (ModelError if not).

        The copy gets a LiteRT form converted from its Keras weights, never one the file brought
        along: what the library draws with is what Keras loaded. `converted` is that form when
        the caller already made it (the window converts in a child process); else it is made
        here, which needs TensorFlow.
        """
        source = Path(path)
        wanted = _checked_name(name if name is not None else source.stem)
        if converted is None:
            converted = Predictor.load(source, use_stored_conversion=False).converted
        self._make_root()
        for name in self._free_names(wanted):
            target = self.path_for(name)
            try:
                self._copy_renamed(source, target, name, converted=converted)
            except FileExistsError:
                continue
            return self._entry(target)
        raise AssertionError("unreachable: _free_names never ends")

    def adopt(self, path: str | Path, name: str) -> LibraryEntry:
        """Copy a model file digitpad itself just saved (a handed-over training, see
        `training_jobs`) as `name` ("name (2)" when taken), with its LiteRT form: it was converted
        from these very weights, so unlike `import_file` nothing is checked or converted again."""
        source = Path(path)
        wanted = _checked_name(name)
        self._make_root()
        for free in self._free_names(wanted):
            target = self.path_for(free)
            try:
                self._copy_renamed(source, target, free)
            except FileExistsError:
                continue
            except OSError as error:
                raise StorageError(f"Could not save {target}: {error.strerror or error}.") from error
            return self._entry(target)
        raise AssertionError("unreachable: _free_names never ends")

    def rename(self, name: str, new_name: str) -> LibraryEntry:
        source = self._existing(name)
        new_name = _checked_name(new_name)
        if new_name == name:
            return self._entry(source)
        target = self.path_for(new_name)
        taken = StorageError(f"A model named “{new_name}” already exists in the library; choose another name.")
        if target.exists():
            raise taken
        try:
            self._copy_renamed(source, target, new_name, keep_time=True)
        except FileExistsError:
            raise taken from None
        try:
            source.unlink()
        except OSError as error:
            message = f"Renamed to {target}, but could not remove {source}: {error.strerror or error}."
            raise StorageError(message) from error
        return self._entry(target)

    def delete(self, name: str) -> None:
        path = self._existing(name)
        try:
            path.unlink()
        except OSError as error:
            raise StorageError(f"Could not delete {path}: {error.strerror or error}.") from error

    @staticmethod
    def _sweep_interrupted_saves(files: list[Path]) -> None:
        """Remove temporary files that saves killed mid-way left behind, once they are old enough
        that no running save can still be writing them."""
        cutoff = time.time() - SWEEP_AFTER_S
        for path in files:
            if is_interrupted_save(path):
                with suppress(OSError):
                    if path.stat().st_mtime < cutoff:
                        path.unlink()

    def _entry(self, path: Path) -> LibraryEntry:
        info = path.stat()
        if not path.is_file():
            raise IsADirectoryError(path)
        try:
            metadata = read_metadata(path)
        except ModelError:
            metadata = None
        modified = datetime.fromtimestamp(info.st_mtime, tz=timezone.utc).astimezone()
        return LibraryEntry(path.stem, path, metadata, file_size=info.st_size, modified=modified)

    def _existing(self, name: str) -> Path:
        path = self.path_for(name)
        if not path.is_file():
            raise StorageError(f"There is no model named “{name}” in {self.root}.")
        return path

    def _free_names(self, wanted: str) -> Iterator[str]:
        """`wanted`, then "wanted (2)", "wanted (3)"...: those free when asked. Free now is no
        promise (another process may take the name next), so callers claim it exclusively."""
        name = _checked_name(wanted)
        if not self.path_for(name).exists():
            yield name
        stem = _COPY_SUFFIX.sub("", name)
        for number in itertools.count(2):
            candidate = _checked_name(f"{stem} ({number})")
            if not self.path_for(candidate).exists():
                yield candidate

    def _make_root(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            message = f"Cannot create the model library {self.root}: {error.strerror or error}."
            raise StorageError(message) from error

    @staticmethod
    def _copy_renamed(
        source: Path,
        target: Path,
        name: str,
        *,
        keep_time: bool = False,
        converted: ConvertedModel | None = None,
    ) -> None:
        """Copy `source` to a new `target` atomically, with the embedded name (if any) set to
        `name` and `converted` (if given) as its LiteRT form; FileExistsError when `target`
        appeared meanwhile."""
        entries = None
        try:
            metadata = read_metadata(source)
            if metadata is not None or converted is not None:
                entries = archive_entries(source)
        except (ModelError, zipfile.BadZipFile, EOFError, ValueError):
            entries = None  # an unreadable file is moved as it is
        with atomic_path(target, exclusive=True) as temporary:
            if entries is None:
                shutil.copyfile(source, temporary)
            else:
                renamed = replace(metadata, name=name) if metadata is not None else None
                write_archive(temporary, entries, renamed, converted=converted)
            if keep_time:
                shutil.copystat(source, temporary)


def _checked_name(name: str) -> str:
    """The name stripped of surrounding spaces, or StorageError when it cannot be a file name."""
    if not isinstance(name, str) or not name.strip():
        raise StorageError("A model name cannot be empty.")
    name = name.strip()
    if "/" in name or "\\" in name or (os.altsep and os.altsep in name):
        raise StorageError(f"The model name “{name}” contains a slash; names cannot contain / or \\.")
    if name.startswith("."):
        raise StorageError(
            f"The model name “{name}” starts with a dot, which would hide the file; choose another."
        )
    if any(ord(character) < 32 or unicodedata.category(character) == "Cc" for character in name):
        raise StorageError("A model name cannot contain control characters such as line breaks.")
    if any(unicodedata.category(character) == "Cf" for character in name):
        # Zero-width and bidirectional marks make "other\u200b" look exactly like "other".
        raise StorageError("A model name cannot contain invisible characters (zero-width or text-direction marks).")
    # The save writes a temporary ".name.1a2b3c4d.tmp.keras" first: that name must fit too.
    if not fits_with_temporary(f"{name}{MODEL_SUFFIX}"):
        raise StorageError(f"The model name “{name[:40]}…” is too long for a file name.")
    return name
