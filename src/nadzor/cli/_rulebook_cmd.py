"""`nadzor rulebook list | show | diff | check | test`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from nadzor.cli._app import CommandError
from nadzor.cli._options import load_rulebook_option, parse_date_option
from nadzor.cli._progress import stderr
from nadzor.cli._rulebook_show import (
    print_diff,
    print_rulebook,
    print_versions_diff,
    rulebook_table,
)
from nadzor.rules import Rulebook, RulebookError, builtin_rulebooks, load_rulebook

__all__ = ["register"]

rulebook_app = typer.Typer(
    help="Inspect, check and test rulebooks (law as data).", no_args_is_help=True
)


@rulebook_app.command("list")
def list_command(
    rulebook: list[Path] = typer.Option(
        [], "--rulebook", help="Also list this rulebook directory."
    ),
) -> None:
    """List the built-in rulebooks (and any given with --rulebook)."""
    books: list[tuple[Rulebook, str]] = []
    for book_id in builtin_rulebooks():
        books.append((load_rulebook_option(book_id), "built in"))
    for path in rulebook:
        books.append((load_rulebook_option(str(path)), str(path)))
    Console().print(rulebook_table(books))


@rulebook_app.command("show")
def show_command(
    rulebook: str = typer.Argument(..., help="Built-in rulebook id or a rulebook directory."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Show only the rules and values in force on this day."
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="Language of titles, meanings and explanations (en, ru, ...)."
    ),
) -> None:
    """Show the record type, outcomes and verdicts, parameter values, definitions and rules
    (in force on --as-of), with citations, confidence and explanation templates."""
    day = parse_date_option(as_of, "--as-of")
    book = load_rulebook_option(rulebook)
    if day is not None and not book.in_force_on(day):
        raise CommandError(f"--as-of {day}: rulebook {book.id} is {book.period_text}")
    _check_language(book, lang)
    print_rulebook(Console(), book, day, lang)


def _check_language(book: Rulebook, lang: str | None) -> None:
    if lang is not None and lang not in book.languages:
        raise CommandError(
            f"--lang {lang}: rulebook {book.id} is written in {', '.join(book.languages)}"
        )


@rulebook_app.command("diff")
def diff_command(
    rulebook: str = typer.Argument(..., help="Built-in rulebook id or a rulebook directory."),
    start: str | None = typer.Option(None, "--from", help="The earlier day (YYYY-MM-DD)."),
    end: str | None = typer.Option(None, "--to", help="The later day (YYYY-MM-DD)."),
    against: str | None = typer.Option(
        None,
        "--against",
        help="Another version of the rulebook (a directory or a built-in id): show the rules"
        " and parameters added, removed or changed from it to RULEBOOK.",
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="Language of the headings, titles and citations (en, ru, uk, ...)."
    ),
) -> None:
    """What changed in the law between two days (--from, --to), or between two versions of
    a rulebook (--against): rules and parameters added, removed or changed, with citations."""
    book = load_rulebook_option(rulebook)
    _check_language(book, lang)
    if against is not None:
        if start is not None or end is not None:
            raise CommandError("give either --against or --from and --to, not both")
        print_versions_diff(Console(), load_rulebook_option(against), book)
        return
    if start is None or end is None:
        raise CommandError("give --from and --to (two days), or --against (another version)")
    first, last = parse_date_option(start, "--from"), parse_date_option(end, "--to")
    assert first is not None and last is not None
    if last < first:
        raise CommandError(f"--to {last} is before --from {first}")
    print_diff(Console(), book, first, last, lang)


@rulebook_app.command("check")
def check_command(
    path: Path = typer.Argument(
        ..., help="A built-in rulebook id, or a rulebook directory (or its rulebook.yaml)."
    ),
) -> None:
    """Validate a rulebook; every error names its file and line."""
    builtins = builtin_rulebooks()
    if not path.exists() and str(path) in builtins:
        path = builtins[str(path)]
    try:
        book = load_rulebook(path)
    except RulebookError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        raise CommandError(f"{len(exc.problems)} problem(s) in rulebook {path}") from None
    typer.echo(
        f"ok: {book.ref}: {len(book.rules)} rules, {len(book.parameters)} parameters, {len(book.tests)} tests"
    )


@rulebook_app.command("test")
def test_command(
    path: str = typer.Argument(..., help="Built-in rulebook id or a rulebook directory."),
) -> None:
    """Run the rulebook's own tests; each failure shows the expected and actual findings."""
    book = load_rulebook_option(path, with_tests=True)
    if not book.tests:
        raise CommandError(f"rulebook {book.ref} has no tests")
    with stderr.status(f"running {len(book.tests)} tests of {book.ref}"):
        from nadzor.screening import run_rulebook_tests

        result = run_rulebook_tests(book)
    for failure in result.failures:
        case = failure.case
        typer.echo(f"FAIL {case.file}:{case.line}: {case.name}")
        for problem in failure.problems:
            typer.echo(f"    {problem}")
    typer.echo(f"{result.passed} passed, {len(result.failures)} failed")
    if result.failures:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(rulebook_app, name="rulebook")
