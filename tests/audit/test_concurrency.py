"""Parallel writers leave one unbroken chain (8 writers x 200 appends)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from nadzor.audit.journal import append, verify
from nadzor.store.models import AuditEntry

WRITERS = 8
APPENDS = 200


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_keep_one_chain() -> None:
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            start.wait()
            for i in range(APPENDS):
                with transaction.atomic():
                    append(f"writer{number}", "case.update", f"case:W{number}", {"i": i})
        except BaseException as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    assert errors == []
    verdict = verify()
    assert verdict.ok, verdict.message()
    assert verdict.entries == WRITERS * APPENDS == AuditEntry.objects.count()
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, 1601)
    )
    for number in range(WRITERS):
        mine = AuditEntry.objects.filter(actor=f"writer{number}").order_by("seq")
        assert [e.data for e in mine] == [f'{{"i":{i}}}' for i in range(APPENDS)]
