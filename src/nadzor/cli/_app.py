"""The root Typer application, its sub-command groups and the one-line error convention."""

from __future__ import annotations

import os
import sys
import traceback

import typer

from nadzor import __version__

app = typer.Typer(
    name="nadzor",
    help="Oversight of military call-ups: screen registers against rulebooks of law as data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class CommandError(Exception):
    """A failure the user can act on: printed as one line, exits with `code`."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nadzor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(
        False, "--debug", help="Show a traceback for unexpected errors.", envvar="NADZOR_DEBUG"
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    if debug:
        os.environ["NADZOR_DEBUG"] = "1"


_wired = {"sigterm": False}

#: Every command module, in the order the commands are added (and listed by --help).
_MODULES = (
    "_screen_cmd",
    "_check_cmd",
    "_synth_cmd",
    "_rulebook_cmd",
    "_rulebook_form",
    "_init_cmd",
    "_users_cmd",
    "_cases_cmd",
    "_audit_cmd",
    "_serve_cmd",
    "_settings_cmd",
    "_report_cmd",
    "_intake_cmd",
    "_backup_cmd",
)
#: Commands that one module adds on its own: running one of them imports that module only
#: (the others import the store, the web server or the rulebook loader, which a screen
#: whose rulebook and SQL are cached does without).
_ALONE = {
    "screen": "_screen_cmd",
    "check": "_check_cmd",
    "synth": "_synth_cmd",
    "init": "_init_cmd",
    "serve": "_serve_cmd",
    "report": "_report_cmd",
    "backup": "_backup_cmd",
    "restore": "_backup_cmd",
}
_added: list[str] = []


def _modules_for(args: list[str]) -> set[str]:
    """The command modules a run with these arguments needs: the one that adds the command
    asked for, or all of them (no command, --help, a group or an unknown name)."""
    # The root options (--debug, --version, --help) take no value: the first other
    # argument names the command.
    command = next((a for a in args if not a.startswith("-")), None)
    if command in _ALONE and "--help" not in args[: args.index(command)]:
        return {_ALONE[command]}
    return set(_MODULES)


def _register_commands(args: list[str]) -> None:
    """Add the commands `args` may run to the app, each module once per process however
    often `main()` runs (then in the order of `_MODULES`, whatever was added before)."""
    import importlib

    wanted = _modules_for(args)
    if wanted <= set(_added):
        return
    # Imported here, not at module import, so that `nadzor --help` stays cheap and each
    # command module owns its own wiring.
    modules = [m for m in _MODULES if m in wanted or m in _added]
    app.registered_commands.clear()
    app.registered_groups.clear()
    for name in modules:
        importlib.import_module(f"nadzor.cli.{name}").register(app)
    _added[:] = modules


def _click_exception(exc: Exception) -> int | None:
    """The exit code of a usage error from click, or from the copy of click typer bundles."""
    import click

    kinds: list[type[Exception]] = [click.exceptions.ClickException]
    try:
        from typer import _click  # type: ignore[attr-defined]

        kinds.append(_click.exceptions.ClickException)
    except ImportError:
        pass
    if not isinstance(exc, tuple(kinds)):
        return None
    return (
        2
        if type(exc).__name__
        in (
            "UsageError",
            "BadParameter",
            "MissingParameter",
            "NoSuchOption",
            "BadOptionUsage",
            "BadArgumentUsage",
        )
        else int(getattr(exc, "exit_code", 2))
    )


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM unwinds like Ctrl-C, so temporary outputs are removed on the way out.
    raise SystemExit(128 + signum)


def _install_sigterm() -> None:
    """Install the SIGTERM handler once, and only from the main thread (where Python allows it)."""
    import signal
    import threading

    if _wired["sigterm"] or threading.current_thread() is not threading.main_thread():
        return
    signal.signal(signal.SIGTERM, _terminate)
    _wired["sigterm"] = True


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning errors into one line and an exit code."""
    _install_sigterm()
    _register_commands(sys.argv[1:] if argv is None else list(argv))
    try:
        code = app(args=argv, standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except CommandError as exc:
        print(f"nadzor: error: {exc}", file=sys.stderr)
        sys.exit(exc.code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print("nadzor: aborted", file=sys.stderr)
        sys.exit(1)
    except Exception as exc:  # the last line of defence: one line, exit 1
        usage = _click_exception(exc)
        if usage is not None:
            exc.show()  # type: ignore[attr-defined]
            sys.exit(usage)
        if os.environ.get("NADZOR_DEBUG"):
            traceback.print_exc()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"nadzor: internal error: {first} (run with --debug for details)", file=sys.stderr)
        sys.exit(1)
