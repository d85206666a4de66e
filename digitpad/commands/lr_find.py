"""`digitpad lr-find`: the learning-rate range test of `digitpad.core.lr_finder` for a named
architecture or an architecture file, its suggestion with the rule that chose it."""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digitpad.commands.common import json_text
from digitpad.commands.training_options import add_arch_option, positive_int

if TYPE_CHECKING:
    from digitpad.core.lr_finder import LrFinderResult

TABLE_ROWS = 12  # enough to see the fall and the climb in a terminal


def register(commands: Any) -> None:
    """Add `lr-find` to the `digitpad` subcommands."""
    from digitpad.core.lr_finder import DEFAULT_BATCHES, DEFAULT_MAX_LR, DEFAULT_MIN_LR
    from digitpad.core.training import OPTIMIZERS

    parser = commands.add_parser(
        "lr-find",
        help="learning-rate range test: sweep the rate over a few hundred batches and suggest one",
        description=f"Train a fresh network for {DEFAULT_BATCHES} batches while the learning rate grows from "
        f"{DEFAULT_MIN_LR:g} to {DEFAULT_MAX_LR:g}, and suggest a rate from the loss.",
    )
    parser.add_argument(
        "--data", required=True, metavar="SRC",
        help="mnist, fashion-mnist, a .npz file, an IDX directory or a folder of images with subfolders 0-9",
    )
    network = parser.add_mutually_exclusive_group(required=True)
    add_arch_option(network, default=None)
    network.add_argument("--arch-file", type=Path, metavar="FILE",
                         help="an architecture as Keras model JSON (model.to_json())")
    parser.add_argument("--optimizer", default="adam", choices=OPTIMIZERS,
                        help="the optimizer the rate is for (default: adam, as train's)")
    parser.add_argument("--batch-size", type=positive_int, default=64, help="as train's (default: 64)")
    parser.add_argument("--json", action="store_true",
                        help='print one JSON object: {"learning_rates", "losses", "smoothed", "suggested", "rule"}')
    parser.set_defaults(handler=_cli_lr_find)


def _cli_lr_find(args: argparse.Namespace) -> int:
    from digitpad.core.architecture_file import build_from_file
    from digitpad.core.architecture_store import named_architecture
    from digitpad.core.architectures import build_model
    from digitpad.core.lr_finder import LrFinderProgress, find_learning_rate
    from digitpad.core.tensorflow_runtime import import_tensorflow

    if args.arch_file is not None:
        build = partial(build_from_file, args.arch_file)
        network = str(args.arch_file)
    else:
        build = partial(build_model, named_architecture(args.arch))
        network = args.arch
    import_tensorflow()

    def announce(report: LrFinderProgress) -> None:
        # Once the network is built and the data loaded: their errors come first, alone.
        if report.batch == 1:
            print(f"Sweeping the learning rate of {network} ({args.optimizer}, up to {report.batches} "
                  f"batches of {args.batch_size})…", file=sys.stderr)

    result = find_learning_rate(args.data, build, optimizer=args.optimizer, batch_size=args.batch_size,
                                progress=announce)
    if args.json:
        print(json_text({"learning_rates": list(result.learning_rates), "losses": list(result.losses),
                         "smoothed": list(result.smoothed), "suggested": result.suggested, "rule": result.rule}))
    else:
        print(format_result(result))
    return 0


def format_result(result: LrFinderResult) -> str:
    """The suggestion with its rule, how the sweep went, and a short table of the curve."""
    from digitpad.core.lr_finder import EXPLODED_FACTOR

    ending = f"the loss passed {EXPLODED_FACTOR:g}x its lowest" if result.exploded else "the last rate"
    lines = [
        f"Suggested learning rate: {result.suggested:.2g} ({result.rule}).",
        f"Swept {result.learning_rates[0]:.0e} to {result.learning_rates[-1]:.2g} over {len(result.losses)} "
        f"batches of {result.batch_size} ({result.optimizer}, until {ending}) in {result.duration_s:.1f} s.",
        f"  {'learning rate':>13}  {'loss':>8}  {'smoothed':>8}",
    ]
    count = len(result.losses)
    shown = sorted({round(i * (count - 1) / (TABLE_ROWS - 1)) for i in range(TABLE_ROWS)})
    for index in shown:
        lines.append(f"  {result.learning_rates[index]:13.2e}  {result.losses[index]:8.4f}  "
                     f"{result.smoothed[index]:8.4f}")
    return "\n".join(lines)
