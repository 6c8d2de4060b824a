"""Read one register column inside the engine: its typed value, or a plain error sentence.

Text is trimmed, and empty means not recorded. Typed Parquet or XLSX values are taken as
they are, after the same range checks. Everything is an Ibis expression, so a register of
millions of rows is validated by the engine in one pass, never row by row in Python.
Casts only happen inside a CASE branch whose pattern already matched: PostgreSQL would
otherwise abort the whole query on the first bad value.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.datatypes as dt_types
import ibis.expr.types as ir

from nadzor.rules import DEFAULT_FALSE, DEFAULT_TRUE, Column, RecordType

__all__ = [
    "ParsedColumn",
    "date_parts",
    "fold_case",
    "list_items",
    "one_of",
    "parse_column",
    "prepare",
    "range_error",
    "spellings",
    "stage_text",
    "value_error",
    "well_formed",
]

_NOT_A_DATE = "not a date: expected YYYY-MM-DD or DD.MM.YYYY"
_NULL_TEXT = ibis.null("string")
_ABSENT_TYPES = {
    "text": "string",
    "enum": "string",
    "int": "int64",
    "decimal": "decimal(18, 6)",
    "bool": "boolean",
    "date": "date",
    "list<date>": "array<date>",
    "list<text>": "array<string>",
}


@dataclass(frozen=True)
class ParsedColumn:
    value: ir.Value  # typed; null when not recorded or in error
    error: ir.StringValue | None  # null when the value is fine; None: never an error here


def fold_case(text: ir.StringValue) -> ir.StringValue:
    """Lower case; compare the result with `spellings(...)`, not with plain lower-case words."""
    return text.lower()


def spellings(words: Iterable[str]) -> list[str]:
    """What `fold_case` may leave of each word, on any engine.

    Some engines lower only ASCII letters (PostgreSQL in a C locale), so non-ASCII words
    are also matched in their other cases. Listing them is far cheaper than translate().
    """
    found: set[str] = set()
    for word in words:
        low = word.lower()
        found.add(low)
        if low.isascii():
            continue
        if len(low) <= 4:
            found.update("".join(p) for p in itertools.product(*((c, c.upper()) for c in low)))
        else:
            found.update({low.upper(), low.title(), low.capitalize()})
    return sorted(found)


def one_of(value: ir.StringValue, options: Iterable[str]) -> ir.BooleanValue:
    """`value` equals one of `options`, as OR-ed equalities: a long IN list would make
    DuckDB plan a join per row batch."""
    tests = [value == option for option in options]
    return ibis.or_(*tests).fill_null(False) if tests else ibis.literal(False)


@ibis.udf.scalar.builtin(name="trim")  # type: ignore[untyped-decorator]
def _trim_spaces(text: str) -> str:  # type: ignore[empty-body]
    """The engine's own TRIM(text): surrounding spaces only, as records.md says.

    Ibis's strip() also removes tabs and line breaks through TRIM(text, chars), which
    DuckDB runs four times slower; the same call exists in PostgreSQL.
    """


def _clean_text(raw: ir.Value) -> ir.StringValue:
    text = _trim_spaces(raw.cast("string"))
    return text.nullif("")


_ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@ibis.udf.scalar.builtin(name="substring")  # type: ignore[untyped-decorator]
def _substring(text: str, start: int, length: int) -> str:  # type: ignore[empty-body]
    """The engine's own SUBSTRING(text, start, length), start counted from 1: Ibis's
    substr() adds a CASE for negative starts, which a constant start never needs."""


def _digits(text: ir.StringValue, start: int, length: int) -> ir.IntegerValue:
    return _substring(text, start + 1, length).cast("int32")


def well_formed(text: ir.StringValue) -> ir.BooleanValue:
    """Whether `text` has the YYYY-MM-DD form (not whether it is a real day)."""
    return text.re_search(_ISO_DATE).fill_null(False)


def iso_text(text: ir.StringValue) -> ir.StringValue:
    """DD.MM.YYYY rewritten as YYYY-MM-DD; anything else unchanged (and checked later)."""
    return text.re_replace(r"^([0-9]{2})\.([0-9]{2})\.([0-9]{4})$", r"\3-\2-\1")


def date_parts(text: ir.StringValue, formed: ir.BooleanValue | None = None) -> dict[str, Any]:
    """Well-formed flag and year, month, day of YYYY-MM-DD text (null when not well-formed);
    `formed` is `well_formed(text)` when the caller has it already."""
    if formed is None:
        formed = well_formed(text)
    null_int = ibis.null("int32")
    return {
        "formed": formed,
        "year": ibis.ifelse(formed, _digits(text, 0, 4), null_int),
        "month": ibis.ifelse(formed, _digits(text, 5, 2), null_int),
        "day": ibis.ifelse(formed, _digits(text, 8, 2), null_int),
    }


def date_from_parts(parts: dict[str, Any]) -> tuple[ir.DateValue, ir.BooleanValue]:
    """(date, real calendar day) from `date_parts`; make_date only runs on real days."""
    year, month, day = parts["year"], parts["month"], parts["day"]
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_days = ibis.cases(
        (month == 2, ibis.ifelse(leap, 29, 28)),
        ((month == 4) | (month == 6) | (month == 9) | (month == 11), 30),
        else_=31,
    )
    real = (parts["formed"] & month.between(1, 12) & day.between(1, month_days)).fill_null(False)
    return ibis.ifelse(real, ibis.date(year, month, day), ibis.null("date")), real


def _date_error(formed: Any, real: Any) -> ir.StringValue:
    return ibis.cases(
        (~formed, _NOT_A_DATE),
        (~real, "not a date: no such day in the calendar"),
        else_=_NULL_TEXT,
    )


def range_error(value: Any, col: Column, low: dt.date, high: dt.date) -> ir.StringValue | None:
    """The error of a parsed value outside its column's range (dates, and ints with min/max);
    None for a column without a range."""
    if col.type == "date":
        outside = (value < low) | (value > high)
        message = f"date out of range: expected {low.isoformat()} to {high.isoformat()}"
    elif col.type in ("int", "decimal") and (col.min is not None or col.max is not None):
        lo = col.min if col.min is not None else -(2**62)
        hi = col.max if col.max is not None else 2**62
        outside = (value < lo) | (value > hi)
        message = f"out of range: expected {lo} to {hi}"
    else:
        return None
    return ibis.ifelse(outside.fill_null(False), message, _NULL_TEXT)


def _date(
    text: ir.Value, physical: dt_types.DataType, parts: dict[str, Any] | None
) -> ParsedColumn:
    if physical.is_date():
        return ParsedColumn(text, None)
    if physical.is_timestamp():
        midnight = text.cast("date").cast("timestamp") == text.cast("timestamp")
        value = ibis.ifelse(midnight, text.cast("date"), ibis.null("date"))
        error = ibis.ifelse(
            midnight.fill_null(True), _NULL_TEXT, "not a date: it has a time of day"
        )
        return ParsedColumn(value, error)
    if parts is None:
        parts = date_parts(text)
        value, real = date_from_parts(parts)
        error = ibis.ifelse(text.isnull(), _NULL_TEXT, _date_error(parts["formed"], real))
        return ParsedColumn(value, error)
    # Given the parts as columns, the error reads the stored value (see `value_error`).
    return ParsedColumn(date_from_parts(parts)[0], None)


def _int(text: ir.Value, physical: dt_types.DataType, col: Column) -> ParsedColumn:
    # A sign is text only when record.yaml allows negative values: elsewhere "-3" or "+22"
    # is a typing slip worth a reject, not a number. Nine digits keep the cast in range.
    negative = col.min is not None and col.min < 0
    wrong = "not a whole number: expected digits only" + (
        ", with an optional leading -" if negative else ""
    )
    if physical.is_integer():
        return ParsedColumn(text.cast("int64"), None)
    if physical.is_floating():
        whole = (text == text.floor()).fill_null(True)
        return ParsedColumn(
            ibis.ifelse(whole, text.cast("int64"), ibis.null("int64")),
            ibis.ifelse(whole, _NULL_TEXT, wrong),
        )
    pattern = r"^-?[0-9]{1,9}$" if negative else r"^[0-9]{1,9}$"
    ok = text.re_search(pattern).fill_null(False)
    value = ibis.ifelse(ok, text.cast("int64"), ibis.null("int64"))
    return ParsedColumn(value, ibis.ifelse(text.isnull() | ok, _NULL_TEXT, wrong))


def _pairs(true: tuple[str, ...], false: tuple[str, ...]) -> str:
    """`true/false, 1/0 or да/нет`: the spellings as pairs, unpaired ones alone."""
    pairs = [f"{t}/{f}" for t, f in zip(true, false, strict=False)]
    longer = true if len(true) > len(false) else false
    pairs += list(longer[len(pairs) :])
    return pairs[0] if len(pairs) == 1 else ", ".join(pairs[:-1]) + f" or {pairs[-1]}"


def _bool(text: ir.Value, physical: dt_types.DataType, record: RecordType | None) -> ParsedColumn:
    if physical.is_boolean():
        return ParsedColumn(text, None)
    # `text` is folded already (see `stage_text`); the error reads the stored value (see
    # `value_error`), so that this CASE is written once.
    true, false = _bool_spellings(record)
    value = ibis.cases(
        (one_of(text, spellings(true)), True),
        (one_of(text, spellings(false)), False),
        else_=ibis.null("boolean"),
    )
    return ParsedColumn(value, None)


def _bool_spellings(record: RecordType | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if record is None:
        return DEFAULT_TRUE, DEFAULT_FALSE
    return record.true_spellings, record.false_spellings


_DECIMAL = "decimal(18, 6)"


def _decimal(text: ir.Value, physical: dt_types.DataType, col: Column) -> ParsedColumn:
    """Digits with an optional fraction after `.` or `,`: read exactly, never as a float."""
    negative = col.min is not None and col.min < 0
    wrong = (
        "not a decimal number: expected digits with an optional fraction after . or ,"
        " (at most 6 decimal places, no thousands separators)"
    )
    if physical.is_integer() or physical.is_decimal():
        return ParsedColumn(text.cast(_DECIMAL), None)
    if physical.is_floating():
        # a typed float is shortest-decimal text first, so 719.5 stays 719.5
        text = text.cast("string")
    sign = "-?" if negative else ""
    ok = text.re_search(rf"^{sign}[0-9]{{1,12}}([.,][0-9]{{1,6}})?$").fill_null(False)
    value = ibis.ifelse(ok, text.replace(",", ".").cast(_DECIMAL), ibis.null(_DECIMAL))
    return ParsedColumn(value, ibis.ifelse(text.isnull() | ok, _NULL_TEXT, wrong))


def _enum(folded: ir.Value, col: Column) -> ParsedColumn:
    """The canonical value of folded text (see `stage_text`); its error and script are
    read from the stored value (see `value_error`)."""
    assert col.values is not None
    branches = [
        (one_of(folded, spellings(accepted)), ibis.literal(canon))
        for canon, accepted in col.values.items()
    ]
    return ParsedColumn(ibis.cases(*branches, else_=ibis.null("string")), None)


def _cyrillic_spellings(col: Column) -> list[str]:
    assert col.values is not None
    forms = [s for accepted in col.values.values() for s in spellings(accepted)]
    return [s for s in forms if any("\u0400" <= ch <= "\u04ff" for ch in s)]


def list_items(text: ir.Value) -> Any:
    """The non-empty trimmed items of a list column's text (or typed list), or None for a
    typed list of dates, which is read as it is."""
    physical = text.type()
    if physical.is_array():
        if physical.value_type.is_date():
            return None
        items = text.map(lambda x: x.cast("string").strip())
    else:
        items = text.split(";").map(lambda x: x.strip())
    return items.filter(lambda x: x != "")


def _item_dates(items: Any) -> Any:
    """Each item as a date, null where it is not a real calendar day.

    A lambda cannot name a value, so each step is a map of its own: the ISO text, then
    YYYYMMDD as a number (only where the text is well formed), then the date. Parsing an
    item in one lambda would repeat the text's rewrite wherever a part of it is read."""
    iso = items.map(lambda x: iso_text(x))
    numbers = iso.map(
        lambda y: ibis.ifelse(
            y.re_search(_ISO_DATE).fill_null(False),
            y.replace("-", "").cast("int32"),
            ibis.null("int32"),
        )
    )

    def day_of(n: Any) -> Any:
        parts = {"formed": n.notnull(), "year": n // 10000, "month": n // 100 % 100}
        return date_from_parts({**parts, "day": n % 100})[0]

    return numbers.map(day_of)


def _list_of_dates(
    raw: ir.Value, physical: dt_types.DataType, low: dt.date, high: dt.date, items: Any
) -> ParsedColumn:
    if physical.is_array() and physical.value_type.is_date():
        values = raw
        bad = raw.filter(lambda d: (d < low) | (d > high))[0]
        error = ibis.ifelse(
            bad.notnull(),
            ibis.literal("date out of range in the list: ").concat(
                bad.strftime("%Y-%m-%d"), f" (expected {low} to {high})"
            ),
            _NULL_TEXT,
        )
        return ParsedColumn(ibis.ifelse(error.isnull(), values, ibis.null("array<date>")), error)
    if items is None:
        items = list_items(raw)
    empty = items.length().fill_null(0) == 0
    # The error of a bad item reads the stored dates (see `value_error`). A list with an
    # error is nulled in a later stage; only "empty" matters here.
    return ParsedColumn(ibis.ifelse(~empty, _item_dates(items), ibis.null("array<date>")), None)


def _list_dates_error(dates: Any, items: Any, low: dt.date, high: dt.date) -> ir.StringValue:
    """The first item that is not a date from `low` to `high` (`dates` holds each item's
    date, null where it is not a real day)."""
    bad = items.filter(lambda x, i: ~((dates[i] >= low) & (dates[i] <= high)).fill_null(False))[0]
    return ibis.ifelse(
        bad.notnull(),
        ibis.literal("not a date in the list: ").concat(
            bad, f" (expected YYYY-MM-DD or DD.MM.YYYY, {low} to {high})"
        ),
        _NULL_TEXT,
    )


def _list_of_text(raw: ir.Value, col: Column, items: Any) -> ParsedColumn:
    if items is None:
        items = list_items(raw)
    error: Any = None
    if col.pattern is not None:
        pattern = col.pattern
        bad = items.filter(lambda x: ~x.re_search(pattern))[0]
        message = col.pattern_error or f"does not match {pattern}"
        error = ibis.ifelse(bad.notnull(), ibis.literal(f"{message}: ").concat(bad), _NULL_TEXT)
    empty = items.length().fill_null(0) == 0
    value = ibis.ifelse(~empty, items, ibis.null("array<string>"))
    return ParsedColumn(value, error)


def prepare(raw: ir.Value, col: Column) -> ir.Value:
    """Stage one: text trimmed (empty = not recorded), dates in ISO form; typed values as they are."""
    if not raw.type().is_string():
        return raw
    text = _clean_text(raw)
    return iso_text(text) if col.type == "date" else text


def stage_text(raw: ir.Value, col: Column) -> dict[str, ir.Value]:
    """Stage one of a column, by the suffix of its column name: `t`, the text `prepare`
    gives, folded for yes/no and enum columns (every test matches the folded text, which is
    then written once); `i`, the items of a list column, when it has text items."""
    text = prepare(raw, col)
    if col.type == "enum" or (col.type == "bool" and not text.type().is_boolean()):
        text = fold_case(text)
    out = {"t": text}
    if col.type == "date" and text.type().is_string():
        # the parts' stage reads it three times; the text's rewrite is repeated here once
        out["dformed"] = well_formed(text)
    if col.type in ("list<date>", "list<text>"):
        items = list_items(text)
        if items is not None:
            out["i"] = items
    return out


def parse_column(
    text: ir.Value | None,
    col: Column,
    low: dt.date,
    high: dt.date,
    parts: dict[str, Any] | None = None,
    record: RecordType | None = None,
    items: Any = None,
) -> ParsedColumn:
    """Stage two: the candidate value of `col` and its format error (null when fine).

    `text` and `items` are what `stage_text` gave (`text` None when the column is absent).
    Range and required checks come later, on the candidate, and so do the errors that
    `value_error` reads from the stored candidate, so that no expression is built twice.
    """
    if text is None:
        return ParsedColumn(ibis.null(_ABSENT_TYPES[col.type]), None)
    physical = text.type()
    if col.type == "date":
        return _date(text, physical, parts)
    if col.type == "int":
        return _int(text, physical, col)
    if col.type == "bool":
        return _bool(text, physical, record)
    if col.type == "decimal":
        return _decimal(text, physical, col)
    if col.type == "enum":
        return _enum(text, col)
    if col.type == "list<date>":
        return _list_of_dates(text, physical, low, high, items)
    if col.type == "list<text>":
        return _list_of_text(text, col, items)
    if col.pattern is not None:
        bad = ~text.re_search(col.pattern).fill_null(True)
        message = col.pattern_error or f"does not match {col.pattern}"
        return ParsedColumn(
            ibis.ifelse(bad, ibis.null("string"), text), ibis.ifelse(bad, message, _NULL_TEXT)
        )
    return ParsedColumn(text.cast("string"), None)


def value_error(
    value: ir.Value,
    text: ir.Value | None,
    items: Any,
    col: Column,
    low: dt.date,
    high: dt.date,
    record: RecordType | None = None,
    formed: ir.Value | None = None,
) -> tuple[ir.StringValue | None, ir.StringValue | None]:
    """Stage three: (error, mixed-script flag) that read the stored candidate `value` of
    `parse_column`, with the `text` and `items` of `stage_text` (None when absent) and, for
    a date given as parts, its well-formed flag `formed`.

    The error is None where `parse_column` gave it already; the flag is None unless the
    column warns of mixed scripts."""
    if text is None:
        return None, None
    if col.type == "date" and formed is not None:
        # a well-formed date without a value is no real day (see `date_from_parts`)
        return ibis.ifelse(text.isnull(), _NULL_TEXT, _date_error(formed, value.notnull())), None
    wrong: str | None = None
    if col.type == "bool" and not text.type().is_boolean():
        wrong = f"not a yes/no value: expected {_pairs(*_bool_spellings(record))}"
    elif col.type == "enum":
        wrong = f"not an allowed value: expected one of {', '.join(col.values or ())}"
    elif col.type == "list<date>" and items is not None:
        return _list_dates_error(value, items, low, high), None
    if wrong is None:
        return None, None
    error = ibis.ifelse(text.notnull() & value.isnull(), wrong, _NULL_TEXT)
    script = None
    if col.type == "enum" and col.warn_if_mixed_scripts:
        script = ibis.cases(
            (value.isnull(), _NULL_TEXT),
            (one_of(text, _cyrillic_spellings(col)), "cyrillic"),
            else_=ibis.literal("latin"),
        )
    return error, script
