"""The preprocessing stages shown to people are the real steps, and the input maps back onto the drawing."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitpad.core.errors import NothingDrawnError
from digitpad.core.hands import draw, make_hand
from digitpad.core.image_reading import fashion_input
from digitpad.core.preprocess import preprocess
from digitpad.core.preprocess_stages import (
    InputGeometry,
    input_geometry,
    picture_geometry,
    picture_stages,
    preprocess_stages,
    stages_for,
)
from digitpad.core.resources import bundled_mnist_path
from digitpad.core.strokes import render_drawing


def canvas(
    points: list[tuple[float, float]], *, size: tuple[int, int] = (280, 280), pen: int = 14
) -> np.ndarray:
    """A polyline drawn with a round pen, dark ink on white, (height, width) `size`."""
    picture = Image.new("L", (size[1], size[0]), 255)
    pen_draw = ImageDraw.Draw(picture)
    pen_draw.line(points, fill=0, width=pen, joint="curve")
    for x, y in points:
        pen_draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=0)
    return np.asarray(picture)


def seven(left: float, top: float, height: float) -> list[tuple[float, float]]:
    """A seven's corners, `height` tall, its box's top-left at (left, top)."""
    return [(left, top), (left + 0.6 * height, top), (left + 0.2 * height, top + height)]


def ink_centroid(strength: np.ndarray) -> tuple[float, float]:
    """(x, y) centre of mass of ink strength, in pixel-edge coordinates (pixel i spans i..i+1)."""
    mass = strength.sum()
    y = float(strength.sum(axis=1) @ (np.arange(strength.shape[0]) + 0.5)) / mass
    x = float(strength.sum(axis=0) @ (np.arange(strength.shape[1]) + 0.5)) / mass
    return x, y


def to_picture(geometry: InputGeometry, col: float, row: float) -> tuple[float, float]:
    return geometry.left + col * geometry.scale, geometry.top + row * geometry.scale


def ink_box(image: np.ndarray, level: float) -> tuple[int, int, int, int]:
    """(top, left, bottom, right) of the pixels at or above `level`, bottom/right inclusive."""
    rows = np.flatnonzero(image.max(axis=1) >= level)
    cols = np.flatnonzero(image.max(axis=0) >= level)
    return int(rows[0]), int(cols[0]), int(rows[-1]), int(cols[-1])


# Dark ink on white; the canvas hands `preprocess` the inverse, and both must read the same.
PICTURES = {
    "small seven in the bottom-left corner": canvas(seven(12, 190, 70), pen=8),
    "synthetic hand's five": render_drawing(draw(make_hand(3), 5, np.random.default_rng(0))),
    "fat pen, grown thinner": canvas(seven(60, 40, 200), pen=60),
    "hairline, grown thicker": canvas(seven(60, 40, 200), pen=2),
    "wide photo read in every n-th pixel": canvas(seven(500, 150, 700), size=(1000, 1600), pen=60),
}


@pytest.mark.parametrize("ink_high", [False, True])
@pytest.mark.parametrize("name", list(PICTURES))
def test_the_last_stage_is_exactly_what_the_model_reads(name: str, ink_high: bool) -> None:
    picture = 255 - PICTURES[name] if ink_high else PICTURES[name]
    stages = preprocess_stages(picture)
    assert [stage.key for stage in stages] == ["drawing", "crop", "fit", "centred"]
    assert np.array_equal(stages[-1].image, preprocess(picture))
    for stage in stages:
        assert stage.image.shape == (28, 28) and stage.image.dtype == np.float32
        assert stage.image.min() >= 0.0 and stage.image.max() <= 1.0
    # shrinking fades a fine pen (a 2 px hairline to a third of a pixel); the stroke
    # normalisation of the fit stage gives it MNIST's full-strength ink
    assert stages[0].image.max() > 0.2 and stages[1].image.max() > 0.5
    assert stages[2].image.max() > 0.9 and stages[3].image.max() > 0.9


def test_stages_are_titled_and_explained_for_people() -> None:
    stages = preprocess_stages(PICTURES["small seven in the bottom-left corner"])
    assert [stage.title for stage in stages] == [
        "Your drawing",
        "Cropped to the ink",
        "Fitted in 20×20",
        "Centred (what the model reads)",
    ]
    for stage in stages:
        assert stage.explanation.endswith(".") and stage.explanation.count(". ") == 0  # one sentence


def test_an_off_centre_drawing_is_cropped_fitted_and_centred() -> None:
    drawing, crop, fit, centred = (stage.image for stage in preprocess_stages(PICTURES["small seven in the bottom-left corner"]))
    # As drawn: small, in the bottom-left quarter, where a model trained on MNIST never saw a digit.
    top, left, bottom, right = ink_box(drawing, 0.3)
    assert bottom - top <= 8 and right - left <= 8
    x, y = ink_centroid(drawing)
    assert x < 14 and y > 14
    # Cropped: the ink's box fills the frame's longer side.
    top, left, bottom, right = ink_box(crop, 0.3)
    assert max(bottom - top, right - left) + 1 >= 26
    # Fitted: the longer side 20 px, the box in the middle.
    top, left, bottom, right = ink_box(fit, 0.05)
    assert max(bottom - top, right - left) + 1 in (20, 21)  # Lanczos rings a pixel out
    assert abs((top + bottom) / 2 - 13.5) <= 1 and abs((left + right) / 2 - 13.5) <= 1
    # Centred: the centre of mass (index coordinates) on MNIST's, 14.0.
    x, y = ink_centroid(centred)
    assert abs(x - 0.5 - 14.0) < 0.05 and abs(y - 0.5 - 14.0) < 0.05


def test_the_fit_stage_shows_a_fat_pen_thinned() -> None:
    stages = {stage.key: stage.image for stage in preprocess_stages(PICTURES["fat pen, grown thinner"])}

    def filled(image: np.ndarray) -> float:
        """Share of the ink's box covered by strong ink: high for a fat pen."""
        top, left, bottom, right = ink_box(image, 0.5)
        return float((image[top : bottom + 1, left : right + 1] >= 0.5).mean())

    assert filled(stages["fit"]) < 0.8 * filled(stages["crop"])


