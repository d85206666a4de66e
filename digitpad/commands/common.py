"""What every `digitpad` command does the same way: strict JSON, one-line errors, exit codes,
and the model notes that go to stderr so that `--json` output stays one document per line."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from digitpad.core.inference import Predictor

EXIT_USER_ERROR = 2


def json_text(value: Any) -> str:
    """Strict JSON: a NaN or infinite number (a diverged model's loss) becomes null, never the
    bare NaN that Python's json module writes and other parsers reject."""

    def finite(item: Any) -> Any:
        if isinstance(item, float) and not math.isfinite(item):
            return None
        if isinstance(item, dict):
            return {key: finite(v) for key, v in item.items()}
        if isinstance(item, list | tuple):
            return [finite(v) for v in item]
        return item

    return json.dumps(finite(value), allow_nan=False)


def one_line(error: BaseException) -> str:
    """An error as one line for stderr: a file error names its file."""
    if isinstance(error, OSError) and error.filename:
        return f"{error.filename}: {error.strerror or error}"
    return " ".join(str(error).split())


def note(text: str) -> None:
    """A remark for the user on stderr ("digitpad: note: ...")."""
    print(f"digitpad: note: {text}", file=sys.stderr)


def load_predictor(path: Path | None) -> Predictor:
    """The model (None: the shipped one), its warnings (such as a model that rescales its own
    input) on stderr."""
    from digitpad.core.inference import Predictor

    predictor = Predictor.load(path)
    for warning in predictor.warnings:
        note(warning)
    return predictor


def add_model_option(parser: argparse.ArgumentParser) -> None:
    """--model, as every command that reads one model takes it."""
    parser.add_argument("--model", type=Path, metavar="PATH",
                        help="a .keras model (default: the model shipped with digitpad)")
