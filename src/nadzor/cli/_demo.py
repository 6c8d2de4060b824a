"""Demo users and data for `nadzor init --demo`: one user per role, a few worked cases.

Passwords are random and printed once; running it again gives the demo users new
passwords (and prints them), and adds no second copy of the demo cases.
"""

from __future__ import annotations

import secrets
import sys

__all__ = ["DEMO_USERS", "create_demo"]

DEMO_USERS = {
    "intake": "demo-intake",
    "investigator": "demo-investigator",
    "supervisor": "demo-supervisor",
    "analyst": "demo-analyst",
    "admin": "demo-admin",
}
_DEMO_TAG = "demo"


def create_demo() -> dict[str, str]:
    """Create or refresh the demo users and seed demo cases; returns name → password."""
    logins = _demo_users()
    print("Demo logins (shown once; run `nadzor init --demo` again for new ones):")
    for name, password in logins.items():
        print(f"  {name:<20} {password}")
    created = _demo_cases()
    if created:
        print(f"{created} demo cases created", file=sys.stderr)
        code = _demo_complaints()
        print(f"A demo complaint's receipt code (for /complaints/status): {code}")
    return logins


def _demo_users() -> dict[str, str]:
    from nadzor.accounts.services import add_user, set_password
    from nadzor.store.models import User

    logins = {}
    for role, name in DEMO_USERS.items():
        password = "-".join(secrets.token_hex(3) for _ in range(3))
        if User.objects.filter(username=name).exists():
            set_password(name, password, by=None)
        else:
            add_user(name, role, password, by=None)
        logins[name] = password
    return logins


def _demo_cases() -> int:
    from nadzor.cases.domain import Actor, Kind, Role, Status, TransitionRequest
    from nadzor.cases.services import NewCase, add_note, create_case, transition
    from nadzor.store.models import Case

    if any(_DEMO_TAG in (tags or []) for tags in Case.objects.values_list("tags", flat=True)):
        return 0
    boss = Actor(DEMO_USERS["supervisor"], Role.SUPERVISOR)
    worker = Actor(DEMO_USERS["investigator"], Role.INVESTIGATOR)
    seeds = [
        (
            Kind.PROVISION,
            "Не выданы бронежилеты и зимняя форма",
            "Белгородская область",
            "Войсковая часть 00000 (демо)",
        ),
        (
            Kind.CONDITIONS,
            "Учебный центр переполнен, нет лекарств",
            "Курская область",
            "Учебный центр (демо)",
        ),
        (
            Kind.TRAINING,
            "Отправлены на передовую после двух дней подготовки",
            "Воронежская область",
            "Войсковая часть 11111 (демо)",
        ),
    ]
    made = []
    for kind, title, region, facility in seeds:
        made.append(
            create_case(
                boss,
                NewCase(kind=kind, title=title, region=region, facility=facility, tags=[_DEMO_TAG]),
            )
        )
    transition(
        boss,
        made[0].reference,
        TransitionRequest(Status.TRIAGE, "несколько семей сообщают об одной и той же части"),
    )
    transition(
        boss,
        made[0].reference,
        TransitionRequest(
            Status.INVESTIGATING, "назначено для запроса командиру части", assignee=worker.name
        ),
    )
    add_note(
        worker,
        made[0].reference,
        "Командиру направлен запрос о ведомостях выдачи имущества (демо).",
    )
    return len(made)


def _complaint(**fields: object) -> dict[str, object]:
    """A complaint as the public form posts it (its field names as keywords)."""
    return fields


_COMPLAINTS = [
    _complaint(
        category="provision",
        reason="body_armour",
        region="Белгородская область",
        facility="Войсковая часть 00000 (демо)",
        text="Сына отправили в часть три недели назад. У него нет ни бронежилета, ни зимней "
        "формы; им сказали покупать самим. (демо)",
    ),
    _complaint(
        category="provision",
        reason="winter_uniform",
        region="Белгородская область",
        facility="Войсковая часть 00000 (демо)",
        text="В части нет бронежилетов и зимней формы, мужчинам сказали покупать снаряжение "
        "самим. (демо)",
        contact={"name": "Демо Пользователь", "phone": "+7 900 000-00-00"},
    ),
    _complaint(
        category="unlawful_callup",
        reason="health",
        region="Свердловская область",
        text="У мужа с 2019 года категория годности «Д», а его всё равно призвали. (демо)",
    ),
    _complaint(
        category="conditions",
        region="Курская область",
        facility="Учебный центр (демо)",
        text="Учебный центр переполнен, лекарств нет. (демо)",
    ),
]


def _demo_complaints() -> str:
    """A few complaints (two of them alike, to show duplicate detection) and one reply."""
    from nadzor.cases.domain import Actor, Role
    from nadzor.complaints.services import reply, submit

    codes = [submit(raw) for raw in _COMPLAINTS]
    intake = Actor(DEMO_USERS["intake"], Role.INTAKE)
    reply(
        intake,
        codes[2].complaint_id,
        "Спасибо. Мы зарегистрировали вашу жалобу и проверим медицинские документы. (демо)",
    )
    return codes[2].formatted