def test_a_blank_drawing_has_no_stages() -> None:
    with pytest.raises(NothingDrawnError):
        preprocess_stages(np.full((280, 280), 255, np.uint8))
    with pytest.raises(NothingDrawnError):
        input_geometry(np.full((280, 280), 255, np.uint8))


@pytest.mark.parametrize("name", list(PICTURES))
def test_the_input_maps_back_onto_the_drawing(name: str) -> None:
    picture = PICTURES[name]
    geometry = input_geometry(picture)
    x = preprocess(picture)
    ink = (255 - picture).astype(np.float64)
    # the ink's centre of mass lands where the drawing's is, within a fifth of an input pixel
    picture_x, picture_y = ink_centroid(ink)
    mapped_x, mapped_y = to_picture(geometry, *ink_centroid(x))
    assert abs(mapped_x - picture_x) < 0.2 * geometry.scale
    assert abs(mapped_y - picture_y) < 0.2 * geometry.scale
    # the input's ink box maps onto the drawing's, within about a pixel of the input
    top, left, bottom, right = ink_box(x, 0.5)
    box_left, box_top = to_picture(geometry, left, top)
    box_right, box_bottom = to_picture(geometry, right + 1, bottom + 1)
    expected_top, expected_left, expected_bottom, expected_right = ink_box(ink, 128)
    tolerance = 1.5 * geometry.scale
    assert abs(box_left - expected_left) < tolerance and abs(box_right - (expected_right + 1)) < tolerance
    assert abs(box_top - expected_top) < tolerance and abs(box_bottom - (expected_bottom + 1)) < tolerance


