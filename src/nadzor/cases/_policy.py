"""The deployment's deadline policy: defaults from the domain, overridden by stored settings."""

from __future__ import annotations

from dataclasses import fields

from nadzor.cases.domain import DeadlinePolicy
from nadzor.store.models import Setting

__all__ = ["SETTING_PREFIX", "current_policy"]

SETTING_PREFIX = "deadline."


def current_policy() -> DeadlinePolicy:
    stored = {
        row.key.removeprefix(SETTING_PREFIX): row.value
        for row in Setting.objects.filter(key__startswith=SETTING_PREFIX)
    }
    known = {f.name for f in fields(DeadlinePolicy)}
    values = {k: int(v) for k, v in stored.items() if k in known and isinstance(v, int)}
    return DeadlinePolicy(**values)
