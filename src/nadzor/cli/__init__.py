"""The `nadzor` command line: a thin edge over the rules and screening packages."""

from nadzor.cli._app import main

__all__ = ["main"]
