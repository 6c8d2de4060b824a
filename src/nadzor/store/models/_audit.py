"""The hash-chained audit log, with exactly the table and column names of the contract."""

from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    # `seq` is the primary key so the table has exactly the contract's columns and no other.
    seq = models.BigIntegerField(primary_key=True)
    at = models.CharField(max_length=32)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=64)
    subject = models.CharField(max_length=200)
    data = models.TextField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        db_table = "audit_log"
        indexes = [models.Index(fields=["subject", "seq"], name="audit_log_subject_seq")]
