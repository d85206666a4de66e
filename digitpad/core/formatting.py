"""How numbers read to people, shared by the window and the console so both say the same thing.

Plain functions of plain values (no Qt, no Keras): a duration, a time left, a percentage, a
count, a file size, a tensor shape. Missing values read as an em dash rather than "None".
"""

from __future__ import annotations

from collections.abc import Sequence

MISSING = "—"


def format_duration(seconds: float | None) -> str:
    """A duration that has passed: "4.2 s", "3 min 07 s", "1 h 05 min"."""
    if seconds is None:
        return MISSING
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, whole_seconds = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {whole_seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def format_seconds(seconds: float | None) -> str:
    """Time still to go, or that it is not known yet (the first batches have no rate)."""
    if seconds is None:
        return "estimating time left"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s left"
    minutes, whole = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}:{whole:02d} left"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min left"


def format_percent(fraction: float | None, decimals: int = 2) -> str:
    """A fraction in [0, 1] as "97.25 %" (the space is the SI and the app's convention)."""
    return MISSING if fraction is None else f"{100 * fraction:.{decimals}f} %"


def accuracy_text(accuracy: float) -> str:
    """An accuracy as the window shows it everywhere: two decimals, never missing."""
    return format_percent(accuracy)


def format_count(count: int | None) -> str:
    """A count with thousands separators: "60,000"."""
    return MISSING if count is None else f"{count:,}"


def format_size(size: int) -> str:
    """A file size in B, KB or MB (binary units, as file managers show them)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def format_shape(shape: Sequence[int | None]) -> str:
    """A layer's output shape without the batch axis: "28 × 28 × 1"; unknown sizes read "?"."""
    dims = list(shape[1:]) if shape and shape[0] is None else list(shape)
    return " × ".join("?" if d is None else str(d) for d in dims)
