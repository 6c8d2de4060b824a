"""Intake items (files and pasted texts brought by staff), what the background work found in
them, their links, and the queue of that work.

The original bytes live content-addressed in the evidence store; an item row says where they
came from. Metadata read from a file is kept apart, with what may locate a person (GPS) in
its own column, shown only to roles that may see personal data.
"""

from __future__ import annotations

from django.db import models

from nadzor.store.models._cases import Case
from nadzor.store.models._complaints import Complaint
from nadzor.store.models._users import User


class IntakeItem(models.Model):
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=100)
    kind = models.CharField(max_length=8)
    file_name = models.CharField(max_length=255, blank=True)
    source_url = models.TextField(blank=True)
    platform = models.CharField(max_length=100, blank=True)
    account = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    note = models.TextField(blank=True)
    # the words of a pasted text or a text file, for search and extraction
    text = models.TextField(blank=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    added_at = models.DateTimeField()
    state = models.CharField(max_length=10, default="queued")
    state_reason = models.TextField(blank=True)
    # the key of the first-seen member of the item's cluster (its own sha256 when alone)
    cluster = models.CharField(max_length=80, db_index=True)
    verification = models.CharField(max_length=12, default="unverified")
    verification_reason = models.TextField(blank=True)
    verified_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "nadzor_intake_item"
        indexes = [models.Index(fields=["added_at"], name="intake_item_added")]


class IntakeMetadata(models.Model):
    """What the decoder read from the file, as JSON text: `plain` for every reader,
    `sensitive` (a GPS position) only for roles that may see personal data."""

    item = models.OneToOneField(IntakeItem, on_delete=models.CASCADE, related_name="metadata")
    plain = models.TextField(default="{}")
    sensitive = models.TextField(default="{}")

    class Meta:
        db_table = "nadzor_intake_metadata"


class IntakeHash(models.Model):
    """The PDQ hashes (32 bytes per crop variant) of an image, or of a video frame sampled at `position`."""

    item = models.ForeignKey(IntakeItem, on_delete=models.CASCADE, related_name="hashes")
    kind = models.CharField(max_length=8)
    position = models.PositiveIntegerField()
    pdq = models.BinaryField(max_length=96)

    class Meta:
        db_table = "nadzor_intake_hash"
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="intake_hash_once")
        ]
        indexes = [models.Index(fields=["kind"], name="intake_hash_kind")]


class TextPrint(models.Model):
    """The MinHash signature of a text (an item's or a complaint's) and its cluster."""

    key = models.CharField(max_length=80, unique=True)  # item:<sha256> or complaint:<id>
    item = models.OneToOneField(
        IntakeItem, on_delete=models.CASCADE, null=True, blank=True, related_name="print"
    )
    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    signature = models.BinaryField()
    seen_at = models.DateTimeField()
    cluster = models.CharField(max_length=80, db_index=True)

    class Meta:
        db_table = "nadzor_intake_text_print"


class TextBand(models.Model):
    """One LSH band of a signature: texts sharing a band are candidates for one story."""

    text = models.ForeignKey(TextPrint, on_delete=models.CASCADE, related_name="bands")
    band = models.PositiveSmallIntegerField()
    digest = models.CharField(max_length=16)

    class Meta:
        db_table = "nadzor_intake_text_band"
        indexes = [models.Index(fields=["band", "digest"], name="intake_band_digest")]


class IntakeSuggestion(models.Model):
    """A place, organisation, date or unit number found in the item's text, with its span;
    a suggestion for staff, never a decision."""

    item = models.ForeignKey(IntakeItem, on_delete=models.CASCADE, related_name="suggestions")
    kind = models.CharField(max_length=12)
    value = models.CharField(max_length=200, db_index=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    source = models.CharField(max_length=4, default="text")  # text or note

    class Meta:
        db_table = "nadzor_intake_suggestion"


class IntakeLink(models.Model):
    item = models.ForeignKey(IntakeItem, on_delete=models.CASCADE, related_name="links")
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    linked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    linked_at = models.DateTimeField()

    class Meta:
        db_table = "nadzor_intake_link"
        constraints = [
            models.UniqueConstraint(fields=["item", "case"], name="intake_link_case_once"),
            models.UniqueConstraint(
                fields=["item", "complaint"], name="intake_link_complaint_once"
            ),
        ]


class Job(models.Model):
    """Background work, claimed by one worker at a time under a lease: a worker that dies
    leaves its lease to run out, and the job is claimed again."""

    kind = models.CharField(max_length=20)
    item = models.ForeignKey(IntakeItem, on_delete=models.CASCADE, related_name="jobs")
    state = models.CharField(max_length=8, default="queued")  # queued, running, done, failed
    attempts = models.PositiveIntegerField(default=0)
    worker = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        db_table = "nadzor_job"
        constraints = [models.UniqueConstraint(fields=["item", "kind"], name="job_once_per_item")]
        indexes = [models.Index(fields=["state", "lease_until"], name="job_claim")]
