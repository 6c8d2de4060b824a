"""`nadzor synth`: write a synthetic call-up register for demos, tests and benchmarks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from nadzor.cli._app import CommandError

if TYPE_CHECKING:
    # The generators load only when `synth` runs: every other command starts faster.
    from nadzor.synth import SynthOptions, SynthResult

__all__ = ["register"]

# The call-up generator's rulebook is in force from this date; earlier call-ups are
# rejected when screened.
_RULEBOOK_START = dt.date(2022, 9, 21)
# The hand-made generator a rulebook's `synth:` hints may ask for.
_CALLUP_GENERATOR = "callup"

# One line per paragraph: Rich re-wraps the help to the terminal and keeps hard breaks.
_HELP = (
    "Write a synthetic register: by default a call-up register (the 24 columns of the "
    "ru-2022 record type); with --rulebook ID, a register of that rulebook's record type.\n\n"
    "Call-up rows look like a real register of the 2022 partial mobilization: ages and ranks, "
    "children, health categories, reservations, students, convictions, regions and "
    "commissariats, with a small share of records that the rules flag. The same arguments "
    "always give the same file, byte for byte. The data are invented: no row describes a "
    "real person.\n\n"
    "Other record types are drawn from the declared types, enums and ranges, law dates in "
    "the rulebook's period, and the rulebook's optional synth.yaml hints (how to draw a "
    "column, the share of records that trigger each rule).\n\n"
    "Examples:\n\n"
    "  nadzor synth --records 100000 --out register.csv\n\n"
    "  nadzor synth --rulebook ru-2022-facilities --records 5000 --out inspections.csv\n\n"
    "  nadzor synth --records 10000000 --seed 7 --out register.parquet\n\n"
    "  nadzor synth --records 50000 --dirty --out messy.csv\n"
)


def register(app: typer.Typer) -> None:
    """Add the `synth` command to `app`."""
    short = "Write a synthetic register for demos, tests and benchmarks."
    app.command("synth", help=_HELP, short_help=short, no_args_is_help=True)(synth)


def synth(
    records: Annotated[
        int,
        typer.Option(
            "--records",
            "-n",
            help="Number of records (rows) to write; 0 writes only the header.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Output file. The extension picks the format: .csv (UTF-8, comma-separated, "
            "dates YYYY-MM-DD, lists ;-joined) or .parquet (typed columns, zstd).",
            show_default=False,
        ),
    ],
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed (0 or more); another seed, other rows.")
    ] = 0,
    callup_from: Annotated[
        str,
        typer.Option("--callup-from", help="First call-up date, YYYY-MM-DD or DD.MM.YYYY."),
    ] = "2022-09-21",
    callup_to: Annotated[
        str,
        typer.Option("--callup-to", help="Last call-up date, YYYY-MM-DD or DD.MM.YYYY."),
    ] = "2022-12-31",
    dirty: Annotated[
        bool,
        typer.Option(
            "--dirty",
            help="Spoil about 0.5% of rows with one malformed value each, of the kinds "
            "screening must reject: bad dates, enums, bools or numbers, births after the "
            "call-up, call-ups before the rulebook, duplicate ids, bad article numbers, "
            "empty required values. Parquet columns are then all text.",
        ),
    ] = False,
    rulebook: Annotated[
        str | None,
        typer.Option(
            "--rulebook",
            help="Draw a register of this rulebook's record type (a built-in id or a "
            "directory). --callup-from/--callup-to apply to the call-up generator only.",
        ),
    ] = None,
) -> None:
    """Write a synthetic register."""
    if rulebook is not None and _generic(rulebook, records, out, seed, dirty):
        return
    options = _options(records, seed, callup_from, callup_to, dirty)
    if options.callup_from < _RULEBOOK_START:
        typer.echo(
            f"nadzor: warning: call-ups before {_RULEBOOK_START} precede rulebook ru-2022 "
            "and are rejected when screened on their own date",
            err=True,
        )
    with _progress(options.records) as advance:
        result = _write(out, options, advance)
    typer.echo(_summary(result))


def _generic(name: str, records: int, out: Path, seed: int, dirty: bool) -> bool:
    """Write a register of rulebook `name`'s record type; False if it asks for the
    call-up generator instead."""
    from nadzor.cli._synth_plan import plan_for, read_hints
    from nadzor.rules import RulebookError, UnknownRulebook, resolve_rulebook
    from nadzor.synth import SynthError, write_records

    try:
        loaded = resolve_rulebook(name)
    except (UnknownRulebook, RulebookError) as exc:
        raise CommandError(str(exc).splitlines()[0]) from exc
    hints = read_hints(loaded)
    if hints.generator == _CALLUP_GENERATOR:
        return False
    if hints.generator is not None:
        raise CommandError(f"synth hints: unknown generator {hints.generator!r}")
    try:
        plan = plan_for(loaded, hints)
        with _progress(records) as advance:
            result = write_records(out, plan, records, seed=seed, dirty=dirty, on_chunk=advance)
    except SynthError as exc:
        raise CommandError(str(exc)) from exc
    except OSError as exc:
        raise CommandError(f"cannot write {str(out)!r}: {exc.strerror or exc}") from exc
    typer.echo(_summary(result))
    return True


def _options(
    records: int, seed: int, callup_from: str, callup_to: str, dirty: bool
) -> SynthOptions:
    from nadzor.synth import SynthError, SynthOptions

    try:
        return SynthOptions(
            records=records,
            seed=seed,
            callup_from=_parse_date("--callup-from", callup_from),
            callup_to=_parse_date("--callup-to", callup_to),
            dirty=dirty,
        )
    except SynthError as exc:
        raise CommandError(str(exc)) from exc


def _parse_date(flag: str, text: str) -> dt.date:
    for layout in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text.strip(), layout).date()
        except ValueError:
            continue
    raise CommandError(f"{flag} {text!r}: not a date, expected YYYY-MM-DD or DD.MM.YYYY")


def _write(out: Path, options: SynthOptions, advance: Callable[[int], None]) -> SynthResult:
    from nadzor.synth import SynthError, write_register

    try:
        return write_register(out, options, on_chunk=advance)
    except SynthError as exc:
        raise CommandError(str(exc)) from exc
    except OSError as exc:
        raise CommandError(f"cannot write {str(out)!r}: {exc.strerror or exc}") from exc


def _summary(result: SynthResult) -> str:
    spoiled = f" ({result.spoiled} malformed)" if result.spoiled else ""
    return f"wrote {result.records} records{spoiled} to {result.path} ({result.file_format})"


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    """A bar advanced per chunk, on stderr when it is a terminal; silent otherwise."""
    console = Console(stderr=True)
    columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    quiet = not console.is_terminal or total == 0
    with Progress(*columns, console=console, transient=True, disable=quiet) as bar:
        task = bar.add_task("synth", total=total)
        yield lambda rows: bar.advance(task, rows)
