"""The draft appeal: the findings and their citations in a letter to the authority that can
set the call-up right, in that authority's language, as text and as PDF.

The letter for each jurisdiction is a template `nadzor/check/letter/<JURISDICTION>.txt`. The
person's name and address are put only into the document they download; the page shows
the letter with blanks for them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.template.loader import get_template, select_template
from django.utils.html import escape

from nadzor.web.check.answer import Answer, Finding
from nadzor.web.check.questions import wording

__all__ = ["Letter", "has_letter", "letter_for", "letter_pdf"]

# The language each authority reads; a jurisdiction without one here gets no letter.
_LETTER_LANGUAGE = {"RU": "ru", "UA": "uk"}


@dataclass(frozen=True)
class Letter:
    language: str
    text: str
    filename: str


def has_letter(answer: Answer) -> bool:
    return answer.rulebook.jurisdiction in _LETTER_LANGUAGE and bool(answer.findings)


def _date(value: dt.date | str | None) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value.strftime("%d.%m.%Y") if value else ""


def _finding(finding: Finding, rule_documents: list[str]) -> dict[str, object]:
    return {
        "outcome": finding.outcome,
        "until": _date(finding.until),
        "basis": finding.basis,
        "explanation": finding.explanation,
        "documents": rule_documents,
    }


def letter_for(answer: Answer, *, name: str = "", address: str = "", today: dt.date) -> Letter:
    """The letter for `answer`; blanks where `name` and `address` are not given."""
    jurisdiction = answer.rulebook.jurisdiction
    language = _LETTER_LANGUAGE[jurisdiction]
    rules = {r.id: r for r in answer.rulebook.rules}
    findings = [
        _finding(f, [wording(d, language) or "" for d in rules[f.rule_id].documents])
        for f in answer.findings
    ]
    documents = list(dict.fromkeys(d for f in findings for d in f["documents"]))  # type: ignore[attr-defined]
    context = {
        "name": name.strip(),
        "address": address.strip(),
        "callup_date": _date(answer.callup_date),
        "findings": findings,
        "documents": documents,
        "today": _date(today),
        "not_subject": any(f.outcome == "not_subject" for f in answer.findings),
        "deferment": any(f.outcome == "deferment" for f in answer.findings),
        "rulebook": answer.rulebook.ref,
    }
    template = select_template([f"nadzor/check/letter/{jurisdiction}.txt"])
    text = template.render(context).strip() + "\n"
    return Letter(language, text, f"appeal-{answer.rulebook.id}-{today.isoformat()}")


def _paragraph(text: str) -> str:
    """A paragraph of the letter as HTML: one opening with a line in capitals is a title
    (centred), or, ending in a colon (`ПРОШУ:`), a lead-in to the lines below it."""
    lines = [escape(line) for line in text.strip().split("\n")]
    if lines[0].isupper() and lines[0].endswith(":"):
        return f"<p><strong>{lines[0]}</strong><br>" + "<br>".join(lines[1:]) + "</p>"
    if lines[0].isupper():
        return '<p class="title">' + "<br>".join(lines) + "</p>"
    return "<p>" + "<br>".join(lines) + "</p>"


def letter_pdf(letter: Letter) -> bytes:
    """The letter as an A4 PDF, set in DejaVu Serif (Cyrillic included)."""
    from weasyprint import HTML  # a heavy import, needed only for this download

    body = "".join(_paragraph(p) for p in letter.text.split("\n\n") if p.strip())
    html = get_template("nadzor/check/letter.html").render(
        {"language": letter.language, "body": body}
    )
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
