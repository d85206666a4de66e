"""What digitpad keeps beside a converted model: enough to draw with it and list its layers
without TensorFlow. Written by `conversion`, read by `inference` and `model_file`."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

OutputKind = Literal["probabilities", "sigmoid", "logits"]
# Version of what `conversion.convert` writes: a stored conversion of another version is made anew.
CONVERSION_VERSION = 1


@dataclass(frozen=True)
class LayerInfo:
    """One row of the layer listing the model details show."""

    name: str
    kind: str  # the Keras class name
    output_shape: tuple[int | None, ...]  # batch axis first (None), as Keras prints it
    params: int


@dataclass(frozen=True)
class InferenceDescription:
    """What digitpad knows about a converted model without loading Keras again."""

    input_shape: tuple[int, ...]  # one image, as the model takes it: (28, 28, 1), (28, 28) or (784,)
    output_kind: OutputKind
    layers: list[LayerInfo]
    num_params: int
    warnings: list[str] = field(default_factory=list)
    weights_sha256: str = ""  # of the archive's weights when converted: a stale conversion is redone
    version: int = CONVERSION_VERSION

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InferenceDescription:
        """ValueError/TypeError/KeyError for anything that is not one `to_dict` wrote."""
        kind = data["output_kind"]
        if kind not in ("probabilities", "sigmoid", "logits"):
            raise ValueError(f"unknown output kind {kind!r}")
        layers = [
            LayerInfo(str(row["name"]), str(row["kind"]), _shape(row["output_shape"]), int(row["params"]))
            for row in data["layers"]
        ]
        return cls(
            input_shape=tuple(int(size) for size in data["input_shape"]),
            output_kind=kind,
            layers=layers,
            num_params=int(data["num_params"]),
            warnings=[str(text) for text in data.get("warnings", [])],
            weights_sha256=str(data.get("weights_sha256", "")),
            version=int(data.get("version", 0)),
        )


@dataclass(frozen=True)
class ConvertedModel:
    litert: bytes  # a .tflite flatbuffer whose output is already probabilities
    description: InferenceDescription


def weights_digest(weights: bytes) -> str:
    return hashlib.sha256(weights).hexdigest()


def _shape(values: Any) -> tuple[int | None, ...]:
    return tuple(None if size is None else int(size) for size in values)
