"""The job behind `digitpad explain`: read image files, answer, and say why.

Each file becomes the model's input as `Predictor.predict` makes it (the digit preprocessing, or
the whole picture for a Fashion-MNIST model), so the saliency is aligned with the 28x28 input the
model read; a file that cannot be read is reported with its reason and
the others are still explained.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.core.cancellation import StopSignal, raise_if_stopped
from digitpad.core.errors import DigitpadError, NothingDrawnError
from digitpad.core.explanation import Explanation, explain
from digitpad.core.image_reading import model_input
from digitpad.core.imageio import read_image
from digitpad.core.inference import Predictor

# How the CLI words a blank image, for `predict` and `explain` alike.
NOTHING_DRAWN = "nothing drawn: the image holds no ink"


@dataclass(frozen=True)
class ExplainedImage:
    file: Path
    input: np.ndarray  # float32 (28, 28) in [0, 1]: what the model read
    explanation: Explanation


@dataclass(frozen=True)
class UnreadableImage:
    file: Path
    reason: str  # one sentence


def explain_image_files(
    predictor: Predictor,
    files: Sequence[Path],
    *,
    progress: Callable[[float], None] | None = None,
    stop_event: StopSignal | None = None,
) -> list[ExplainedImage | UnreadableImage]:
    """One outcome per file, in order; `Cancelled` when `stop_event` is set between files."""
    outcomes: list[ExplainedImage | UnreadableImage] = []
    for done, file in enumerate(files):
        raise_if_stopped(stop_event, "explaining the images")
        try:
            x = model_input(read_image(file), predictor.dataset_name)
            outcomes.append(ExplainedImage(file, x, explain(predictor.predict_prepared, x)))
        except NothingDrawnError:
            outcomes.append(UnreadableImage(file, NOTHING_DRAWN))
        except DigitpadError as error:
            outcomes.append(UnreadableImage(file, " ".join(str(error).split())))
        if progress is not None:
            progress((done + 1) / len(files))
    return outcomes
