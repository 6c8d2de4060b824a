"""Cases, the findings they carry, notes, and the per-year counter behind references."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Upper

from nadzor.store.models._choices import (
    KIND_CHOICES,
    OPEN_STATUSES,
    PRIORITY_CHOICES,
    REMEDY_CHOICES,
    STATUS_CHOICES,
)
from nadzor.store.models._users import User

#: The case's own place fields (cases.md): a rulebook's reporting column of the same name
#: fills one when findings are imported; its other reporting columns go to `facility`.
#: the case field naming the region (folded to one spelling per federal subject)
REGION_FIELD = "region"
PLACE_FIELDS = (REGION_FIELD, "commissariat")


class Case(models.Model):
    reference = models.CharField(max_length=16, unique=True)
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default="new")
    priority = models.CharField(max_length=10, choices=PRIORITY_CHOICES, default="normal")
    title = models.CharField(max_length=300, blank=True)
    region = models.CharField(max_length=200, blank=True)
    commissariat = models.CharField(max_length=300, blank=True)
    facility = models.CharField(max_length=300, blank=True)
    tags = models.JSONField(default=list, blank=True)
    assignee = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_cases"
    )
    # For cases from screening: the register and the case subject's key in it (the record
    # id for a person, the facility id for a facility: the rulebook's declared subject),
    # and what the subject is (`person`, `unit`, `facility`); empty for other cases.
    source = models.CharField(max_length=300, blank=True)
    record_id = models.CharField(max_length=300, blank=True)
    subject_kind = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    registered_on = models.DateField()
    due_on = models.DateField()
    deadline_extended = models.BooleanField(default=False)
    extension_reason = models.TextField(blank=True)
    remedy = models.CharField(max_length=20, choices=REMEDY_CHOICES, blank=True)
    remedy_text = models.TextField(blank=True)
    # when the case last became resolved (empty while it is not): reports count by it
    resolved_at = models.DateTimeField(null=True, blank=True)
    closure_requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closure_reason = models.TextField(blank=True)
    # with `closure_requested_by`: the remedy a request asks to resolve the case with (one
    # that needs a supervisor's approval); empty for a request to close as unfounded
    # (defaults in the database too: the findings import inserts rows by its own columns)
    pending_remedy = models.CharField(
        max_length=20, choices=REMEDY_CHOICES, blank=True, default="", db_default=""
    )
    pending_remedy_text = models.TextField(blank=True, default="", db_default="")
    legal_hold = models.BooleanField(default=False)
    # A case split off a complaint that reported several problems: that complaint (which
    # stays linked to its first case); None for every other case.
    split_from = models.ForeignKey(
        "store.Complaint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="split_cases",
    )
    # 0 while the case is open, 1 once resolved or closed: kept by the database itself, so
    # that the list "open first, then by deadline" is read in index order, not sorted.
    closed_rank = models.GeneratedField(
        expression=models.Case(
            models.When(status__in=OPEN_STATUSES, then=models.Value(0)),
            default=models.Value(1),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )

    class Meta:
        db_table = "nadzor_case"
        constraints = [
            # One open case per screened record: a new finding joins it instead of
            # opening another; after closure a new finding opens a new case.
            models.UniqueConstraint(
                fields=["source", "record_id"],
                condition=models.Q(status__in=OPEN_STATUSES) & ~models.Q(record_id=""),
                name="one_open_case_per_record",
            )
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="case_status_due"),
            models.Index(fields=["closed_rank", "due_on", "reference"], name="case_urgency"),
            # The case list filters regions case-insensitively (UPPER(region) = UPPER(%s)).
            models.Index(Upper("region"), name="case_region_upper"),
            models.Index(fields=["source", "record_id"], name="case_source_record"),
            models.Index(fields=["created_at"], name="case_created"),
            models.Index(fields=["resolved_at"], name="case_resolved"),
        ]


class Finding(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="findings")
    source = models.CharField(max_length=300)
    record_id = models.CharField(max_length=300)
    rule_id = models.CharField(max_length=100)
    rulebook = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=20)
    deferment_until = models.DateField(null=True, blank=True)
    basis = models.TextField(blank=True)
    explanation = models.TextField(blank=True)
    imported_at = models.DateTimeField()
    # The sum the finding concerns, in the unit its rulebook's measure declares; None when
    # the rulebook measures no finding of this rule or the register was not given.
    amount = models.BigIntegerField(null=True, blank=True)
    # The day the rules judged the record on (the findings' `as_of`, the import's --as-of
    # or the register's law date); empty for findings imported before it was kept.
    evaluated_on = models.DateField(null=True, blank=True)
    # The values the explanation states, read back at import so that a page can tell it
    # again in its own language (`nadzor.rules.Facts`); empty when they could not be read.
    facts = models.JSONField(null=True, blank=True)

    class Meta:
        db_table = "nadzor_finding"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "record_id", "rule_id", "rulebook"], name="finding_once"
            )
        ]
        indexes = [models.Index(fields=["imported_at", "case"], name="finding_imported")]


class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField()
    text = models.TextField()

    class Meta:
        db_table = "nadzor_note"


class ReferenceCounter(models.Model):
    """The last case number given out in a year (NZ-YYYY-NNNNNN)."""

    year = models.IntegerField(primary_key=True)
    last = models.IntegerField(default=0)

    class Meta:
        db_table = "nadzor_reference_counter"
