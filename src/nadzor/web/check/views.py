"""`/check`: a person checks one call-up and leaves with a letter. Nothing is kept.

No session, no cookie, no database, no log line with a fact: the answers travel in the form
(and back in hidden fields for the letter), are checked in memory and forgotten. That is
also why these forms carry no CSRF token, which would need a cookie: a forged post from
another site could only make a browser compute an answer that site cannot read, and changes
nothing here. Posts that a browser marks as coming from another site are refused all the
same (`Origin`, `Sec-Fetch-Site`), so the desk cannot be driven from elsewhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from nadzor.rules import Rulebook
from nadzor.web._settings import LANGUAGES
from nadzor.web.check.answer import Answer, check, check_rulebooks
from nadzor.web.check.letter import has_letter, letter_for, letter_pdf
from nadzor.web.check.limits import check_requests
from nadzor.web.check.questions import LIST_SLOTS, answers_from, questions_for, record_from
from nadzor.web.middleware import pick_language
from nadzor.web.ratelimit import client_address

__all__ = ["CHECK_LANGUAGES", "check_page", "letter"]

# the site's languages: Russian, Ukrainian and English
CHECK_LANGUAGES = LANGUAGES
_CODES = [code for code, _name in CHECK_LANGUAGES]


def _language(request: HttpRequest) -> str:
    """`?lang=` among Russian, Ukrainian and English, else the browser's, else Russian."""
    return pick_language(request, _CODES)


def _activate(request: HttpRequest) -> str:
    code = _language(request)
    translation.activate(code)  # the middleware deactivates it after the response
    request.LANGUAGE_CODE = code  # type: ignore[attr-defined]
    return code


def _cross_site(request: HttpRequest) -> bool:
    if request.headers.get("Sec-Fetch-Site", "") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if not origin:
        return False
    own = f"{request.scheme}://{request.get_host()}"
    return origin not in (own, *getattr(settings, "CSRF_TRUSTED_ORIGINS", []))


def _rulebook(request: HttpRequest, rulebooks: dict[str, Rulebook]) -> Rulebook | None:
    asked = request.GET.get("rulebook") or request.POST.get("rulebook")
    if asked in rulebooks:
        return rulebooks[asked]
    return next(iter(rulebooks.values())) if len(rulebooks) == 1 and not asked else None


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    lang = str(request.LANGUAGE_CODE)  # type: ignore[attr-defined]
    context = {
        **context,
        "lang": lang,
        "other_languages": [(c, n) for c, n in CHECK_LANGUAGES if c != lang],
    }
    response = render(request, template, context, status=status)
    response["Content-Language"] = lang
    return response


def _form(
    request: HttpRequest,
    rulebook: Rulebook | None,
    rulebooks: dict[str, Rulebook],
    *,
    answers: dict[str, list[str]] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    lang = str(request.LANGUAGE_CODE)  # type: ignore[attr-defined]
    questions = questions_for(rulebook.record_type, lang) if rulebook else []
    context = {
        "rulebook": rulebook,
        "rulebooks": list(rulebooks.values()),
        "questions": questions,
        "answers": answers or {},
        "errors": errors or {},
        "slots": range(LIST_SLOTS),
        "today": dt.date.today().isoformat(),
    }
    return _render(request, "nadzor/check/form.html", context, status)


def _refused(request: HttpRequest) -> HttpResponse:
    return _render(request, "nadzor/check/refused.html", {}, 403)


def _limited(request: HttpRequest) -> HttpResponse | None:
    wait = check_requests.begin(client_address(request))
    if not wait:
        return None
    minutes = max(1, -(-wait // 60))
    response = _render(request, "nadzor/check/rate_limited.html", {"minutes": minutes}, 429)
    response["Retry-After"] = str(wait)
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
@sensitive_variables()
def check_page(request: HttpRequest) -> HttpResponse:
    """The questions (GET, or POST with `edit`); the answer for posted answers."""
    lang = _activate(request)
    rulebooks = check_rulebooks()
    rulebook = _rulebook(request, rulebooks)
    if request.method != "POST" or rulebook is None:
        return _form(request, rulebook, rulebooks)
    if _cross_site(request):
        return _refused(request)
    questions = questions_for(rulebook.record_type, lang)
    answers = answers_from(request.POST, questions)
    if request.POST.get("edit"):
        return _form(request, rulebook, rulebooks, answers=answers)
    limited = _limited(request)
    if limited is not None:
        return limited
    answer = check(rulebook, record_from(answers, questions, rulebook.record_type), questions, lang)
    if answer.errors:
        return _form(
            request, rulebook, rulebooks, answers=answers, errors=answer.errors, status=400
        )
    context = {
        "rulebook": rulebook,
        "answer": answer,
        "answers": answers,
        "letter": letter_for(answer, today=dt.date.today()) if has_letter(answer) else None,
        "verified_late": _after_verified(answer),
    }
    return _render(request, "nadzor/check/answer.html", context)


def _after_verified(answer: Answer) -> bool:
    try:
        day = dt.date.fromisoformat(answer.callup_date or "")
    except ValueError:
        return False
    return day > answer.rulebook.verified_through


@csrf_exempt
@require_POST
@sensitive_post_parameters()
@sensitive_variables()
def letter(request: HttpRequest) -> HttpResponse:
    """The letter with the name and address typed, as a PDF or a text file to download."""
    lang = _activate(request)
    rulebooks = check_rulebooks()
    rulebook = _rulebook(request, rulebooks)
    if rulebook is None:
        return _form(request, None, rulebooks, status=400)
    if _cross_site(request):
        return _refused(request)
    limited = _limited(request)
    if limited is not None:
        return limited
    questions = questions_for(rulebook.record_type, lang)
    answers = answers_from(request.POST, questions)
    answer = check(rulebook, record_from(answers, questions, rulebook.record_type), questions, lang)
    if answer.errors or not has_letter(answer):
        return _form(
            request, rulebook, rulebooks, answers=answers, errors=answer.errors, status=400
        )
    drafted = letter_for(
        answer,
        name=request.POST.get("name", "")[:200],
        address=request.POST.get("address", "")[:400],
        today=dt.date.today(),
    )
    if request.POST.get("format") == "txt":
        response = HttpResponse(drafted.text, content_type="text/plain; charset=utf-8")
        suffix = "txt"
    else:
        response = HttpResponse(letter_pdf(drafted), content_type="application/pdf")
        suffix = "pdf"
    response["Content-Disposition"] = f'attachment; filename="{drafted.filename}.{suffix}"'
    response["Content-Language"] = drafted.language
    return response
