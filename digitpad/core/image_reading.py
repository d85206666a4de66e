"""Turn a picture into the 28x28 input of a model, the way that model's training images were made.

Digit models learned from MNIST, whose digits were cropped to the ink, fitted into 20 px and
centred by their mass: `preprocess` repeats that recipe for drawings and photos. Fashion-MNIST
was made differently (Xiao et al. 2017): a product photo on white, trimmed to the product, its
longer side resized to 28 px, centred, its intensities negated so that the background is dark.
A picture is read here as such a photo, without the trimming (the product already fills the
longer side in 99% of the data set, and a picture is mostly the product). Sending a Fashion image
through the digit recipe crops and shrinks the garment, and a Fashion MLP that reads 83.8% of
the test arrays read 33.6% of the same images saved as PNG files; reading them the Fashion way
gives the arrays back (tests/core/test_fashion_reading.py).

The reading follows the data set a model was trained on, recorded in its metadata, so every
entry point (the CLI, the window's open/drop/paste) reads an image file as its model expects.
Only NumPy and Pillow are used, so this stays usable before TensorFlow has loaded.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from digitpad.core.errors import NothingDrawnError
from digitpad.core.preprocess import OUTPUT_SIZE, _as_pixels, preprocess

FASHION_DATASET = "fashion-mnist"
# Fashion-MNIST's pictures are product photos on white, negated: a border lighter than this
# (out of 255) is a photo's paper, which is inverted so the background becomes dark again.
LIGHT_BORDER = 127
# A picture whose pixels all lie within this many levels of each other shows nothing to read.
MIN_CONTRAST = 8


def reads_whole_picture(dataset_name: str) -> bool:
    """Whether a model trained on `dataset_name` reads whole pictures rather than digits."""
    return dataset_name == FASHION_DATASET


def model_input(image: np.ndarray | Image.Image, dataset_name: str) -> np.ndarray:
    """(28, 28) float32 in [0, 1] for a model trained on `dataset_name`: the Fashion-MNIST way
    for "fashion-mnist", else `preprocess` (digits). NothingDrawnError when the picture is blank."""
    if reads_whole_picture(dataset_name):
        return fashion_input(image)
    return preprocess(image)


def fashion_input(image: np.ndarray | Image.Image) -> np.ndarray:
    """The whole picture as a Fashion-MNIST image: gray (transparent parts white, as the
    catalogue's backgrounds were), the longer side resized to 28 px with the aspect kept,
    centred on the background, negated when that background is light, scaled to [0, 1]."""
    gray = picture_gray(image)
    if has_light_background(gray):
        gray = 255 - gray
    return fit_centred(gray).astype(np.float32) / 255.0


def picture_gray(image: np.ndarray | Image.Image) -> np.ndarray:
    """uint8 (H, W) gray of a picture, transparent parts white; NothingDrawnError when the
    picture is one flat colour, since no model can read anything from it."""
    gray = _gray_on_white(_as_pixels(image))
    if int(gray.max()) - int(gray.min()) < MIN_CONTRAST:
        raise NothingDrawnError("Nothing to recognise: the picture is one flat colour.")
    return gray


def has_light_background(gray: np.ndarray) -> bool:
    """Whether the picture's border (its background) is light, like a catalogue photo's paper;
    Fashion-MNIST negated those, so its models expect a dark background."""
    border = np.concatenate((gray[0], gray[-1], gray[1:-1, 0], gray[1:-1, -1]))
    return float(np.median(border)) > LIGHT_BORDER


def _gray_on_white(pixels: np.ndarray) -> np.ndarray:
    """uint8 (H, W) luminance (ITU-R 601, Pillow's) with transparent pixels showing white."""
    picture = Image.fromarray(np.ascontiguousarray(pixels))
    if "A" in picture.getbands():
        paper = Image.new("RGBA", picture.size, "white")
        picture = Image.alpha_composite(paper, picture.convert("RGBA"))
    return np.asarray(picture.convert("L"))


def fit_centred(gray: np.ndarray) -> np.ndarray:
    """uint8 (28, 28): the longer side resized to 28 px, centred on a background of 0.

    A picture already 28x28 is returned unchanged, so Fashion-MNIST images saved as files read
    back as exactly the arrays the model learned from.
    """
    height, width = gray.shape
    if (height, width) == (OUTPUT_SIZE, OUTPUT_SIZE):
        return gray
    scale = OUTPUT_SIZE / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    # Shrinking averages each output pixel's area (what a 28 px camera would see); enlarging a
    # small picture interpolates smoothly rather than in blocks.
    resample = Image.Resampling.BOX if scale < 1 else Image.Resampling.LANCZOS
    resized = np.asarray(Image.fromarray(gray).resize(size, resample))
    out = np.zeros((OUTPUT_SIZE, OUTPUT_SIZE), np.uint8)
    top, left = (OUTPUT_SIZE - size[1]) // 2, (OUTPUT_SIZE - size[0]) // 2
    out[top : top + size[1], left : left + size[0]] = resized
    return out
