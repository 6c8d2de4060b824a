"""Django choices built from the pure case domain's enums, so both speak one vocabulary."""

from __future__ import annotations

from enum import StrEnum

from nadzor.cases.domain import Kind, Remedy, Role, Status


def _choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ")) for member in enum]


ROLE_CHOICES = _choices(Role)
STATUS_CHOICES = _choices(Status)
KIND_CHOICES = _choices(Kind)
REMEDY_CHOICES = _choices(Remedy)
OPEN_STATUSES = [status.value for status in Status if status.is_open]
PRIORITY_CHOICES = [("low", "low"), ("normal", "normal"), ("high", "high"), ("urgent", "urgent")]
