"""read_image: every Pillow mode ends as uint8 gray, RGB or RGBA; bad files give one clear sentence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitpad.core.errors import ImageError
from digitpad.core.imageio import read_image


def _gradient(height: int = 12, width: int = 16) -> np.ndarray:
    return (np.arange(height * width).reshape(height, width) % 256).astype(np.uint8)


def _rgb(height: int = 12, width: int = 16) -> np.ndarray:
    gray = _gradient(height, width)
    return np.stack([gray, 255 - gray, np.full_like(gray, 7)], axis=-1)


def test_gray_png_round_trips_exactly(tmp_path: Path) -> None:
    path = tmp_path / "gray.png"
    Image.fromarray(_gradient()).save(path)
    image = read_image(path)
    assert image.dtype == np.uint8 and image.shape == (12, 16)
    np.testing.assert_array_equal(image, _gradient())


def test_accepts_a_string_path(tmp_path: Path) -> None:
    path = tmp_path / "gray.png"
    Image.fromarray(_gradient()).save(path)
    np.testing.assert_array_equal(read_image(str(path)), _gradient())


def test_rgb_png_and_bmp_round_trip_exactly(tmp_path: Path) -> None:
    for name in ("rgb.png", "rgb.bmp"):
        Image.fromarray(_rgb()).save(tmp_path / name)
        image = read_image(tmp_path / name)
        assert image.dtype == np.uint8 and image.shape == (12, 16, 3)
        np.testing.assert_array_equal(image, _rgb())


def test_rgba_png_keeps_alpha(tmp_path: Path) -> None:
    rgba = np.dstack([_rgb(), _gradient()[::-1]])
    Image.fromarray(rgba, "RGBA").save(tmp_path / "rgba.png")
    image = read_image(tmp_path / "rgba.png")
    assert image.shape == (12, 16, 4)
    np.testing.assert_array_equal(image, rgba)


def test_gray_jpeg_reads_close_to_its_pixels(tmp_path: Path) -> None:
    gray = np.zeros((32, 32), np.uint8)
    gray[8:24, 8:24] = 200
    Image.fromarray(gray).save(tmp_path / "digit.jpg", quality=95)
    image = read_image(tmp_path / "digit.jpg")
    assert image.dtype == np.uint8 and image.shape == (32, 32)
    assert abs(int(image[16, 16]) - 200) <= 3 and int(image[2, 2]) <= 3


def test_cmyk_jpeg_becomes_rgb(tmp_path: Path) -> None:
    Image.new("CMYK", (10, 6), (0, 0, 0, 0)).save(tmp_path / "cmyk.jpg")
    image = read_image(tmp_path / "cmyk.jpg")
    assert image.shape == (6, 10, 3)
    assert image.min() >= 250  # no ink in CMYK is white


def test_palette_png_becomes_rgb_with_palette_colours(tmp_path: Path) -> None:
    indices = np.array([[0, 1], [1, 0]], np.uint8)
    image = Image.fromarray(indices, "L").convert("P")
    image.putpalette([10, 20, 30, 200, 150, 100] + [0] * 762)
    image.save(tmp_path / "palette.png")
    array = read_image(tmp_path / "palette.png")
    assert array.shape == (2, 2, 3)
    np.testing.assert_array_equal(array[0, 0], [10, 20, 30])
    np.testing.assert_array_equal(array[0, 1], [200, 150, 100])


def test_palette_png_with_transparency_becomes_rgba(tmp_path: Path) -> None:
    image = Image.fromarray(np.array([[0, 1]], np.uint8), "L").convert("P")
    image.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)
    image.save(tmp_path / "transparent.png", transparency=0)
    array = read_image(tmp_path / "transparent.png")
    assert array.shape == (1, 2, 4)
    assert array[0, 0, 3] == 0 and array[0, 1, 3] == 255
    np.testing.assert_array_equal(array[0, 1, :3], [0, 0, 0])


def test_gray_with_alpha_becomes_rgba(tmp_path: Path) -> None:
    la = Image.merge("LA", [Image.fromarray(_gradient()), Image.fromarray(255 - _gradient())])
    la.save(tmp_path / "la.png")
    array = read_image(tmp_path / "la.png")
    assert array.shape == (12, 16, 4)
    for channel in range(3):
        np.testing.assert_array_equal(array[..., channel], _gradient())
    np.testing.assert_array_equal(array[..., 3], 255 - _gradient())


def test_one_bit_png_becomes_gray_0_or_255(tmp_path: Path) -> None:
    bits = np.array([[True, False], [False, True]])
    Image.fromarray(bits).save(tmp_path / "bits.png")
    array = read_image(tmp_path / "bits.png")
    assert array.dtype == np.uint8 and array.shape == (2, 2)
    np.testing.assert_array_equal(array, [[255, 0], [0, 255]])


def test_16_bit_png_is_scaled_to_8_bits(tmp_path: Path) -> None:
    wide = np.array([[0, 257 * 128, 65535]], np.uint16)
    Image.fromarray(wide).save(tmp_path / "wide.png")
    array = read_image(tmp_path / "wide.png")
    assert array.dtype == np.uint8
    np.testing.assert_array_equal(array, [[0, 128, 255]])


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    """A phone photo stored sideways (orientation 6: rotate 90 degrees clockwise to view)."""
    stored = np.zeros((40, 80), np.uint8)  # 80 wide, 40 tall, bright block at the stored top-left
    stored[:20, :20] = 255
    image = Image.fromarray(stored)
    exif = image.getexif()
    exif[0x0112] = 6
    image.save(tmp_path / "photo.jpg", exif=exif, quality=95)
    upright = read_image(tmp_path / "photo.jpg")
    assert upright.shape == (80, 40)  # now tall
    assert upright[:20, 20:].mean() > 240  # the block moved to the top-right
    assert upright[:20, :20].mean() < 15


def test_result_is_writable(tmp_path: Path) -> None:
    Image.fromarray(_gradient()).save(tmp_path / "gray.png")
    array = read_image(tmp_path / "gray.png")
    array[0, 0] = 99
    assert array[0, 0] == 99


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda path: None, "the file does not exist"),
        (lambda path: path.mkdir(), "it is a folder, not a file"),
        (lambda path: path.write_bytes(b""), "the file is empty"),
        (lambda path: path.write_text("these are not pixels\n"), "not an image file"),
    ],
    ids=["missing", "folder", "empty", "text"],
)
def test_unreadable_files_raise_one_sentence(tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "x.png"
    make(path)
    with pytest.raises(ImageError) as caught:
        read_image(path)
    assert str(caught.value) == f"Cannot read image {path}: {reason}."


def test_truncated_png_is_reported_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "cut.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (64, 64), dtype=np.uint8)).save(path)
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(ImageError, match="damaged or truncated"):
        read_image(path)
