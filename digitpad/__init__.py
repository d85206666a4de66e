"""digitpad: draw a digit and watch a neural network read it.

`preprocess` and `Predictor` are importable without TensorFlow or Qt so that scripts and the
canvas can recognise digits in milliseconds.
"""

from digitpad.core.inference import Predictor
from digitpad.core.preprocess import preprocess

__all__ = ["Predictor", "preprocess"]
__version__ = "0.1.0"
