"""`digitpad crossval --folds K ...`: k-fold cross-validation of a training recipe, per fold and
mean ± standard deviation.

It takes the training options of `digitpad train` (`digitpad.commands.training_options`, so
both commands read a recipe alike). Progress goes to stderr, so stdout keeps only
the result and `--json` stays one JSON document. TensorFlow is imported only by the handler.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from digitpad.commands.common import json_text, note
from digitpad.commands.training_options import add_training_options, training_spec

if TYPE_CHECKING:
    from digitpad.console import TrainingProgressPrinter
    from digitpad.core.crossval import CrossValidation, FoldProgress

DEFAULT_FOLDS = 5


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `crossval` to the `digitpad` command's subparsers."""
    crossval = commands.add_parser(
        "crossval", help="k-fold cross-validation: train K times, each fold held out once; mean ± std"
    )
    crossval.add_argument("--folds", type=at_least_two, default=DEFAULT_FOLDS, metavar="K",
                          help=f"how many folds the training images are dealt into (default: {DEFAULT_FOLDS})")
    add_training_options(crossval)
    crossval.add_argument("--json", action="store_true", help="print one JSON object")
    crossval.set_defaults(handler=run)


def at_least_two(text: str) -> int:
    """A fold count: one fold would leave nothing to train on."""
    value = int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"must be at least 2, got {value}")
    return value


def run(args: argparse.Namespace) -> int:
    """Load the data, cross-validate, print the table (or the JSON object)."""
    from digitpad.console import TrainingProgressPrinter
    from digitpad.core.crossval import cross_validate, sparse_labels, stratified_folds
    from digitpad.core.datasets import image_warnings, load_dataset
    from digitpad.core.tensorflow_runtime import import_tensorflow

    spec = training_spec(args)
    dataset = load_dataset(args.data)
    stratified_folds(dataset.y_train, args.folds, spec.seed)  # too few images: said before TensorFlow loads
    import_tensorflow()
    for text in [*dataset.notes, *image_warnings(dataset.x_train)]:
        note(text)
    sparse = sparse_labels(dataset.y_train, args.folds)
    if sparse:
        note(f"label(s) {', '.join(map(str, sparse))} have fewer images than {args.folds} folds: "
             "some folds will not test them.")
    printer = TrainingProgressPrinter(sys.stderr)
    try:
        result = cross_validate(dataset, spec, args.folds, progress=lambda update: _show(printer, update))
    finally:
        printer.finish()
    if args.json:
        print(json_text(result.to_dict()))
    else:
        print(format_cross_validation(result))
    return 0


def _show(printer: TrainingProgressPrinter, update: FoldProgress) -> None:
    """Each fold's start and result on stderr, its epochs as `digitpad train` shows them."""
    if update.training is not None:
        printer(update.training)
    elif update.result is not None:
        result = update.result
        print(f"fold {update.fold}/{update.folds}: accuracy {result.accuracy:.2%}, loss {result.loss:.4f} "
              f"({result.duration_s:.1f} s)", file=sys.stderr, flush=True)
    else:
        print(f"fold {update.fold}/{update.folds}", file=sys.stderr, flush=True)


def format_cross_validation(result: CrossValidation) -> str:
    """The per-fold table, then the mean ± standard deviation to quote."""
    from digitpad.core.formatting import format_count, format_duration, format_percent

    stopped = f" (stopped: {len(result.folds)} of {result.fold_count} folds)" if result.stopped else ""
    lines = [
        f"{result.fold_count}-fold cross-validation of {result.spec.architecture.name} on {result.data_name} "
        f"({format_count(result.images)} training images), {format_duration(result.duration_s)}{stopped}",
        "",
        f"{'fold':>4} {'held out':>9} {'accuracy':>9} {'loss':>8} {'time':>9}",
    ]
    for fold in result.folds:
        lines.append(f"{fold.index:>4} {format_count(fold.held_out):>9} {format_percent(fold.accuracy):>9} "
                     f"{fold.loss:8.4f} {format_duration(fold.duration_s):>9}")
    lines += ["", f"{result.accuracy_text()}   {result.loss_text()}"]
    return "\n".join(lines)
