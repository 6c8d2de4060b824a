"""A case's history as sentences in the page's language, read from its audit entries.

The audit log keeps machine words (`case.status`, JSON); people read "ivan moved the case
from triage to investigating: checked the papers". Each known action has its sentence; an
action this module does not know is still shown, as "a change was recorded" with its
details in words, so that nothing in the log is hidden from the page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import pgettext

from nadzor.web.staff._labels import label

__all__ = ["HistoryRow", "case_title", "history_rows"]

_ACTORS = {"public": "", "system": ""}


@dataclass(frozen=True)
class HistoryRow:
    seq: int
    at: str
    actor: str
    sentence: str
    reason: str = ""


def case_title(title: str) -> str:
    """A stored title in the page's language: the titles the system gives (complaints,
    parts of a complaint, screening findings) are recognised; a title typed by staff is
    shown as typed."""
    match = re.fullmatch(r"Complaint (\d+)", title)
    if match:
        return pgettext("staff", "Complaint %(number)s") % {"number": match.group(1)}
    match = re.fullmatch(r"Complaint (\d+), part (\d+)", title)
    if match:
        return pgettext("staff", "Complaint %(number)s, part %(part)s") % {
            "number": match.group(1),
            "part": match.group(2),
        }
    match = re.fullmatch(r"complaint (\d+)", title)
    if match:  # an evidence file that came with a complaint
        return pgettext("staff", "sent with complaint %(number)s") % {"number": match.group(1)}
    match = re.fullmatch(r"Screening findings for record (.+) of (.+)", title)
    if match:
        return pgettext("staff", "Screening findings for record %(record)s of %(source)s") % {
            "record": match.group(1),
            "source": match.group(2),
        }
    return title


def _who(actor: str) -> str:
    if actor == "public":
        return pgettext("staff history", "The complainant")
    if actor == "system":
        return pgettext("staff history", "The system")
    return actor


def history_rows(entries: list[Any]) -> list[HistoryRow]:
    rows = []
    for entry in entries:
        try:
            data = json.loads(entry.data)
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        say = _SENTENCES.get(entry.action, _unknown)
        sentence = say(_who(entry.actor), data)
        reason = data.get("reason")
        rows.append(
            HistoryRow(
                seq=entry.seq,
                at=entry.at,
                actor=_who(entry.actor),
                sentence=sentence,
                reason=reason if isinstance(reason, str) and entry.action != "case.update" else "",
            )
        )
    return rows


def _fmt(text: str, **values: object) -> str:
    return text % {k: ("—" if v is None or v == "" else v) for k, v in values.items()}


def _created(who: str, data: dict[str, Any]) -> str:
    if data.get("via") == "findings import":
        n = len(data.get("findings") or [])
        return _fmt(
            pgettext(
                "staff history",
                "%(who)s opened the case from screening findings (%(count)s) for record"
                " %(record)s of %(source)s.",
            ),
            who=who,
            count=n,
            record=data.get("record_id"),
            source=data.get("source"),
        )
    return _fmt(
        pgettext("staff history", "%(who)s opened the case: %(kind)s, due %(due)s."),
        who=who,
        kind=label(str(data.get("kind", ""))),
        due=data.get("due_on"),
    )


def _status(who: str, data: dict[str, Any]) -> str:
    sentence = _fmt(
        pgettext("staff history", "%(who)s moved the case from “%(before)s” to “%(after)s”."),
        who=who,
        before=label(str(data.get("from", ""))),
        after=label(str(data.get("to", ""))),
    )
    assignee = data.get("assignee")
    if isinstance(assignee, dict) and assignee.get("to"):
        sentence += " " + _fmt(
            pgettext("staff history", "Assigned to %(name)s."), name=assignee.get("to")
        )
    if data.get("remedy"):
        sentence += " " + _fmt(
            pgettext("staff history", "Remedy: %(remedy)s."),
            remedy=label(str(data["remedy"]))
            + (f" ({data['remedy_text']})" if data.get("remedy_text") else ""),
        )
    return sentence


def _closure_requested(who: str, data: dict[str, Any]) -> str:
    if data.get("to") == "resolved":
        return _fmt(
            pgettext(
                "staff history",
                "%(who)s asked a supervisor to approve resolving the case with the remedy"
                " “%(remedy)s”.",
            ),
            who=who,
            remedy=label(str(data.get("remedy", ""))),
        )
    return _fmt(
        pgettext("staff history", "%(who)s asked a supervisor to close the case as unfounded."),
        who=who,
    )


def _closure_rejected(who: str, data: dict[str, Any]) -> str:
    return _fmt(
        pgettext("staff history", "%(who)s rejected the request; the case stays open."), who=who
    )


_FIELDS = {
    "due_on": lambda: pgettext("staff history", "the deadline"),
    "title": lambda: pgettext("staff history", "the title"),
    "region": lambda: pgettext("staff history", "the region"),
    "facility": lambda: pgettext("staff history", "the facility or unit"),
    "priority": lambda: pgettext("staff history", "the priority"),
    "tags": lambda: pgettext("staff history", "the tags"),
    "commissariat": lambda: pgettext("staff history", "the commissariat"),
}


def _updated(who: str, data: dict[str, Any]) -> str:
    if data.get("field") == "legal_hold":
        if data.get("to"):
            text = pgettext("staff history", "%(who)s placed the case under a legal hold: %(why)s")
        else:
            text = pgettext("staff history", "%(who)s lifted the legal hold: %(why)s")
        return _fmt(text, who=who, why=data.get("reason"))
    if data.get("field") == "due_on":
        return _fmt(
            pgettext(
                "staff history", "%(who)s moved the deadline from %(before)s to %(after)s: %(why)s"
            ),
            who=who,
            before=data.get("from"),
            after=data.get("to"),
            why=_deadline_reason(str(data.get("reason", ""))),
        )
    changed = [
        _FIELDS[name]() if name in _FIELDS else name
        for name in data
        if isinstance(data[name], dict)
    ]
    return _fmt(
        pgettext("staff history", "%(who)s changed %(fields)s."),
        who=who,
        fields=", ".join(changed),
    )


def _deadline_reason(reason: str) -> str:
    match = re.fullmatch(r"the deadline of complaint (\d+)", reason)
    if match:
        return pgettext("staff history", "the deadline of complaint %(number)s") % {
            "number": match.group(1)
        }
    return reason


def _note(who: str, data: dict[str, Any]) -> str:
    return _fmt(pgettext("staff history", "%(who)s added a note."), who=who)


def _finding(who: str, data: dict[str, Any]) -> str:
    return _fmt(
        pgettext("staff history", "A new finding joined the case: rule %(rule)s."),
        rule=data.get("rule_id"),
    )


def _link(who: str, data: dict[str, Any]) -> str:
    if data.get("from"):
        return _fmt(
            pgettext(
                "staff history", "%(who)s moved complaint %(number)s from %(before)s to %(after)s."
            ),
            who=who,
            number=data.get("complaint"),
            before=data.get("from"),
            after=data.get("to"),
        )
    return _fmt(
        pgettext("staff history", "%(who)s linked complaint %(number)s to the case."),
        who=who,
        number=data.get("complaint"),
    )


def _split(who: str, data: dict[str, Any]) -> str:
    return _fmt(
        pgettext(
            "staff history",
            "%(who)s opened case %(reference)s for another problem of complaint %(number)s"
            " (%(kind)s).",
        ),
        who=who,
        reference=data.get("split_to"),
        number=data.get("complaint"),
        kind=label(str(data.get("kind", ""))),
    )


def _message(who: str, data: dict[str, Any]) -> str:
    files = data.get("attachments") or 0
    if data.get("from") == "you":
        text = pgettext("staff history", "The complainant wrote a message on complaint %(number)s.")
        if files:
            text += " " + pgettext("staff history", "Files attached: %(files)s.")
        return _fmt(text, number=data.get("complaint"), files=files)
    return _fmt(pgettext("staff history", "%(who)s replied to the complainant."), who=who)


def _evidence_add(who: str, data: dict[str, Any]) -> str:
    source = str(data.get("from", ""))
    if source.startswith("complaint:"):
        return _fmt(
            pgettext(
                "staff history",
                "The file %(name)s (SHA-256 %(hash)s) sent with complaint %(number)s became"
                " evidence.",
            ),
            name=data.get("original_name"),
            hash=str(data.get("sha256", ""))[:12] + "…",
            number=source.partition(":")[2],
        )
    return _fmt(
        pgettext("staff history", "%(who)s added the file %(name)s (SHA-256 %(hash)s)."),
        who=who,
        name=data.get("original_name"),
        hash=str(data.get("sha256", ""))[:12] + "…",
    )


def _evidence_view(who: str, data: dict[str, Any]) -> str:
    return _fmt(
        pgettext("staff history", "%(who)s opened the file with SHA-256 %(hash)s."),
        who=who,
        hash=str(data.get("sha256", ""))[:12] + "…",
    )


def _evidence_delete(who: str, data: dict[str, Any]) -> str:
    return _fmt(
        pgettext("staff history", "%(who)s deleted the file %(name)s."),
        who=who,
        name=data.get("original_name"),
    )


def _identity_view(who: str, data: dict[str, Any]) -> str:
    return _fmt(pgettext("staff history", "%(who)s viewed personal data."), who=who)


def _identity_add(who: str, data: dict[str, Any]) -> str:
    return _fmt(pgettext("staff history", "%(who)s recorded a person's data."), who=who)


def _unknown(who: str, data: dict[str, Any]) -> str:
    return _fmt(pgettext("staff history", "%(who)s made a change."), who=who)


_SENTENCES: dict[str, Callable[[str, dict[str, Any]], str]] = {
    "case.create": _created,
    "case.status": _status,
    "case.closure_requested": _closure_requested,
    "case.approval_requested": _closure_requested,
    "case.closure_rejected": _closure_rejected,
    "case.update": _updated,
    "case.note": _note,
    "finding.add": _finding,
    "complaint.link": _link,
    "complaint.split": _split,
    "complaint.message": _message,
    "evidence.add": _evidence_add,
    "evidence.view": _evidence_view,
    "evidence.delete": _evidence_delete,
    "identity.view": _identity_view,
    "identity.add": _identity_add,
}
