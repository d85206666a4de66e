"""`digitpad tune`: a KerasTuner hyperparameter search (`digitpad.core.tuning`) around a training
recipe, its trials as a table (or one JSON object) and the best model saved.

The recipe is read by the options `train` takes (`training_options`); `--vary` says which
hyperparameters the trials change and over what. With KerasTuner's environment variables set
(`KERASTUNER_TUNER_ID`, `KERASTUNER_ORACLE_IP`, `KERASTUNER_ORACLE_PORT`) the same command runs
as the chief of a distributed search or as one of its workers. Progress, and anything KerasTuner
prints, goes to stderr: stdout keeps only the result.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digitpad.commands.common import json_text, note
from digitpad.commands.training_options import add_training_options, fraction, positive_int, training_spec

if TYPE_CHECKING:
    from digitpad.console import TrainingProgressPrinter
    from digitpad.core.tuning import SearchSpace, TuningProgress, TuningResult

DEFAULT_TRIALS = 10
VARY_HELP = (
    "a hyperparameter the trials change, repeatable: learning_rate[=LOW:HIGH[:FACTOR]] (log scale, "
    "default 1e-4:1e-2), dropout[=LOW:HIGH:STEP] (default 0:0.5:0.1), batch_norm (on and off), "
    "optimizer[=adam,sgd,rmsprop], batch_size[=32,64,128]; default: learning_rate"
)
DEFAULT_VARY: dict[str, str] = {
    "learning_rate": "1e-4:1e-2",
    "dropout": "0:0.5:0.1",
    "optimizer": "adam,sgd,rmsprop",
    "batch_size": "32,64,128",
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `tune` to the `digitpad` command's subparsers."""
    from digitpad.core.tuning import ALGORITHMS

    tune = commands.add_parser(
        "tune", help="search hyperparameters with KerasTuner (random, grid or Hyperband) and save the best model"
    )
    add_training_options(tune)
    tune.add_argument("--max-trials", type=positive_int, default=DEFAULT_TRIALS, metavar="N",
                      help=f"at most N trials (default: {DEFAULT_TRIALS})")
    tune.add_argument("--algorithm", choices=ALGORITHMS, default="random", help="KerasTuner's tuner (default: random)")
    tune.add_argument("--vary", action="append", metavar="NAME[=VALUES]", help=VARY_HELP)
    tune.add_argument("--validation-split", type=fraction, default=0.1,
                      help="the share of the training images the trials are compared on (default: 0.1)")
    tune.add_argument("--directory", type=Path, metavar="DIR",
                      help="KerasTuner's working folder (default: a temporary one); distributed runs share one")
    tune.add_argument("--out", type=Path, metavar="PATH",
                      help="save the best model here (default: into your model library)")
    tune.add_argument("--name", help="the best model's name in the library")
    tune.add_argument("--json", action="store_true",
                      help='print one JSON object: {"trials": [...], "best": {"val_accuracy", "path", ...}}')
    tune.set_defaults(handler=run)


def search_space(items: list[str] | None) -> SearchSpace:
    """The `SearchSpace` that the --vary options describe (DigitpadError for a malformed one)."""
    from digitpad.core.errors import DigitpadError
    from digitpad.core.tuning import SearchSpace

    values: dict[str, Any] = {"learning_rate": None}
    for item in items or ["learning_rate"]:
        key, _, text = item.partition("=")
        key = key.strip().replace("-", "_")
        if key == "batch_norm":
            if text:
                raise DigitpadError("--vary batch_norm takes no values: the trials try it on and off.")
            values["batch_norm"] = True
            continue
        if key not in DEFAULT_VARY:
            raise DigitpadError(f"Cannot vary {key!r}; choose among learning_rate, dropout, batch_norm, "
                                "optimizer, batch_size.")
        parts = [part.strip() for part in (text or DEFAULT_VARY[key]).split(":" if ":" in DEFAULT_VARY[key] else ",")]
        try:
            if key == "learning_rate":
                if len(parts) not in (2, 3):
                    raise ValueError
                values["learning_rate"] = (float(parts[0]), float(parts[1]))
                values["learning_rate_factor"] = float(parts[2]) if len(parts) == 3 else None
            elif key == "dropout":
                low, high, step = (float(part) for part in parts)
                values["dropout"] = (low, high, step)
            elif key == "optimizer":
                values["optimizers"] = tuple(parts)
            else:
                values["batch_sizes"] = tuple(int(part) for part in parts)
        except ValueError:
            raise DigitpadError(f"--vary {item}: expected {key}={DEFAULT_VARY[key]} or similar.") from None
    return SearchSpace(**values)


