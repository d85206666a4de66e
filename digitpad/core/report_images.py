"""The figures of a shareable report, drawn with Pillow: a confusion heatmap, a gallery of
mistakes and the learning curves.

Pillow rather than matplotlib: it is already a dependency, imports in milliseconds and needs no
display, so a report can be written on a worker thread or a headless server. Figures are drawn
at twice the size the page shows them (`DENSITY`) so that they stay sharp on high-density screens
and on paper. Text uses Pillow's bundled FreeType font, the same on every system; it has no
arrow glyph, so "true → predicted" draws its arrow as lines.
"""

from __future__ import annotations

import io
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from digitpad.core.errors import DigitpadError
from digitpad.core.palette import ACCENT, BORDER, ERROR, MUTED, SURFACE, TEXT, VALIDATION, confusion_cell_colours

# Pixels per CSS pixel of every figure; the report's <img> tags divide by it.
DENSITY = 2

MISTAKE_COLUMNS = 8
DIGIT_SCALE = 3  # CSS pixels per input pixel in the mistakes gallery: 84 px digits, pixels still visible

Font = ImageFont.FreeTypeFont
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class MistakeTile:
    """One wrong answer as the gallery shows it."""

    image: np.ndarray  # float32 (28, 28) in [0, 1], white ink on black: the model's input
    true_name: str
    predicted_name: str
    confidence: float  # the probability of the wrong answer


