"""The people's experience in a real browser, in Russian on a phone: nobody's message is
lost, the receipt survives a reload and a change of language, a complaint with two
problems becomes two cases, an investigator finds a case by its reference or a phrase."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, PHONE, digits

pytestmark = pytest.mark.browser

GROUPED_CODE = re.compile(r"[0-9]{4}([ \u00a0][0-9]{4}){3}")
PHRASE = "Сына так и не отпустили"


def phone(new_page: Callable[..., Page]) -> Page:
    return new_page(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale="ru-RU"
    )


def sign_in_ru(page: Page, site: str, name: str) -> None:
    page.goto(f"{site}/staff/login?lang=ru")
    page.get_by_label("Имя пользователя").fill(name)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()


def fill_complaint(page: Page, site: str) -> None:
    page.goto(f"{site}/complaints/new?lang=ru")
    page.get_by_label("Незаконный призыв", exact=True).check()
    page.get_by_label("Не выдали снаряжение или довольствие").check()
    # with JavaScript the reason lists follow the ticked categories
    page.get_by_label("Незаконный призыв: почему").select_option(label="Здоровье")
    page.get_by_label("Что не выдали").select_option(label="Зимняя форма")
    page.get_by_label("Регион").fill("Sverdlovsk Oblast")
    page.get_by_label("Что произошло?").fill(
        "Сына призвали с категорией годности Д, зимнюю форму не выдали."
    )


def receipt(page: Page) -> str:
    expect(page.get_by_role("heading", name="Ваша жалоба получена")).to_be_visible()
    shown = page.locator("#receipt").inner_text().strip()
    assert GROUPED_CODE.fullmatch(shown), shown
    return shown


def test_the_receipt_survives_a_reload_and_a_change_of_language(
    new_page: Callable[..., Page],
    site: str,
    transactional_db: None,
    screenshot: Callable[..., None],
) -> None:
    from nadzor.store.models import Complaint

    page = phone(new_page)
    fill_complaint(page, site)
    send = page.get_by_role("button", name="Отправить жалобу")
    hint = page.locator("#category-hint")
    expect(hint).to_have_text("Можно выбрать несколько.")
    screenshot(page, "people-complaint-form-ru")
    send.tap()
    code = receipt(page)
    # the copy button, where JavaScript runs
    expect(page.get_by_role("button", name="Скопировать код")).to_be_visible()
    screenshot(page, "people-receipt-ru")
    assert Complaint.objects.count() == 1

    # a reload posts the same form again: nothing new, and no code shown
    page.once("dialog", lambda dialog: dialog.accept())
    page.reload()
    expect(page.get_by_role("heading", name="Эта жалоба уже получена")).to_be_visible()
    assert not GROUPED_CODE.search(page.locator("main").inner_text())
    assert Complaint.objects.count() == 1

    # Back to the receipt is not possible (it is not cached); a fresh receipt is shown in
    # the other language by its own form, the code never in an address
    page.go_back()
    page = phone(new_page)
    fill_complaint(page, site)
    page.get_by_role("button", name="Отправить жалобу").tap()
    second = receipt(page)
    assert digits(second) != digits(code)
    page.get_by_role("button", name="English").tap()
    expect(page.get_by_role("heading", name="Your complaint has been received")).to_be_visible()
    assert digits(page.locator("#receipt").inner_text()) == digits(second)
    assert digits(second) not in page.url
    page.get_by_role("button", name="Русский").tap()
    expect(page.get_by_role("heading", name="Ваша жалоба получена")).to_be_visible()
    assert digits(page.locator("#receipt").inner_text()) == digits(second)
    assert Complaint.objects.count() == 2


def test_the_send_button_waits_while_the_form_is_sent(
    new_page: Callable[..., Page], site: str, transactional_db: None
) -> None:
    page = phone(new_page)
    fill_complaint(page, site)
    # the button as it is just after the form was sent, before the answer comes
    disabled = page.evaluate(
        """() => new Promise(resolve => {
            const form = document.querySelector('main form');
            form.addEventListener('submit', () => setTimeout(() => {
                const b = form.querySelector('button[type=submit]');
                resolve([b.disabled, b.textContent]);
            }, 10));
            form.requestSubmit();
        })"""
    )
    assert disabled == [True, "Отправляем…"]
    receipt(page)


def test_hints_are_linked_to_their_inputs(
    new_page: Callable[..., Page], site: str, transactional_db: None
) -> None:
    page = phone(new_page)
    page.goto(f"{site}/complaints/new?lang=ru")
    unlinked = page.evaluate(
        """() => [...document.querySelectorAll('.field .hint[id], fieldset .hint[id]')]
            .filter(h => !document.querySelector(`[aria-describedby~="${h.id}"]`))
            .map(h => h.id)"""
    )
    assert unlinked == []
    hints_without_id = page.evaluate(
        "() => document.querySelectorAll('.field .hint:not([id])').length"
    )
    assert hints_without_id == 0
    small = page.evaluate(
        """() => [...document.querySelectorAll('input[type=checkbox], input[type=radio], button')]
            .filter(e => e.offsetParent !== null)
            .filter(e => {
                const r = e.getBoundingClientRect();
                return r.width < 24 || r.height < 24;
            })
            .map(e => e.outerHTML.slice(0, 120))"""
    )
    assert small == []


def test_a_message_after_resolution_is_unread_for_the_investigator_and_the_supervisor(
    new_page: Callable[..., Page],
    site: str,
    staff: dict[str, str],
    screenshot: Callable[..., None],
) -> None:
    from nadzor.cases.domain import Actor, Remedy, Role, Status, TransitionRequest
    from nadzor.cases.services import transition
    from nadzor.complaints.services import open_case, submit

    sent = submit({"category": "unlawful_callup", "text": "Сына призвали с категорией Д."})
    boss = Actor("sofia", Role.SUPERVISOR)
    case = open_case(boss, sent.complaint_id)
    for request in (
        TransitionRequest(Status.TRIAGE, ""),
        TransitionRequest(Status.INVESTIGATING, "", assignee="ivan"),
        TransitionRequest(Status.REMEDY_REQUESTED, ""),
        TransitionRequest(Status.RESOLVED, "", remedy=Remedy.DEFERMENT_GRANTED),
    ):
        transition(boss, case.reference, request)

    mother = phone(new_page)
    mother.goto(f"{site}/complaints/status?lang=ru")
    mother.get_by_label("Код квитанции").fill(sent.code)
    mother.get_by_role("button", name="Проверить").tap()
    expect(mother.locator("#status")).to_contain_text("Нарушение устранено")
    expect(mother.locator("#remedy")).to_contain_text("Предоставлена отсрочка от призыва.")
    screenshot(mother, "people-status-ru")
    mother.get_by_label("Ваше сообщение").fill(PHRASE + ", хотя обещали.")
    mother.get_by_role("button", name="Отправить", exact=True).tap()
    expect(mother.get_by_role("status")).to_contain_text("Ваше сообщение отправлено.")

    ivan = phone(new_page)
    sign_in_ru(ivan, site, "ivan")
    expect(ivan.get_by_role("heading", name="Мои дела")).to_be_visible()
    row = ivan.locator("tr.has-unread")
    expect(row).to_contain_text(case.reference)
    expect(row).to_contain_text("1 непрочитанное")
    screenshot(ivan, "people-my-cases-ru")

    sofia = new_page(locale="ru-RU")
    sign_in_ru(sofia, site, "sofia")
    unread = sofia.get_by_role("row", name=re.compile("Непрочитанные сообщения"))
    expect(unread).to_contain_text("1")
    unread.get_by_role("link").click()
    expect(sofia.locator("tr.has-unread")).to_contain_text(case.reference)

    # the investigator answers: the mark goes, for both
    ivan.get_by_role("link", name=case.reference).tap()
    ivan.get_by_role("link", name=re.compile(r"^Жалоба \d+$")).tap()
    expect(ivan.locator("li.unread-message")).to_contain_text(PHRASE)
    ivan.get_by_label("Ответ автору жалобы").fill("Разбираемся, напишем до пятницы.")
    ivan.get_by_role("button", name="Отправить ответ").tap()
    expect(ivan.locator("li.unread-message")).to_have_count(0)
    sofia.reload()
    expect(sofia.locator("tr.has-unread")).to_have_count(0)


def test_a_complaint_with_two_problems_becomes_two_cases(
    new_page: Callable[..., Page],
    site: str,
    staff: dict[str, str],
    screenshot: Callable[..., None],
) -> None:
    from nadzor.store.models import Case

    mother = phone(new_page)
    fill_complaint(mother, site)
    mother.get_by_role("button", name="Отправить жалобу").tap()
    receipt(mother)

    ira = phone(new_page)
    sign_in_ru(ira, site, "ira")
    ira.locator("article.complaint").get_by_role("link", name=re.compile(r"^Жалоба \d+$")).tap()
    split = ira.get_by_role("group", name="Несколько проблем: отдельное дело по каждой")
    expect(split.get_by_role("checkbox")).to_have_count(2)
    screenshot(ira, "people-split-ru")
    ira.get_by_role("button", name="Открыть дела").tap()
    expect(ira.get_by_role("status")).to_contain_text("Открыты дела:")
    kinds = sorted(Case.objects.values_list("kind", flat=True))
    assert kinds == ["provision", "unlawful_callup"]
    assert set(Case.objects.values_list("region", flat=True)) == {"Свердловская область"}


def test_an_investigator_finds_a_case_by_reference_and_by_phrase(
    new_page: Callable[..., Page], site: str, staff: dict[str, str]
) -> None:
    from nadzor.cases.domain import Actor, Kind, Role
    from nadzor.cases.services import NewCase, create_case
    from nadzor.complaints.services import open_case, submit

    boss = Actor("sofia", Role.SUPERVISOR)
    for n in range(30):
        create_case(boss, NewCase(kind=Kind.OTHER, title=f"Обращение {n}"))
    sent = submit({"category": "abuse", "text": PHRASE + ", а сослуживцы его бьют."})
    wanted = open_case(boss, sent.complaint_id)

    ivan = phone(new_page)
    sign_in_ru(ivan, site, "ivan")
    ivan.get_by_role("navigation", name="Какие дела показать").get_by_role(
        "link", name="Все доступные мне дела"
    ).tap()
    search = ivan.get_by_label("Поиск")
    search.fill(wanted.reference.lower())
    search.press("Enter")
    expect(ivan.locator("#case-table tbody tr")).to_have_count(1)
    expect(ivan.locator("#case-table")).to_contain_text(wanted.reference)
    search.fill("так и не отпустили")
    search.press("Enter")
    expect(ivan).to_have_url(re.compile(r"q=%D1%82%D0%B0%D0%BA", re.IGNORECASE))
    expect(ivan.locator("#case-table tbody tr")).to_have_count(1)
    expect(ivan.locator("#case-table")).to_contain_text(wanted.reference)
    ivan.reload()  # the filtered list's address was kept in the history: the full page
    expect(ivan.get_by_label("Поиск")).to_have_value("так и не отпустили")
    ivan.get_by_role("link", name="Сбросить фильтры").tap()
    expect(ivan.locator("#case-table")).to_contain_text("31")
