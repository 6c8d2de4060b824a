"""A complainant's files become the evidence of the case the complaint is linked to.

The bytes are already in the content-addressed store (the desk put them there); the case
gets an evidence row per file, with the same hash, size and sniffed type, and each one is
an `evidence.add` entry under the case naming the complaint it came from: the chain of
custody goes from the desk to the case without the bytes being copied or retyped. The
complaint keeps its own attachments, so moving it to another case loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from nadzor.audit.journal import Draft, append_many
from nadzor.store.models import Case, Complaint, ComplaintAttachment, Evidence, User

__all__ = ["files_to_evidence"]


def files_to_evidence(
    actor: str,
    complaint: Complaint,
    case: Case,
    attachments: Iterable[ComplaintAttachment] | None = None,
    *,
    added_by: User | None = None,
) -> list[Evidence]:
    """Add the complaint's files (or only `attachments`) to the case's evidence, in the
    caller's transaction; files the case already has are left as they are."""
    files = list(attachments) if attachments is not None else list(complaint.attachments.all())
    have = set(Evidence.objects.filter(case=case).values_list("sha256", flat=True))
    now = timezone.now()
    added: list[Evidence] = []
    drafts: list[Draft] = []
    for item in sorted(files, key=lambda a: (a.added_at, a.pk)):
        if item.sha256 in have:
            continue
        have.add(item.sha256)
        evidence = Evidence.objects.create(
            case=case,
            sha256=item.sha256,
            size=item.size,
            media_type=item.media_type,
            original_name=item.original_name,
            description=f"complaint {complaint.pk}",
            added_by=added_by,
            added_at=now,
        )
        added.append(evidence)
        data = {
            "sha256": item.sha256,
            "size": item.size,
            "media_type": item.media_type,
            "original_name": item.original_name,
            "description": evidence.description,
            "from": f"complaint:{complaint.pk}",
        }
        drafts.append(Draft(actor, "evidence.add", f"case:{case.reference}", data))
    if drafts:
        append_many(drafts)
    return added
