"""The complaint form: its choices with their words, and what a submitted form becomes.

The category is a group of radio buttons; the reason (why a call-up is unlawful, or what
was not provided) is one select whose options are grouped by category, so that the form
works without JavaScript. Its values are `category:reason` (`unlawful_callup:other` and
`provision:other` are different answers); a reason from another category than the one
chosen is passed on as it was sent, and the domain's per-category check refuses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from nadzor.complaints.domain import (
    REASONS,
    AttachmentLimits,
    CallupReason,
    Category,
    ProvisionItem,
)
from nadzor.complaints.services import Upload

__all__ = [
    "CATEGORIES",
    "CONTACT_FIELDS",
    "FIELDS",
    "REASON_GROUPS",
    "ReasonGroup",
    "complaint_input",
    "describe_limits",
    "form_field",
    "kept_values",
    "reason_groups",
    "size_words",
    "uploads",
]

# (value, label, hint) in the order shown
CATEGORIES: tuple[tuple[str, Promise, Promise], ...] = (
    (
        Category.UNLAWFUL_CALLUP,
        pgettext_lazy("public desk", "Unlawful call-up"),
        _("Someone was called up who should not have been: health, age, children and others."),
    ),
    (
        Category.PROVISION,
        _("Kit or supplies not provided"),
        _("Body armour, winter uniform, food, medicine."),
    ),
    (
        Category.CONDITIONS,
        pgettext_lazy("public desk", "Living conditions"),
        _("Overcrowded or unsafe places, no medical care."),
    ),
    (
        Category.TRAINING,
        pgettext_lazy("public desk", "No training"),
        _("Sent on duty without the training required."),
    ),
    (
        Category.ABUSE,
        pgettext_lazy("public desk", "Abuse"),
        pgettext_lazy("public desk", "Violence, threats, extortion, humiliation."),
    ),
    (
        Category.OTHER,
        pgettext_lazy("public desk", "Something else"),
        _("Anything that does not fit above."),
    ),
)

_REASON_LABELS: dict[str, Promise] = {
    f"{Category.UNLAWFUL_CALLUP}:{CallupReason.HEALTH}": pgettext_lazy("public desk", "Health"),
    f"{Category.UNLAWFUL_CALLUP}:{CallupReason.AGE}": pgettext_lazy("public desk", "Age"),
    f"{Category.UNLAWFUL_CALLUP}:{CallupReason.CHILDREN}": pgettext_lazy("public desk", "Children"),
    f"{Category.UNLAWFUL_CALLUP}:{CallupReason.CARE}": pgettext_lazy(
        "public desk", "Caring for a relative"
    ),
    f"{Category.UNLAWFUL_CALLUP}:{CallupReason.STUDENT}": pgettext_lazy("public desk", "Studies"),
    f"{Category.UNLAWFUL_CALLUP}:{CallupReason.RESERVATION}": pgettext_lazy(
        "public desk", "Exemption at work (reservation)"
    ),
    f"{Category.UNLAWFUL_CALLUP}:{CallupReason.OTHER}": pgettext_lazy(
        "public desk", "Another reason"
    ),
    f"{Category.PROVISION}:{ProvisionItem.BODY_ARMOUR}": pgettext_lazy(
        "public desk", "Body armour"
    ),
    f"{Category.PROVISION}:{ProvisionItem.WINTER_UNIFORM}": pgettext_lazy(
        "public desk", "Winter uniform"
    ),
    f"{Category.PROVISION}:{ProvisionItem.FOOD}": pgettext_lazy("public desk", "Food"),
    f"{Category.PROVISION}:{ProvisionItem.MEDICINE}": pgettext_lazy("public desk", "Medicine"),
    f"{Category.PROVISION}:{ProvisionItem.OTHER}": pgettext_lazy("public desk", "Something else"),
}

_GROUP_LABELS: dict[str, Promise] = {
    Category.UNLAWFUL_CALLUP: pgettext_lazy("public desk", "Unlawful call-up: why"),
    Category.PROVISION: pgettext_lazy("public desk", "Not provided: what"),
}


@dataclass(frozen=True)
class ReasonGroup:
    category: str
    label: Promise
    options: tuple[tuple[str, Promise], ...]


REASON_GROUPS: tuple[ReasonGroup, ...] = tuple(
    ReasonGroup(
        category=category.value,
        label=_GROUP_LABELS[category],
        options=tuple(
            (f"{category}:{reason}", _REASON_LABELS[f"{category}:{reason}"]) for reason in reasons
        ),
    )
    for category, reasons in REASONS.items()
)

CONTACT_FIELDS = ("name", "phone", "email", "other")
# The form's field names, in the order of the page.
FIELDS = (
    "category",
    "reason",
    "region",
    "facility",
    "text",
    "occurred_on",
    *(f"contact_{name}" for name in CONTACT_FIELDS),
    "attachments",
)


def reason_groups(categories: Sequence[str] | None) -> tuple[ReasonGroup, ...]:
    """The reason groups to offer: all of them (no category yet, or the page works without
    JavaScript), or only the chosen categories' (none for categories without reasons)."""
    if categories is None:
        return REASON_GROUPS
    return tuple(group for group in REASON_GROUPS if group.category in categories)


