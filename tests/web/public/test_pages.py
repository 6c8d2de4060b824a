"""Every public page in Russian, Ukrainian and English, the language carried in links, no cookie but
CSRF's, and a strict content security policy with no inline script or style."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.web.public.conftest import FORM, RECEIPT, html, look_up, post, submit

pytestmark = pytest.mark.django_db

PAGES = ["/", "/complaints/new", "/complaints/status"]
# (path, a Russian phrase on it, an English phrase on it)
WORDS = [
    ("/", "Сообщить о нарушении", "Report a violation"),
    ("/", "Проверить жалобу", "Check a complaint"),
    ("/complaints/new", "О чём жалоба?", "What is the complaint about?"),
    ("/complaints/new", "О вас (по желанию)", "About you (optional)"),
    ("/complaints/new", "Незаконный призыв: почему", "Unlawful call-up: why"),
    ("/complaints/new", "Бронежилет", "Body armour"),
    ("/complaints/new", "Отправить жалобу", "Send the complaint"),
    ("/complaints/status", "Код квитанции", "Receipt code"),
    ("/complaints/status", "Потеряли код?", "Lost your code?"),
]


# (path, a Ukrainian phrase on it, the Russian phrase it replaces)
UKRAINIAN = [
    ("/", "Повідомити про порушення", "Сообщить о нарушении"),
    ("/", "Перевірити скаргу", "Проверить жалобу"),
    ("/complaints/new", "Про що скарга?", "О чём жалоба?"),
    ("/complaints/new", "Про вас (за бажанням)", "О вас (по желанию)"),
    ("/complaints/new", "Незаконний призов: чому", "Незаконный призыв: почему"),
    ("/complaints/new", "Бронювання від роботодавця", "Бронь от работодателя"),
    ("/complaints/new", "Надіслати скаргу", "Отправить жалобу"),
    ("/complaints/status", "Код квитанції", "Код квитанции"),
    ("/complaints/status", "Загубили код?", "Потеряли код?"),
]


@pytest.mark.parametrize(("path", "ukrainian", "russian"), UKRAINIAN)
def test_every_page_speaks_ukrainian(
    client: Client, path: str, ukrainian: str, russian: str
) -> None:
    uk = client.get(f"{path}?lang=uk")

    assert uk.status_code == 200 and uk["Content-Language"] == "uk"
    assert ukrainian in html(uk) and russian not in html(uk)
    assert '<html lang="uk">' in html(uk)


@pytest.mark.parametrize(("path", "russian", "english"), WORDS)
def test_every_page_speaks_russian_and_english(
    client: Client, path: str, russian: str, english: str
) -> None:
    ru = client.get(f"{path}?lang=ru")
    en = client.get(f"{path}?lang=en")

    assert (ru.status_code, en.status_code) == (200, 200)
    assert russian in html(ru) and english not in html(ru)
    assert english in html(en) and russian not in html(en)
    assert '<html lang="ru">' in html(ru) and '<html lang="en">' in html(en)


def test_russian_is_the_default(client: Client) -> None:
    page = client.get("/complaints/new")

    assert page["Content-Language"] == "ru"
    assert "О чём жалоба?" in html(page)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-GB,en;q=0.9", "en"),
        ("de-DE,de;q=0.9,en;q=0.5", "en"),
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("de-DE,fr;q=0.8", "ru"),
        ("uk-UA,uk;q=0.9,ru;q=0.8", "uk"),
        ("uk", "uk"),
        ("", "ru"),
    ],
)
def test_without_lang_the_browser_language_is_used(
    client: Client, header: str, expected: str
) -> None:
    page = client.get("/complaints/status", HTTP_ACCEPT_LANGUAGE=header)

    assert page["Content-Language"] == expected
    assert ("Receipt code" in html(page)) is (expected == "en")
    assert ("Код квитанції" in html(page)) is (expected == "uk")


def test_lang_in_the_address_wins_over_the_browser(client: Client) -> None:
    page = client.get("/complaints/status?lang=ru", HTTP_ACCEPT_LANGUAGE="en")

    assert page["Content-Language"] == "ru"
    assert "Код квитанции" in html(page)


def _internal_links(page: str) -> list[tuple[str, bool]]:
    """(address, is the language switch) of every link, form and HTMX request to this site."""
    found = []
    for tag in re.findall(r"<(?:a|form|fieldset)\b[^>]*>", page):
        for url in re.findall(r'\b(?:href|action|hx-get|hx-post)="(/[^"]*)"', tag):
            if not url.startswith("/static/"):
                switch = "hreflang=" in tag or "lang-switch" in tag
                found.append((url.replace("&amp;", "&"), switch))
    return found


def _public_pages(client: Client, lang: str) -> dict[str, str]:
    pages = {path: html(client.get(f"{path}?lang={lang}")) for path in PAGES}
    code = submit(client, lang=lang)
    pages["sent"] = html(post(client, "/complaints/new", FORM, lang=lang))
    pages["status"] = html(look_up(client, code, lang=lang))
    pages["not found"] = html(look_up(client, "0000 0000 0000 0000", lang=lang))
    return pages


@pytest.mark.parametrize("lang", ["ru", "uk", "en"])
def test_every_link_and_form_carries_the_language(client: Client, lang: str) -> None:
    others = {"ru", "uk", "en"} - {lang}
    for name, page in _public_pages(client, lang).items():
        links = _internal_links(page)
        assert links, name
        for url, switch in links:
            if not switch:
                assert f"lang={lang}" in url, (name, url)
        offered = {m for url, switch in links if switch for m in re.findall(r"lang=(\w+)", url)}
        assert offered == others, f"{name} offers {offered}"


def test_the_language_switch_keeps_the_page(client: Client) -> None:
    page = html(client.get("/complaints/new?lang=ru"))

    assert 'href="/complaints/new?lang=en"' in page


def test_public_pages_set_no_cookie_but_csrf(client: Client) -> None:
    for path in PAGES:
        for lang in ("ru", "uk", "en"):
            response = Client(enforce_csrf_checks=True).get(f"{path}?lang={lang}")
            assert set(response.cookies) <= {"csrftoken"}, (path, response.cookies)
    home = Client().get("/")
    assert not home.cookies, "the start page has no form, so no cookie at all"


def test_sending_and_checking_set_no_cookie_either(client: Client) -> None:
    form_page = client.get("/complaints/new")
    assert set(form_page.cookies) == {"csrftoken"}
    assert form_page.cookies["csrftoken"]["httponly"]
    sent = post(client, "/complaints/new", FORM)
    code = RECEIPT.search(html(sent))
    assert code is not None
    status = look_up(client, code.group(1))

    assert status.status_code == 200
    for response in (sent, status):
        assert set(response.cookies) <= {"csrftoken"}
    assert "sessionid" not in client.cookies


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
_STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
_OUTSIDE = re.compile(r'\b(?:src|href|action|hx-get|hx-post)="(?:https?:)?//', re.IGNORECASE)


@pytest.mark.parametrize("lang", ["ru", "uk", "en"])
def test_no_inline_script_or_style_and_nothing_from_elsewhere(client: Client, lang: str) -> None:
    for name, page in _public_pages(client, lang).items():
        assert not _INLINE_SCRIPT.search(page), name
        assert not _STYLE_ATTRIBUTE.search(page), name
        assert "<style" not in page.lower(), name
        assert not _OUTSIDE.search(page), name


def test_every_public_response_has_the_security_headers(client: Client) -> None:
    responses = [client.get(f"{path}?lang=en") for path in PAGES]
    responses.append(client.get("/complaints/new/reason?category=provision&lang=en"))
    responses.append(post(client, "/complaints/new", FORM))
    responses.append(look_up(client, "1111 2222 3333 4444"))
    for response in responses:
        policy = response["Content-Security-Policy"]
        assert "default-src 'none'" in policy
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "style-src 'self'" in policy
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] in ("no-referrer", "same-origin")


def test_the_form_page_loads_htmx_from_this_server_only(client: Client) -> None:
    page = html(client.get("/complaints/new?lang=en"))

    assert re.search(r'<script src="/static/nadzor/htmx-[0-9.]+\.min\.js" defer></script>', page)
    assert 'hx-get="/complaints/new/reason?lang=en"' in page
    assert 'hx-params="category,reason"' in page, "only the two choices go into the address"


def test_the_reason_field_offers_the_chosen_categorys_reasons(client: Client) -> None:
    provision = html(
        client.get("/complaints/new/reason?category=provision&reason=provision:food&lang=en")
    )
    callup = html(client.get("/complaints/new/reason?category=unlawful_callup&lang=ru"))
    abuse = html(client.get("/complaints/new/reason?category=abuse&lang=en"))
    anything = html(client.get("/complaints/new/reason?category=nonsense&lang=en"))

    assert "Winter uniform" in provision and "Health" not in provision
    assert '<option value="provision:food" selected>Food</option>' in provision
    assert "Здоровье" in callup and "Бронежилет" not in callup
    assert 'id="field-reason" hidden' in abuse and "<select" not in abuse
    assert "Winter uniform" in anything and "Health" in anything, "unknown: every group"


def test_without_javascript_the_form_offers_every_reason_grouped(client: Client) -> None:
    page = html(client.get("/complaints/new?lang=en"))

    assert '<label for="reason-unlawful_callup">Unlawful call-up: why</label>' in page
    assert '<label for="reason-provision">Not provided: what</label>' in page
    assert page.count('name="reason"') == 2
    assert '<option value="unlawful_callup:other">' in page
    assert '<option value="provision:other">' in page
    assert '<option value="">Not needed</option>' in page
    for category in ("unlawful_callup", "provision", "conditions", "training", "abuse", "other"):
        assert f'type="checkbox" name="category" value="{category}"' in page


def test_the_identity_fieldset_says_it_is_optional_and_who_sees_it(client: Client) -> None:
    page = html(client.get("/complaints/new?lang=en"))
    fieldset = page[
        page.index('id="field-contact"') : page.index(
            "</fieldset>", page.index('id="field-contact"')
        )
    ]

    assert "About you (optional)" in fieldset
    assert "stay anonymous" in fieldset
    assert "Only the investigator working on your complaint and their supervisor" in fieldset
    for name in ("contact_name", "contact_phone", "contact_email", "contact_other"):
        assert f'name="{name}"' in fieldset


def test_the_status_form_posts_and_never_puts_the_code_in_the_address(client: Client) -> None:
    page = html(client.get("/complaints/status?lang=en&code=1234567890123456"))

    assert '<form method="post" action="/complaints/status?lang=en">' in page
    assert 'value="1234567890123456"' not in page, "a code in the address is ignored"
    assert 'autocomplete="off"' in page


def test_reason_field_and_reply_refuse_other_methods(client: Client) -> None:
    assert client.post("/complaints/new/reason").status_code in (403, 405)
    reply = client.get("/complaints/status/reply?lang=en")
    assert reply.status_code == 302
    assert reply["Location"] == "/complaints/status?lang=en"


def test_the_shared_footer_and_the_expired_form_page_speak_russian(client: Client) -> None:
    page = html(client.get("/?lang=ru"))
    expired = client.post("/complaints/status?lang=ru", {"code": "1"})

    assert "не записывает IP-адреса" in page
    assert expired.status_code == 403
    assert "Форма устарела" in html(expired)


def test_a_browser_can_send_the_forms(client: Client) -> None:
    """A browser sends `Origin: null` with a form posted from a page whose referrer policy is
    `no-referrer`, and Django's CSRF check refuses that origin, so no complaint could be
    sent. `same-origin` sends no referrer to other sites and lets the browser send the real
    origin to this one; the page's header and its meta tag must both allow it."""
    page = client.get("/complaints/new?lang=en")
    meta = re.search(r'<meta name="referrer" content="([^"]+)">', html(page))
    policies = {page["Referrer-Policy"], meta.group(1) if meta else ""}
    origin = "null" if "no-referrer" in policies else "http://testserver"

    response = post(client, "/complaints/new", FORM, lang="en", HTTP_ORIGIN=origin)

    assert response.status_code == 200, f"the policy {policies} makes browsers send {origin}"
    assert RECEIPT.search(html(response))
