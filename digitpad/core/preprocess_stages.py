"""What the model sees, step by step: the stages of `preprocess` as images a model could read.

People are puzzled that a small digit drawn in a corner, or one drawn with a marker, still
reads: the window shows the drawing after each step of MNIST's recipe (the whole canvas, the
ink's box, the 20-pixel fit, the centred input), each as a 28x28 input, so the model's answer
can be asked of every stage and a person sees which step made the difference.

`input_geometry` says where the model's input lies on the drawing, so what the model says about
its input pixels (an explanation's saliency) can be painted back over the strokes.

A model trained on whole pictures (Fashion-MNIST) is not read through the digit recipe at all:
`picture_stages` shows its own steps (the picture squeezed to 28x28, negated to a dark background,
fitted with its proportions kept), and `stages_for` picks the right list by the model's data set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from digitpad.core.image_reading import (
    fashion_input,
    has_light_background,
    picture_gray,
    reads_whole_picture,
)
from digitpad.core.preprocess import CENTRE, OUTPUT_SIZE, picture_strength, preprocess_steps
from digitpad.core.translatable import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class PreprocessStage:
    """One step of preprocessing, shown as the model's input would be if preprocessing stopped there."""

    key: str  # digits: "drawing" | "crop" | "fit" | "centred"; pictures: "picture" | "negated" | "fitted"
    title: str
    explanation: str  # one sentence for people: why this step
    image: np.ndarray  # float32 (28, 28) in [0, 1], white ink on black


@dataclass(frozen=True)
class InputGeometry:
    """Where the 28x28 input lies on the picture it was made from: the input's pixel edge
    (col, row) is at the picture's (left + col * scale, top + row * scale)."""

    scale: float  # picture pixels per input pixel
    left: float  # picture x of the input's column 0 left edge
    top: float  # picture y of the input's row 0 top edge


def preprocess_stages(image: np.ndarray | Image.Image) -> list[PreprocessStage]:
    """The four stages of `preprocess(image)`, in order; the last one's image is its output,
    bit for bit. Takes what `preprocess` takes and raises what it raises (NothingDrawnError on a
    blank drawing)."""
    steps = preprocess_steps(image)
    fitted = _in_frame(steps.fitted)
    return [
        PreprocessStage(
            "drawing",
            QT_TRANSLATE_NOOP("PreprocessStages", "Your drawing"),
            QT_TRANSLATE_NOOP(
                "PreprocessStages",
                "The whole drawing shrunk to 28×28, as a plain resize would show it: a small or off-centre "
                "digit comes out tiny and out of place, unlike anything the model learned from.",
            ),
            _in_frame(_longer_side(picture_strength(image), OUTPUT_SIZE)),
        ),
        PreprocessStage(
            "crop",
            QT_TRANSLATE_NOOP("PreprocessStages", "Cropped to the ink"),
            QT_TRANSLATE_NOOP(
                "PreprocessStages",
                "Everything around the ink is cut away, so where and how large the digit was drawn no longer matters.",
            ),
            _in_frame(_longer_side(steps.cut, OUTPUT_SIZE)),
        ),
        PreprocessStage(
            "fit",
            QT_TRANSLATE_NOOP("PreprocessStages", "Fitted in 20×20"),
            QT_TRANSLATE_NOOP(
                "PreprocessStages",
                "The digit is scaled so its longer side is 20 pixels and the pen's width is brought into "
                "MNIST's range, the size and stroke of every digit the model learned from.",
            ),
            fitted,
        ),
        PreprocessStage(
            "centred",
            QT_TRANSLATE_NOOP("PreprocessStages", "Centred (what the model reads)"),
            QT_TRANSLATE_NOOP(
                "PreprocessStages",
                "The digit is moved so its centre of mass sits in the middle of the 28×28 square, where "
                "MNIST put every digit's.",
            ),
            steps.output,
        ),
    ]


def stages_for(image: np.ndarray | Image.Image, dataset_name: str) -> list[PreprocessStage]:
    """The stages a model trained on `dataset_name` reads `image` through (see `model_input`)."""
    return picture_stages(image) if reads_whole_picture(dataset_name) else preprocess_stages(image)