def kept_values(post: QueryDict) -> dict[str, Any]:
    """What the person typed or chose, exactly as sent, to show the form again (the
    categories and reasons as lists: several may be chosen)."""
    kept: dict[str, Any] = {
        name: post.get(name, "") for name in FIELDS if name not in ("attachments",)
    }
    kept["categories"] = post.getlist("category")
    kept["reasons"] = post.getlist("reason")
    return kept


def complaint_input(post: QueryDict) -> dict[str, object]:
    """The form as the complaint service reads it: every category ticked, and each reason
    chosen (`category:reason`) under its category."""
    categories = [c for c in post.getlist("category") if c.strip()]
    return {
        "category": categories,
        "reason": _reasons(post.getlist("reason")),
        "region": post.get("region", ""),
        "facility": post.get("facility", ""),
        "text": post.get("text", ""),
        "occurred_on": post.get("occurred_on", ""),
        "contact": {name: post.get(f"contact_{name}", "") for name in CONTACT_FIELDS},
    }


def _reasons(values: Sequence[str]) -> dict[str, str] | str:
    """`category:reason` values as a mapping; a bare value (no category) passed on as sent,
    for the domain to place or refuse."""
    chosen: dict[str, str] = {}
    for value in values:
        prefix, colon, reason = value.strip().partition(":")
        if not value.strip():
            continue
        if not colon:
            return value
        chosen[prefix] = reason
    return chosen


def form_field(field: str) -> str:
    """The form field an error of the service belongs to (`contact.email` -> `contact_email`)."""
    name = field.replace(".", "_")
    if name in FIELDS:
        return name
    if name.startswith("contact"):
        return "contact_other"
    return "text"


def uploads(files: Sequence[UploadedFile]) -> list[Upload]:
    """The chosen files as the service reads them (files the browser sent without a name or
    bytes because nothing was chosen are already left out by Django)."""
    return [Upload(file.name or "", file) for file in files]


def describe_limits(limits: AttachmentLimits) -> dict[str, object]:
    """The file limits as the page states them."""
    return {"max_files": limits.max_files, "max_size": size_words(limits.max_bytes)}


def size_words(size: int) -> str:
    mb = 1024 * 1024
    if size >= mb and size % mb == 0:
        return pgettext("public desk", "%(count)s MB") % {"count": size // mb}
    if size >= mb:
        return pgettext("public desk", "%(count)s MB") % {"count": f"{size / mb:.1f}"}
    return pgettext("public desk", "%(count)s KB") % {"count": max(1, size // 1024)}
