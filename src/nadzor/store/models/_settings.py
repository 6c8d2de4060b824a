"""Deployment settings changed at run time (deadline days and the like), each change audited."""

from __future__ import annotations

from django.db import models


class Setting(models.Model):
    key = models.CharField(max_length=100, primary_key=True)
    value = models.JSONField()
    updated_at = models.DateTimeField()

    class Meta:
        db_table = "nadzor_setting"
