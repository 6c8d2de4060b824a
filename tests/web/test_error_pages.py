"""A person who reaches a wrong address, a forbidden page or a server error gets the site's
page in the request's language, never Django's bare English one; the API keeps its shape."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import translation

from nadzor.web.errors import forbidden, server_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "title", "text"),
    [
        ("ru", "Страница не найдена", "По этому адресу ничего нет"),
        ("uk", "Сторінку не знайдено", "За цією адресою нічого немає"),
        ("en", "Page not found", "There is nothing at this address"),
    ],
)
def test_an_unknown_address_is_the_sites_page_in_the_language(
    lang: str, title: str, text: str
) -> None:
    response = Client().get(f"/no-such-page?lang={lang}")
    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in html and title in html and text in html
    assert "The requested resource was not found" not in html


def test_the_browsers_language_picks_the_page_of_an_unknown_address() -> None:
    response = Client().get("/staff/no-such-page", HTTP_ACCEPT_LANGUAGE="uk-UA,uk;q=0.9")
    assert response.status_code == 404 and "Сторінку не знайдено" in response.content.decode()


def test_an_unknown_api_path_keeps_the_api_shape() -> None:
    response = Client().get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("lang", "forbidden_title", "error_title"),
    [("ru", "Нет доступа", "Что-то пошло не так"), ("uk", "Немає доступу", "Щось пішло не так")],
)
def test_forbidden_and_server_error_pages_speak_the_language(
    lang: str, forbidden_title: str, error_title: str
) -> None:
    request = RequestFactory().get("/staff/")
    with translation.override(lang):
        denied = forbidden(request, PermissionDenied())
        failed = server_error(request)
    assert denied.status_code == 403 and forbidden_title in denied.content.decode()
    assert failed.status_code == 500 and error_title in failed.content.decode()


def test_a_server_error_page_that_cannot_render_still_says_so_in_the_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database is down")

    monkeypatch.setattr("nadzor.web.errors.render", broken)
    with translation.override("ru"):
        failed = server_error(RequestFactory().get("/"))
    assert failed.status_code == 500
    assert "Сервер не смог выполнить запрос" in failed.content.decode()
