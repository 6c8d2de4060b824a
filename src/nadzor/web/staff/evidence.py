"""Evidence on a case: upload (multipart) and download (always as an attachment).

A download is sent with the type sniffed from the bytes when the file was added, as an
attachment, with `X-Content-Type-Options: nosniff` and the site's strict content policy, so
that no browser renders a file from a case as a page of this site.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from nadzor.cases.domain import Actor, DomainError, Operation
from nadzor.cases.services import BadInput, TooLarge, add_evidence, open_evidence
from nadzor.web.staff._access import not_found, redirect_to, staff_page
from nadzor.web.staff.case_page import render_case

__all__ = ["download", "upload"]

_REFUSED_TYPE = re.compile(r"files of type (\S+) are not accepted as evidence")
# room for the form's other fields and the multipart framing around the file
_FORM_OVERHEAD = 256 * 1024


def _too_large(request: HttpRequest) -> bool:
    """Whether the request body is over the limit before a byte of it is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.NADZOR_EVIDENCE_MAX_BYTES + _FORM_OVERHEAD


def _too_large_error() -> str:
    limit = filesizeformat(settings.NADZOR_EVIDENCE_MAX_BYTES)
    return pgettext("staff", "The file is too large: at most %(limit)s per file.") % {
        "limit": limit
    }


def _refusal(exc: DomainError) -> str:
    """The service's sentence in the page's language where it is a known one."""
    if isinstance(exc, TooLarge):
        return _too_large_error()
    refused = _REFUSED_TYPE.match(str(exc))
    if refused:
        return pgettext(
            "staff",
            "Files of type %(type)s are not accepted as evidence: add PDF, images, audio,"
            " video, office documents or plain text.",
        ) % {"type": refused.group(1)}
    return pgettext("staff", str(exc))


@require_POST
@staff_page(Operation.CASE_VIEW)
def upload(request: HttpRequest, actor: Actor, reference: str) -> HttpResponse:
    if _too_large(request):
        error = _too_large_error()
        return render_case(request, actor, reference, failed="evidence", error=error, status=413)
    posted = {"description": request.POST.get("description", "")}
    sent = request.FILES.get("file")
    try:
        if sent is None:
            raise BadInput(pgettext("staff", "Choose a file to add."))
        evidence = add_evidence(
            actor, reference, sent, original_name=sent.name or "", description=posted["description"]
        )
    except DomainError as exc:
        return render_case(
            request,
            actor,
            reference,
            failed="evidence",
            error=_refusal(exc),
            posted=posted,
            status=422,
        )
    if getattr(evidence, "created", True):
        messages.success(request, pgettext("staff", "The file was added to the case."))
    else:
        messages.info(
            request,
            pgettext("staff", "This file is already attached to the case; nothing was added."),
        )
    return redirect_to(request, "staff:case", reference)


@require_GET
@staff_page(Operation.CASE_VIEW)
def download(request: HttpRequest, actor: Actor, reference: str, sha256: str) -> HttpResponse:
    """The file as an attachment; every download is an `evidence.view` entry (the service)."""
    try:
        evidence, handle = open_evidence(actor, reference, sha256)
    except BadInput:  # not a SHA-256 at all
        return not_found(request, actor)
    name = evidence.original_name or evidence.sha256
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=evidence.media_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
