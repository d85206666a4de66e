"""The digit classifiers digitpad can train, built by name from a small, JSON-able spec.

Every model trained here is saved with its LiteRT form (see `conversion`), so it can be drawn on
without loading TensorFlow. Keras is imported inside `build_model` because the GUI reads specs
and descriptions before TensorFlow has loaded.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from digitpad.core.errors import DigitpadError
from digitpad.core.layer_stack import INPUT_SHAPE
from digitpad.core.translatable import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    import keras

ARCHITECTURE_NAMES: tuple[str, ...] = ("mlp", "seed-cnn", "digitpad-cnn")

# Shown by the training form, which translates them in this context.
ARCHITECTURE_DESCRIPTIONS: dict[str, str] = {
    "mlp": QT_TRANSLATE_NOOP(
        "Architectures",
        "Multilayer perceptron: Flatten, Dense 128 ReLU, Dense 10 softmax (101,770 weights). "
        "The fastest to train; a baseline that ignores where strokes are relative to each other.",
    ),
    "seed-cnn": QT_TRANSLATE_NOOP(
        "Architectures",
        "Small CNN: Conv 32 3x3, MaxPool, Conv 16 2x2, MaxPool, Dense 128, Dense 64, "
        "Dense 10 (85,146 weights). Cheap, and much better than the MLP on shifted strokes.",
    ),
    "digitpad-cnn": QT_TRANSLATE_NOOP(
        "Architectures",
        "digitpad's CNN for CPUs: Conv 32, Conv 32, MaxPool, Conv 64, Conv 64, MaxPool, "
        "Dense 128, Dense 10 (197,482 weights, under 1 MB saved). The most accurate; best with "
        "dropout 0.3, batch normalization and augmentation.",
    ),
}



@dataclass(frozen=True)
class ArchitectureSpec:
    """Everything needed to rebuild a model's layers; stored with the model as its recipe."""

    name: str = "digitpad-cnn"
    dropout: float = 0.0
    batch_norm: bool = False
    augment: bool = False
    rotation: float = 0.04
    shift: float = 0.1
    zoom: float = 0.1
    # A network of one's own, as Keras model JSON (`architecture_file`); `name` is then its name.
    file: str | None = None

    def __post_init__(self) -> None:
        # Specs also come from model files and settings, so reject nonsense before Keras does,
        # with a sentence a user can act on.
        if self.file is not None:
            if not self.name.strip():
                raise DigitpadError("An architecture file needs a name to show for it.")
            if self.dropout or self.batch_norm:
                raise DigitpadError("Dropout and batch normalization apply to the named architectures; "
                                    "an architecture file holds its own layers.")
        elif self.name not in ARCHITECTURE_NAMES:
            raise DigitpadError(
                f"Unknown architecture {self.name!r}; choose one of {', '.join(ARCHITECTURE_NAMES)}."
            )
        if not 0.0 <= self.dropout < 1.0:
            raise DigitpadError(f"Dropout must be at least 0 and below 1, not {self.dropout}.")
        for field_name in ("rotation", "shift", "zoom"):
            value = getattr(self, field_name)
            if not 0.0 <= value < 1.0:
                raise DigitpadError(
                    f"Augmentation {field_name} must be at least 0 and below 1, not {value}."
                )

    def to_dict(self) -> dict[str, Any]:
        """The fields as JSON; `file` only when there is one, so named architectures' recipes
        read as they always have."""
        data = asdict(self)
        if self.file is None:
            del data["file"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArchitectureSpec:
        """Rebuild from `to_dict` output; unknown keys are ignored so newer files still load."""
        defaults = cls()
        try:
            return cls(
                name=str(data.get("name", defaults.name)),
                dropout=float(data.get("dropout", defaults.dropout)),
                batch_norm=bool(data.get("batch_norm", defaults.batch_norm)),
                augment=bool(data.get("augment", defaults.augment)),
                rotation=float(data.get("rotation", defaults.rotation)),
                shift=float(data.get("shift", defaults.shift)),
                zoom=float(data.get("zoom", defaults.zoom)),
                file=None if data.get("file") is None else str(data["file"]),
            )
        except (TypeError, ValueError) as error:
            raise DigitpadError(f"The architecture settings are malformed: {error}.") from error


@dataclass(frozen=True)
class LayerSummary:
    """One row of the model summary the GUI shows, before or after training."""

    name: str
    kind: str
    output_shape: tuple[int | None, ...]
    params: int


def build_model(spec: ArchitectureSpec, num_classes: int = 10) -> keras.Model:
    """A fresh, uncompiled model: input (28,28,1) floats in [0,1], softmax over `num_classes`.

    With `spec.file`, the file's network (checked for 10 classes), behind the augmentation
    layers when `spec.augment` asks for them.
    """
    import keras

    layers = keras.layers
    inputs = keras.Input(shape=INPUT_SHAPE, name="image")
    x = _augmentation(inputs, spec) if spec.augment else inputs
    if spec.file is not None:
        from digitpad.core.architecture_file import build_from_file

        network = build_from_file(spec.file)
        return keras.Model(inputs, network(x), name=network.name) if spec.augment else network
    if spec.name == "mlp":
        x = layers.Flatten(name="flatten")(x)
        x = _dense(x, 128, "dense1", spec)
    elif spec.name == "seed-cnn":
        x = _conv(x, 32, 3, "conv1", spec)
        x = layers.MaxPooling2D(2, name="pool1")(x)
        x = _conv(x, 16, 2, "conv2", spec)
        x = layers.MaxPooling2D(2, name="pool2")(x)
        x = layers.Flatten(name="flatten")(x)
        x = _dense(x, 128, "dense1", spec)
        x = _dense(x, 64, "dense2", spec)
    else:
        # Valid padding shrinks 28 -> 26 -> 24 -> 12 -> 10 -> 8 -> 4, so the Dense layer sees
        # 4x4x64 features: under 200k weights (a ~0.8 MB file) and cheap enough for CPU training.
        x = _conv(x, 32, 3, "conv1", spec)
        x = _conv(x, 32, 3, "conv2", spec)
        x = layers.MaxPooling2D(2, name="pool1")(x)
        x = _conv(x, 64, 3, "conv3", spec)
        x = _conv(x, 64, 3, "conv4", spec)
        x = layers.MaxPooling2D(2, name="pool2")(x)
        x = layers.Flatten(name="flatten")(x)
        x = _dense(x, 128, "dense1", spec)
    outputs = layers.Dense(num_classes, activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs, name=spec.name)


def summarize(model: keras.Model) -> list[LayerSummary]:
    return [
        LayerSummary(
            name=layer.name,
            kind=type(layer).__name__,
            output_shape=tuple(layer.output.shape),
            params=int(layer.count_params()),
        )
        for layer in model.layers
    ]


def _augmentation(x: Any, spec: ArchitectureSpec) -> Any:
    """Random geometric jitter that Keras applies only when training (identity at inference).

    Constant 0 fill keeps the MNIST background black where the image is moved in from outside.
    """
    import keras

    fill = {"fill_mode": "constant", "fill_value": 0.0}
    x = keras.layers.RandomRotation(spec.rotation, name="augment_rotation", **fill)(x)
    x = keras.layers.RandomTranslation(spec.shift, spec.shift, name="augment_shift", **fill)(x)
    return keras.layers.RandomZoom(spec.zoom, spec.zoom, name="augment_zoom", **fill)(x)


def _conv(x: Any, filters: int, size: int, name: str, spec: ArchitectureSpec) -> Any:
    import keras

    if not spec.batch_norm:
        return keras.layers.Conv2D(filters, size, activation="relu", name=name)(x)
    # Normalise the linear response, then rectify: the usual Conv -> BN -> ReLU order.
    x = keras.layers.Conv2D(filters, size, name=name)(x)
    x = _batch_norm(x, f"{name}_bn")
    return keras.layers.ReLU(name=f"{name}_relu")(x)


def _dense(x: Any, units: int, name: str, spec: ArchitectureSpec) -> Any:
    import keras

    if spec.batch_norm:
        x = keras.layers.Dense(units, name=name)(x)
        x = _batch_norm(x, f"{name}_bn")
        x = keras.layers.ReLU(name=f"{name}_relu")(x)
    else:
        x = keras.layers.Dense(units, activation="relu", name=name)(x)
    if spec.dropout > 0.0:
        x = keras.layers.Dropout(spec.dropout, name=f"{name}_dropout")(x)
    return x


def _batch_norm(x: Any, name: str) -> Any:
    """Batch normalization whose inference statistics settle within one epoch.

    With Keras' default momentum 0.99 the moving mean and variance need ~500 batches to
    forget their initial values; on digitpad's 10k-digit set (~140 batches an epoch) that left
    validation accuracy near chance for the first epochs. Momentum 0.9 settles in ~50 batches.
    """
    import keras

    return keras.layers.BatchNormalization(momentum=0.9, name=name)(x)