def test_an_ink_blob_in_the_input_maps_back_onto_the_blob() -> None:
    """Two dots far apart, off-centre on a non-square picture: each dot's place in the input maps
    back inside that dot on the picture."""
    picture = Image.new("L", (500, 300), 255)
    dots = {"upper": (120.0, 60.0), "lower": (200.0, 230.0)}
    radius = 12
    for x, y in dots.values():
        ImageDraw.Draw(picture).ellipse((x - radius, y - radius, x + radius, y + radius), fill=0)
    pixels = np.asarray(picture)
    geometry = input_geometry(pixels)
    model_input = preprocess(pixels)
    halves = {"upper": model_input.copy(), "lower": model_input.copy()}
    halves["upper"][14:] = 0
    halves["lower"][:14] = 0
    for name, (x, y) in dots.items():
        mapped_x, mapped_y = to_picture(geometry, *ink_centroid(halves[name]))
        assert np.hypot(mapped_x - x, mapped_y - y) < radius / 3, name


def test_an_mnist_digit_already_in_place_maps_almost_onto_itself() -> None:
    with np.load(bundled_mnist_path()) as data:
        digit = data["x"][0]
    geometry = input_geometry(digit)
    # MNIST digits are already 20 px and centred: the input lies on the picture at about 1:1
    assert geometry.scale == pytest.approx(1.0, abs=0.12)
    assert abs(geometry.left) < 2.5 and abs(geometry.top) < 2.5


# ------------------------------------------------------------------ whole pictures (Fashion-MNIST)


def tall_dress_photo() -> np.ndarray:
    """A dark, tall garment on a light catalogue background, 90x50 pixels."""
    photo = np.full((90, 50), 235, np.uint8)
    photo[10:80, 15:35] = 40
    photo[10:30, 8:42] = 60
    return photo


def test_picture_stages_show_the_fashion_steps_and_end_with_what_the_model_reads() -> None:
    photo = tall_dress_photo()
    stages = picture_stages(photo)
    assert [stage.key for stage in stages] == ["picture", "negated", "fitted"]
    assert all(stage.image.shape == (28, 28) and stage.image.dtype == np.float32 for stage in stages)
    np.testing.assert_array_equal(stages[-1].image, fashion_input(photo))
    # Squeezed: the light paper fills the frame; negated: the paper goes dark, the garment bright.
    assert stages[0].image[0, 0] > 0.85 and stages[1].image[0, 0] < 0.15
    np.testing.assert_allclose(stages[0].image + stages[1].image, 1.0, atol=1e-6)
    # Fitted: the proportions are kept, so the tall picture leaves dark bands left and right.
    assert stages[2].image[:, :5].max() == 0.0 and stages[2].image[:, 10:18].max() > 0.5
    assert "light" in stages[0].explanation and stages[1].title == "Negated"


def test_a_dark_picture_is_not_negated_and_a_flat_one_is_nothing_to_read() -> None:
    photo = 255 - tall_dress_photo()
    stages = picture_stages(photo)
    assert stages[1].title == "Background kept"
    np.testing.assert_array_equal(stages[0].image, stages[1].image)
    with pytest.raises(NothingDrawnError):
        picture_stages(np.full((40, 40), 120, np.uint8))


def test_stages_follow_the_models_data_set() -> None:
    photo = tall_dress_photo()
    assert [stage.key for stage in stages_for(photo, "fashion-mnist")] == ["picture", "negated", "fitted"]
    assert [stage.key for stage in stages_for(255 - canvas(seven(60, 40, 180)), "mnist")] == [
        "drawing", "crop", "fit", "centred"]


def test_picture_geometry_spans_the_square_the_picture_was_fitted_into() -> None:
    geometry = picture_geometry(22.0, 22.0, 236.0)
    assert geometry == InputGeometry(scale=236.0 / 28, left=22.0, top=22.0)
