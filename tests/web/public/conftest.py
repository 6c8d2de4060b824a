"""Fixtures for the public desk's pages: a browser-like client, forms, files and the store."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

# Store modules are imported inside the helpers: pytest may load this file before the root
# conftest has configured Django.

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
EXE = b"MZ\x90\x00\x03" + bytes(200)

# The receipt code as the page shows it: four groups of four digits.
# The receipt code as the page shows it: four groups of four digits, a no-break space
# inside each half so that a narrow screen breaks it in the middle only.
RECEIPT = re.compile(
    r'<p class="receipt" id="receipt"[^>]*>([0-9]{4}\u00a0[0-9]{4} [0-9]{4}\u00a0[0-9]{4})</p>'
)
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

FORM: dict[str, str] = {
    "category": "provision",
    "reason": "provision:winter_uniform",
    "region": "Курская область",
    "facility": "в/ч 12345",
    "text": "Третий месяц не выдают зимнюю форму, в казарме нет отопления.",
    "occurred_on": "2026-11-01",
}


@pytest.fixture(autouse=True)
def fresh_limiter() -> Iterator[None]:
    """Each test starts with no failed lookups counted, on the real clock."""
    from nadzor.web.ratelimit import status_lookups

    clock = status_lookups.clock
    status_lookups.clear()
    yield
    status_lookups.clock = clock
    status_lookups.clear()


@pytest.fixture
def client() -> Client:
    """A client that enforces CSRF, as a real browser meets it."""
    return Client(enforce_csrf_checks=True)


def html(response: Any) -> str:
    return str(response.content.decode("utf-8"))


def csrf_token(client: Client, path: str) -> str:
    """Load the page with the form (as a browser does before posting); its CSRF token."""
    found = _TOKEN.search(html(client.get(path)))
    assert found, f"{path} has no CSRF token"
    return found.group(1)


def post(
    client: Client,
    path: str,
    data: dict[str, Any],
    *,
    lang: str = "ru",
    form: str | None = None,
    **extra: Any,
) -> Any:
    """POST `data` to `path?lang=...` with the token of the page holding the form."""
    token = csrf_token(client, form or path)
    return client.post(f"{path}?lang={lang}", {**data, "csrfmiddlewaretoken": token}, **extra)


def submit(client: Client, data: dict[str, Any] | None = None, *, lang: str = "ru") -> str:
    """Send a complaint through the form; the receipt code's 16 digits."""
    response = post(client, "/complaints/new", dict(FORM if data is None else data), lang=lang)
    assert response.status_code == 200, html(response)[:3000]
    found = RECEIPT.search(html(response))
    assert found, "no receipt code on the page"
    return re.sub(r"\s", "", found.group(1))


def look_up(client: Client, code: str, *, lang: str = "ru", **extra: Any) -> Any:
    return post(client, "/complaints/status", {"code": code}, lang=lang, **extra)


def field_html(page: str, name: str) -> str:
    """The part of the page from field `name` to the next field: its label, hint, errors
    and input."""
    start = page.index(f'id="field-{name}"')
    end = page.find('id="field-', start + 1)
    return page[start : end if end != -1 else len(page)]


def normalised(page: str, *codes: str) -> str:
    """The page with its CSRF token (new on every page) and the typed codes blanked."""
    page = _TOKEN.sub('name="csrfmiddlewaretoken" value=""', page)
    for code in codes:
        page = page.replace(code, "CODE")
    return page


def latest_complaint() -> Any:
    from nadzor.store.models import Complaint

    return Complaint.objects.latest("pk")


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
