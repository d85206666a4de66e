"""The options every training command takes, read the same way by `train`, `crossval` and the
others: the data, the network, the optimisation, and the checks on their values."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from digitpad.core.training import TrainingSpec


def add_data_option(parser: argparse.ArgumentParser) -> None:
    """--data, as every command that reads a data set takes it."""
    parser.add_argument(
        "--data", default="mnist", metavar="SRC",
        help="mnist, fashion-mnist, a .npz file, an IDX directory or a folder of images "
        "with subfolders 0-9 (default: mnist)",
    )


def add_training_options(parser: argparse.ArgumentParser, *, arch_file: bool = False) -> None:
    """The options that make a training recipe, shared by `train` and `crossval`: --data, --arch
    (or, with `arch_file`, --arch-file instead), --epochs, --batch-size, --optimizer, --lr,
    --augment, --dropout, --batch-norm, --seed."""
    from digitpad.core.training import OPTIMIZERS

    add_data_option(parser)
    network = parser.add_mutually_exclusive_group()
    add_arch_option(network, default="digitpad-cnn")
    if arch_file:
        network.add_argument("--arch-file", type=Path, metavar="FILE.json",
                             help="your own network, as Keras model JSON (model.to_json()): 28x28 input, 10 classes")
    parser.add_argument("--epochs", type=positive_int, default=5)
    parser.add_argument("--batch-size", type=positive_int, default=64)
    parser.add_argument("--optimizer", default="adam", choices=OPTIMIZERS)
    parser.add_argument("--lr", type=positive_float, default=1e-3, help="learning rate")
    parser.add_argument("--augment", action="store_true", help="random rotation, shift and zoom while training")
    parser.add_argument("--dropout", type=fraction, default=0.0)
    parser.add_argument("--batch-norm", action="store_true")
    parser.add_argument("--seed", type=int, default=0)


def add_arch_option(group: argparse._ActionsContainer, *, default: str | None) -> None:
    """--arch NAME: a built-in network, a preset ("Course CNN") or an architecture saved in the
    window's editor, as the window's list names them (`architecture_store.named_architecture`)."""
    from digitpad.core.architectures import ARCHITECTURE_NAMES

    group.add_argument(
        "--arch", default=default, metavar="NAME",
        help=f"{', '.join(ARCHITECTURE_NAMES)}, a preset (\"Course CNN\", \"Course MLP\") or the name of an "
        "architecture you saved in the window" + (f" (default: {default})" if default else ""),
    )


def training_spec(
    args: argparse.Namespace, *, validation_split: float = 0.0, early_stopping: int | None = None
) -> TrainingSpec:
    """The `TrainingSpec` that `add_training_options`' options describe; `train` adds its own
    validation split and early stopping, which cross-validation has no use for."""
    from digitpad.core.architecture_store import named_architecture
    from digitpad.core.training import TrainingSpec

    return TrainingSpec(
        architecture=named_architecture(args.arch, dropout=args.dropout, batch_norm=args.batch_norm,
                                        augment=args.augment),
        optimizer=args.optimizer,
        learning_rate=args.lr,
        epochs=args.epochs,
        batch_size=args.batch_size,
        validation_split=validation_split,
        early_stopping=early_stopping,
        seed=args.seed,
    )


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0, got {value}")
    return value


def fraction(text: str) -> float:
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {value}")
    return value
