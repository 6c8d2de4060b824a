"""Finding a case by what a person remembers of it: its reference, the reference of the
person's record in a register, or words of the case and of its complaints.

On PostgreSQL the words are matched by full-text search with the Russian configuration
(so `отпустили` finds `отпустить`); SQLite has no such search, so there the words are
matched as plain text in their usual spellings (as typed, lower case, capitalised), as
SQLite compares only Latin letters without regard to case.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from nadzor.cases.domain import OTHER_REGION, REGIONS, Region, find_region
from nadzor.store.models import PLACE_FIELDS, Case, Complaint, Finding

__all__ = ["SEARCH_CONFIG", "region_matches", "search_cases"]

SEARCH_CONFIG = "russian"
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

        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="plain")
        own = Case.objects.annotate(
            found=SearchVector("title", "facility", *PLACE_FIELDS, config=SEARCH_CONFIG)
        ).filter(pk=OuterRef("pk"), found=query)
        complaints = Complaint.objects.annotate(
            found=SearchVector("text", "facility", config=SEARCH_CONFIG)
        ).filter(found=query)
        return (
            Exists(own)
            | Exists(complaints.filter(case=OuterRef("pk")))
            | Exists(complaints.filter(split_cases=OuterRef("pk")))
        )
    condition = Q(pk__in=[])
    for variant in {text, text.lower(), text.capitalize(), text.upper()}:
        condition |= Q(title__contains=variant) | Q(facility__contains=variant)
        complaints = Complaint.objects.filter(text__contains=variant)
        condition |= Exists(complaints.filter(case=OuterRef("pk")))
        condition |= Exists(complaints.filter(split_cases=OuterRef("pk")))
    return condition


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
