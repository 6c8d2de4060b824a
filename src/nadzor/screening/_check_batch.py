"""One record checked at a time by many callers at once, run together in batches.

Running the screening query over one record costs nearly as much as over a hundred: the
time goes into the engine planning a large query, not into the rows. So when several
threads (web requests) ask at once, the first becomes the leader and runs every record
waiting for the same rulebook in one `check_records` call, then hands the results out; the
others wait. Nothing waits for a batch to fill: a record that arrives while the engine is
idle is run at once, alone.

Each record gets a batch-unique key for the run and its own key back in the results, so a
batch gives every record exactly what `check_records` gives it alone.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

from nadzor.rules import Rulebook
from nadzor.screening._check import CheckResult, as_register_text, check_records

__all__ = ["check_one"]

_MAX_BATCH = 256


@dataclass
class _Item:
    record: Mapping[str, object]
    key: str
    result: CheckResult | None = None
    error: BaseException | None = None
    done: bool = False


@dataclass
class _Queue:
    items: list[_Item] = field(default_factory=list)
    busy: bool = False


_lock = threading.Condition()
_queues: dict[tuple[int, dt.date | None, str | None], _Queue] = {}


def _warnings(rulebook: Rulebook, record: Mapping[str, object]) -> list[str]:
    """What `check_records` warns about this one record: the fields it ignored."""
    record_type = rulebook.record_type
    known = {c.name for c in record_type.columns}
    extra = sorted({str(k).strip().casefold() for k in record} - known)
    if not extra:
        return []
    return [f"ignored field(s) not in the {record_type.name}: {', '.join(extra)}"]


def _run(rulebook: Rulebook, batch: list[_Item], as_of: dt.date | None, lang: str | None) -> None:
    key_name = rulebook.record_type.key
    records = []
    for n, item in enumerate(batch):
        record = {k: v for k, v in item.record.items() if k.strip().casefold() != key_name}
        records.append({**record, key_name: f"{n}"})
    try:
        result = check_records(rulebook, records, as_of=as_of, lang=lang)
    except BaseException as exc:  # every waiting caller gets the error, as alone it would
        for item in batch:
            item.error = exc
        return
    for n, item in enumerate(batch):
        mine = str(n)
        findings = [{**f, "record_id": item.key} for f in result.findings if f["record_id"] == mine]
        rejects = [
            {**r, "row": 1, "record_id": item.key} for r in result.rejects if r["row"] == n + 1
        ]
        verdicts = {item.key: result.verdicts[mine]} if mine in result.verdicts else {}
        item.result = CheckResult(findings, rejects, verdicts, _warnings(rulebook, item.record))


def check_one(
    rulebook: Rulebook,
    record: Mapping[str, object],
    *,
    as_of: dt.date | None = None,
    lang: str | None = None,
) -> CheckResult:
    """`check_records(rulebook, [record])`, batched with the records of concurrent callers."""
    key_name = rulebook.record_type.key
    folded = {str(k).strip().casefold(): v for k, v in record.items()}
    key = (as_register_text(folded.get(key_name)) or "").strip()
    if not key:
        # A missing key is the record's own error: checked alone, it is reported as such.
        return check_records(rulebook, [record], as_of=as_of, lang=lang)
    item = _Item(record, key)
    queue_key = (id(rulebook), as_of, lang)
    with _lock:
        queue = _queues.setdefault(queue_key, _Queue())
        queue.items.append(item)
        while not item.done:
            if queue.busy:
                _lock.wait()
                continue
            queue.busy = True
            batch, queue.items = queue.items[:_MAX_BATCH], queue.items[_MAX_BATCH:]
            _lock.release()
            try:
                _run(rulebook, batch, as_of, lang)
            finally:
                _lock.acquire()
                for done in batch:
                    done.done = True
                queue.busy = False
                if not queue.items:
                    _queues.pop(queue_key, None)
                _lock.notify_all()
    if item.error is not None:
        raise item.error
    assert item.result is not None
    return item.result
