"""Fixed vocabularies and shares that make a synthetic register look like a real one."""

from __future__ import annotations

import datetime as dt

__all__ = [
    "ARTICLES",
    "COMMISSARIATS",
    "RANKS",
    "RULEBOOK_START",
    "WOMEN_AGE_LIMIT",
]

# ru-2022 is in force from this date; `--dirty` puts some call-ups before it.
RULEBOOK_START = dt.date(2022, 9, 21)

# (rank_group, share, youngest usual age, men's max_reserve_age) — the age limits are those
# of ru-2022 for evaluation dates up to 2023-12-31 (53-FZ art. 53 before 326-FZ).
RANKS: tuple[tuple[str, float, int, int], ...] = (
    ("soldier", 0.900, 18, 50),
    ("junior_officer", 0.070, 21, 60),
    ("field_officer", 0.025, 27, 65),
    ("colonel", 0.0045, 38, 65),
    ("general", 0.0005, 45, 70),
)

# Women's max_reserve_age: 45 for soldiers, 50 for every officer rank.
WOMEN_AGE_LIMIT: dict[str, int] = {
    "soldier": 45,
    "junior_officer": 50,
    "field_officer": 50,
    "colonel": 50,
    "general": 50,
}

# Article numbers of unspent convictions, weighted roughly as in court statistics: mostly
# theft, drugs and violence, plus the ones ru-2022 lists (205.1, 134) or checks (131).
ARTICLES: tuple[tuple[str, float], ...] = (
    ("158", 0.30),
    ("228", 0.20),
    ("161", 0.08),
    ("264.1", 0.08),
    ("111", 0.06),
    ("112", 0.05),
    ("119", 0.05),
    ("105", 0.03),
    ("162", 0.03),
    ("318", 0.03),
    ("131", 0.025),
    ("132", 0.01),
    ("134", 0.015),
    ("205.1", 0.01),
    ("282.2", 0.005),
    ("275", 0.005),
    ("228.1", 0.02),
)

# Region -> (weight by population, commissariats). A commissariat serves a city or a
# district, named `<city> city` or `<district> district` as registers spell them.
COMMISSARIATS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("Moscow", 13.0, ("Tverskoy district", "Maryino district", "Izmaylovo district")),
    ("Moscow Oblast", 8.5, ("Balashikha city", "Podolsk city", "Odintsovsky district")),
    ("Saint Petersburg", 5.6, ("Nevsky district", "Primorsky district", "Kalininsky district")),
    ("Krasnodar Krai", 5.8, ("Krasnodar city", "Sochi city", "Novorossiysk city")),
    ("Sverdlovsk Oblast", 4.3, ("Yekaterinburg city", "Nizhny Tagil city", "Serov city")),
    ("Rostov Oblast", 4.2, ("Rostov-on-Don city", "Taganrog city", "Shakhty city")),
    ("Republic of Bashkortostan", 4.0, ("Ufa city", "Sterlitamak city", "Salavat city")),
    ("Republic of Tatarstan", 4.0, ("Kazan city", "Naberezhnye Chelny city", "Almetyevsk city")),
    ("Republic of Dagestan", 3.2, ("Makhachkala city", "Derbent city", "Khasavyurt city")),
    ("Chelyabinsk Oblast", 3.4, ("Chelyabinsk city", "Magnitogorsk city", "Zlatoust city")),
    ("Nizhny Novgorod Oblast", 3.1, ("Nizhny Novgorod city", "Dzerzhinsk city", "Arzamas city")),
    ("Samara Oblast", 3.1, ("Samara city", "Tolyatti city", "Syzran city")),
    ("Novosibirsk Oblast", 2.8, ("Novosibirsk city", "Berdsk city", "Iskitimsky district")),
    ("Krasnoyarsk Krai", 2.8, ("Krasnoyarsk city", "Norilsk city", "Achinsk city")),
    ("Perm Krai", 2.5, ("Perm city", "Berezniki city", "Solikamsk city")),
    ("Voronezh Oblast", 2.3, ("Voronezh city", "Borisoglebsk city", "Rossoshansky district")),
    ("Irkutsk Oblast", 2.3, ("Irkutsk city", "Bratsk city", "Angarsk city")),
    ("Primorsky Krai", 1.8, ("Vladivostok city", "Ussuriysk city", "Nakhodka city")),
    (
        "Republic of Buryatia",
        1.0,
        ("Ulan-Ude city", "Kyakhtinsky district", "Barguzinsky district"),
    ),
    ("Zabaykalsky Krai", 1.0, ("Chita city", "Krasnokamensk city", "Borzinsky district")),
    ("Tuva Republic", 0.3, ("Kyzyl city", "Dzun-Khemchiksky district")),
)
