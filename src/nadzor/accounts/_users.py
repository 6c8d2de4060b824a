"""Creating users, setting passwords, disabling accounts, listing them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from nadzor.accounts._names import acting_as, clean_name, valid_name
from nadzor.accounts._passwords import hash_password, validate_password
from nadzor.audit.journal import append
from nadzor.cases._errors import BadInput
from nadzor.cases.domain import Actor, Role
from nadzor.store.models import User

__all__ = [
    "DisableResult",
    "add_user",
    "check_new_user",
    "disable_user",
    "existing_user",
    "list_users",
    "parse_role",
    "set_password",
]


@dataclass(frozen=True)
class DisableResult:
    user: User
    was_active: bool
    tokens_revoked: int


def parse_role(role: str | Role) -> Role:
    try:
        return Role(str(role).strip().lower())
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise BadInput(f"unknown role {str(role)!r}: choose one of {allowed}") from None


def add_user(name: str, role: str | Role, password: str | None = None, *, by: Actor | None) -> User:
    """A new active user with one role; without a password it signs in with API tokens only.

    The audit entry `user.create` records the name and role, never the password.
    """
    actor = acting_as(by)
    name, chosen = check_new_user(name, role)
    # Hash before the transaction: Argon2 is slow on purpose and needs no lock.
    encoded = None
    if password is not None:
        validate_password(password, name)
        encoded = hash_password(password)
    with transaction.atomic():
        _refuse_taken(name)
        user = User(username=name, role=chosen.value)
        if encoded is None:
            user.set_unusable_password()
        else:
            user.password = encoded
        try:
            user.save()
        except IntegrityError:
            raise BadInput(f"a user named {name!r} already exists") from None
        append(actor, "user.create", f"user:{name}", {"name": name, "role": chosen.value})
    return user


def check_new_user(name: str, role: str | Role) -> tuple[str, Role]:
    """The cleaned name and the role for a new user, or BadInput (to ask before a password)."""
    name = valid_name(name)
    chosen = parse_role(role)
    _refuse_taken(name)
    return name, chosen


def set_password(name: str, password: str, *, by: Actor | None) -> User:
    """Replace the user's password; also clears failed logins and revokes every API token
    (whoever knew the old password may have made one)."""
    actor = acting_as(by)
    name = clean_name(name)
    existing_user(name)
    validate_password(password, name)
    encoded = hash_password(password)
    with transaction.atomic():
        user = existing_user(name, lock=True)
        user.password = encoded
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["password", "failed_logins", "locked_until"])
        revoked = user.tokens.filter(revoked=False).update(revoked=True)
        append(
            actor, "user.password", f"user:{name}", {"tokens_revoked": revoked} if revoked else {}
        )
    return user


def disable_user(name: str, *, by: Actor | None) -> DisableResult:
    """Deactivate the account and revoke all its tokens; repeating it changes nothing."""
    actor = acting_as(by)
    name = clean_name(name)
    if by is not None and by.name == name:
        raise BadInput("you cannot disable your own account")
    with transaction.atomic():
        user = existing_user(name, lock=True)
        was_active = user.is_active
        revoked = user.tokens.filter(revoked=False).update(revoked=True)
        if was_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
        if was_active or revoked:
            append(actor, "user.disable", f"user:{name}", {"tokens_revoked": revoked})
    return DisableResult(user, was_active, revoked)


def list_users() -> list[User]:
    """Every user, active or not, by name."""
    return list(User.objects.order_by("username"))


def existing_user(name: str, *, lock: bool = False) -> User:
    """The user with exactly this name, or BadInput."""
    rows = User.objects.select_for_update() if lock else User.objects.all()
    user = rows.filter(username=clean_name(name)).first()
    if user is None:
        raise BadInput(f"no user named {clean_name(name)!r}")
    return user


def _refuse_taken(name: str) -> None:
    # Names differing only in letter case would be easy to confuse for one another.
    taken = User.objects.filter(username__iexact=name).values_list("username", flat=True).first()
    if taken is not None:
        raise BadInput(f"a user named {taken!r} already exists")
