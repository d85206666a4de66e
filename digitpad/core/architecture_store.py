"""Networks kept by name: the user's, as Keras model JSON under
`user_data_dir()/architectures/<name>.json`, and two read-only presets from the course.

A saved architecture is an ordinary architecture file, so it trains everywhere a file does
(`ArchitectureSpec(file=...)`) and in plain Keras too. Saving builds the JSON with Keras
(`layer_stack.stack_to_json`), so the window runs it as an engine job (`save_architecture`,
in the engine process: see `core.engine`); listing and loading are plain file and JSON reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from digitpad.core.architectures import ARCHITECTURE_NAMES, ArchitectureSpec
from digitpad.core.atomic import atomic_write_text
from digitpad.core.cancellation import StopSignal, raise_if_stopped
from digitpad.core.errors import DigitpadError, StorageError
from digitpad.core.layer_stack import (
    CONV2D,
    DENSE,
    FLATTEN,
    MAX_POOLING,
    Layer,
    new_layer,
    stack_from_json,
    stack_to_json,
)
from digitpad.core.resources import resource_path
from digitpad.core.user_dirs import user_data_dir

SUFFIX = ".json"
MAX_NAME_LENGTH = 60
# Letters, digits, spaces and - _ . ( ): safe as a file name everywhere, readable in a menu.
_NAME_PATTERN = re.compile(r"[\w][\w .()\-]*", re.UNICODE)


@dataclass(frozen=True)
class Recipe:
    """How a preset was trained for the figure it reports; "Use" sets the form to it."""

    optimizer: str
    learning_rate: float
    epochs: int
    batch_size: int
    validation_split: float


@dataclass(frozen=True)
class Preset:
    """A read-only network from the course, shipped as an architecture file in resources."""

    name: str
    layers: tuple[Layer, ...]
    resource: str  # its Keras model JSON in resources/, what training reads
    recipe: Recipe
    # The accuracy it reaches with `recipe`: the course's own figure on the official MNIST test
    # set, or (`measured_here`) ours on the 2,000 held-out digits in resources/, after training
    # on the 9,000 bundled training digits as the Train tab reads them offline. The window words it;
    # the numbers live here.
    accuracy: float
    measured_here: bool

    @property
    def path(self) -> Path:
        return resource_path(self.resource)

    def spec(self, *, augment: bool = False) -> ArchitectureSpec:
        return ArchitectureSpec(name=self.name, file=str(self.path), augment=augment)


def _conv(filters: int, kernel: int) -> Layer:
    return Layer(CONV2D, filters=filters, kernel=kernel, stride=1, activation="relu")


def _dense(units: int, activation: str = "relu") -> Layer:
    return Layer(DENSE, units=units, activation=activation)


PRESETS: tuple[Preset, ...] = (
    Preset(
        name="Course CNN",
        layers=(_conv(32, 3), new_layer(MAX_POOLING), _conv(16, 2), new_layer(MAX_POOLING), Layer(FLATTEN),
                _dense(128), _dense(64), _dense(10, "softmax")),
        resource="architecture-course-cnn.json",
        recipe=Recipe(optimizer="adam", learning_rate=1e-3, epochs=30, batch_size=64, validation_split=0.3),
        accuracy=0.9898,
        measured_here=False,
    ),
    Preset(
        name="Course MLP",
        layers=(Layer(FLATTEN), _dense(128), _dense(10, "softmax")),
        resource="architecture-course-mlp.json",
        recipe=Recipe(optimizer="adam", learning_rate=1e-3, epochs=10, batch_size=64, validation_split=0.1),
        accuracy=0.9505,
        measured_here=True,
    ),
)


def preset(name: str) -> Preset | None:
    return next((p for p in PRESETS if p.name == name), None)


def builtin_layers(name: str) -> tuple[Layer, ...]:
    """The layers of the built-in architecture `name` without dropout or batch normalization:
    where the editor starts when asked to edit one (a copy; the built-ins stay as they are)."""
    if name == "mlp":
        return PRESETS[1].layers
    if name == "seed-cnn":
        return PRESETS[0].layers
    pool = new_layer(MAX_POOLING)
    return (_conv(32, 3), _conv(32, 3), pool, _conv(64, 3), _conv(64, 3), pool, Layer(FLATTEN),
            _dense(128), _dense(10, "softmax"))


def named_architecture(name: str, *, dropout: float = 0.0, batch_norm: bool = False, augment: bool = False,
                       store: ArchitectureStore | None = None) -> ArchitectureSpec:
    """The network called `name` as training takes it: a built-in (with its dropout and batch
    normalization), a preset, or one of the user's saved architectures, in that order, so the
    command line names networks as the window's list does. Unknown names are one sentence that
    lists the choices."""
    if name in ARCHITECTURE_NAMES:
        return ArchitectureSpec(name=name, dropout=dropout, batch_norm=batch_norm, augment=augment)
    found = preset(name)
    store = store if store is not None else ArchitectureStore()
    if found is not None:
        spec = found.spec(augment=augment)
    elif name.strip() and store.names() and name.strip() in store.names():
        spec = store.spec(name, augment=augment)
    else:
        saved = store.names()
        raise DigitpadError(
            f"No architecture is called {name!r}: choose {', '.join(ARCHITECTURE_NAMES)}, a preset "
            f"({', '.join(p.name for p in PRESETS)})"
            + (f" or one you saved ({', '.join(saved)})." if saved else ", or save one in the window's editor.")
        )
    if dropout or batch_norm:
        raise DigitpadError(
            f"{name} sets its own dropout and batch normalization in its layers: leave out --dropout "
            "and --batch-norm, or edit its layers."
        )
    return spec


def default_architectures_dir() -> Path:
    return user_data_dir() / "architectures"


def check_name(name: str) -> str:
    """`name` stripped, or a DigitpadError saying what a name may hold."""
    name = name.strip()
    if not name:
        raise DigitpadError("Give the architecture a name.")
    if len(name) > MAX_NAME_LENGTH or not _NAME_PATTERN.fullmatch(name):
        raise DigitpadError(
            f"{name!r} cannot be an architecture name: use up to {MAX_NAME_LENGTH} letters, digits, "
            "spaces and - _ . ( ), starting with a letter or digit."
        )
    if any(name.casefold() == p.name.casefold() for p in PRESETS):
        raise DigitpadError(f"{name!r} is a preset's name; choose another.")
    return name


class ArchitectureStore:
    """The user's named architectures in one folder (by default under `user_data_dir()`)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else default_architectures_dir()

    def names(self) -> list[str]:
        """Saved names, sorted as a person reads them; a missing folder is an empty list."""
        if not self.root.is_dir():
            return []
        return sorted((path.stem for path in self.root.glob(f"*{SUFFIX}") if path.is_file()), key=str.casefold)

    def path(self, name: str) -> Path:
        return self.root / f"{check_name(name)}{SUFFIX}"

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def spec(self, name: str, *, augment: bool = False) -> ArchitectureSpec:
        """What training takes for the saved architecture `name`."""
        return ArchitectureSpec(name=check_name(name), file=str(self.path(name)), augment=augment)

    def load(self, name: str) -> list[Layer]:
        return load_layers(self.path(name))

    def save(self, name: str, layers: list[Layer]) -> Path:
        """Write `layers` as `name`, replacing any earlier one, atomically. Builds the JSON with
        Keras: call it on a worker thread."""
        path = self.path(name)
        text = stack_to_json(layers, check_name(name))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(f"Cannot create {path.parent}: {error.strerror or error}.") from error
        atomic_write_text(path, text)
        return path

    def delete(self, name: str) -> None:
        path = self.path(name)
        try:
            path.unlink()
        except FileNotFoundError as error:
            raise DigitpadError(f"There is no saved architecture named {name!r}.") from error
        except OSError as error:
            raise StorageError(f"Cannot delete {path}: {error.strerror or error}.") from error


def save_architecture(store: ArchitectureStore, name: str, layers: list[Layer],
                      _progress: Callable[[object], None], stop_event: StopSignal) -> Path:
    """`store.save(name, layers)` as an engine job (see `core.engine`): the window's editor runs it
    in the engine process, where Keras builds the JSON, bound with `functools.partial`."""
    raise_if_stopped(stop_event, f"saving {name}")
    return store.save(name, layers)


def load_layers(path: Path) -> list[Layer]:
    """The layer stack in the architecture file `path`; problems name the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise DigitpadError(f"{path}: no such architecture file.") from error
    except (OSError, UnicodeDecodeError) as error:
        raise DigitpadError(f"{path}: cannot be read ({error}).") from error
    try:
        return stack_from_json(text)
    except DigitpadError as error:
        raise DigitpadError(f"{path}: {error}") from error
