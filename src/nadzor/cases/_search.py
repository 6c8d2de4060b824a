"""Finding a case by what a person remembers of it: its reference, the reference of the
person's record in a register, or words of the case and of its complaints.

On PostgreSQL the words are matched by full-text search, in two ways at once, and a
case matches either:
- the Russian configuration (Snowball stems: `отпустили` finds `отпустить`);
- for Ukrainian, which PostgreSQL has no configuration for (a Ukrainian dictionary is an
  extension a server may not have), the `simple` configuration (lower case, no stems)
  with each word of the query cut to a stem-like prefix: `відпустили` looks for words
  beginning `відпуст`, so it finds `відпустити` and `відпустять`. The cut keeps words of
  up to four letters whole and drops up to three letters of longer ones (Ukrainian
  endings are at most three letters in the common forms); it finds more than a real
  stemmer would, never less, which is the right error for a search box.
SQLite has no such search, so there the words are matched as plain text in their usual
spellings (as typed, lower case, capitalised), as SQLite compares only Latin letters
without regard to case.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from nadzor.cases.domain import OTHER_REGION, REGIONS, Region, find_region
from nadzor.store.models import PLACE_FIELDS, Case, Complaint, Finding

__all__ = ["PREFIX_CONFIG", "SEARCH_CONFIG", "prefix_query", "region_matches", "search_cases"]

SEARCH_CONFIG = "russian"
#: The configuration of the prefix search (Ukrainian and any other language).
PREFIX_CONFIG = "simple"
_WORD = re.compile(r"\w+")
_WHOLE_UP_TO = 4
_CUT_AT_MOST = 3
_REFERENCE = re.compile(r"NZ-?([0-9]{4})-?([0-9]{1,6})", re.IGNORECASE)
_MAX = 200


def search_cases(rows: QuerySet[Case], query: str) -> QuerySet[Case]:
    """The cases of `rows` that `query` names or describes."""
    text = " ".join(query.split())[:_MAX]
    if not text:
        return rows
    reference = _REFERENCE.fullmatch(text.replace(" ", ""))
    if reference:
        year, number = reference.groups()
        return rows.filter(reference=f"NZ-{year}-{int(number):06d}")
    by_record = Q(record_id=text) | Exists(
        Finding.objects.filter(case=OuterRef("pk"), record_id=text)
    )
    return rows.filter(by_record | _words(text))


def _words(text: str) -> Q:
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        found = Q(pk__in=[])
        searches = [(SearchQuery(text, config=SEARCH_CONFIG, search_type="plain"), SEARCH_CONFIG)]
        prefixes = prefix_query(text)
        if prefixes:
            searches.append(
                (SearchQuery(prefixes, config=PREFIX_CONFIG, search_type="raw"), PREFIX_CONFIG)
            )
        for query, config in searches:
            own = Case.objects.annotate(
                found=SearchVector("title", "facility", *PLACE_FIELDS, config=config)
            ).filter(pk=OuterRef("pk"), found=query)
            complaints = Complaint.objects.annotate(
                found=SearchVector("text", "facility", config=config)
            ).filter(found=query)
            found |= (
                Exists(own)
                | Exists(complaints.filter(case=OuterRef("pk")))
                | Exists(complaints.filter(split_cases=OuterRef("pk")))
            )
        return found
    condition = Q(pk__in=[])
    for variant in {text, text.lower(), text.capitalize(), text.upper()}:
        condition |= Q(title__contains=variant) | Q(facility__contains=variant)
        complaints = Complaint.objects.filter(text__contains=variant)
        condition |= Exists(complaints.filter(case=OuterRef("pk")))
        condition |= Exists(complaints.filter(split_cases=OuterRef("pk")))
    return condition


def prefix_query(text: str) -> str:
    """A raw tsquery of every word of `text` cut to its stem-like prefix, `&`-joined:
    `Сина не відпустили` -> `сина:* & не:* & відпуст:*`. Only letters and digits reach
    the query, so nothing typed can change its syntax."""
    terms = []
    for word in _WORD.findall(text.lower()):
        word = word.replace("_", "")
        if not word:
            continue
        keep = (
            len(word) if len(word) <= _WHOLE_UP_TO else max(_WHOLE_UP_TO, len(word) - _CUT_AT_MOST)
        )
        terms.append(f"{word[:keep]}:*")
    return " & ".join(dict.fromkeys(terms))


def region_matches(asked: str) -> Q:
    """Cases in the region `asked`: any name of a federal subject matches all its names
    (cases imported with the region as a register spelt it included); `other` is every
    region given that names no federal subject; any other text matches as typed."""
    text = " ".join(asked.split())
    if text == OTHER_REGION:
        known = Q(pk__in=[])
        for region in REGIONS:
            known |= _any_name(region)
        return ~Q(region="") & ~known
    region = find_region(text)
    if region is None:
        return Q(region__iexact=text)
    return _any_name(region)


def _any_name(region: Region) -> Q:
    names = (region.ru, region.en, *region.aliases)
    condition = Q(pk__in=[])
    for name in names:
        condition |= Q(region__iexact=name)
    return condition
