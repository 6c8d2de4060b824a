"""The federal subjects of Russia as a fixed list, and a region as people type it folded to
one of them: `Свердловская область`, `свердловская обл.` and `Sverdlovsk Oblast` are one
region. Text that names none of them is kept as typed and counted as "other".

Pure: data and string functions only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from nadzor.cases.domain._regions_uk import UKRAINIAN_NAMES

__all__ = [
    "OTHER_REGION",
    "REGIONS",
    "Region",
    "canonical_region",
    "find_region",
    "region_name",
]

OTHER_REGION = "other"


@dataclass(frozen=True)
class Region:
    """A federal subject: its ISO 3166-2 code, its Russian and English names, and other
    names people use for it."""

    code: str
    ru: str
    en: str
    aliases: tuple[str, ...] = ()


# (code, Russian name, English name, other names) in the order of the Constitution's list
REGIONS: tuple[Region, ...] = (
    Region("RU-AD", "Республика Адыгея", "Republic of Adygea", ("Адыгея", "Adygea", "Adygeya")),
    Region("RU-AL", "Республика Алтай", "Altai Republic", ("Алтай", "Altai", "Gorno-Altai")),
    Region(
        "RU-BA",
        "Республика Башкортостан",
        "Republic of Bashkortostan",
        ("Башкортостан", "Башкирия", "Bashkortostan", "Bashkiria"),
    ),
    Region("RU-BU", "Республика Бурятия", "Republic of Buryatia", ("Бурятия", "Buryatia")),
    Region("RU-DA", "Республика Дагестан", "Republic of Dagestan", ("Дагестан", "Dagestan")),
    Region("RU-IN", "Республика Ингушетия", "Republic of Ingushetia", ("Ингушетия", "Ingushetia")),
    Region(
        "RU-KB",
        "Кабардино-Балкарская Республика",
        "Kabardino-Balkar Republic",
        ("Кабардино-Балкария", "КБР", "Kabardino-Balkaria"),
    ),
    Region("RU-KL", "Республика Калмыкия", "Republic of Kalmykia", ("Калмыкия", "Kalmykia")),
    Region(
        "RU-KC",
        "Карачаево-Черкесская Республика",
        "Karachay-Cherkess Republic",
        ("Карачаево-Черкесия", "КЧР", "Karachay-Cherkessia"),
    ),
    Region("RU-KR", "Республика Карелия", "Republic of Karelia", ("Карелия", "Karelia")),
    Region("RU-KO", "Республика Коми", "Komi Republic", ("Коми", "Komi")),
    Region("RU-CR", "Республика Крым", "Republic of Crimea", ("Крым", "Crimea")),
    Region("RU-ME", "Республика Марий Эл", "Mari El Republic", ("Марий Эл", "Mari El")),
    Region("RU-MO", "Республика Мордовия", "Republic of Mordovia", ("Мордовия", "Mordovia")),
    Region(
        "RU-SA",
        "Республика Саха (Якутия)",
        "Sakha (Yakutia) Republic",
        ("Якутия", "Саха", "Республика Саха", "Yakutia", "Sakha"),
    ),
    Region(
        "RU-SE",
        "Республика Северная Осетия — Алания",
        "Republic of North Ossetia–Alania",
        ("Северная Осетия", "Осетия", "Алания", "North Ossetia", "North Ossetia-Alania"),
    ),
    Region(
        "RU-TA",
        "Республика Татарстан",
        "Republic of Tatarstan",
        ("Татарстан", "Татария", "Tatarstan"),
    ),
    Region("RU-TY", "Республика Тыва", "Tuva Republic", ("Тыва", "Тува", "Tuva", "Tyva")),
    Region("RU-UD", "Удмуртская Республика", "Udmurt Republic", ("Удмуртия", "Udmurtia")),
    Region(
        "RU-KK", "Республика Хакасия", "Republic of Khakassia", ("Хакасия", "Khakassia", "Khakasia")
    ),
    Region("RU-CE", "Чеченская Республика", "Chechen Republic", ("Чечня", "Chechnya")),
    Region("RU-CU", "Чувашская Республика", "Chuvash Republic", ("Чувашия", "Chuvashia")),
    Region("RU-ALT", "Алтайский край", "Altai Krai", ("Altai Territory",)),
    Region(
        "RU-ZAB",
        "Забайкальский край",
        "Zabaykalsky Krai",
        ("Забайкалье", "Zabaikalsky Krai", "Transbaikal", "Zabaykalye"),
    ),
    Region("RU-KAM", "Камчатский край", "Kamchatka Krai", ("Камчатка", "Kamchatka")),
    Region(
        "RU-KDA",
        "Краснодарский край",
        "Krasnodar Krai",
        ("Кубань", "Краснодар", "Krasnodar", "Kuban"),
    ),
    Region("RU-KYA", "Красноярский край", "Krasnoyarsk Krai", ("Красноярск", "Krasnoyarsk")),
    Region("RU-PER", "Пермский край", "Perm Krai", ("Пермь", "Прикамье", "Perm")),
    Region("RU-PRI", "Приморский край", "Primorsky Krai", ("Приморье", "Primorye", "Primorsky")),
    Region(
        "RU-STA",
        "Ставропольский край",
        "Stavropol Krai",
        ("Ставрополье", "Ставрополь", "Stavropol"),
    ),
    Region("RU-KHA", "Хабаровский край", "Khabarovsk Krai", ("Хабаровск", "Khabarovsk")),
    Region("RU-AMU", "Амурская область", "Amur Oblast", ("Амурская обл.", "Amur")),
    Region("RU-ARK", "Архангельская область", "Arkhangelsk Oblast", ("Архангельск", "Arkhangelsk")),
    Region("RU-AST", "Астраханская область", "Astrakhan Oblast", ("Астрахань", "Astrakhan")),
    Region("RU-BEL", "Белгородская область", "Belgorod Oblast", ("Белгород", "Belgorod")),
    Region("RU-BRY", "Брянская область", "Bryansk Oblast", ("Брянск", "Bryansk")),
    Region("RU-VLA", "Владимирская область", "Vladimir Oblast", ("Владимир", "Vladimir")),
    Region("RU-VGG", "Волгоградская область", "Volgograd Oblast", ("Волгоград", "Volgograd")),
    Region("RU-VLG", "Вологодская область", "Vologda Oblast", ("Вологда", "Vologda")),
    Region("RU-VOR", "Воронежская область", "Voronezh Oblast", ("Воронеж", "Voronezh")),
    Region("RU-IVA", "Ивановская область", "Ivanovo Oblast", ("Иваново", "Ivanovo")),
    Region("RU-IRK", "Иркутская область", "Irkutsk Oblast", ("Иркутск", "Irkutsk")),
    Region(
        "RU-KGD", "Калининградская область", "Kaliningrad Oblast", ("Калининград", "Kaliningrad")
    ),
    Region("RU-KLU", "Калужская область", "Kaluga Oblast", ("Калуга", "Kaluga")),
    Region(
        "RU-KEM",
        "Кемеровская область — Кузбасс",
        "Kemerovo Oblast – Kuzbass",
        ("Кемеровская область", "Кузбасс", "Кемерово", "Kemerovo", "Kuzbass"),
    ),
    Region("RU-KIR", "Кировская область", "Kirov Oblast", ("Киров", "Kirov")),
    Region("RU-KOS", "Костромская область", "Kostroma Oblast", ("Кострома", "Kostroma")),
    Region("RU-KGN", "Курганская область", "Kurgan Oblast", ("Курган", "Kurgan")),
    Region("RU-KRS", "Курская область", "Kursk Oblast", ("Курск", "Kursk")),
    Region(
        "RU-LEN", "Ленинградская область", "Leningrad Oblast", ("Ленобласть", "Leningrad region")
    ),
    Region("RU-LIP", "Липецкая область", "Lipetsk Oblast", ("Липецк", "Lipetsk")),
    Region("RU-MAG", "Магаданская область", "Magadan Oblast", ("Магадан", "Magadan")),
    Region(
        "RU-MOS",
        "Московская область",
        "Moscow Oblast",
        ("Подмосковье", "Московская обл.", "Moscow region"),
    ),
    Region("RU-MUR", "Мурманская область", "Murmansk Oblast", ("Мурманск", "Murmansk")),
    Region(
        "RU-NIZ",
        "Нижегородская область",
        "Nizhny Novgorod Oblast",
        ("Нижний Новгород", "Nizhny Novgorod"),
    ),
    Region("RU-NGR", "Новгородская область", "Novgorod Oblast", ("Великий Новгород", "Novgorod")),
    Region("RU-NVS", "Новосибирская область", "Novosibirsk Oblast", ("Новосибирск", "Novosibirsk")),
    Region("RU-OMS", "Омская область", "Omsk Oblast", ("Омск", "Omsk")),
    Region("RU-ORE", "Оренбургская область", "Orenburg Oblast", ("Оренбург", "Orenburg")),
    Region(
        "RU-ORL",
        "Орловская область",
        "Oryol Oblast",
        ("Орёл", "Орел", "Орловская обл.", "Oryol", "Orel"),
    ),
    Region("RU-PNZ", "Пензенская область", "Penza Oblast", ("Пенза", "Penza")),
    Region("RU-PSK", "Псковская область", "Pskov Oblast", ("Псков", "Pskov")),
    Region("RU-ROS", "Ростовская область", "Rostov Oblast", ("Ростов", "Ростов-на-Дону", "Rostov")),
    Region("RU-RYA", "Рязанская область", "Ryazan Oblast", ("Рязань", "Ryazan")),
    Region("RU-SAM", "Самарская область", "Samara Oblast", ("Самара", "Samara")),
    Region("RU-SAR", "Саратовская область", "Saratov Oblast", ("Саратов", "Saratov")),
    Region("RU-SAK", "Сахалинская область", "Sakhalin Oblast", ("Сахалин", "Sakhalin")),
    Region(
        "RU-SVE",
        "Свердловская область",
        "Sverdlovsk Oblast",
        ("Свердловская обл.", "Екатеринбург", "Sverdlovsk", "Yekaterinburg"),
    ),
    Region("RU-SMO", "Смоленская область", "Smolensk Oblast", ("Смоленск", "Smolensk")),
    Region("RU-TAM", "Тамбовская область", "Tambov Oblast", ("Тамбов", "Tambov")),
    Region("RU-TVE", "Тверская область", "Tver Oblast", ("Тверь", "Tver")),
    Region("RU-TOM", "Томская область", "Tomsk Oblast", ("Томск", "Tomsk")),
    Region("RU-TUL", "Тульская область", "Tula Oblast", ("Тула", "Tula")),
    Region("RU-TYU", "Тюменская область", "Tyumen Oblast", ("Тюмень", "Tyumen")),
    Region("RU-ULY", "Ульяновская область", "Ulyanovsk Oblast", ("Ульяновск", "Ulyanovsk")),
    Region("RU-CHE", "Челябинская область", "Chelyabinsk Oblast", ("Челябинск", "Chelyabinsk")),
    Region("RU-YAR", "Ярославская область", "Yaroslavl Oblast", ("Ярославль", "Yaroslavl")),
    Region("RU-MOW", "Москва", "Moscow", ("г. Москва", "город Москва", "Moscow City")),
    Region(
        "RU-SPE",
        "Санкт-Петербург",
        "Saint Petersburg",
        (
            "Петербург",
            "СПб",
            "Питер",
            "г. Санкт-Петербург",
            "St. Petersburg",
            "St Petersburg",
            "Saint-Petersburg",
        ),
    ),
    Region("RU-SEV", "Севастополь", "Sevastopol", ("г. Севастополь",)),
    Region(
        "RU-YEV",
        "Еврейская автономная область",
        "Jewish Autonomous Oblast",
        ("ЕАО", "Биробиджан", "Jewish Autonomous Region", "Birobidzhan"),
    ),
    Region("RU-NEN", "Ненецкий автономный округ", "Nenets Autonomous Okrug", ("НАО", "Nenets")),
    Region(
        "RU-KHM",
        "Ханты-Мансийский автономный округ — Югра",
        "Khanty-Mansi Autonomous Okrug – Yugra",
        ("ХМАО", "Югра", "Ханты-Мансийский автономный округ", "Khanty-Mansi", "Yugra", "KhMAO"),
    ),
    Region(
        "RU-CHU",
        "Чукотский автономный округ",
        "Chukotka Autonomous Okrug",
        ("Чукотка", "ЧАО", "Chukotka"),
    ),
    Region(
        "RU-YAN",
        "Ямало-Ненецкий автономный округ",
        "Yamalo-Nenets Autonomous Okrug",
        ("ЯНАО", "Ямал", "Yamal", "Yamalo-Nenets"),
    ),
)

# English words of the same kind, kept as one text: they are prose, not column names
_ENGLISH_GENERIC = "oblast region republic rep krai territory autonomous okrug of the city".split()  # noqa: SIM905

# words that say what kind of subject it is, left out to compare the proper name alone
_GENERIC = frozenset(
    [
        "область",
        "обл",
        "республика",
        "респ",
        "край",
        "автономный",
        "автономная",
        "округ",
        "ао",
        "республіка",
        "автономний",
        "автономна",
        "місто",
        "м",
        "г",
        "город",
        *_ENGLISH_GENERIC,
    ]
)
_PUNCTUATION = re.compile(r"[^\w\s]")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    text = re.sub(r"[\u2010-\u2015-]", " ", text)
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def _proper(folded: str) -> str:
    return " ".join(word for word in folded.split() if word not in _GENERIC)


def _index() -> dict[str, Region]:
    full: dict[str, Region] = {}
    proper: dict[str, set[str]] = {}
    by_code = {region.code: region for region in REGIONS}
    for region in REGIONS:
        names = (region.ru, region.en, UKRAINIAN_NAMES[region.code], region.code, *region.aliases)
        for name in names:
            key = _fold(name)
            full.setdefault(key, region)
            short = _proper(key)
            if short:
                proper.setdefault(short, set()).add(region.code)
    index = {
        short: by_code[next(iter(codes))]
        for short, codes in proper.items()
        if len(codes) == 1 and short not in full
    }
    index.update(full)
    return index


_INDEX = _index()


def find_region(text: str) -> Region | None:
    """The federal subject `text` names (any of its names, in any case, with or without
    the kind of subject), or None."""
    key = _fold(text)
    if not key:
        return None
    return _INDEX.get(key) or _INDEX.get(_proper(key))


def canonical_region(text: str) -> str:
    """The region's Russian name when `text` names a federal subject; else `text` as it was
    given (trimmed), kept for people to read."""
    region = find_region(text)
    return region.ru if region is not None else " ".join(text.split())


def region_name(region: Region, language: str) -> str:
    """The region's name for a page in `language`: Ukrainian or English when asked, else
    Russian."""
    if language == "uk":
        return UKRAINIAN_NAMES[region.code]
    return region.en if language == "en" else region.ru
