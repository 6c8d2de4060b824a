"""A complaint worked through the whole workflow, for the tests that scan its pages for
words of another language: two problems and a file, split into two cases; one worked to a
sent-home remedy approved by a supervisor, with a note; the mother wrote again. Only the
words differ by language."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from nadzor.cases.domain import Actor, Remedy, Role, Status, TransitionRequest

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@dataclass(frozen=True)
class Words:
    """What the people in the story write, in one language."""

    language: str
    region: str
    text: str
    file_name: str
    reply: str
    approval: str
    note: str
    message: str


def work_complaint(staff: dict[Role, Actor], words: Words) -> dict[str, Any]:
    """The worked complaint's receipt code and its two cases' references."""
    from nadzor.cases.services import add_note, decide_closure, transition
    from nadzor.complaints.services import (
        Upload,
        add_public_message,
        reply,
        split_complaint,
        submit,
    )

    sent = submit(
        {
            "category": ["unlawful_callup", "provision"],
            "reason": {"unlawful_callup": "health", "provision": "winter_uniform"},
            "region": words.region,
            "facility": "в/ч 12345",
            "text": words.text,
        },
        [Upload(words.file_name, io.BytesIO(PDF))],
        language=words.language,
    )
    boss, ivan = staff[Role.SUPERVISOR], staff[Role.INVESTIGATOR]
    main, other = split_complaint(
        staff[Role.INTAKE], sent.complaint_id, ["unlawful_callup", "provision"]
    )
    reply(boss, sent.complaint_id, words.reply)
    for request in (
        TransitionRequest(Status.TRIAGE, ""),
        TransitionRequest(Status.INVESTIGATING, "", assignee=ivan.name),
    ):
        transition(boss, main.reference, request)
    transition(ivan, main.reference, TransitionRequest(Status.REMEDY_REQUESTED, ""))
    transition(
        ivan, main.reference, TransitionRequest(Status.RESOLVED, "", remedy=Remedy.SENT_HOME)
    )
    decide_closure(boss, main.reference, approve=True, reason=words.approval)
    add_note(ivan, main.reference, words.note)
    add_public_message(sent.code, words.message, [Upload("фото.pdf", io.BytesIO(PDF + b"2"))])
    return {"code": sent.code, "main": main.reference, "other": other.reference}
