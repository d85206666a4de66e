"""`digitpad export`: a model as ONNX, LiteRT or a TensorFlow SavedModel for other programs,
checked against digitpad's own answers on real digits (see `digitpad.core.export`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from digitpad.commands.common import add_model_option, json_text, note


def register(commands: Any) -> None:
    """Add `export` to the `digitpad` subcommands (`commands` is argparse's subparsers object)."""
    from digitpad.core.export import EXPORT_FORMATS

    export = commands.add_parser(
        "export", help="write a model as ONNX, LiteRT or a TensorFlow SavedModel, checked against digitpad"
    )
    add_model_option(export)
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    export.add_argument("--out", required=True, type=Path, metavar="PATH",
                        help="a .onnx or .tflite file, or a new folder for a SavedModel")
    export.add_argument("--json", action="store_true", help="print one JSON object")
    export.set_defaults(handler=_cli_export)


def _cli_export(args: argparse.Namespace) -> int:
    from digitpad.core.export import FORMAT_NAMES, TOLERANCE, export_model
    from digitpad.core.formatting import format_duration, format_size

    result = export_model(args.model, args.format, args.out)
    if not result.within_tolerance:
        note(
            f"the export's answers differ from digitpad's by up to {result.max_abs_difference:.2g} "
            f"(more than {TOLERANCE:g}): check it before relying on it."
        )
    if args.json:
        print(json_text(result.to_dict()))
        return 0
    print(
        f"Exported {result.model.name} as {FORMAT_NAMES[result.format]} to {result.out} "
        f"({format_size(result.bytes)}, {format_duration(result.seconds)})."
    )
    print(
        f"On {result.images:,} validation digits, its probabilities differ from digitpad's "
        f"by at most {result.max_abs_difference:.2g}."
    )
    return 0
