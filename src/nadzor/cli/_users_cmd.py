"""`nadzor users add | token | disable | list`, run by the local operator (`system`)."""

from __future__ import annotations

import sys
from datetime import UTC
from typing import Any

import typer

from nadzor.cli._app import CommandError
from nadzor.cli._store_options import DB_OPTION, store_errors, use_store

__all__ = ["register"]

users_app = typer.Typer(help="Staff accounts and API tokens.", no_args_is_help=True)


@users_app.command("add")
def add_command(
    name: str = typer.Argument(..., help="User name: letters, digits and . _ - @ (at most 150)."),
    role: str = typer.Option(
        ...,
        "--role",
        help="intake, investigator, supervisor, analyst or admin.",
        show_default=False,
    ),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input (one line)."
    ),
    db: str | None = DB_OPTION,
) -> None:
    """Create a staff account.

    Without --password-stdin the password is asked for twice on a terminal; when standard
    input is not a terminal the user gets no password and signs in with API tokens only.
    """
    use_store(db)
    from nadzor.accounts.services import add_user, check_new_user

    with store_errors():
        name, chosen = check_new_user(name, role)
        password = _password(password_stdin)
        user = add_user(name, chosen, password, by=None)
    _say(f"user {user.username} added as {user.role}")
    if password is None:
        _say(
            f"hint: {user.username} has no password and signs in with API tokens only"
            f" (`nadzor users token {user.username}`); to give a new user a password, add them"
            " on a terminal or with --password-stdin"
        )


@users_app.command("password")
def password_command(
    name: str = typer.Argument(..., help="An existing user."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the new password from standard input (one line)."
    ),
    db: str | None = DB_OPTION,
) -> None:
    """Set a new password (also revokes every API token of the user)."""
    use_store(db)
    from nadzor.accounts.services import set_password

    password = _password(password_stdin)
    if password is None:
        raise CommandError("give the new password on a terminal or with --password-stdin")
    with store_errors():
        user = set_password(name, password, by=None)
    _say(f"password of {user.username} changed")


@users_app.command("token")
def token_command(
    name: str = typer.Argument(..., help="The user the token is for."),
    days: int | None = typer.Option(
        None, "--days", help="Days until the new token expires (default 90).", show_default=False
    ),
    revoke: str | None = typer.Option(
        None, "--revoke", help="Revoke the user's token with this prefix (see --list) instead."
    ),
    list_them: bool = typer.Option(
        False, "--list", help="List the user's tokens (prefix, made, expires, state) instead."
    ),
    db: str | None = DB_OPTION,
) -> None:
    """Print a new API token for the user, alone on standard output (only its hash is kept).

    Tokens expire, and a password change revokes all of the user's tokens.
    """
    if revoke is not None and list_them:
        raise CommandError("give either --revoke or --list")
    use_store(db)
    from nadzor.accounts.services import issue_token, list_tokens, revoke_token

    if list_them:
        with store_errors():
            tokens = list_tokens(name)
        _print_rows(
            ["prefix", "created", "expires", "last_used", "state"],
            [
                [
                    f"{row.prefix}...",
                    _stamp(row.created_at),
                    _stamp(row.expires_at),
                    _stamp(row.last_used_at),
                    "revoked" if row.revoked else "active",
                ]
                for row in tokens
            ],
        )
        _say(f"{len(tokens)} token(s)")
        return
    if revoke is not None:
        with store_errors():
            row = revoke_token(name, revoke, by=None)
        _say(f"token {row.prefix}... of {name.strip()} revoked")
        return
    with store_errors():
        token = issue_token(name, by=None, days=days)
    print(token)
    _say(
        f"token {token[:8]}... issued for {name.strip()}: it is shown only this once;"
        " send it as `Authorization: Bearer TOKEN`"
    )


@users_app.command("disable")
def disable_command(
    name: str = typer.Argument(..., help="The user to disable."),
    db: str | None = DB_OPTION,
) -> None:
    """Disable the account and revoke all its API tokens."""
    use_store(db)
    from nadzor.accounts.services import disable_user

    with store_errors():
        result = disable_user(name, by=None)
    who = result.user.username
    if not result.was_active and not result.tokens_revoked:
        _say(f"user {who} was already disabled")
        return
    _say(f"user {who} disabled; {result.tokens_revoked} token(s) revoked")


@users_app.command("list")
def list_command(db: str | None = DB_OPTION) -> None:
    """Every user: name, role, whether active, last login (tab-separated when piped)."""
    use_store(db)
    from nadzor.accounts.services import list_users

    with store_errors():
        users = list_users()
    rows = [
        [
            user.username,
            user.role,
            "yes" if user.is_active else "no",
            user.last_login.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            if user.last_login
            else "",
        ]
        for user in users
    ]
    _print_rows(["name", "role", "active", "last_login"], rows)
    _say(f"{len(rows)} user(s)")


def _stamp(moment: Any) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def _password(from_stdin: bool) -> str | None:
    """The new user's password: from standard input, asked on a terminal, or none."""
    if from_stdin:
        text = sys.stdin.read()
        if text.endswith("\n"):
            text = text[:-1]
        text = text.removesuffix("\r")
        if "\n" in text or "\r" in text:
            raise CommandError("the password on standard input must be a single line")
        if not text:
            raise CommandError("no password on standard input")
        return text
    if not sys.stdin.isatty():
        return None
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True, err=True))


def _print_rows(header: list[str], rows: list[list[str]]) -> None:
    """A table on a terminal; tab-separated lines when piped, for scripts."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:
        for row in [header, *rows]:
            print("\t".join(row))
        return
    table = Table(*header)
    for row in rows:
        table.add_row(*[cell or "never" for cell in row])
    console.print(table)


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
