"""Name the system packages Qt's X11 platform plugin needs before Qt fails without naming them.

On a bare Debian or Ubuntu desktop, PySide6's xcb plugin cannot load without libxcb-cursor0 (and
on minimal systems a few more), and Qt then aborts the process with "could not load the Qt
platform plugin xcb", which names no package. Looking the libraries up first lets digitpad say
in one line what to install.
"""

from __future__ import annotations

import ctypes.util
import os
import sys
from collections.abc import Callable, Mapping, Sequence

# Library name as ctypes.util.find_library takes it -> the Debian/Ubuntu package providing it.
XCB_PACKAGES: dict[str, str] = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-shape": "libxcb-shape0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}


def qt_platform(arguments: Sequence[str], environment: Mapping[str, str]) -> str | None:
    """The platform plugin Qt will load: `-platform NAME`, else $QT_QPA_PLATFORM; None when Qt
    chooses by itself."""
    for index, argument in enumerate(arguments[:-1]):
        if argument in ("-platform", "--platform"):
            return arguments[index + 1].split(":")[0]
    configured = environment.get("QT_QPA_PLATFORM", "")
    return configured.split(";")[0].split(":")[0] or None


def missing_packages(
    arguments: Sequence[str],
    environment: Mapping[str, str] = os.environ,
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
    system: str = sys.platform,
) -> list[str]:
    """Packages to install before Qt's xcb plugin can start on this Linux system, else []."""
    if not system.startswith("linux"):
        return []
    platform = qt_platform(arguments, environment)
    uses_xcb = platform == "xcb" or (platform is None and "WAYLAND_DISPLAY" not in environment)
    if not uses_xcb:
        return []
    return [package for library, package in XCB_PACKAGES.items() if find_library(library) is None]


def install_hint(packages: Sequence[str]) -> str:
    return ("Qt cannot open a window: system libraries are missing. Install them with "
            f"`sudo apt-get install {' '.join(packages)}` (Debian, Ubuntu), then start digitpad again.")
