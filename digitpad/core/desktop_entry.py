"""Put digitpad in the desktop's application menu: a freedesktop `.desktop` file and its icon.

A pip install puts a `digitpad` script on the PATH but nothing in the menu, where people who do
not use a terminal look for programs. The entry follows the Desktop Entry Specification 1.5
(https://specifications.freedesktop.org/desktop-entry-spec/latest/) and the icon the Icon Theme
Specification: `$XDG_DATA_HOME/applications/digitpad.desktop` and
`$XDG_DATA_HOME/icons/hicolor/scalable/apps/digitpad.svg`, both per user, no root needed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from digitpad.core.atomic import atomic_write_text
from digitpad.core.errors import StorageError
from digitpad.core.palette import ACCENT
from digitpad.core.user_dirs import user_data_dir

APP_ID = "digitpad"
SCRIPT_NAME = "digitpad"
DESKTOP_FILE = f"{APP_ID}.desktop"
ICON_FILE = f"{APP_ID}.svg"
ICON_FOLDER = Path("icons") / "hicolor" / "scalable" / "apps"
APPLICATIONS_FOLDER = Path("applications")
# Characters the specification requires an Exec argument to be quoted for.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
# Inside a quoted Exec argument these four are escaped with a backslash.
_ESCAPED_IN_QUOTES = '"`$\\'
_VALUE_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"})


@dataclass(frozen=True)
class InstalledEntry:
    """What `install_desktop_entry` wrote, and the command the menu will run."""

    desktop_file: Path
    icon_file: Path
    command: list[str]


def launch_command(argv0: str | None = None) -> list[str]:
    """How the menu should start digitpad: the absolute path of the running `digitpad` script,
    else (run as `python -m digitpad`, or from a script of another name) this Python with `-m`.

    The running script rather than a PATH lookup, because a menu does not see the shell's PATH
    (a virtual environment's script is usually not on it) and the installing program is the one
    known to work.
    """
    script = Path(sys.argv[0] if argv0 is None else argv0)
    if script.name == SCRIPT_NAME and script.is_file() and os.access(script, os.X_OK):
        return [str(script.absolute())]
    return [str(Path(sys.executable).absolute()), "-m", APP_ID]


def desktop_entry_text(command: Sequence[str]) -> str:
    """The `.desktop` file for launching `command` (an argument list)."""
    exec_line = " ".join(_exec_argument(argument) for argument in command)
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.5",
        "Name=digitpad",
        "GenericName=Handwritten digit recognition",
        "Comment=Draw a digit and watch a neural network read it",
        f"Exec={_escape_value(exec_line)}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Education;Science;",
        "Keywords=digit;handwriting;neural network;MNIST;Keras;",
        "",
    ])


def icon_svg() -> str:
    """The window's icon (`digitpad.gui.style.app_icon`) as SVG: a hand-drawn 7 on an accent tile,
    drawn on the same 0-1 proportions so the menu and the title bar show the same picture."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 100 100">\n'
        f'  <rect width="100" height="100" rx="22" ry="22" fill="{ACCENT}"/>\n'
        '  <polyline points="30,28 70,28 44,76" fill="none" stroke="#ffffff" stroke-width="11"'
        ' stroke-linecap="round" stroke-linejoin="round"/>\n'
        "</svg>\n"
    )


def data_home() -> Path:
    """$XDG_DATA_HOME, else ~/.local/share, as `user_dirs` reads it for digitpad's own data."""
    return user_data_dir().parent


def install_desktop_entry(data_dir: Path | None = None, command: Sequence[str] | None = None) -> InstalledEntry:
    """Write the icon, then the `.desktop` file naming it (atomically: a menu never sees half a
    file), into `data_dir` (default `data_home()`); StorageError naming the file on failure.

    Installing again replaces both, so a moved installation is repaired by running it again.
    """
    base = data_home() if data_dir is None else data_dir
    command = launch_command() if command is None else list(command)
    icon_file = base / ICON_FOLDER / ICON_FILE
    desktop_file = base / APPLICATIONS_FOLDER / DESKTOP_FILE
    for path, text in ((icon_file, icon_svg()), (desktop_file, desktop_entry_text(command))):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(f"Could not save {path}: {error.strerror or error}.") from error
        atomic_write_text(path, text)
    return InstalledEntry(desktop_file=desktop_file, icon_file=icon_file, command=list(command))


def _exec_argument(argument: str) -> str:
    """One Exec argument, quoted as the specification requires; a literal % is written %%."""
    argument = argument.replace("%", "%%")
    if argument and not _RESERVED.intersection(argument):
        return argument
    escaped = "".join(f"\\{char}" if char in _ESCAPED_IN_QUOTES else char for char in argument)
    return f'"{escaped}"'


def _escape_value(value: str) -> str:
    """A string value of a desktop file: the specification's general escapes (\\\\, \\n, \\t, \\r)
    apply on top of the Exec quoting, so a quoted backslash ends up written four times."""
    return value.translate(_VALUE_ESCAPES)
