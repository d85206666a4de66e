"""Before Qt aborts for lack of an X11 library, digitpad names the packages to install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from digitpad.gui.system_libraries import XCB_PACKAGES, install_hint, missing_packages, qt_platform

REPO = Path(__file__).resolve().parents[2]


def _without(*absent: str):
    return lambda name: None if name in absent else f"lib{name}.so"


def test_the_missing_xcb_libraries_are_named_by_their_packages() -> None:
    x11 = {"DISPLAY": ":0"}
    assert missing_packages([], x11, _without("xcb-cursor"), "linux") == ["libxcb-cursor0"]
    assert missing_packages([], x11, _without("xcb-cursor", "xcb-shape"), "linux") == ["libxcb-cursor0", "libxcb-shape0"]
    assert missing_packages([], x11, _without(), "linux") == []


def test_other_platforms_are_not_checked() -> None:
    nothing = _without(*XCB_PACKAGES)
    assert missing_packages([], {"QT_QPA_PLATFORM": "offscreen"}, nothing, "linux") == []
    assert missing_packages(["-platform", "offscreen"], {}, nothing, "linux") == []
    assert missing_packages([], {"WAYLAND_DISPLAY": "wayland-0"}, nothing, "linux") == []
    assert missing_packages([], {}, nothing, "darwin") == []
    assert missing_packages(["-platform", "xcb"], {"WAYLAND_DISPLAY": "wayland-0"}, nothing, "linux") == list(
        XCB_PACKAGES.values())


def test_the_platform_comes_from_the_arguments_then_the_environment() -> None:
    assert qt_platform(["-platform", "offscreen:fontengine=freetype"], {"QT_QPA_PLATFORM": "xcb"}) == "offscreen"
    assert qt_platform([], {"QT_QPA_PLATFORM": "wayland;xcb"}) == "wayland"
    assert qt_platform([], {}) is None


def test_the_app_says_what_to_install_in_one_line_and_exits(tmp_path: Path) -> None:
    """A real start with find_library reporting libxcb-cursor missing, as on a bare desktop."""
    code = (
        "import ctypes.util, sys; "
        "ctypes.util.find_library = lambda n: None if n == 'xcb-cursor' else f'lib{n}.so'; "
        "from digitpad.gui import app; sys.exit(app.main([]))"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DISPLAY": ":99", "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [f"digitpad: error: {install_hint(['libxcb-cursor0'])}"]
    assert "sudo apt-get install libxcb-cursor0" in lines[0]
