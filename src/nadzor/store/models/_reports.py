"""What reports need beyond cases: the record of each findings import, and published reports."""

from __future__ import annotations

from django.db import models


class ScreeningRun(models.Model):
    """One import of a findings file: which rulebook judged which register, and what it brought."""

    source = models.CharField(max_length=300)
    file_name = models.CharField(max_length=300, blank=True)
    # `id@version` of every rulebook named in the file, `;`-joined and sorted
    rulebooks = models.CharField(max_length=500, blank=True)
    # the evaluation day of the screening when the file states one (`--as-of`), else empty
    judged_on = models.DateField(null=True, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    records_with_findings = models.IntegerField()
    findings_read = models.IntegerField()
    findings_added = models.IntegerField()
    cases_created = models.IntegerField()
    cases_joined = models.IntegerField()

    class Meta:
        db_table = "nadzor_screening_run"
        indexes = [models.Index(fields=["finished_at"], name="screening_run_finished")]


class PublishedReport(models.Model):
    """A public report as a supervisor published it: figures already suppressed, frozen."""

    published_at = models.DateTimeField()
    published_by = models.CharField(max_length=150)
    period_from = models.DateField()
    period_to = models.DateField()
    region = models.CharField(max_length=200, blank=True)
    audit_head = models.CharField(max_length=64)
    # the public report as JSON: tables of counts with small cells suppressed; nothing else
    content = models.JSONField()

    class Meta:
        db_table = "nadzor_published_report"
        indexes = [models.Index(fields=["published_at"], name="published_report_at")]
