"""Who may do what with intake items: one table of operations by roles.

Intake staff, investigators and supervisors bring and work material; only supervisors see
metadata marked sensitive (a GPS position may locate a person). Analysts and administrators
see no items.
"""

from __future__ import annotations

from enum import StrEnum

from nadzor.cases.domain import Actor, Denied, Role

__all__ = ["IntakeOp", "may_intake", "require_intake"]


class IntakeOp(StrEnum):
    VIEW = "intake.view"
    ADD = "intake.add"
    VERIFY = "intake.verify"
    LINK = "intake.link"
    EXPORT = "intake.export"
    SENSITIVE = "intake.sensitive"


_ALLOWED: dict[IntakeOp, frozenset[Role]] = {
    IntakeOp.VIEW: frozenset({Role.INTAKE, Role.INVESTIGATOR, Role.SUPERVISOR}),
    IntakeOp.ADD: frozenset({Role.INTAKE, Role.INVESTIGATOR, Role.SUPERVISOR}),
    IntakeOp.VERIFY: frozenset({Role.INVESTIGATOR, Role.SUPERVISOR}),
    IntakeOp.LINK: frozenset({Role.INVESTIGATOR, Role.SUPERVISOR}),
    IntakeOp.EXPORT: frozenset({Role.INVESTIGATOR, Role.SUPERVISOR}),
    IntakeOp.SENSITIVE: frozenset({Role.SUPERVISOR}),
}

_WHAT = {
    IntakeOp.VIEW: "view intake items",
    IntakeOp.ADD: "add intake items",
    IntakeOp.VERIFY: "set the verification status of intake items",
    IntakeOp.LINK: "link intake items to cases and complaints",
    IntakeOp.EXPORT: "export intake items",
    IntakeOp.SENSITIVE: "view sensitive metadata of intake items",
}


def may_intake(actor: Actor, op: IntakeOp) -> bool:
    return actor.role in _ALLOWED[op]


def require_intake(actor: Actor, op: IntakeOp) -> None:
    if not may_intake(actor, op):
        raise Denied(f"{actor.name} ({actor.role}) may not {_WHAT[op]}")
