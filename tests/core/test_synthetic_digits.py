"""Digits drawn from stroke styles and coarse scans: what the shipped model learns beyond MNIST."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core.preprocess import preprocess
from digitpad.core.synthetic_digits import (
    RARE_IN_MNIST,
    STYLE_NAMES,
    STYLES,
    bold_strokes,
    low_resolution,
    render_style,
    style_digits,
)


def _bundled(n: int) -> tuple[np.ndarray, np.ndarray]:
    from digitpad.core.resources import bundled_mnist_path

    with np.load(bundled_mnist_path()) as data:
        return data["x"][:n], data["y"][:n]


def test_every_digit_has_a_style_and_the_rare_styles_exist() -> None:
    assert {label for label, _ in STYLES.values()} == set(range(10))
    assert set(RARE_IN_MNIST) <= set(STYLE_NAMES)
    assert "1 flag" in RARE_IN_MNIST and "7 crossed" in RARE_IN_MNIST


@pytest.mark.parametrize("style", STYLE_NAMES)
def test_each_style_draws_dark_ink_on_a_light_canvas(style: str) -> None:
    canvas = render_style(style, np.random.default_rng(3))
    assert canvas.dtype == np.uint8 and canvas.ndim == 2 and canvas.shape[0] == canvas.shape[1]
    ink = canvas < 128
    assert 0.005 < ink.mean() < 0.5, "a stroke, not an empty or a filled canvas"
    assert np.median(canvas) == 255
    assert preprocess(canvas).max() > 0.9


def test_a_continental_one_has_its_flag_left_of_the_stem() -> None:
    """The flag reaches well left of the stem, unlike a bare stick: the style the issue is about."""
    rng = np.random.default_rng(4)
    flag_widths: list[int] = []
    stick_widths: list[int] = []
    for _ in range(20):
        for style, widths in (("1 flag", flag_widths), ("1 stick", stick_widths)):
            image = preprocess(render_style(style, rng))
            cols = np.flatnonzero(image.max(axis=0) > 0.3)
            widths.append(int(cols[-1] - cols[0]))
    assert np.median(flag_widths) > 1.5 * np.median(stick_widths)


def test_style_digits_cycle_through_the_styles_with_their_labels() -> None:
    x, y, style_index = style_digits(2 * len(STYLE_NAMES), np.random.default_rng(5))
    assert x.shape == (2 * len(STYLE_NAMES), 28, 28) and x.dtype == np.uint8
    assert list(style_index[: len(STYLE_NAMES)]) == list(range(len(STYLE_NAMES)))
    assert list(y) == [STYLES[STYLE_NAMES[i]][0] for i in style_index]
    assert (x.reshape(len(x), -1).max(axis=1) > 200).all()


def test_the_same_seed_draws_the_same_digits() -> None:
    first = style_digits(30, np.random.default_rng(6))[0]
    again = style_digits(30, np.random.default_rng(6))[0]
    other = style_digits(30, np.random.default_rng(7))[0]
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_coarse_scans_lose_detail_but_keep_the_digit_in_mnist_form() -> None:
    x, _ = _bundled(40)
    scans = low_resolution(x, np.random.default_rng(8), shape=(8, 8), levels=17)
    assert scans.shape == x.shape and scans.dtype == np.uint8
    assert (scans.reshape(40, -1).max(axis=1) > 200).all()
    # An 8x8 scan blurs: far fewer pure black or white pixels inside the digit than MNIST's.
    crisp = lambda images: np.mean((images > 0) & (images < 255)) if images.size else 0  # noqa: E731
    assert crisp(scans) > crisp(x)
    # Still close to the original (same place and shape), far closer than another digit.
    same = np.abs(scans.astype(float) - x).mean()
    shuffled = np.abs(scans.astype(float) - np.roll(x, 1, axis=0)).mean()
    assert same < 0.8 * shuffled


def test_random_scans_vary_in_size() -> None:
    x, _ = _bundled(1)
    rng = np.random.default_rng(9)
    shapes = {tuple(map(int, np.flatnonzero(scan.max(axis=0) > 0)[[0, -1]])) for scan in low_resolution(np.repeat(x, 30, 0), rng)}
    assert len(shapes) > 3


def test_bold_strokes_fill_the_digit_more_the_more_they_grow() -> None:
    """`preprocess` thins what it can, but the loops a fat pen filled stay filled."""
    x, _ = _bundled(30)
    rng = np.random.default_rng(10)
    once, thrice = bold_strokes(x, rng, grow=(1, 1)), bold_strokes(x, rng, grow=(3, 3))
    assert float((once > 127).mean()) < float((thrice > 127).mean())
    assert np.abs(thrice.astype(float) - x).mean() > np.abs(once.astype(float) - x).mean()
    assert bold_strokes(x, rng).shape == x.shape
