"""The staff workspace: every page behind login, each role sees only what it may."""

from __future__ import annotations

from django.urls import path, register_converter

from nadzor.web.staff import approvals, auth, case_page, cases, dashboard, evidence, inbox
from nadzor.web.staff import intake as intake_pages
from nadzor.web.staff import reports as report_pages


class _Reference:
    """A case reference in a path: NZ-YYYY-NNNNNN (anything else is not a staff page)."""

    regex = r"NZ-[0-9]{4}-[0-9]{6}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class _Sha256:
    regex = r"[0-9a-fA-F]{64}"

    def to_python(self, value: str) -> str:
        return value.lower()

    def to_url(self, value: str) -> str:
        return value


register_converter(_Reference, "ref")
register_converter(_Sha256, "sha256")

urlpatterns = [
    path("", dashboard.index, name="index"),
    path("login", auth.login, name="login"),
    path("logout", auth.logout, name="logout"),
    path("complaints/", inbox.inbox, name="inbox"),
    path("complaints/<int:number>/", inbox.complaint_page, name="complaint"),
    path("complaints/<int:number>/open-case", inbox.open_from_complaint, name="complaint_open"),
    path("complaints/<int:number>/link", inbox.link, name="complaint_link"),
    path("complaints/<int:number>/reply", inbox.send_reply, name="complaint_reply"),
    path("complaints/<int:number>/close", inbox.close, name="complaint_close"),
    path("complaints/<int:number>/split", inbox.split, name="complaint_split"),
    path("complaints/<int:number>/read", inbox.mark_as_read, name="complaint_read"),
    path("complaints/<int:number>/identity", inbox.identity, name="complaint_identity"),
    path(
        "complaints/<int:number>/identity/request",
        inbox.identity_request,
        name="complaint_identity_request",
    ),
    path(
        "complaints/<int:number>/identity/decision",
        inbox.identity_decision,
        name="complaint_identity_decision",
    ),
    path("cases/", cases.case_list, name="cases"),
    path("cases/<ref:reference>/", case_page.case_page, name="case"),
    path("cases/<ref:reference>/transition", case_page.transition_step, name="case_transition"),
    path("cases/<ref:reference>/closure", case_page.closure, name="case_closure"),
    path("cases/<ref:reference>/deadline", case_page.deadline, name="case_deadline"),
    path("cases/<ref:reference>/notes", case_page.note, name="case_note"),
    path("cases/<ref:reference>/people", case_page.people, name="case_people"),
    path("cases/<ref:reference>/evidence", evidence.upload, name="case_evidence"),
    path(
        "cases/<ref:reference>/evidence/<sha256:sha256>",
        evidence.download,
        name="case_evidence_file",
    ),
    path("approvals/", approvals.approvals, name="approvals"),
    path("reports/", report_pages.reports_page, name="reports"),
    path("reports/list/", report_pages.figure_list, name="report_list"),
    path("reports/download", report_pages.download, name="report_download"),
    path("reports/publish", report_pages.publish, name="report_publish"),
    path("intake/", intake_pages.index, name="intake"),
    path("intake/add", intake_pages.add, name="intake_add"),
    path("intake/<sha256:sha256>/", intake_pages.item, name="intake_item"),
    path("intake/<sha256:sha256>/progress", intake_pages.progress, name="intake_progress"),
    path("intake/<sha256:sha256>/view.jpg", intake_pages.viewing_copy, name="intake_view"),
    path("intake/<sha256:sha256>/original", intake_pages.original, name="intake_file"),
    path("intake/<sha256:sha256>/verify", intake_pages.verify, name="intake_verify"),
    path("intake/<sha256:sha256>/link", intake_pages.link, name="intake_link"),
]