def picture_stages(image: np.ndarray | Image.Image) -> list[PreprocessStage]:
    """The three stages of `fashion_input(image)`, in order; the last one's image is its output,
    bit for bit. NothingDrawnError when the picture is one flat colour."""
    gray = picture_gray(image)
    light = has_light_background(gray)
    squeezed = np.asarray(Image.fromarray(gray).resize((OUTPUT_SIZE, OUTPUT_SIZE), Image.Resampling.BOX))
    negated = 255 - squeezed if light else squeezed
    return [
        PreprocessStage(
            "picture",
            QT_TRANSLATE_NOOP("PreprocessStages", "Your picture"),
            QT_TRANSLATE_NOOP(
                "PreprocessStages",
                "The picture in gray, squeezed to 28×28 as a plain resize would give it: its background is "
                "light, where every picture the model learned from has a dark one.",
            )
            if light
            else QT_TRANSLATE_NOOP("PreprocessStages", "The picture in gray, squeezed to 28×28 as a plain resize would give it."),
            squeezed.astype(np.float32) / 255.0,
        ),
        PreprocessStage(
            "negated",
            QT_TRANSLATE_NOOP("PreprocessStages", "Negated") if light else QT_TRANSLATE_NOOP("PreprocessStages", "Background kept"),
            QT_TRANSLATE_NOOP(
                "PreprocessStages",
                "Fashion-MNIST's makers negated every photo so the background is dark and the garment bright; "
                "this picture is negated the same way.",
            )
            if light
            else QT_TRANSLATE_NOOP(
                "PreprocessStages",
                "Fashion-MNIST's makers negated every photo so the background is dark and the garment bright; "
                "this picture's background is already dark.",
            ),
            negated.astype(np.float32) / 255.0,
        ),
        PreprocessStage(
            "fitted",
            QT_TRANSLATE_NOOP("PreprocessStages", "Fitted and centred (what the model reads)"),
            QT_TRANSLATE_NOOP(
                "PreprocessStages",
                "The longer side is made 28 pixels with the proportions kept and the picture centred, as the "
                "data set's pictures were, so a tall dress is not squashed into a square.",
            ),
            fashion_input(image),
        ),
    ]


def picture_geometry(left: float, top: float, side: float) -> InputGeometry:
    """Where a whole-picture model's input lies on a canvas that shows the picture fitted into the
    square (`left`, `top`, `side`): the input's 28 pixels span the picture's longer side, centred,
    exactly as `fit_centred` places it."""
    return InputGeometry(scale=side / OUTPUT_SIZE, left=left, top=top)


def input_geometry(image: np.ndarray | Image.Image) -> InputGeometry:
    """Where `preprocess(image)` lies on `image`, to paint a map of the input over the drawing.

    The steps resize width and height by factors that differ by the rounding of sizes to whole
    pixels; one scale (their mean) is exact at the input's centre, where the digit's mass is,
    and off by a fraction of an input pixel at its edges.
    """
    placement = preprocess_steps(image).placement
    scale = (placement.scale_x + placement.scale_y) / 2
    return InputGeometry(
        scale=scale,
        left=placement.left + (placement.scale_x - scale) * CENTRE,
        top=placement.top + (placement.scale_y - scale) * CENTRE,
    )


def _longer_side(strength: np.ndarray, side: int) -> np.ndarray:
    """Resized (as `preprocess` resizes, Lanczos) so the longer side is `side` pixels."""
    height, width = strength.shape
    scale = side / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = Image.fromarray(strength.astype(np.float32, copy=False)).resize(size, Image.Resampling.LANCZOS)
    return np.asarray(resized)


def _in_frame(image: np.ndarray) -> np.ndarray:
    """Pasted in the middle of a 28x28 input, clipped to [0, 1] (Lanczos overshoots a little)."""
    height, width = image.shape
    top, left = (OUTPUT_SIZE - height) // 2, (OUTPUT_SIZE - width) // 2
    frame = np.zeros((OUTPUT_SIZE, OUTPUT_SIZE), np.float32)
    frame[top : top + height, left : left + width] = image
    return np.clip(frame, 0.0, 1.0)
