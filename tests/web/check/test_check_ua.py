"""/check offers ua-2022 and works in Ukrainian end to end: the choice of law, the
questions, the grounds with their Ukrainian wording and citations, and the letter."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.web.check.conftest import html

pytestmark = pytest.mark.django_db

# A father of three, temporarily unfit by a commission's decision of 31.01.2024, called
# up on 20.03.2024: a deferment capped by the law's six months, and one for the children.
UA_ANSWERS: dict[str, Any] = {
    "rulebook": "ua-2022",
    "callup_date": "2024-03-20",
    "birth_date": "1988-03-15",
    "sex": "M",
    "ua_citizen": "true",
    "rank_category": "private_sergeant",
    "prior_service": "true",
    "vlk_result": "temp_unfit",
    "vlk_date": "2024-01-31",
    "temp_unfit_until": "2024-12-31",
    "children_birth_dates": ["2010-05-02", "2014-07-19", "2019-11-30", ""],
}


def _text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        (
            "uk",
            [
                "Законодавство України про мобілізацію, з початку загальної мобілізації 2022 року",
                "Законодавство Росії про мобілізацію, з 2022 року",
            ],
        ),
        (
            "ru",
            [
                "Законодательство Российской Федерации о мобилизации",
                "Законодательство Украины о мобилизации, с 2022 года",
            ],
        ),
    ],
)
def test_the_choice_of_law_names_both_rulebooks_in_the_page_language(
    client: Client, lang: str, names: list[str]
) -> None:
    page = html(client.get(f"/check?lang={lang}"))
    assert "rulebook=ua-2022" in page and "rulebook=ru-2022" in page
    for name in names:
        assert name in page
    assert "mobilization law" not in page


def test_the_questions_of_ua_2022_speak_ukrainian(client: Client) -> None:
    page = html(client.get("/check?lang=uk&rulebook=ua-2022"))
    for words in (
        "Ви громадянин України?",
        "Висновок військово-лікарської комісії (ВЛК)",
        "Тимчасово непридатний",
        "Якщо вас заброньовано за підприємством: до якого числа?",
        "Рядовий і сержантський склад",
    ):
        assert words in page
    assert 'id="q-region"' not in page and 'id="q-record_id"' not in page


def test_the_answer_and_the_letter_in_ukrainian(client: Client) -> None:
    response = client.post("/check?lang=uk&rulebook=ua-2022", UA_ANSWERS)
    page = html(response)
    assert response.status_code == 200
    text = _text(page)
    assert "відстрочка діє до 30.07.2024 включно" in text
    assert "3 дітей віком до 18 років на 20.03.2024" in text
    assert "ч. 1 ст. 23 Закону України «Про мобілізаційну підготовку та мобілізацію»" in text
    assert (
        "Довідка військово-лікарської комісії з висновком і строком тимчасової непридатності"
        in text
    )
    assert "Свідоцтва про народження дітей" in text
    # the explanations and citations are the rulebook's own Ukrainian, not quoted English
    assert "in English" not in text and '<p class="explanation" lang=' not in page
    assert "LMob" not in text
    # the letter to the recruitment centre's commission, with the Ukrainian citations
    assert "СКАРГА" in page and "Уповноваженому Верховної Ради України з прав людини" in page
    assert "Правова підстава: ч. 1 ст. 23 Закону України" in page
    assert not response.cookies


def test_the_letter_downloads_in_ukrainian(client: Client) -> None:
    data = {**UA_ANSWERS, "name": "Коваленко Олег Петрович", "format": "txt"}
    response = client.post("/check/letter?lang=uk", data)
    assert response.status_code == 200
    letter = response.content.decode("utf-8")
    assert "Коваленко Олег Петрович" in letter
    assert "Я маю право на відстрочку від призову до 30.07.2024." in letter
    assert "Свідоцтва про народження дітей" in letter
