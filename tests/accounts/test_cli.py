"""`nadzor users ...` in a process of its own, against a fresh store."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time

import pytest

from tests.conftest import nadzor_process, store_env

PASSWORD = "violet-river-stone"
TOKEN = re.compile(r"nz_[A-Za-z0-9_-]{43}")

# Asks the accounts service in the store at argv[1]; prints the user name or "-".
_ASK = """
import sys
from nadzor.store import StoreConfig, open_store
open_store(StoreConfig.from_env(sys.argv[1]))
from nadzor.accounts import services
user = getattr(services, sys.argv[2])(*sys.argv[3:])
print(user.username if user else "-")
"""


def ask(db: str, function: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _ASK, db, function, *args],
        env=store_env(db),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def db(store_url: str) -> str:
    done = nadzor_process("init", db=store_url)
    assert done.code == 0, done.err
    return store_url


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("nadzor: error: ")
    return lines[0]


def test_add_with_password_stdin_then_the_password_signs_in(db: str) -> None:
    done = nadzor_process(
        "users",
        "add",
        "olga",
        "--role",
        "supervisor",
        "--password-stdin",
        db=db,
        stdin=PASSWORD + "\n",
    )
    assert done.code == 0, done.err
    assert done.out == ""
    assert "olga" in done.err

    assert ask(db, "check_login", "olga", PASSWORD) == "olga"
    assert ask(db, "check_login", "olga", PASSWORD + "x") == "-"


def test_token_is_printed_alone_authenticates_and_disable_revokes_it(db: str) -> None:
    assert (
        nadzor_process("users", "add", "ivan", "--role", "investigator", db=db, stdin="").code == 0
    )

    done = nadzor_process("users", "token", "ivan", db=db)
    assert done.code == 0, done.err
    assert TOKEN.fullmatch(done.out.rstrip("\n")), done.out
    assert done.out.count("\n") == 1
    token = done.out.strip()
    assert token not in done.err
    assert token[:8] in done.err
    assert ask(db, "authenticate_token", token) == "ivan"

    done = nadzor_process("users", "disable", "ivan", db=db)
    assert done.code == 0, done.err
    assert "1 token(s) revoked" in done.err
    assert ask(db, "authenticate_token", token) == "-"

    done = nadzor_process("users", "token", "ivan", db=db)
    assert done.code == 2
    assert done.out == ""
    assert "disabled" in one_error_line(done.err)

    verified = nadzor_process("audit", "verify", db=db)
    assert verified.code == 0, verified.err
    assert verified.out.startswith("3 entries verified")


def on_a_terminal(db: str, args: list[str], answers: list[tuple[bytes, bytes]]) -> tuple[int, str]:
    """Run `nadzor ARGS` with a pseudo-terminal, typing each answer after its prompt.

    Prompts must include the space that `getpass` writes once it has turned echo off (and
    flushed pending input): typing before that would be thrown away.
    """
    import pty
    import select
    import signal

    environment = store_env(db)
    pid, fd = pty.fork()
    if pid == 0:  # the child: become nadzor
        os.execve(sys.executable, [sys.executable, "-m", "nadzor", *args], environment)
    seen = b""
    pending = list(answers)
    deadline = time.monotonic() + 120
    status = None
    try:
        while status is None and time.monotonic() < deadline:
            if pending and pending[0][0] in seen:
                seen = seen.replace(pending[0][0], b"", 1)
                os.write(fd, pending.pop(0)[1])
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                with contextlib.suppress(OSError):  # raised once the child has closed it
                    seen += os.read(fd, 4096)
            done, code = os.waitpid(pid, os.WNOHANG)
            if done:
                status = code
    finally:
        if status is None:  # stuck at a prompt: stop it rather than hang the suite
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    assert status is not None, f"nadzor did not finish: {seen.decode(errors='replace')}"
    return os.waitstatus_to_exitcode(status), seen.decode(errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_on_a_terminal_the_password_is_asked_twice(db: str) -> None:
    typed = PASSWORD.encode() + b"\n"
    code, screen = on_a_terminal(
        db,
        ["users", "add", "olga", "--role", "analyst"],
        [(b"Password: ", typed), (b"Repeat for confirmation: ", typed)],
    )
    assert code == 0, screen
    assert PASSWORD not in screen
    assert "hint:" not in screen
    assert ask(db, "check_login", "olga", PASSWORD) == "olga"


def test_without_a_terminal_or_password_stdin_the_user_is_token_only(db: str) -> None:
    done = nadzor_process("users", "add", "desk", "--role", "intake", db=db, stdin="")
    assert done.code == 0, done.err
    assert "hint:" in done.err
    assert "nadzor users token desk" in done.err

    listed = nadzor_process("users", "list", db=db)
    assert listed.code == 0, listed.err
    assert listed.out.splitlines() == ["name\trole\tactive\tlast_login", "desk\tintake\tyes\t"]


def test_a_bad_role_is_one_line_naming_the_allowed_roles(db: str) -> None:
    done = nadzor_process("users", "add", "olga", "--role", "boss", db=db, stdin="")
    assert done.code == 2
    assert done.out == ""
    line = one_error_line(done.err)
    for role in ("intake", "investigator", "supervisor", "analyst", "admin"):
        assert role in line
    assert nadzor_process("users", "list", db=db).out.splitlines() == [
        "name\trole\tactive\tlast_login"
    ]


def test_refusals_exit_2_with_one_line(db: str) -> None:
    assert nadzor_process("users", "add", "olga", "--role", "admin", db=db, stdin="").code == 0

    cases = [
        (("users", "add", "olga", "--role", "analyst"), "", "already exists"),
        (("users", "add", "public", "--role", "analyst"), "", "reserved"),
        (
            ("users", "add", "anna", "--role", "analyst", "--password-stdin"),
            "short\n",
            "at least 10",
        ),
        (("users", "add", "anna", "--role", "analyst", "--password-stdin"), "", "no password"),
        (
            ("users", "add", "anna", "--role", "analyst", "--password-stdin"),
            "a\nb\n",
            "single line",
        ),
        (("users", "token", "nobody"), "", "no user"),
        (("users", "disable", "nobody"), "", "no user"),
    ]
    for args, stdin, says in cases:
        done = nadzor_process(*args, db=db, stdin=stdin)
        assert done.code == 2, (args, done.err)
        assert done.out == ""
        assert says in one_error_line(done.err), args
    assert [
        line.split("\t")[0] for line in nadzor_process("users", "list", db=db).out.splitlines()
    ] == [
        "name",
        "olga",
    ]


def test_every_command_has_help_and_refuses_an_uninitialised_store(store_url: str) -> None:
    for command in ("add", "token", "disable", "list"):
        done = nadzor_process("users", command, "--help", db=store_url)
        assert done.code == 0, done.err
        assert "--db" in done.out
    done = nadzor_process("users", "list", db=store_url)
    assert done.code == 2
    assert "nadzor init" in one_error_line(done.err)


def test_password_sets_a_new_password_and_unknown_users_are_named(db: str) -> None:
    added = nadzor_process(
        "users",
        "add",
        "olga",
        "--role",
        "investigator",
        "--password-stdin",
        db=db,
        stdin=PASSWORD + "\n",
    )
    assert added.code == 0, added.err
    new = "amber-field-lantern"
    changed = nadzor_process(
        "users", "password", "olga", "--password-stdin", db=db, stdin=new + "\n"
    )
    assert changed.code == 0 and "password of olga changed" in changed.err
    assert ask(db, "check_login", "olga", new) == "olga"
    assert ask(db, "check_login", "olga", PASSWORD) == "-"
    missing = nadzor_process(
        "users", "password", "nobody", "--password-stdin", db=db, stdin=new + "\n"
    )
    assert missing.code == 2 and "nobody" in one_error_line(missing.err)


def test_a_token_is_revoked_by_its_prefix_from_the_list(db: str) -> None:
    assert nadzor_process("users", "add", "vera", "--role", "intake", db=db, stdin="").code == 0
    first = nadzor_process("users", "token", "vera", "--days", "7", db=db).out.strip()
    second = nadzor_process("users", "token", "vera", db=db).out.strip()
    listed = nadzor_process("users", "token", "vera", "--list", db=db)
    assert listed.code == 0, listed.err
    assert f"{first[:8]}...\t" in listed.out and "\tactive" in listed.out
    done = nadzor_process("users", "token", "vera", "--revoke", f"{first[:8]}...", db=db)
    assert done.code == 0, done.err
    assert f"{first[:8]}... of vera revoked" in done.err
    assert ask(db, "authenticate_token", first) == "-"
    assert ask(db, "authenticate_token", second) == "vera"
    missing = nadzor_process("users", "token", "vera", "--revoke", "nz_zzzzz", db=db)
    assert missing.code == 2 and "no token" in one_error_line(missing.err)
