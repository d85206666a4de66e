"""Where digitpad keeps a person's things: models, digits, runs, TensorBoard logs.

One place answers "which folder?" so every store follows the XDG base-directory rules the same
way, and each can still be moved by its own environment variable (tests, shared machines).
"""

from __future__ import annotations

import os
from pathlib import Path


def user_data_dir() -> Path:
    """$XDG_DATA_HOME/digitpad, else ~/.local/share/digitpad. A relative XDG_DATA_HOME is ignored,
    as the XDG specification says."""
    data_home = os.environ.get("XDG_DATA_HOME")
    base = Path(data_home) if data_home and os.path.isabs(data_home) else Path.home() / ".local" / "share"
    return base / "digitpad"


def configured_or(variable: str, default: Path) -> Path:
    """The path in environment `variable` when set (with ~ expanded), else `default`."""
    configured = os.environ.get(variable)
    return Path(configured).expanduser() if configured else default
