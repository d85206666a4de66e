"""Reading digit images from disk into plain uint8 arrays.

Pillow opens a zoo of modes (palette, 1-bit, gray+alpha, 16-bit, CMYK...); everything after this
module (preprocessing, the canvas, dataset folders) only has to handle three layouts:
(H, W) gray, (H, W, 3) RGB and (H, W, 4) RGBA, all uint8.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from digitpad.core.errors import ImageError

_NATIVE_MODES = frozenset({"L", "RGB", "RGBA"})
# Modes with an alpha channel (or palette transparency) keep it: transparent means background.
_ALPHA_MODES = frozenset({"LA", "La", "PA", "RGBa"})
# Pillow's 16-bit integer modes hold 0-65535; "I" is what it uses for 16-bit PNG/TIFF data too.
_WIDE_INT_MODES = frozenset({"I", "I;16", "I;16L", "I;16B", "I;16N"})


def read_image(path: str | Path) -> np.ndarray:
    """Read an image file as uint8 (H, W), (H, W, 3) or (H, W, 4), upright as its EXIF says.

    Photos from phones are stored sideways with an EXIF orientation tag; applying it here means a
    photographed digit reaches the model the way the user sees it in any image viewer.
    Raises ImageError with one sentence naming the file when it cannot be read.
    """
    path = Path(path)
    _check_is_nonempty_file(path)
    try:
        with open(path, "rb") as stream, Image.open(stream) as image:
            return _to_array(ImageOps.exif_transpose(image))
    except UnidentifiedImageError as exc:
        raise _error(path, "not an image file") from exc
    except Image.DecompressionBombError as exc:
        raise _error(path, "the image is too large to be a drawing") from exc
    except PermissionError as exc:
        raise _error(path, "permission denied") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        # Pillow reports truncated or corrupt pixel data with any of these.
        raise _error(path, "the file is damaged or truncated") from exc


def _check_is_nonempty_file(path: Path) -> None:
    """Name the common mistakes precisely instead of letting Pillow call them 'not an image'."""
    if not path.exists():
        raise _error(path, "the file does not exist")
    if path.is_dir():
        raise _error(path, "it is a folder, not a file")
    if not path.is_file():
        # A pipe or a device: reading it could wait forever.
        raise _error(path, "it is not a regular file (a pipe or a device)")
    if path.stat().st_size == 0:
        raise _error(path, "the file is empty")


def _to_array(image: Image.Image) -> np.ndarray:
    """Convert any Pillow mode to uint8 gray, RGB or RGBA, keeping transparency where it exists."""
    if image.mode in _WIDE_INT_MODES or image.mode == "F":
        return _wide_to_uint8(image)
    if image.mode in _NATIVE_MODES:
        converted = image
    elif image.mode == "1":
        converted = image.convert("L")
    elif image.mode in _ALPHA_MODES or (image.mode == "P" and "transparency" in image.info):
        converted = image.convert("RGBA")
    else:
        converted = image.convert("RGB")
    # np.array copies, so the result stays valid after the file is closed and is writable.
    return np.array(converted, dtype=np.uint8)


def _wide_to_uint8(image: Image.Image) -> np.ndarray:
    """Scale 16-bit integer images (0-65535) and float images (0-1) to 0-255 gray."""
    values = np.asarray(image, dtype=np.float64)
    scale = 255.0 if image.mode == "F" else 255.0 / 65535.0
    return np.clip(np.rint(values * scale), 0, 255).astype(np.uint8)


def _error(path: Path, reason: str) -> ImageError:
    return ImageError(f"Cannot read image {path}: {reason}.")
