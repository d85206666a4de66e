"""Where the files shipped with digitpad live, in a wheel and in a source checkout alike."""

from importlib import resources
from pathlib import Path

DEFAULT_MODEL_FILE = "default-model.keras"
BUNDLED_MNIST_FILE = "mnist-train-10k.npz"
# 2,000 MNIST digits the shipped model never trained on (55,000-56,999): offline measurements.
VALIDATION_DIGITS_FILE = "mnist-validation-2k.npz"


def resource_path(name: str) -> Path:
    """Path of a shipped file; setuptools maps the repo's `resources/` to `digitpad.resources`."""
    return Path(str(resources.files("digitpad.resources").joinpath(name)))


def default_model_path() -> Path:
    return resource_path(DEFAULT_MODEL_FILE)


def bundled_mnist_path() -> Path:
    return resource_path(BUNDLED_MNIST_FILE)


def validation_digits_path() -> Path:
    return resource_path(VALIDATION_DIGITS_FILE)
