"""The Django application that owns nadzor's tables and migrations."""

from __future__ import annotations

from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "nadzor.store"
    label = "store"
    verbose_name = "nadzor store"
    default_auto_field = "django.db.models.BigAutoField"
