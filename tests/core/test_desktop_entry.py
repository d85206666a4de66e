"""The menu entry and icon `digitpad install-desktop-entry` writes, and `digitpad --version`."""

from __future__ import annotations

import argparse
import configparser
import json
import os
import stat
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

import digitpad
from digitpad.commands import desktop
from digitpad.core.desktop_entry import (
    desktop_entry_text,
    icon_svg,
    install_desktop_entry,
    launch_command,
)
from digitpad.core.errors import StorageError
from digitpad.core.palette import ACCENT
from tests.core.test_cli import run_cli


def parsed(text: str) -> dict[str, str]:
    """The [Desktop Entry] group as a dict, keys case-sensitive, values raw."""
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read_string(text)
    assert parser.sections() == ["Desktop Entry"]
    return dict(parser["Desktop Entry"])


def test_the_entry_has_every_key_a_menu_needs() -> None:
    entry = parsed(desktop_entry_text(["/opt/venv/bin/digitpad"]))
    assert entry == {
        "Type": "Application",
        "Version": "1.5",
        "Name": "digitpad",
        "GenericName": "Handwritten digit recognition",
        "Comment": "Draw a digit and watch a neural network read it",
        "Exec": "/opt/venv/bin/digitpad",
        "Icon": "digitpad",
        "Terminal": "false",
        "Categories": "Education;Science;",
        "Keywords": "digit;handwriting;neural network;MNIST;Keras;",
    }


def test_exec_arguments_are_quoted_and_escaped_as_the_specification_says() -> None:
    command = ["/home/a b/venv/bin/python", "-m", "digitpad", "100%", 'say "$HOME"', "back\\slash"]
    exec_value = parsed(desktop_entry_text(command))["Exec"]
    # Exec quoting ("..." with \" \$ \\), then the value's own escaping doubles each backslash.
    assert exec_value == (
        '"/home/a b/venv/bin/python" -m digitpad 100%% "say \\\\"\\\\$HOME\\\\"" "back\\\\\\\\slash"'
    )


def test_the_running_digitpad_script_is_launched_by_its_absolute_path(tmp_path: Path) -> None:
    script = tmp_path / "bin" / "digitpad"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    assert launch_command(str(script)) == [str(script)]
    module_run = str(Path(digitpad.__file__).parent / "__main__.py")
    assert launch_command(module_run) == [str(Path(sys.executable).absolute()), "-m", "digitpad"]
    script.chmod(0o644)  # not executable: a file of that name, not a script that runs
    assert launch_command(str(script))[1:] == ["-m", "digitpad"]


def test_the_icon_is_the_windows_seven_on_the_accent_tile() -> None:
    root = ElementTree.fromstring(icon_svg())
    namespace = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{namespace}svg" and root.get("viewBox") == "0 0 100 100"
    assert root.find(f"{namespace}rect").get("fill") == ACCENT  # type: ignore[union-attr]
    assert root.find(f"{namespace}polyline").get("points") == "30,28 70,28 44,76"  # type: ignore[union-attr]


def test_install_writes_both_files_under_xdg_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    entry = install_desktop_entry(command=["/usr/bin/digitpad"])
    assert entry.desktop_file == tmp_path / "data" / "applications" / "digitpad.desktop"
    assert entry.icon_file == tmp_path / "data" / "icons" / "hicolor" / "scalable" / "apps" / "digitpad.svg"
    assert entry.desktop_file.read_text() == desktop_entry_text(["/usr/bin/digitpad"])
    assert entry.icon_file.read_text() == icon_svg()
    # again, after a move: replaced in place, no temporary files left beside them
    install_desktop_entry(command=["/new/bin/digitpad"])
    assert parsed(entry.desktop_file.read_text())["Exec"] == "/new/bin/digitpad"
    assert sorted(p.name for p in entry.desktop_file.parent.iterdir()) == ["digitpad.desktop"]
    assert sorted(p.name for p in entry.icon_file.parent.iterdir()) == ["digitpad.svg"]


def test_a_folder_that_cannot_be_made_is_one_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(StorageError, match=r"Could not save .*digitpad\.svg"):
        install_desktop_entry(blocker, command=["digitpad"])


def test_the_command_prints_what_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    parser = argparse.ArgumentParser()
    desktop.register(parser.add_subparsers(dest="command"))
    for flags in ([], ["--json"]):
        args = parser.parse_args(["install-desktop-entry", *flags])
        assert args.handler(args) == 0
    text, json_line = capsys.readouterr().out.rstrip("\n").rsplit("\n", 1)
    assert text.splitlines()[:2] == [
        f"wrote {tmp_path / 'applications' / 'digitpad.desktop'}",
        f"wrote {tmp_path / 'icons' / 'hicolor' / 'scalable' / 'apps' / 'digitpad.svg'}",
    ]
    assert json.loads(json_line) == {
        "desktop_file": str(tmp_path / "applications" / "digitpad.desktop"),
        "icon": str(tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "digitpad.svg"),
        "command": launch_command(),
    }


# ----------------------------------------------------------------------------- end to end


def test_cli_version(tmp_path: Path) -> None:
    result = run_cli("--version", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"digitpad {digitpad.__version__}\n"


def test_cli_install_desktop_entry(tmp_path: Path) -> None:
    result = run_cli("install-desktop-entry", "--json", home=tmp_path)  # XDG_DATA_HOME is home/data
    assert result.returncode == 0, result.stderr
    written = json.loads(result.stdout)
    desktop_file = tmp_path / "data" / "applications" / "digitpad.desktop"
    assert written["desktop_file"] == str(desktop_file)
    assert written["command"] == [str(Path(sys.executable).absolute()), "-m", "digitpad"]  # run as python -m
    assert desktop_file.read_text() == desktop_entry_text(written["command"])
    assert os.access(written["icon"], os.R_OK)
