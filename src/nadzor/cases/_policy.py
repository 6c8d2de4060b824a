"""The deployment's deadline policy: defaults from the domain, overridden by stored settings.

Settings are changed with `change_setting` (the `nadzor settings set` command), and each
change is an audit entry.
"""

from __future__ import annotations

from dataclasses import asdict, fields

from django.db import transaction
from django.utils import timezone

from nadzor.audit.journal import append
from nadzor.cases._errors import BadInput
from nadzor.cases.domain import Actor, DeadlinePolicy, Operation, require
from nadzor.store.models import Setting

__all__ = ["SETTING_PREFIX", "change_setting", "current_policy", "current_settings"]

SETTING_PREFIX = "deadline."
_KNOWN = {f"{SETTING_PREFIX}{f.name}" for f in fields(DeadlinePolicy)}


def current_policy() -> DeadlinePolicy:
    stored = {
        row.key.removeprefix(SETTING_PREFIX): row.value
        for row in Setting.objects.filter(key__startswith=SETTING_PREFIX)
    }
    known = {f.name for f in fields(DeadlinePolicy)}
    values = {k: int(v) for k, v in stored.items() if k in known and isinstance(v, int)}
    return DeadlinePolicy(**values)


def current_settings() -> dict[str, int]:
    """Every setting with the value in force (stored, else the default)."""
    return {f"{SETTING_PREFIX}{name}": value for name, value in asdict(current_policy()).items()}


def change_setting(key: str, value: str, *, by: Actor | None) -> int:
    """Set a deadline setting (a whole number of days); returns the value stored."""
    if by is not None:
        require(by, Operation.SETTINGS_CHANGE)
    if key not in _KNOWN:
        raise BadInput(f"unknown setting {key!r}: known settings are {', '.join(sorted(_KNOWN))}")
    text = value.strip()
    if not text.isdigit():
        raise BadInput(f"{key} must be a whole number of days, not {value!r}")
    number = int(text)
    name = key.removeprefix(SETTING_PREFIX)
    try:
        DeadlinePolicy(**{**asdict(current_policy()), name: number})
    except ValueError as exc:
        raise BadInput(f"{key} = {number}: {exc}") from None
    with transaction.atomic():
        old = current_settings()[key]
        Setting.objects.update_or_create(
            key=key, defaults={"value": number, "updated_at": timezone.now()}
        )
        append(
            by.name if by else "system",
            "setting.change",
            f"setting:{key}",
            {"from": old, "to": number},
        )
    return number