def png_bytes(image: Image.Image) -> bytes:
    """The figure encoded as PNG, ready for an atomic write."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def confusion_image(confusion: np.ndarray, class_names: Sequence[str]) -> Image.Image:
    """Rows are the true class, columns the model's answer, each cell its count.

    The colour is the cell's share of its row, so a rare class's mistakes show as clearly as a
    common one's: blue on the diagonal, red off it. Like the window, a right answer needs most of
    its row to look strong while a few percent of wrong answers already show; on paper even a
    single mistake keeps a faint tint so that it is found at a glance. Zero cells stay
    blank; a last column gives each row's total, the denominator of its colours.
    """
    counts = np.asarray(confusion, dtype=np.int64)
    classes = len(counts)
    names = [class_name(class_names, label) for label in range(classes)]
    cell = _px(44 if classes <= 10 else max(18, 440 // classes))
    label_font, title_font = _font(13), _font(14)
    count_font = _font(13 if classes <= 10 else 9)
    gap = _px(8)
    totals = [format(int(total), ",") for total in counts.sum(axis=1)]

    row_label_width = max(_text_width(label_font, name) for name in names)
    total_width = max(_text_width(label_font, text) for text in [*totals, "Total"])
    rotate_columns = max(_text_width(label_font, name) for name in names) > cell - _px(4)
    column_label_height = row_label_width if rotate_columns else _line_height(label_font)
    title_height = _line_height(title_font)

    grid_left = title_height + gap + row_label_width + gap
    grid_top = title_height + gap + column_label_height + gap
    width = grid_left + classes * cell + gap + total_width + gap
    height = grid_top + classes * cell + gap
    image = Image.new("RGB", (width, height), SURFACE)
    draw = ImageDraw.Draw(image)

    _draw_centred(draw, (grid_left + classes * cell // 2, title_height // 2), "Predicted class", title_font, TEXT)
    _paste_vertical_text(image, "True class", title_font, TEXT,
                         (0, grid_top + (classes * cell - _text_width(title_font, "True class")) // 2))
    colours, _opacity = confusion_cell_colours(counts)
    for index, name in enumerate(names):
        centre = grid_left + index * cell + cell // 2
        if rotate_columns:
            _paste_vertical_text(image, name, label_font, TEXT,
                                 (centre - _line_height(label_font) // 2, grid_top - gap - _text_width(label_font, name)))
        else:
            _draw_centred(draw, (centre, grid_top - gap - _line_height(label_font) // 2), name, label_font, TEXT)
        row_centre = grid_top + index * cell + cell // 2
        draw.text((grid_left - gap, row_centre), name, font=label_font, fill=TEXT, anchor="rm")
        draw.text((width - gap, row_centre), totals[index], font=label_font, fill=MUTED, anchor="rm")
    draw.text((width - gap, grid_top - gap - _line_height(label_font) // 2), "Total", font=label_font, fill=MUTED,
              anchor="rm")

    for true in range(classes):
        for predicted in range(classes):
            red, green, blue = (int(channel) for channel in colours[true, predicted])
            background = (red, green, blue)
            left, top = grid_left + predicted * cell, grid_top + true * cell
            draw.rectangle((left, top, left + cell - 1, top + cell - 1), fill=background, outline=BORDER)
            value = int(counts[true, predicted])
            if value:
                _draw_centred(draw, (left + cell // 2, top + cell // 2), format(value, ","), count_font,
                              _readable_on(background))
    return image


def mistakes_image(tiles: Sequence[MistakeTile]) -> Image.Image:
    """A grid of wrong answers, drawn as ink on paper (as they print), each framed in the error
    colour with "true → predicted" and the confidence below.

    Long class names (Fashion-MNIST's "T-shirt/top") put the answer on a second line for every
    tile, so the grid stays regular; a name wider than its tile is cut with an ellipsis.
    """
    if not tiles:
        raise ValueError("there are no mistakes to draw")
    digit = _px(28 * DIGIT_SCALE)
    frame, pad = _px(2), _px(8)
    tile_width = digit + 2 * frame + 2 * pad
    font, small = _font(13), _font(12)
    text_room = tile_width - _px(4)
    arrow = _arrow_width(font)
    one_line = all(
        _text_width(font, tile.true_name) + arrow + _text_width(font, tile.predicted_name) <= text_room
        for tile in tiles
    )
    lines = 2 if one_line else 3
    line = _line_height(font) + _px(3)
    tile_height = 2 * frame + digit + _px(6) + lines * line + pad
    columns = min(MISTAKE_COLUMNS, len(tiles))
    rows = math.ceil(len(tiles) / columns)
    image = Image.new("RGB", (columns * tile_width, rows * tile_height), SURFACE)
    draw = ImageDraw.Draw(image)
    for position, tile in enumerate(tiles):
        row, column = divmod(position, columns)
        left, top = column * tile_width + pad, row * tile_height
        draw.rectangle((left, top, left + digit + 2 * frame - 1, top + digit + 2 * frame - 1), fill=ERROR)
        image.paste(_paper_digit(tile.image, digit), (left + frame, top + frame))
        centre = column * tile_width + tile_width // 2
        baseline = top + 2 * frame + digit + _px(6) + line // 2
        if one_line:
            _draw_arrow_caption(draw, (centre, baseline), tile.true_name, tile.predicted_name, font)
        else:
            _draw_centred(draw, (centre, baseline), _fit(font, tile.true_name, text_room), font, TEXT)
            baseline += line
            answer = _fit(font, tile.predicted_name, text_room - arrow)
            _draw_arrow_caption(draw, (centre, baseline), "", answer, font)
        _draw_centred(draw, (centre, baseline + line), f"{100 * tile.confidence:.1f} % sure", small, MUTED)
    return image


def curve_panels(history: Mapping[str, Sequence[float]]) -> list[str]:
    """The metrics `curves_image` draws: loss and accuracy first, then any others the history
    holds, each with a training or validation series of at least one finite value."""
    bases: list[str] = []
    for key in history:
        base = key.removeprefix("val_")
        if base not in bases and (finite_series(history, base) or finite_series(history, f"val_{base}")):
            bases.append(base)
    order = {"loss": 0, "accuracy": 1}
    return sorted(bases, key=lambda base: (order.get(base, 2), base))


def finite_series(history: Mapping[str, Sequence[float]], key: str) -> list[tuple[int, float]]:
    """(epoch, value) for the finite values of `history[key]`, epochs counted from 1."""
    values = history.get(key)
    if not isinstance(values, Sequence) or isinstance(values, str):
        return []
    points: list[tuple[int, float]] = []
    for epoch, value in enumerate(values, start=1):
        if isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value):
            points.append((epoch, float(value)))
    return points


def curves_image(history: Mapping[str, Sequence[float]]) -> Image.Image:
    """One panel per metric of `curve_panels`, training and validation per epoch, side by side.
    Points that are not finite (a loss that diverged) are left out rather than breaking the axes."""
    panels = curve_panels(history)
    if not panels:
        raise ValueError("the history has no per-epoch values to draw")
    panel_width, panel_height = _px(380), _px(250)
    legend_height = _px(28)
    image = Image.new("RGB", (panel_width * len(panels), legend_height + panel_height), SURFACE)
    draw = ImageDraw.Draw(image)
    _draw_legend(draw, image.width // 2, legend_height // 2, history, panels)
    for index, base in enumerate(panels):
        _draw_panel(draw, (index * panel_width, legend_height, (index + 1) * panel_width, legend_height + panel_height),
                    base, history)
    return image


def class_name(class_names: Sequence[str], label: int) -> str:
    """The name of class `label`, or its number when the names run short (a model with more
    outputs than its data set has names)."""
    return class_names[label] if 0 <= label < len(class_names) else str(label)


def _px(css_pixels: float) -> int:
    return round(css_pixels * DENSITY)


@cache
def _font(css_size: int) -> Font:
    font = ImageFont.load_default(size=_px(css_size))
    if not isinstance(font, ImageFont.FreeTypeFont):
        raise DigitpadError("This Pillow was built without FreeType, so the report's figures cannot be drawn.")
    return font


def _text_width(font: Font, text: str) -> int:
    return math.ceil(font.getlength(text)) if text else 0


def _line_height(font: Font) -> int:
    _, top, _, bottom = font.getbbox("Ag")
    return int(bottom - top) + _px(2)


def _draw_centred(draw: ImageDraw.ImageDraw, centre: tuple[int, int], text: str, font: Font, fill: str) -> None:
    draw.text(centre, text, font=font, fill=fill, anchor="mm")


def _paste_vertical_text(image: Image.Image, text: str, font: Font, fill: str, top_left: tuple[int, int]) -> None:
    """Text turned a quarter anticlockwise (read bottom to top), its box's top-left at `top_left`."""
    mask = Image.new("L", (_text_width(font, text) + 2, _line_height(font)), 0)
    ImageDraw.Draw(mask).text((0, mask.height // 2), text, font=font, fill=255, anchor="lm")
    turned = mask.rotate(90, expand=True)
    image.paste(fill, (*top_left, top_left[0] + turned.width, top_left[1] + turned.height), turned)


def _arrow_width(font: Font) -> int:
    """Room for " → ": two spaces and a shaft of about the width of a digit."""
    return _text_width(font, "  ") + round(font.size * 0.8)


def _draw_arrow_caption(draw: ImageDraw.ImageDraw, centre: tuple[int, int], before: str, after: str,
                        font: Font) -> None:
    """`before → after` centred on `centre`, the arrow drawn as lines (the font lacks the glyph)."""
    space = _text_width(font, " ")
    shaft = _arrow_width(font) - 2 * space
    total = _text_width(font, before) + _arrow_width(font) + _text_width(font, after)
    x, y = centre[0] - total // 2, centre[1]
    draw.text((x, y), before, font=font, fill=TEXT, anchor="lm")
    x += _text_width(font, before) + space
    head = max(3, shaft // 3)
    stroke = max(1, _px(1))
    draw.line((x, y, x + shaft, y), fill=TEXT, width=stroke)
    draw.line((x + shaft - head, y - head, x + shaft, y, x + shaft - head, y + head), fill=TEXT, width=stroke)
    draw.text((x + shaft + space, y), after, font=font, fill=TEXT, anchor="lm")


def _fit(font: Font, text: str, width: int) -> str:
    """`text`, cut short with an ellipsis if it is wider than `width`."""
    if _text_width(font, text) <= width:
        return text
    while text and _text_width(font, text + "…") > width:
        text = text[:-1]
    return text + "…"


def _paper_digit(image: np.ndarray, size: int) -> Image.Image:
    """The model input as dark ink on white paper, pixels kept square (nearest neighbour), so a
    printed mistake shows exactly what the model read."""
    ink = np.clip(np.asarray(image, dtype=np.float32), 0.0, 1.0)
    paper = Image.fromarray(np.round(255 * (1.0 - ink)).astype(np.uint8), mode="L")
    return paper.resize((size, size), Image.Resampling.NEAREST).convert("RGB")


def _readable_on(background: RGB) -> str:
    """White text on a dark cell, dark text on a light one (relative luminance)."""
    luminance = (0.2126 * background[0] + 0.7152 * background[1] + 0.0722 * background[2]) / 255
    return SURFACE if luminance < 0.55 else TEXT


def _draw_legend(draw: ImageDraw.ImageDraw, centre_x: int, centre_y: int, history: Mapping[str, Sequence[float]],
                 panels: Sequence[str]) -> None:
    font = _font(13)
    entries = [(name, colour) for name, colour, prefix in (("Training", ACCENT, ""), ("Validation", VALIDATION, "val_"))
               if any(finite_series(history, prefix + base) for base in panels)]
    swatch, gap = _px(22), _px(8)
    widths = [swatch + gap + _text_width(font, name) for name, _ in entries]
    x = centre_x - (sum(widths) + 3 * gap * (len(entries) - 1)) // 2
    for (name, colour), width in zip(entries, widths, strict=True):
        draw.line((x, centre_y, x + swatch, centre_y), fill=colour, width=_px(2))
        draw.text((x + swatch + gap, centre_y), name, font=font, fill=TEXT, anchor="lm")
        x += width + 3 * gap


def _draw_panel(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], base: str,
                history: Mapping[str, Sequence[float]]) -> None:
    """One metric's axes, grid, ticks and its training and validation lines inside `box`."""
    font, title_font = _font(12), _font(14)
    series = [(points, colour) for points, colour in ((finite_series(history, base), ACCENT),
                                                      (finite_series(history, f"val_{base}"), VALIDATION)) if points]
    values = [value for points, _ in series for _, value in points]
    epochs = max(epoch for points, _ in series for epoch, _ in points)
    ticks = _nice_ticks(min(values), max(values))
    labels = [_tick_label(tick, ticks) for tick in ticks]
    left = box[0] + _px(14) + max(_text_width(font, label) for label in labels)
    top, right, bottom = box[1] + _px(30), box[2] - _px(20), box[3] - _px(40)
    draw.text(((left + right) // 2, box[1] + _px(14)), base.replace("_", " ").capitalize(), font=title_font, fill=TEXT,
              anchor="mm")
    draw.text(((left + right) // 2, box[3] - _px(10)), "Epoch", font=font, fill=MUTED, anchor="mm")

    def x_of(epoch: float) -> float:
        return left + (right - left) * ((epoch - 1) / (epochs - 1) if epochs > 1 else 0.5)

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * (value - ticks[0]) / (ticks[-1] - ticks[0])

    for tick, label in zip(ticks, labels, strict=True):
        y = round(y_of(tick))
        draw.line((left, y, right, y), fill=BORDER, width=max(1, _px(0.5)))
        draw.text((left - _px(6), y), label, font=font, fill=MUTED, anchor="rm")
    for epoch in _epoch_ticks(epochs):
        x = round(x_of(epoch))
        draw.line((x, bottom, x, bottom + _px(4)), fill=MUTED, width=max(1, _px(0.5)))
        draw.text((x, bottom + _px(6)), str(epoch), font=font, fill=MUTED, anchor="mt")
    draw.line((left, bottom, right, bottom), fill=MUTED, width=max(1, _px(0.5)))
    radius = _px(2.5)
    for points, colour in series:
        xy = [(x_of(epoch), y_of(value)) for epoch, value in points]
        if len(xy) > 1:
            draw.line(xy, fill=colour, width=_px(2), joint="curve")
        for centre_x, centre_y in xy:
            draw.ellipse((centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius), fill=colour)


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` round values (steps of 1, 2 or 5 times a power of ten) that span low..high."""
    if high - low < 1e-12:
        spread = abs(high) * 0.05 or 0.05
        low, high = low - spread, high + spread
    raw_step = (high - low) / max(1, count - 1)
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(magnitude * factor for factor in (1, 2, 5, 10) if magnitude * factor >= raw_step)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    return [first + index * step for index in range(round((last - first) / step) + 1)]


def _tick_label(value: float, ticks: Sequence[float]) -> str:
    """As many decimals as the step between ticks needs (steps are 1, 2 or 5 times a power of ten)."""
    decimals = max(0, -math.floor(math.log10(ticks[1] - ticks[0]) + 1e-9))
    return f"{value:.{decimals}f}"


def _epoch_ticks(epochs: int) -> list[int]:
    """Whole epochs, at most about ten of them, always including the first and the last."""
    step = max(1, math.ceil(epochs / 10))
    ticks = list(range(1, epochs + 1, step))
    if ticks[-1] != epochs:
        if epochs - ticks[-1] < step / 2:
            ticks.pop()
        ticks.append(epochs)
    return ticks
