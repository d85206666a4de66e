"""How numbers read to people, shared by the window and the console so both say the same thing.

Plain functions of plain values (no Qt, no Keras): a duration, a time left, a percentage, a
count, a file size, a tensor shape, a fine-tuned model's lineage. Missing values read as an em dash rather than "None".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeGuard

MISSING = "—"

DecimalFormat = Callable[[float, int], str]


def plain_decimal(value: float, decimals: int) -> str:
    """A number with a decimal point, as the console writes it (the window passes its locale's)."""
    return f"{value:.{decimals}f}"


def format_duration(seconds: float | None, decimal: DecimalFormat = plain_decimal) -> str:
    """A duration that has passed: "4.2 s", "3 min 07 s", "1 h 05 min"."""
    if seconds is None:
        return MISSING
    if seconds < 60:
        return f"{decimal(seconds, 1)} s"
    minutes, whole_seconds = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {whole_seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def format_seconds(seconds: float | None) -> str:
    """Time still to go, or that it is not known yet (the first batches have no rate)."""
    return "estimating time left" if seconds is None else f"{format_time_left(seconds)} left"


def format_time_left(seconds: float) -> str:
    """The amount in `format_seconds`, without its words (the window translates them): "42 s", "3:07"."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, whole = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}:{whole:02d}"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def format_percent(fraction: float | None, decimals: int = 2, decimal: DecimalFormat = plain_decimal) -> str:
    """A fraction in [0, 1] as "97.25 %" (the space is the SI and the app's convention)."""
    return MISSING if fraction is None else f"{decimal(100 * fraction, decimals)} %"


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


def describe_lineage(lineage: Mapping[str, Any]) -> list[str]:
    """A fine-tuned model's origin in a few lines: its parent and what it learnt from, then each
    accuracy before and after, named by the data it was measured on. Keys a file lacks (or holds
    in the wrong kind) are left out rather than guessed."""
    lines: list[str] = []
    parent = lineage.get("parent")
    if isinstance(parent, str) and parent:
        learnt = [f"{lineage['personal_digits']:,} of your digits"
                  if _is_count(lineage.get("personal_digits")) else ""]
        if _is_count(lineage.get("personal_variants")) and lineage["personal_variants"]:
            learnt.append(f"{lineage['personal_variants']:,} re-drawn variants of them")
        if _is_count(lineage.get("replayed_digits")):
            learnt.append(f"{lineage['replayed_digits']:,} replayed MNIST digits")
        learnt = [part for part in learnt if part]
        lines.append(f"Fine-tuned from {parent}" + (f" on {', '.join(learnt)}" if learnt else ""))
    for before_key, after_key in (("personal_before", "personal_after"), ("mnist_before", "mnist_after")):
        before, after = lineage.get(before_key), lineage.get(after_key)
        if _is_score(before) and _is_score(after):
            lines.append(f"{before['data']} ({before['count']:,}): "
                         f"{accuracy_text(before['accuracy'])} → {accuracy_text(after['accuracy'])}")
    if lineage.get("stopped") is True:
        lines.append("Stopped early: the weights learnt until then were kept")
    return lines


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_score(value: Any) -> TypeGuard[Mapping[str, Any]]:
    return (isinstance(value, Mapping) and isinstance(value.get("data"), str) and _is_count(value.get("count"))
            and isinstance(value.get("accuracy"), int | float) and not isinstance(value.get("accuracy"), bool))


def describe_architecture(architecture: dict[str, Any]) -> str:
    parts = [str(architecture.get("name", "custom"))]
    dropout = architecture.get("dropout") or 0
    if dropout:
        parts.append(f"dropout {dropout:g}")
    if architecture.get("batch_norm"):
        parts.append("batch normalization")
    if architecture.get("augment"):
        parts.append(
            "augmentation (rotation {:g}, shift {:g}, zoom {:g})".format(
                architecture.get("rotation", 0), architecture.get("shift", 0), architecture.get("zoom", 0)
            )
        )
    return " · ".join(parts)


def describe_hyperparameters(hyperparameters: dict[str, Any]) -> str:
    """One readable line; keys this version does not know are still shown, as key: value."""
    known = {"architecture", "optimizer", "learning_rate", "epochs", "batch_size", "validation_split",
             "early_stopping", "seed", "lr_schedule"}
    parts: list[str] = []
    if "optimizer" in hyperparameters:
        optimizer = str(hyperparameters["optimizer"])
        rate = hyperparameters.get("learning_rate")
        parts.append(optimizer if rate is None else f"{optimizer}, learning rate {rate:g}")
    if hyperparameters.get("lr_schedule", "constant") != "constant":
        parts.append(f"{hyperparameters['lr_schedule']} schedule")
    if "epochs" in hyperparameters:
        parts.append(f"{hyperparameters['epochs']} epochs")
    if "batch_size" in hyperparameters:
        parts.append(f"batch {hyperparameters['batch_size']}")
    if hyperparameters.get("validation_split"):
        parts.append(f"{100 * hyperparameters['validation_split']:g} % validation")
    if hyperparameters.get("early_stopping"):
        parts.append(f"early stopping (patience {hyperparameters['early_stopping']})")
    if "seed" in hyperparameters:
        parts.append(f"seed {hyperparameters['seed']}")
    parts.extend(f"{key}: {value}" for key, value in hyperparameters.items() if key not in known)
    return " · ".join(parts) if parts else "—"


def describe_calibration(calibration: dict[str, Any]) -> str:
    """Temperature scaling in one line, with the data it was fitted on; "—" for uncalibrated models."""
    temperature = metric_value(calibration, "temperature")
    if temperature is None:
        return "—"
    text = f"temperature {temperature:.2f}"
    before, after = metric_value(calibration, "ece_before"), metric_value(calibration, "ece_after")
    if before is not None and after is not None:
        text += f", calibration error {before:.4f} → {after:.4f}"
    fitted_on = calibration.get("fitted_on")
    return f"{text} ({fitted_on})" if isinstance(fitted_on, str) and fitted_on else text


def metric_value(metrics: Mapping[str, Any], key: str) -> float | None:
    """A number stored in a model's description, or None when missing or of the wrong kind."""
    value = metrics.get(key)
    return float(value) if isinstance(value, (int, float)) else None
