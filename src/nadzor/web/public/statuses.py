"""The public statuses of a complaint in plain words."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nadzor.complaints.domain import PublicState

__all__ = ["remedy_words", "status_words"]

_WORDS: dict[str, tuple[Promise, Promise]] = {
    PublicState.RECEIVED: (
        pgettext_lazy("public desk", "Received"),
        _("Your complaint has arrived and is waiting to be read by staff."),
    ),
    PublicState.IN_REVIEW: (
        pgettext_lazy("public desk", "Being reviewed"),
        _("Staff are reading your complaint and deciding what to do next."),
    ),
    PublicState.INVESTIGATING: (
        pgettext_lazy("public desk", "Being investigated"),
        _("Staff are checking the facts. This can take some time."),
    ),
    PublicState.REMEDY_REQUESTED: (
        pgettext_lazy("public desk", "A remedy has been requested"),
        _(
            "Staff have asked the responsible body to put things right and are waiting for an answer."
        ),
    ),
    PublicState.RESOLVED: (
        pgettext_lazy("public desk", "Resolved"),
        _("The matter has been put right. If it has not, write to us below."),
    ),
    PublicState.CLOSED: (
        pgettext_lazy("public desk", "Closed"),
        _("Work on this complaint has ended. The messages below say why."),
    ),
}


def status_words(status: str) -> tuple[str, str]:
    """(the status, a sentence on what it means) for a public status."""
    words = _WORDS.get(status)
    if words is None:
        return status, ""
    return str(words[0]), str(words[1])


# what was done, as the person who wrote is told it (the staff's own words stay with staff)
_REMEDIES: dict[str, Promise] = {
    "sent_home": _("The person was released and sent home."),
    "deferment_granted": _("A deferment from call-up was granted."),
    "discharged": _("The person was discharged from military service."),
    "kit_issued": _("The missing kit or supplies were issued."),
    "conditions_fixed": _("The conditions were put right."),
    "other": _("The violation was put right in another way; the messages below say how."),
}


def remedy_words(remedy: str) -> str:
    """What was done to put the matter right, in plain words ("" when nothing is known)."""
    words = _REMEDIES.get(remedy)
    return str(words) if words is not None else ""
