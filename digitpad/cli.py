"""The `digitpad` command: the GUI with no arguments, and train/evaluate/predict/compare/models.

Every user error (missing or corrupt file, bad data, wrong model) ends with exit code 2 and
one line on stderr; `--debug` shows the traceback instead. TensorFlow is imported only by the
subcommands that need it, so `predict` and `evaluate` answer without its 3-8 s import.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import digitpad
from digitpad.commands import crossval, desktop, export, lr_find, tune
from digitpad.commands.common import EXIT_USER_ERROR, add_model_option, json_text, load_predictor, one_line
from digitpad.commands.training_options import (
    add_data_option,
    add_training_options,
    fraction,
    positive_int,
    training_spec,
)
from digitpad.core.errors import DigitpadError

if TYPE_CHECKING:
    from digitpad.core.datasets import Dataset
    from digitpad.core.digit_store import DigitStore
    from digitpad.core.inference import Predictor
    from digitpad.core.workflows import TrainedModel



def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0].startswith("-platform") or args_list == ["gui"]:
        return _run_gui(args_list[1:] if args_list[:1] == ["gui"] else args_list)
    parser = _build_parser()
    args = parser.parse_args(args_list)
    if args.command is None:
        return _run_gui([])
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        return args.handler(args)
    except (DigitpadError, OSError) as error:
        if args.debug:
            traceback.print_exc()
        print(f"digitpad: error: {one_line(error)}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("digitpad: interrupted", file=sys.stderr)
        return 130


def _run_gui(qt_args: list[str]) -> int:
    from digitpad.gui.app import main as gui_main

    return gui_main(qt_args)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digitpad",
        description="Draw a digit and watch a neural network read it. "
        "Without a command, digitpad opens its window.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument("--version", action="version", version=f"digitpad {digitpad.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", help="open the window (the default)")
    gui.set_defaults(handler=lambda _args: _run_gui([]))

    train = commands.add_parser("train", help="train a model and save it as .keras")
    add_training_options(train, arch_file=True)
    train.add_argument("--validation-split", type=fraction, default=0.1)
    train.add_argument("--early-stopping", type=positive_int, metavar="PATIENCE",
                       help="stop after PATIENCE epochs without val_loss improvement, keep the best weights")
    train.add_argument("--out", required=True, type=Path, help="where to save the model (.keras)")
    train.add_argument("--tensorboard", type=Path, metavar="DIR",
                       help="also write TensorBoard logs (Keras' callback), in a new folder inside DIR")
    train.set_defaults(handler=_cli_train)

    default_model = commands.add_parser(
        "default-model", help="make the shipped model from MNIST's 60,000 training digits (about half an hour)"
    )
    default_model.add_argument("--mnist", type=Path, default=None, metavar="FILE",
                               help="the 60,000 MNIST training digits as .npz (default: Keras' download)")
    default_model.add_argument("--out", type=Path, default=None, metavar="PATH",
                               help="where to save the model (default: the one digitpad ships)")
    default_model.add_argument("--epochs", type=int, default=None,
                               help="training epochs (default: the recipe's)")
    default_model.set_defaults(handler=_cli_default_model)

    finetune = commands.add_parser(
        "finetune", help="teach a model your handwriting from your stored digits, and save it as .keras"
    )
    finetune.add_argument("--from", dest="parent", metavar="MODEL",
                          help="a library model's name or a .keras file (default: the shipped model)")
    finetune.add_argument("--out", required=True, type=Path, help="where to save the model (.keras)")
    finetune.add_argument("--epochs", type=positive_int, default=None, help="default: the recipe's")
    finetune.add_argument("--json", action="store_true", help="print one JSON object")
    finetune.set_defaults(handler=_cli_finetune)

    evaluate = commands.add_parser("evaluate", help="accuracy, loss, confusion, precision/recall/F1")
    add_model_option(evaluate)
    add_data_option(evaluate)
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.add_argument("--report", type=Path, metavar="DIR",
                          help="also write a report to share: DIR/index.html with its pictures")
    evaluate.set_defaults(handler=_cli_evaluate)

    explain = commands.add_parser("explain", help="show which strokes of each image drove the model's answer")
    add_model_option(explain)
    explain.add_argument("--json", action="store_true",
                         help="print one JSON object per image: the 28x28 input and its saliency map")
    explain.add_argument("--out", type=Path, metavar="DIR", help="write a PNG overlay per image into DIR")
    explain.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    explain.set_defaults(handler=_cli_explain)

    predict = commands.add_parser("predict", help="read digits from image files (PNG, JPEG, BMP)")
    add_model_option(predict)
    predict.add_argument("--json", action="store_true", help="print one JSON object per image")
    predict.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    predict.set_defaults(handler=_cli_predict)

    compare = commands.add_parser("compare", help="several models side by side on the same data")
    compare.add_argument("models", nargs="+", type=Path, metavar="MODEL")
    add_data_option(compare)
    compare.add_argument("--json", action="store_true", help="print one JSON object")
    compare.set_defaults(handler=_cli_compare)

    models = commands.add_parser("models", help="your model library: list, import, rename, delete")
    models.add_argument("--json", action="store_true", help="list as one JSON array")
    models.set_defaults(handler=_cli_models)
    actions = models.add_subparsers(dest="models_command", metavar="ACTION")
    import_model = actions.add_parser("import", help="copy a .keras file into the library")
    import_model.add_argument("path", type=Path, metavar="PATH")
    import_model.add_argument("--name", help="the name in the library (default: the file's name)")
    import_model.set_defaults(handler=_cli_models_import)
    rename = actions.add_parser("rename", help="rename a model of the library")
    rename.add_argument("name", metavar="NAME")
    rename.add_argument("new_name", metavar="NEW")
    rename.set_defaults(handler=_cli_models_rename)
    delete = actions.add_parser("delete", help="delete a model of the library")
    delete.add_argument("name", metavar="NAME")
    delete.set_defaults(handler=_cli_models_delete)

    digits = commands.add_parser("digits", help="your own digits, kept for fine-tuning: list, import, export")
    digits.add_argument("--json", action="store_true", help="list as one JSON object")
    digits.set_defaults(handler=_cli_digits_list)
    digit_actions = digits.add_subparsers(dest="digits_command", metavar="ACTION")
    list_digits = digit_actions.add_parser("list", help="how many digits of each label are stored, and where")
    list_digits.add_argument("--json", action="store_true", help="print one JSON object")
    list_digits.set_defaults(handler=_cli_digits_list)
    import_digits = digit_actions.add_parser(
        "import", help="add the digits of a folder (subfolders 0-9 of images, or IDX files) or an .npz (x/y)"
    )
    import_digits.add_argument("path", type=Path, metavar="PATH")
    import_digits.set_defaults(handler=_cli_digits_import)
    export_digits = digit_actions.add_parser("export", help="write your digits as .npz, a folder of PNGs or IDX")
    export_digits.add_argument("--out", required=True, type=Path, metavar="PATH",
                               help="a .npz file, or a folder (PNGs in subfolders 0-9, or IDX files)")
    export_digits.add_argument("--format", choices=("npz", "png", "idx"),
                               help="default: npz for a name ending in .npz, else a folder of PNGs")
    export_digits.set_defaults(handler=_cli_digits_export)
    for command in (lr_find, crossval, tune, export, desktop):
        command.register(commands)
    return parser


def _cli_train(args: argparse.Namespace) -> int:
    from digitpad.console import TrainingProgressPrinter
    from digitpad.core.atomic import check_output_path
    from digitpad.core.datasets import image_warnings, load_dataset
    from digitpad.core.tensorflow_runtime import import_tensorflow
    from digitpad.core.training import check_tensorboard
    from digitpad.core.workflows import train_evaluate_save

    check_output_path(args.out, ".keras")  # before minutes of training, not after
    if args.tensorboard is not None:
        check_tensorboard(args.tensorboard)
    build, architecture = _architecture_file_builder(args)  # a bad file is reported before the data loads
    dataset = load_dataset(args.data)
    import_tensorflow()
    for note in [*dataset.notes, *image_warnings(dataset.x_train)]:
        print(f"digitpad: note: {note}", file=sys.stderr)
    spec = training_spec(args, validation_split=args.validation_split, early_stopping=args.early_stopping)
    printer = TrainingProgressPrinter(sys.stderr)
    try:
        result = train_evaluate_save(dataset, spec, args.out, progress=printer, tensorboard_dir=args.tensorboard,
                                     build=build, architecture=architecture)
    finally:
        printer.finish()
    _record_run(result, args.out)
    if result.run.tensorboard_dir is not None:
        print(f"TensorBoard logs in {result.run.tensorboard_dir} (tensorboard --logdir {args.tensorboard})",
              file=sys.stderr)
    evaluation = result.evaluation
    print(
        f"Saved {args.out} ({result.run.keras_model.count_params():,} parameters, "
        f"{result.run.duration_s:.1f} s). Test accuracy {evaluation.accuracy:.2%}, "
        f"loss {evaluation.loss:.4f}, macro F1 {evaluation.macro_f1:.4f}."
    )
    return 0


def _architecture_file_builder(args: argparse.Namespace) -> tuple[Callable[[], Any] | None, dict[str, Any] | None]:
    """For `--arch-file`: a builder of the file's network, checked now, and how the saved model
    describes it; (None, None) for the named architectures."""
    if args.arch_file is None:
        return None, None
    from functools import partial

    from digitpad.core.architecture_file import build_from_file

    if args.dropout or args.batch_norm or args.augment:
        raise DigitpadError("--dropout, --batch-norm and --augment apply to the named architectures; "
                            "an architecture file holds its own layers.")
    build_from_file(args.arch_file)  # every problem of the file, in one line, before training
    path = Path(args.arch_file).resolve()
    return partial(build_from_file, path), {"name": path.stem, "file": str(path)}


def _record_run(trained: TrainedModel, out: Path) -> None:
    """Keep the run in the run log the window lists; a log that cannot be written is a note, the
    model is saved all the same."""
    from digitpad.core.run_log import RunLog

    try:
        RunLog().record(trained, origin="cli", model_path=out)
    except DigitpadError as error:
        print(f"digitpad: note: the run was not recorded: {one_line(error)}", file=sys.stderr)


def _cli_default_model(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from digitpad.console import TrainingProgressPrinter
    from digitpad.core.atomic import check_output_path
    from digitpad.core.datasets import load_mnist_training_set
    from digitpad.core.default_model import RECIPE, VALIDATION_SIZE, make_default_model
    from digitpad.core.model_file import save_model
    from digitpad.core.resources import default_model_path

    out = args.out or default_model_path()
    check_output_path(out, ".keras")  # before half an hour of training, not after
    epochs = RECIPE.training.epochs if args.epochs is None else args.epochs
    recipe = replace(RECIPE, training=replace(RECIPE.training, epochs=epochs))
    x, y = load_mnist_training_set(args.mnist)
    print(f"Training on {len(y) - VALIDATION_SIZE:,} MNIST digits plus {recipe.stroke_copies:,} re-drawn, "
          f"{recipe.style_digits:,} styled, {recipe.scans:,} scanned and {recipe.bold:,} bold ones...",
          file=sys.stderr)
    printer = TrainingProgressPrinter(sys.stderr)
    try:
        trained = make_default_model(x, y, recipe, progress=printer)
        save_model(trained.run.keras_model, out, trained.metadata)
    finally:
        printer.finish()
    _record_run(trained, out)
    calibration = trained.metadata.calibration
    print(
        f"{out}: {trained.run.keras_model.count_params():,} parameters, trained "
        f"{trained.run.epochs_completed} epochs in {trained.run.duration_s:.0f} s; accuracy on the "
        f"{trained.metadata.test_label()} {trained.evaluation.accuracy:.2%}; temperature "
        f"{calibration['temperature']:.3f}, calibration error "
        f"{calibration['ece_before']:.4f} -> {calibration['ece_after']:.4f}."
    )
    return 0


def _cli_finetune(args: argparse.Namespace) -> int:
    import contextlib
    from dataclasses import replace

    from digitpad.console import TrainingProgressPrinter
    from digitpad.core.atomic import check_output_path
    from digitpad.core.digit_store import DigitStore
    from digitpad.core.finetune import FineTuneSettings, finetune
    from digitpad.core.model_file import save_model

    check_output_path(args.out, ".keras")  # before the fine-tune, not after
    parent = _finetune_parent(args.parent)
    store = DigitStore.open()
    try:
        x, y, drawings = store.arrays()
    finally:
        store.close()
    settings = FineTuneSettings()
    if args.epochs is not None:
        settings = replace(settings, epochs=args.epochs)
    printer = TrainingProgressPrinter(sys.stderr)
    try:
        # Keras prints "Downloading data from ..." when it fetches MNIST's test set: stdout keeps
        # only the result, so that --json stays one JSON document.
        with contextlib.redirect_stdout(sys.stderr):
            result = finetune(parent, x, y, drawings, settings, progress=printer)
        trained = result.trained
        save_model(trained.run.keras_model, args.out, replace(trained.metadata, name=args.out.stem))
    finally:
        printer.finish()
    _record_run(trained, args.out)
    for note in trained.dataset.notes:
        print(f"digitpad: note: {note}", file=sys.stderr)
    if args.json:
        print(json_text({"model": str(args.out), "parent": str(parent) if parent else None,
                     "lineage": trained.metadata.lineage, **result.to_dict()}))
        return 0
    rows = ((result.personal_before, result.personal_after), (result.mnist_before, result.mnist_after))
    stopped = " (stopped early)" if result.stopped else ""
    print(f"Fine-tuned {trained.metadata.lineage['parent'] if trained.metadata.lineage else 'the model'} on "
          f"{result.personal_train:,} of your digits and {result.replayed:,} replayed MNIST digits in "
          f"{trained.run.duration_s:.1f} s{stopped}; saved {args.out}.")
    for before, after in rows:
        print(f"  {before.data + f' ({before.count:,})':36s} {before.accuracy:7.2%} -> {after.accuracy:7.2%} "
              f"({100 * (after.accuracy - before.accuracy):+.2f} points)")
    return 0


def _finetune_parent(name: str | None) -> Path | None:
    """--from: a .keras path, else the name of a library model; None for the shipped model."""
    from digitpad.core.library import ModelLibrary

    if name is None:
        return None
    path = Path(name).expanduser()
    if path.suffix == ".keras" or path.exists():
        return path
    library = ModelLibrary()
    candidate = library.path_for(name)
    if not candidate.is_file():
        raise DigitpadError(f"No model named “{name}” in {library.root}, and no file {path}.")
    return candidate


def _cli_evaluate(args: argparse.Namespace) -> int:
    import threading

    from digitpad.console import format_evaluation
    from digitpad.core.model_jobs import evaluate_on_test_set, no_progress

    predictor = load_predictor(args.model)
    outcome = evaluate_on_test_set(args.data, predictor, no_progress, threading.Event())
    for warning in outcome.warnings:
        print(f"digitpad: note: {warning}", file=sys.stderr)
    evaluation = outcome.evaluation
    if args.json:
        print(json_text({"model": str(predictor.path), "data": str(args.data),
                     "test_data": outcome.test_data,
                     "warnings": list(outcome.warnings), **evaluation.to_dict()}))
    else:
        print(format_evaluation(evaluation, title=f"{predictor.path.name} on {outcome.test_label}"))
    if args.report is not None:
        from digitpad.core.report import write_report

        index = write_report(args.report, outcome.evaluated, metadata=predictor.metadata,
                             layers=predictor.layers, num_params=predictor.num_params)
        # stdout keeps only the figures, so that --json stays one JSON document
        print(f"Report written to {index}", file=sys.stderr if args.json else sys.stdout)
    return 0


def _test_set_warnings(dataset: Dataset, predictors: Sequence[Predictor]) -> list[str]:
    """`test_set_warnings`, printed to stderr so that `--json` output stays one JSON document."""
    from digitpad.core.evaluation import test_set_warnings

    warnings = test_set_warnings(dataset, (predictor.metadata for predictor in predictors))
    for warning in warnings:
        print(f"digitpad: note: {warning}", file=sys.stderr)
    return warnings


def _cli_predict(args: argparse.Namespace) -> int:
    from digitpad.core.errors import NothingDrawnError
    from digitpad.core.image_explanations import NOTHING_DRAWN
    from digitpad.core.imageio import read_image
    from digitpad.core.reading import read_probabilities

    predictor = load_predictor(args.model)
    class_names = predictor.class_names
    failures = 0
    for image_path in args.images:
        try:
            probabilities = predictor.predict(read_image(image_path))
        except NothingDrawnError:
            failures += 1
            _print_prediction_failure(args.json, image_path, NOTHING_DRAWN)
            continue
        except DigitpadError as error:
            failures += 1
            _print_prediction_failure(args.json, image_path, one_line(error))
            continue
        reading = read_probabilities(probabilities)
        label = reading.label
        if args.json:
            print(json_text({
                "file": str(image_path),
                "label": label,
                "class_name": class_names[label],
                "confidence": reading.confidence,
                "runner_up": reading.runner_up,
                "runner_up_confidence": reading.runner_up_confidence,
                "unsure": reading.unsure,
                "probabilities": [round(float(p), 6) for p in probabilities],
            }))
        else:
            shown = " ".join(f"{digit}:{p:.3f}" for digit, p in enumerate(probabilities))
            doubt = f", unsure: {class_names[label]} or {class_names[reading.runner_up]}?" if reading.unsure else ""
            print(f"{image_path}: {class_names[label]} ({reading.confidence:.1%}{doubt})  [{shown}]")
    return EXIT_USER_ERROR if failures else 0


def _cli_explain(args: argparse.Namespace) -> int:
    from digitpad.core.explanation import explain_file_record, overlay_png
    from digitpad.core.image_explanations import ExplainedImage, explain_image_files

    predictor = load_predictor(args.model)
    class_names = predictor.class_names
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
    failures = 0
    for outcome in explain_image_files(predictor, args.images):
        if not isinstance(outcome, ExplainedImage):
            failures += 1
            _print_prediction_failure(args.json, outcome.file, outcome.reason)
            continue
        explanation = outcome.explanation
        label = explanation.label
        written = None
        if args.out is not None:
            written = overlay_png(outcome.input, explanation.saliency, args.out / f"{outcome.file.stem}-explained.png")
        if args.json:
            print(json_text(explain_file_record(outcome.file, label, outcome.input, explanation.saliency)))
            continue
        confidence = float(explanation.probabilities[label])
        where = f" -> {written}" if written is not None else ""
        print(f"{outcome.file}: {class_names[label]} ({confidence:.1%}){where}")
        if written is None:
            print(_saliency_text(outcome.input, explanation.saliency))
    return EXIT_USER_ERROR if failures else 0


def _saliency_text(x: Any, saliency: Any) -> str:
    """The map in a terminal: ink as dots, the strokes that drove the answer darker (# strongest),
    those that argued against it as minus signs."""
    import numpy as np

    scale = float(np.abs(saliency).max()) or 1.0
    shades = " .:+*#"
    rows = []
    for input_row, saliency_row in zip(np.asarray(x), np.asarray(saliency) / scale, strict=True):
        characters = []
        for ink, value in zip(input_row, saliency_row, strict=True):
            if value > 0.05:
                characters.append(shades[min(len(shades) - 1, 1 + int(value * (len(shades) - 1)))])
            elif value < -0.05:
                characters.append("-")
            else:
                characters.append("." if ink > 0.3 else " ")
        rows.append("  |" + "".join(characters) + "|")
    return "\n".join(rows)


def _print_prediction_failure(as_json: bool, image_path: Path, message: str) -> None:
    if as_json:
        print(json_text({"file": str(image_path), "error": message}))
    else:
        print(f"digitpad: error: {image_path}: {message}", file=sys.stderr)


def _cli_compare(args: argparse.Namespace) -> int:
    from digitpad.console import format_comparison
    from digitpad.core.comparison import compare_models
    from digitpad.core.datasets import load_test_set
    from digitpad.core.inference import Predictor

    if len(args.models) < 2:
        raise DigitpadError("compare needs at least two models.")
    predictors = [Predictor.load(path) for path in args.models]
    dataset = load_test_set(args.data)
    warnings = _test_set_warnings(dataset, predictors)
    comparison = compare_models(predictors, dataset.x_test, dataset.y_test)
    if args.json:
        print(json_text({"data": str(args.data), "test_data": dataset.test_data, "warnings": warnings,
                     **comparison.to_dict()}))
    else:
        print(format_comparison(comparison, title=dataset.test_label))
    return 0


def _cli_models(args: argparse.Namespace) -> int:
    from digitpad.core.library import ModelLibrary

    library = ModelLibrary()
    entries = library.entries()
    if args.json:
        print(json_text([
            {
                "name": entry.name,
                "path": str(entry.path),
                "file_size": entry.file_size,
                "metadata": entry.metadata.to_dict() if entry.metadata else None,
                "ignored": entry.metadata.ignored if entry.metadata else [],
            }
            for entry in entries
        ]))
        return 0
    if not entries:
        print(f"No models in {library.root} yet: train one with `digitpad train` or in the window.")
        return 0
    print(f"{len(entries)} model(s) in {library.root}:")
    for entry in entries:
        meta = entry.metadata
        description = (
            f"{meta.architecture.get('name', '?')} on {meta.dataset}, "
            + (f"accuracy {meta.accuracy_text()}" if meta.accuracy_text() else "not evaluated")
            if meta else "plain Keras file (no digitpad metadata)"
        )
        if meta is not None and meta.ignored:
            description += f" (left out of its description, wrong kind: {', '.join(meta.ignored)})"
        print(f"  {entry.name:30s} {description}")
    return 0


def _cli_models_import(args: argparse.Namespace) -> int:
    from digitpad.core.library import ModelLibrary

    entry = ModelLibrary().import_file(args.path, name=args.name)
    print(f"Imported {args.path} as “{entry.name}” ({entry.path}).")
    return 0


def _cli_models_rename(args: argparse.Namespace) -> int:
    from digitpad.core.library import ModelLibrary

    entry = ModelLibrary().rename(args.name, args.new_name)
    print(f"Renamed “{args.name}” to “{entry.name}”.")
    return 0


def _cli_models_delete(args: argparse.Namespace) -> int:
    from digitpad.core.library import ModelLibrary

    library = ModelLibrary()
    library.delete(args.name)
    print(f"Deleted “{args.name}” from {library.root}.")
    return 0


def _cli_digits_list(args: argparse.Namespace) -> int:
    with _open_digit_store() as store:
        counts, path = store.counts(), store.path
    total = sum(counts.values())
    if args.json:
        print(json_text({"total": total, "per_label": {str(label): count for label, count in counts.items()},
                     "path": str(path)}))
        return 0
    if not total:
        print(f"No digits in {path} yet: correct a reading in the window, or `digitpad digits import PATH`.")
        return 0
    print(f"{total:,} digit(s) in {path}:")
    print("  label " + " ".join(f"{label:>5}" for label in counts))
    print("  count " + " ".join(f"{count:>5,}" for count in counts.values()))
    return 0


def _cli_digits_import(args: argparse.Namespace) -> int:
    from digitpad.core.digit_exchange import import_digits

    with _open_digit_store() as store:
        report = import_digits(store, args.path)
        total = store.total()
    print(f"Added {report.added:,} digit(s) from {args.path}; {total:,} stored now.")
    if report.skipped:
        print(f"Skipped {len(report.skipped):,}:", file=sys.stderr)
        for entry, reason in report.skipped:
            print(f"  {entry}: {reason}", file=sys.stderr)
    # Nothing usable at all is the user's error, as a missing file is; a few bad files are not.
    return EXIT_USER_ERROR if report.skipped and not report.added else 0


def _cli_digits_export(args: argparse.Namespace) -> int:
    from digitpad.core.digit_exchange import export_digits

    with _open_digit_store() as store:
        count = export_digits(store, args.out, format=args.format)
    print(f"Exported {count:,} digit(s) to {args.out}.")
    return 0


def _open_digit_store() -> DigitStore:
    """The store, with a note on stderr when a damaged file had to be moved aside."""
    from digitpad.core.digit_store import DigitStore

    store = DigitStore.open()
    if store.set_aside is not None:
        print(f"digitpad: note: your digits file was damaged; it was moved to {store.set_aside} "
              "and a new one started.", file=sys.stderr)
    return store
