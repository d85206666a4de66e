"""Errors whose message is one sentence a user can read.

Every failure caused by the user's input (a file, a drawing, a setting) is raised as a
`DigitpadError` subclass; the CLI prints its message and exits 2, the GUI shows it in a dialog.
Anything else is a bug and keeps its traceback.
"""


class DigitpadError(Exception):
    """A problem with the user's input, explained in one sentence."""


class DataError(DigitpadError):
    """A dataset source is missing, unreadable or malformed."""


class ImageError(DigitpadError):
    """An image file cannot be read as a digit."""


class NothingDrawnError(DigitpadError):
    """The image holds no ink, so there is nothing to recognise."""


class ModelError(DigitpadError):
    """A model file is missing, corrupt, unsafe or of the wrong shape."""


class StorageError(DigitpadError):
    """Saving, renaming or deleting in the model library failed."""
