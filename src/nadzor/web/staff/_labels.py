"""Machine words (statuses, kinds, remedies, reasons, roles) as words in the page's
language: the same words as the template `_labels.html`, for sentences built in Python."""

from __future__ import annotations

from django.utils.translation import pgettext

__all__ = ["label"]

# value -> (context, English words); the Russian is in the catalogue
_WORDS: dict[str, tuple[str, str]] = {
    "new": ("staff", "new"),
    "triage": ("staff", "triage"),
    "investigating": ("staff", "investigating"),
    "remedy_requested": ("staff", "remedy requested"),
    "resolved": ("staff", "resolved"),
    "closed_unfounded": ("staff", "closed as unfounded"),
    "triaged": ("staff", "triaged"),
    "linked": ("staff", "linked to a case"),
    "closed": ("staff", "closed"),
    "unlawful_callup": ("staff", "unlawful call-up"),
    "provision": ("staff", "provision"),
    "conditions": ("staff", "conditions"),
    "training": ("staff", "training"),
    "abuse": ("staff", "abuse"),
    "other": ("staff", "other"),
    "sent_home": ("staff", "sent home"),
    "deferment_granted": ("staff", "deferment granted"),
    "discharged": ("staff", "discharged"),
    "kit_issued": ("staff", "kit issued"),
    "conditions_fixed": ("staff", "conditions fixed"),
    "received": ("staff", "received"),
    "in_review": ("staff", "in review"),
    "low": ("staff", "low"),
    "normal": ("staff", "normal"),
    "high": ("staff", "high"),
    "urgent": ("staff", "urgent"),
    "health": ("staff", "health"),
    "age": ("staff", "age"),
    "children": ("staff", "children"),
    "care": ("staff", "care for a relative"),
    "student": ("staff", "student"),
    "reservation": ("staff", "reservation"),
    "body_armour": ("staff", "body armour"),
    "winter_uniform": ("staff", "winter uniform"),
    "food": ("staff", "food"),
    "medicine": ("staff", "medicine"),
    "person": ("case subject", "person"),
    "unit": ("case subject", "military unit"),
    "facility": ("case subject", "facility"),
    "intake": ("staff role", "intake"),
    "investigator": ("staff role", "investigator"),
    "supervisor": ("staff role", "supervisor"),
    "analyst": ("staff role", "analyst"),
    "admin": ("staff role", "administrator"),
    "not_subject": ("staff", "not subject to call-up"),
    "deferment": ("staff", "entitled to a deferment"),
    "review": ("staff", "needs a review"),
}


def label(value: str) -> str:
    """The words for `value` in the active language (the value itself when unknown)."""
    known = _WORDS.get(value)
    if known is None:
        return value
    context, words = known
    return pgettext(context, words)
