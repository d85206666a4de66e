"""digitpad's colours, for the window and for the pictures of a shared report alike.

The engine draws report figures without Qt, and the window's style sheets are built from the
same names (`digitpad.gui.style` imports them), so a right answer is the same blue and a
mistake the same red wherever a person sees it.
"""

from __future__ import annotations

import numpy as np

ACCENT = "#2563eb"          # top class, right answers (the confusion matrix's diagonal), primary buttons
TEXT = "#0f172a"
MUTED = "#64748b"
SURFACE = "#ffffff"
BORDER = "#e2e8f0"
ERROR = "#dc2626"           # wrong answers (confusion matrix off the diagonal, a mistake's frame)
VALIDATION = "#ea580c"      # the validation curve

# How strongly a confusion-matrix cell is tinted, from its share of the row (the true class):
# right answers need most of a row to look strong; any mistake shows, even one in a thousand.
DIAGONAL_GAIN = 0.8
MISTAKE_GAIN = 4.0
MISTAKE_TINT = 0.15
MAX_OPACITY = 0.85


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """"#2563eb" -> (37, 99, 235)."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def confusion_cell_colours(confusion: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rgb, opacity) of every cell: (n, n, 3) uint8 colours laid over white paper (printers
    have no alpha) and each cell's (n, n) opacity. The window's heatmap and the report's
    picture both use it, so the same matrix looks the same in both."""
    counts = np.asarray(confusion, dtype=np.float64)
    totals = counts.sum(axis=1, keepdims=True)
    share = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    diagonal = np.eye(len(counts), dtype=bool)
    mistake = np.where(share > 0, MISTAKE_TINT + MISTAKE_GAIN * share, 0.0)
    opacity = np.minimum(1.0, np.where(diagonal, DIAGONAL_GAIN * share, mistake)) * MAX_OPACITY
    tint = np.where(diagonal[..., None], np.array(hex_rgb(ACCENT), float), np.array(hex_rgb(ERROR), float))
    rgb = 255.0 * (1.0 - opacity[..., None]) + tint * opacity[..., None]
    return np.clip(rgb + 0.5, 0, 255).astype(np.uint8), opacity
