"""Browser tests: the web app served by `live_server`, driven by Playwright in Debian's
Chromium (installed with apt; Playwright's own browser downloads are never used).

Every page a test opens is watched: a request to any host but the test server, a console
message about the content security policy, or an uncaught script error fails the test.
Screenshots for the documentation are written only with `NADZOR_SCREENSHOTS=1`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

from tests.conftest import cheapen_argon2

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

CHROMIUM = Path(os.environ.get("NADZOR_CHROMIUM", "/usr/bin/chromium"))
# Without the networking switches Chromium reaches out to the internet on its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PASSWORD = "correct horse battery staple 42"
# Generous for a loaded machine; a passing step does not wait for it.
expect.set_options(timeout=10_000)
STAFF = {"ira": "intake", "ivan": "investigator", "sofia": "supervisor"}
# The link to the status page is named by its address. Playwright sends a pattern's source
# as it is, so a slash in it must be escaped.
STATUS_ADDRESS = re.compile(r"complaints\/status")


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for these tests; in CI its absence is a failure, not a skip.

    Between its calls Playwright's sync API leaves its event loop marked as running in this
    thread, although no coroutine runs while the test does. Django would take every store
    call of the test (and of pytest-django's fixtures) for one made inside an async task and
    refuse it, so its check is turned off while the browser is open, and on again after.
    """
    if not CHROMIUM.is_file():
        message = f"Chromium is not installed at {CHROMIUM} (apt install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Watch:
    """What the pages of one test asked for and complained about."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unprotected: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("request", self._request)
        page.on("response", self._response)
        page.on("console", lambda message: self._console(message.type, message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _request(self, request: Any) -> None:
        url = request.url
        if not (url == self.origin or url.startswith(f"{self.origin}/")):
            self.foreign.append(url)

    def _response(self, response: Any) -> None:
        """A page (not a script or a style) sent without its content security policy."""
        page = response.request.resource_type == "document"
        if page and "content-security-policy" not in response.headers:
            self.unprotected.append(response.url)

    def _console(self, kind: str, text: str) -> None:
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp.append(text)
        # (a 4xx answer is logged as a failed load: the forms answer 400 to wrong input)
        elif kind == "error" and "Failed to load resource" not in text:
            self.errors.append(text)

    def check(self) -> None:
        assert self.foreign == [], "requests to other hosts"
        assert self.csp == [], "content security policy violations"
        assert self.errors == [], "script errors"
        assert self.unprotected == [], "pages without a content security policy"


@pytest.fixture
def site(live_server: Any, transactional_db: None) -> str:
    """The test server's address; the store is emptied after each test."""
    return str(live_server.url)


@pytest.fixture
def watch(site: str) -> Watch:
    return Watch(site)


@pytest.fixture
def new_page(browser: Browser, watch: Watch) -> Iterator[Callable[..., Page]]:
    """Pages in fresh browser contexts (no shared cookies), each watched; the watch is
    checked when the test ends."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> Page:
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "en-GB")
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        watch.attach(page)
        return page

    yield make
    for context in contexts:
        context.close()
    watch.check()


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 still, at the smallest cost: the tests sign in several times."""
    cheapen_argon2(monkeypatch)


@pytest.fixture(autouse=True)
def fresh_limits() -> Iterator[None]:
    """No wrong receipt codes counted from other tests (the server runs in this process)."""
    from nadzor.web.ratelimit import status_lookups

    status_lookups.clear()
    yield
    status_lookups.clear()


@pytest.fixture
def staff(transactional_db: None) -> dict[str, str]:
    """An intake clerk, an investigator and a supervisor, all with the same password."""
    from nadzor.accounts.services import add_user

    for name, role in STAFF.items():
        add_user(name, role, PASSWORD, by=None)
    return STAFF


def sign_in(page: Page, site: str, name: str) -> None:
    """Sign `name` in through the login page (in English)."""
    page.goto(f"{site}/staff/login?lang=en")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


DIGITS = re.compile(r"\D")


def digits(text: str) -> str:
    """Only the digits of a receipt code as shown or typed."""
    return DIGITS.sub("", text)


@pytest.fixture
def screenshot() -> Callable[[Page, str], None]:
    """Save a full-page screenshot to docs/screenshots/NAME.png, only when asked for."""

    def save(page: Page, name: str) -> None:
        if os.environ.get("NADZOR_SCREENSHOTS") != "1":
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(SCREENSHOTS / f"{name}.png"), full_page=True, animations="disabled"
        )

    return save
