"""`digitpad install-desktop-entry`: put digitpad in the desktop's application menu."""

from __future__ import annotations

import argparse

from digitpad.commands.common import json_text


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `install-desktop-entry` to the `digitpad` subcommands (`commands`: argparse's subparsers)."""
    parser = commands.add_parser(
        "install-desktop-entry",
        help="add digitpad to your desktop's application menu (a .desktop file and its icon)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=_install)


def _install(args: argparse.Namespace) -> int:
    from digitpad.core.desktop_entry import install_desktop_entry

    entry = install_desktop_entry()
    if args.json:
        print(json_text({
            "desktop_file": str(entry.desktop_file),
            "icon": str(entry.icon_file),
            "command": entry.command,
        }))
    else:
        print(f"wrote {entry.desktop_file}")
        print(f"wrote {entry.icon_file}")
        print(f"The menu runs: {' '.join(entry.command)}")
    return 0
