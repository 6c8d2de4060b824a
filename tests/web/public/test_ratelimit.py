"""Wrong receipt codes are limited per client address, in memory only, for at most an hour."""

from __future__ import annotations

import pytest
from django.test import Client

from nadzor.web.ratelimit import MAX_WINDOW, FailureLimiter, status_lookups
from tests.web.public.conftest import FakeClock, html, look_up, post, submit

ADDRESS = "203.0.113.7"


def _limiter(limit: int = 3, window: float = 60) -> tuple[FailureLimiter, FakeClock]:
    clock = FakeClock()
    return FailureLimiter(limit, window, clock=clock), clock


def test_the_limit_is_reached_after_n_failures_and_lifts_after_the_window() -> None:
    limiter, clock = _limiter(limit=3, window=60)

    for _ in range(2):
        limiter.fail(ADDRESS)
        assert limiter.retry_after(ADDRESS) == 0
    clock.advance(10)
    limiter.fail(ADDRESS)

    assert limiter.retry_after(ADDRESS) == 50, "until the first failure is a window old"
    assert limiter.retry_after("198.51.100.1") == 0, "other clients are not affected"
    clock.advance(50)
    assert limiter.retry_after(ADDRESS) == 0


def test_simultaneous_lookups_cannot_pass_the_limit() -> None:
    """Attempts are counted before the slow lookup: however many arrive at once, only
    `limit` go through, and a right code takes its count back."""
    import threading

    limiter = FailureLimiter(limit=10, window=60)
    start = threading.Barrier(40)
    passed: list[int] = []

    def lookup() -> None:
        start.wait()
        if limiter.begin("203.0.113.9") == 0:
            passed.append(1)

    threads = [threading.Thread(target=lookup) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(passed) == 10
    assert limiter.begin("203.0.113.9") > 0
    limiter.succeeded("203.0.113.9")
    assert limiter.begin("203.0.113.9") == 0


def test_the_window_slides() -> None:
    limiter, clock = _limiter(limit=2, window=60)

    limiter.fail(ADDRESS)
    clock.advance(40)
    limiter.fail(ADDRESS)
    clock.advance(30)  # the first failure is now 70 s old

    assert limiter.retry_after(ADDRESS) == 0
    limiter.fail(ADDRESS)
    assert limiter.retry_after(ADDRESS) == 30


def test_entries_expire_and_the_address_is_never_kept() -> None:
    limiter, clock = _limiter(limit=3, window=600)

    limiter.fail(ADDRESS)
    limiter.fail("2001:db8::1")

    assert len(limiter) == 2
    kept = repr(vars(limiter))
    assert ADDRESS not in kept and "2001:db8::1" not in kept
    clock.advance(600)
    assert len(limiter) == 0


def test_no_window_may_be_longer_than_an_hour() -> None:
    assert MAX_WINDOW == 3600
    with pytest.raises(ValueError, match="at most 3600"):
        FailureLimiter(10, 3601)
    with pytest.raises(ValueError, match="at least 1"):
        FailureLimiter(0, 60)
    assert status_lookups.window <= MAX_WINDOW


def test_the_keys_differ_between_processes() -> None:
    """The hash key is drawn when the limiter is made, so keys cannot be precomputed."""
    first, _ = _limiter()
    second, _ = _limiter()

    assert first._client(ADDRESS) != second._client(ADDRESS)
    assert first._client(ADDRESS) == first._client(ADDRESS)


def test_memory_is_bounded() -> None:
    clock = FakeClock()
    limiter = FailureLimiter(3, 60, clock=clock, max_entries=2)

    for address in ("a", "b", "c"):
        limiter.fail(address)
        clock.advance(1)

    assert len(limiter) == 2
    assert limiter.retry_after("a") == 0


@pytest.fixture
def clock() -> FakeClock:
    fake = FakeClock()
    status_lookups.clock = fake  # the autouse fixture puts the real clock back
    return fake


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", ["Пожалуйста, подождите", "через 15 минут"]),
        ("en", ["Please wait", "try again in 15 minutes"]),
    ],
)
def test_the_status_page_pauses_after_ten_wrong_codes(
    client: Client, clock: FakeClock, lang: str, words: list[str]
) -> None:
    code = submit(client)
    for n in range(10):
        assert look_up(client, f"{n:016d}", lang=lang).status_code == 404

    paused = look_up(client, code, lang=lang)

    assert paused.status_code == 429, "even the right code waits"
    assert paused["Retry-After"] == "900"
    for word in words:
        assert word in html(paused)
    assert code not in html(paused)
    clock.advance(15 * 60)
    assert look_up(client, code, lang=lang).status_code == 200


@pytest.mark.django_db
def test_right_codes_do_not_count_and_do_not_reset(client: Client, clock: FakeClock) -> None:
    code = submit(client)
    for n in range(9):
        assert look_up(client, f"{n:016d}").status_code == 404
    for _ in range(3):
        assert look_up(client, code).status_code == 200

    assert look_up(client, "9" * 16).status_code == 404
    assert look_up(client, code).status_code == 429


@pytest.mark.django_db
def test_replies_with_a_wrong_code_count_and_are_paused_too(
    client: Client, clock: FakeClock
) -> None:
    code = submit(client)
    for n in range(10):
        reply = post(
            client,
            "/complaints/status/reply",
            {"code": f"{n:016d}", "text": "?"},
            form="/complaints/status",
        )
        assert reply.status_code == 404

    paused = post(
        client, "/complaints/status/reply", {"code": code, "text": "!"}, form="/complaints/status"
    )
    assert paused.status_code == 429


@pytest.mark.django_db
def test_each_address_has_its_own_count(client: Client, clock: FakeClock) -> None:
    code = submit(client)
    for n in range(10):
        look_up(client, f"{n:016d}", REMOTE_ADDR="198.51.100.20")

    assert look_up(client, code, REMOTE_ADDR="198.51.100.20").status_code == 429
    assert look_up(client, code, REMOTE_ADDR="198.51.100.21").status_code == 200


@pytest.mark.django_db
def test_behind_a_proxy_the_named_header_gives_the_address(
    client: Client, clock: FakeClock, settings: object
) -> None:
    settings.NADZOR_CLIENT_ADDRESS_HEADER = "X-Forwarded-For"  # type: ignore[attr-defined]
    code = submit(client)
    for n in range(10):
        look_up(client, f"{n:016d}", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.30")

    paused = look_up(client, code, HTTP_X_FORWARDED_FOR="198.51.100.30")
    other = look_up(client, code, HTTP_X_FORWARDED_FOR="198.51.100.31")

    assert (paused.status_code, other.status_code) == (429, 200), "same proxy, other clients"
