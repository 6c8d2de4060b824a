"""Evidence files: the bytes live content-addressed on disk; this row says who added what, when."""

from __future__ import annotations

from django.db import models

from nadzor.store.models._cases import Case
from nadzor.store.models._users import User


class Evidence(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=100)
    original_name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        db_table = "nadzor_evidence"
        constraints = [
            models.UniqueConstraint(fields=["case", "sha256"], name="evidence_once_per_case")
        ]