def run(args: argparse.Namespace) -> int:
    """Load the data, search, print the trials (or the JSON object)."""
    from digitpad.console import TrainingProgressPrinter
    from digitpad.core.atomic import check_output_path
    from digitpad.core.datasets import image_warnings, load_dataset
    from digitpad.core.library import ModelLibrary
    from digitpad.core.tensorflow_runtime import import_tensorflow
    from digitpad.core.tuning import CHIEF, role, tune

    space = search_space(args.vary)
    space.check_for(args.algorithm)
    if args.out is not None:
        check_output_path(args.out, ".keras")  # before the search, not after
    base = training_spec(args, validation_split=args.validation_split)
    here = role()
    dataset = load_dataset(args.data)
    import_tensorflow()
    for text in [*dataset.notes, *image_warnings(dataset.x_train)]:
        note(text)
    if here == CHIEF:
        note("serving the search to its workers; the results come when they have run every trial.")
    printer = TrainingProgressPrinter(sys.stderr)
    try:
        with contextlib.redirect_stdout(sys.stderr):  # KerasTuner prints as it pleases
            result = tune(dataset, space, base=base, algorithm=args.algorithm, max_trials=args.max_trials,
                          directory=args.directory, library=None if args.out else ModelLibrary(), out=args.out,
                          name=args.name, progress=lambda update: _show(printer, update))
    finally:
        printer.finish()
    print(json_text(result.to_dict()) if args.json else format_tuning(result))
    return 0


def _show(printer: TrainingProgressPrinter, update: TuningProgress) -> None:
    """Each trial's values, its epochs as `digitpad train` shows them, and its score, on stderr."""
    if update.training is not None:
        printer(update.training)
    elif update.result is not None:
        printer.finish()
        result = update.result
        score = (f"val accuracy {result.val_accuracy:.2%}" if result.val_accuracy is not None
                 else f"failed: {result.message}")
        print(f"trial {update.trial}: {score} ({result.duration_s:.1f} s)", file=sys.stderr, flush=True)
    else:
        print(f"trial {update.trial}/{update.trials}: {_values(update.hyperparameters)}", file=sys.stderr, flush=True)


def _values(hyperparameters: dict[str, Any]) -> str:
    """"learning_rate=0.0021 optimizer=adam": a trial's values on one line."""
    return " ".join(f"{key}={value:.2g}" if isinstance(value, float) else f"{key}={value}"
                    for key, value in hyperparameters.items())


def format_tuning(result: TuningResult) -> str:
    """The trials, best first marked with *, then where the best model went and how it tests."""
    from digitpad.core.formatting import format_duration, format_percent

    stopped = " (stopped)" if result.stopped else ""
    lines = [f"{result.algorithm} search on {result.data_name}: {len(result.trials)} trials, "
             f"{format_duration(result.duration_s)}{stopped}", ""]
    distributed = result.role != "single"
    lines.append(f"  {'trial':>5} {'val accuracy':>12} {'val loss':>8} {'time':>9}{' tuner' if distributed else ''}"
                 "  hyperparameters")
    for trial in sorted(result.trials, key=lambda trial: trial.val_accuracy or -1.0, reverse=True):
        mark = "*" if result.best is not None and trial.number == result.best.number else " "
        loss = "" if trial.val_loss is None else f"{trial.val_loss:.4f}"
        accuracy = format_percent(trial.val_accuracy) if trial.status == "completed" else "failed"
        worker = f" {trial.tuner:>5}" if distributed else ""
        lines.append(f"{mark} {trial.number:>5} {accuracy:>12} {loss:>8} {format_duration(trial.duration_s):>9}"
                     f"{worker}  {_values(trial.hyperparameters)}")
    if result.best is not None and result.test_evaluation is not None:
        lines += ["", f"Best: trial {result.best.number}, saved to {result.best_path}; "
                      f"test accuracy {format_percent(result.test_evaluation.accuracy)} on {result.test_label}."]
    return "\n".join(lines)
