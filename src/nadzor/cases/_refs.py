"""Case references NZ-YYYY-NNNNNN, numbered per year without gaps or repeats."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from nadzor.cases.domain import format_reference
from nadzor.store.models import ReferenceCounter

__all__ = ["allocate_references"]


def allocate_references(year: int, count: int) -> list[str]:
    """`count` new references for `year`, in the caller's transaction."""
    if count <= 0:
        return []
    with transaction.atomic():
        counter = _locked_counter(year)
        first = counter.last + 1
        counter.last += count
        counter.save(update_fields=["last"])
    return [format_reference(year, number) for number in range(first, first + count)]


def _locked_counter(year: int) -> ReferenceCounter:
    counter = ReferenceCounter.objects.select_for_update().filter(year=year).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():
            ReferenceCounter.objects.create(year=year, last=0)
    except IntegrityError:
        pass  # another writer created it first; take its row below
    return ReferenceCounter.objects.select_for_update().get(year=year)
