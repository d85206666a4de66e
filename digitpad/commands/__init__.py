"""The `digitpad` subcommands that live beside `digitpad.cli`, one module per command, each
with `register(commands)` adding its parser; `common` holds what every command prints alike."""
