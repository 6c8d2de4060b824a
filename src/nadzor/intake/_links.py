"""Verification status and links to cases and complaints, each change audited; opening the
original bytes (audited, checked against the recorded size)."""

from __future__ import annotations

import os
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone

from nadzor.audit.journal import append
from nadzor.cases._access import case_for, staff_user
from nadzor.cases._errors import BadInput, NotFound
from nadzor.cases.domain import Actor, Operation, Role
from nadzor.intake._files import original_path
from nadzor.intake._queries import find_item
from nadzor.intake.domain import IntakeOp, Verification
from nadzor.store.models import Complaint, IntakeItem, IntakeLink, User

__all__ = ["link_case", "link_complaint", "open_original", "set_verification"]


def _user(actor: Actor) -> User | None:
    return None if actor.name == "system" else staff_user(actor.name, roles=tuple(Role))


def set_verification(actor: Actor, sha256: str, status: str, reason: str) -> IntakeItem:
    """Set the item's verification status; a reason is required."""
    try:
        verdict = Verification(status)
    except ValueError:
        allowed = ", ".join(v.value for v in Verification)
        raise BadInput(f"unknown verification status {status!r}; one of {allowed}") from None
    if not reason.strip():
        raise BadInput("a verification status needs a reason")
    with transaction.atomic():
        item = find_item(actor, sha256, IntakeOp.VERIFY)
        before = item.verification
        item.verification = verdict.value
        item.verification_reason = reason.strip()
        item.verified_by = _user(actor)
        item.verified_at = timezone.now()
        item.save(
            update_fields=["verification", "verification_reason", "verified_by", "verified_at"]
        )
        append(
            actor.name,
            "intake.verify",
            f"intake:{item.sha256}",
            {"from": before, "to": verdict.value, "reason": item.verification_reason},
        )
    return item


def link_case(actor: Actor, sha256: str, reference: str) -> bool:
    """Link the item to a case the actor may open; False when it was linked already."""
    with transaction.atomic():
        item = find_item(actor, sha256, IntakeOp.LINK)
        case = case_for(actor, reference, Operation.CASE_VIEW)
        _link, created = IntakeLink.objects.get_or_create(
            item=item,
            case=case,
            defaults={"linked_by": _user(actor), "linked_at": timezone.now()},
        )
        if created:
            append(actor.name, "intake.link", f"intake:{item.sha256}", {"case": case.reference})
    return created


def link_complaint(actor: Actor, sha256: str, number: int) -> bool:
    """Link the item to a complaint; False when it was linked already."""
    with transaction.atomic():
        item = find_item(actor, sha256, IntakeOp.LINK)
        complaint = Complaint.objects.filter(pk=number).first()
        if complaint is None:
            raise NotFound(f"no complaint {number}")
        _link, created = IntakeLink.objects.get_or_create(
            item=item,
            complaint=complaint,
            defaults={"linked_by": _user(actor), "linked_at": timezone.now()},
        )
        if created:
            append(actor.name, "intake.link", f"intake:{item.sha256}", {"complaint": number})
    return created


def open_original(actor: Actor, sha256: str) -> tuple[IntakeItem, BinaryIO]:
    """The original bytes, open for reading (the caller closes them); audited as a view."""
    with transaction.atomic():
        item = find_item(actor, sha256)
        try:
            handle = original_path(item.sha256).open("rb")
        except FileNotFoundError:
            raise NotFound(f"the file {item.sha256} is missing from the store") from None
        found = os.fstat(handle.fileno()).st_size
        if found != item.size:
            handle.close()
            raise BadInput(
                f"the stored file {item.sha256} has {found} bytes instead of {item.size}:"
                " the store is damaged and needs an administrator"
            )
        append(actor.name, "intake.file", f"intake:{item.sha256}", {"size": item.size})
    return item, handle
