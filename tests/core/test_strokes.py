"""Drawings kept as strokes: exact JSON round trips, refusals of bad input, faithful re-rendering."""

from __future__ import annotations

import json

import numpy as np
import pytest

from digitpad.core.errors import DataError, NothingDrawnError
from digitpad.core.preprocess import preprocess
from digitpad.core.strokes import MAX_POINTS, Drawing, PenStroke, render_drawing, stroke_variants


def seven() -> Drawing:
    """A 7: a bar across the top, then a long diagonal down to the bottom left."""
    bar = PenStroke(points=((80.0, 60.0, 0.0), (150.0, 60.5, 0.05), (200.0, 61.0, 0.1)), width=22.0)
    leg = PenStroke(points=((200.0, 61.0, 0.1), (160.0, 140.0, 0.2), (120.0, 225.0, 0.3)), width=22.0)
    return Drawing(strokes=(bar, leg))


def ink(image: np.ndarray) -> np.ndarray:
    return image < 128


def test_json_round_trip_is_exact() -> None:
    drawing = Drawing(
        strokes=(
            PenStroke(points=((0.1 + 0.2, 1 / 3, 1e-9), (279.999, 0.0, 12.5)), width=7.25),
            PenStroke(points=((10.0, 20.0, 30.0),), width=40.0, eraser=True),
        ),
        size=300,
    )
    assert Drawing.from_json(drawing.to_json()) == drawing
    assert Drawing.from_json(Drawing(strokes=()).to_json()) == Drawing(strokes=())


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"version": 2, "size": 280, "strokes": []}',
        '{"version": 1, "size": 0, "strokes": []}',
        '{"version": 1, "size": true, "strokes": []}',
        '{"version": 1, "size": 280, "strokes": {}}',
        '{"version": 1, "size": 280, "strokes": [{"width": 0, "points": [[1, 2, 3]]}]}',
        '{"version": 1, "size": 280, "strokes": [{"width": 5, "points": []}]}',
        '{"version": 1, "size": 280, "strokes": [{"width": 5, "points": [[1, 2]]}]}',
        '{"version": 1, "size": 280, "strokes": [{"width": 5, "points": [[1, "2", 3]]}]}',
        '{"version": 1, "size": 280, "strokes": [{"width": 5, "points": [[NaN, 2, 3]]}]}',
        '{"version": 1, "size": 280, "strokes": [{"width": 5, "points": [[1e400, 2, 3]]}]}',
        '{"version": 1, "size": 280, "strokes": [{"width": 5, "points": [[1e9, 2, 3]]}]}',
        '{"version": 1, "size": 280, "strokes": [{"width": 5, "eraser": 1, "points": [[1, 2, 3]]}]}',
        "[" * 100_000,
    ],
)
def test_from_json_rejects_bad_input(text: str) -> None:
    with pytest.raises(DataError, match="drawing's strokes"):
        Drawing.from_json(text)


def test_from_json_refuses_drawings_too_large_to_be_a_digit() -> None:
    points = [[1.0, 2.0, 3.0]] * (MAX_POINTS // 2 + 1)
    text = json.dumps({"version": 1, "size": 280, "strokes": [{"width": 5, "points": points}] * 2})
    with pytest.raises(DataError, match="too many"):
        Drawing.from_json(text)


def test_render_draws_black_ink_on_white_paper_where_the_pen_went() -> None:
    image = render_drawing(seven())
    assert image.shape == (280, 280) and image.dtype == np.uint8
    assert image[60, 150] < 30  # on the bar
    assert image[140, 160] < 30  # on the leg
    assert image[250, 30] == 255 and image[140, 60] == 255  # paper
    # Round caps: the bar's start reaches half a pen width to its left, not further.
    assert image[60, 72] < 128 and image[60, 66] >= 250
    # Anti-aliased edges, as the canvas's QPainter draws them.
    assert np.count_nonzero((image > 10) & (image < 245)) > 100


def test_a_single_point_is_a_round_dot() -> None:
    image = render_drawing(Drawing(strokes=(PenStroke(points=((140.0, 140.0, 0.0),), width=40.0),)))
    area = np.count_nonzero(ink(image))
    assert area == pytest.approx(np.pi * 20**2, rel=0.05)


def test_eraser_paints_paper() -> None:
    erased = Drawing(strokes=(*seven().strokes, PenStroke(points=((140.0, 0.0, 1.0), (140.0, 280.0, 1.1)), width=40.0, eraser=True)))
    image = render_drawing(erased)
    assert np.all(image[:, 125:155] == 255)
    assert image[60, 100] < 30


def test_width_scale_grows_the_ink() -> None:
    areas = [np.count_nonzero(ink(render_drawing(seven(), width_scale=scale))) for scale in (0.6, 1.0, 1.8)]
    assert areas[0] < areas[1] < areas[2]
    assert areas[2] / areas[1] == pytest.approx(1.8, rel=0.15)


def test_positive_slant_leans_the_top_right() -> None:
    def top_centre(image: np.ndarray) -> float:
        _rows, columns = np.nonzero(ink(image[:100]))
        return float(columns.mean())

    upright = top_centre(render_drawing(seven()))
    # x += slant * (140 - y): at the bar (y = 60) a slant of 0.25 moves the ink 20 px right.
    assert top_centre(render_drawing(seven(), slant=0.25)) == pytest.approx(upright + 20, abs=2)
    assert top_centre(render_drawing(seven(), slant=-0.25)) == pytest.approx(upright - 20, abs=2)
    # The middle row does not move.
    middle = [np.nonzero(ink(render_drawing(seven(), slant=slant)[140]))[0].mean() for slant in (0.0, 0.25)]
    assert middle[1] == pytest.approx(middle[0], abs=0.5)


def test_render_rejects_nonsense_parameters() -> None:
    with pytest.raises(ValueError):
        render_drawing(seven(), width_scale=0)
    with pytest.raises(ValueError):
        render_drawing(seven(), slant=float("nan"))


def test_variants_are_distinct_model_inputs_of_the_same_digit() -> None:
    variants = stroke_variants(seven(), np.random.default_rng(0), 6)
    assert variants.shape == (6, 28, 28) and variants.dtype == np.float32
    assert variants.min() >= 0.0 and variants.max() <= 1.0
    flat = variants.reshape(6, -1)
    one = Drawing(strokes=(PenStroke(points=((140.0, 50.0, 0.0), (140.0, 230.0, 0.1)), width=22.0),))

    def likeness(drawing: Drawing) -> np.ndarray:
        reference = preprocess(render_drawing(drawing)).ravel()
        return np.array([np.corrcoef(reference, variant)[0, 1] for variant in flat])

    # Still the same 7 (correlations 0.69-0.90 measured), far from a 1 (0.20-0.35).
    assert likeness(seven()).min() > 0.6
    assert likeness(one).max() < 0.45
    assert len({row.tobytes() for row in flat}) == 6  # but each one different
    assert np.array_equal(variants, stroke_variants(seven(), np.random.default_rng(0), 6))  # seeded


def test_variants_of_an_empty_drawing_say_nothing_is_drawn() -> None:
    with pytest.raises(NothingDrawnError):
        stroke_variants(Drawing(strokes=()), np.random.default_rng(0), 1)
