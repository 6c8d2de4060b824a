"""Check that `hand_query.sql` finds exactly what `nadzor screen` finds, on small registers.

    python benchmarks/check_hand_query.py [--records 200000] [--workdir benchmarks/data/check]

The benchmark is only fair if both sides compute the same findings, so the hand query is
checked on three registers before it is timed:

- `clean`: `nadzor synth --seed 1` (call-ups 2022-09-21..2022-12-31: the rule periods of
  autumn 2022, CHILDREN-3-RETRO, CONVICTION-GRAVE before and LISTED/CHECK after 15.11.2022);
- `wide`: `nadzor synth --seed 2 --callup-to 2026-12-31` (the 2024 age limits by year of
  birth, and deferments that ended before later call-ups);
- `spoiled`: the first 30,000 rows of `clean`, still typed, with rows nadzor must reject
  (duplicate ids, birth on the call-up day, call-up before 2022-09-21, dates outside
  1900..2100, 50 weeks of pregnancy, bad article numbers, unknown enum values, an empty
  id) and rows it must accept (Cyrillic and mixed-case enums, padded ids and articles,
  29 February births, a null list item).

For each, every finding must match on all seven columns (`EXCEPT ALL` both ways).
Exit status 0 when all match.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent

# Every 1000th row gets one change, by its position in the file.
_SPOIL = """
COPY (
    WITH s AS (
        SELECT *, file_row_number AS n
        FROM read_parquet('{src}', file_row_number = true)
        WHERE file_row_number < 30000
    ),
    ids AS (SELECT n, record_id FROM s)
    SELECT
        CASE n % 1000
            WHEN 1 THEN (SELECT record_id FROM ids WHERE ids.n = s.n - 1)
            WHEN 17 THEN (SELECT record_id FROM ids WHERE ids.n = s.n - 15)
            WHEN 10 THEN '  ' || record_id || ' '
            WHEN 15 THEN ''
            ELSE record_id
        END AS record_id,
        CASE WHEN n % 1000 = 3 THEN DATE '2022-09-01' ELSE callup_date END AS callup_date,
        CASE n % 1000
            WHEN 2 THEN callup_date WHEN 18 THEN DATE '1899-01-01' ELSE birth_date
        END AS birth_date,
        CASE n % 1000 WHEN 7 THEN 'ж' WHEN 12 THEN 'X' WHEN 19 THEN ' м' ELSE sex END AS sex,
        ru_citizen,
        in_reserve,
        CASE WHEN n % 1000 = 11 THEN 'Colonel ' ELSE rank_group END AS rank_group,
        CASE n % 1000
            WHEN 8 THEN 'г' WHEN 14 THEN 'Z' WHEN 20 THEN ' ' WHEN 21 THEN 'Д'
            ELSE health_category
        END AS health_category,
        CASE WHEN n % 1000 = 5 THEN DATE '1899-12-31' ELSE health_exam_date END
            AS health_exam_date,
        CASE n % 1000
            WHEN 9 THEN list_append(
                coalesce(children_birth_dates, []::DATE[]), DATE '2101-01-01')
            WHEN 22 THEN [DATE '2010-02-28', DATE '2008-02-29', DATE '2012-02-29',
                DATE '2016-02-29', NULL]
            ELSE children_birth_dates
        END AS children_birth_dates,
        CASE WHEN n % 1000 = 22 THEN true ELSE raises_children_alone END
            AS raises_children_alone,
        CASE n % 1000 WHEN 4 THEN 50::SMALLINT WHEN 22 THEN 22::SMALLINT
            ELSE wife_pregnancy_weeks
        END AS wife_pregnancy_weeks,
        cares_for_relative,
        guardian_of_minor_sibling,
        other_carers_available,
        CASE WHEN n % 1000 = 16 THEN DATE '2101-01-01' ELSE reserved_until END
            AS reserved_until,
        full_time_student_until,
        CASE n % 1000
            WHEN 6 THEN ['205.1x']
            WHEN 13 THEN [' 131 ', '', '205', '132', '205.10']
            ELSE conviction_articles
        END AS conviction_articles,
        conviction_grave,
        defence_industry_worker,
        it_sector_worker,
        legislator,
        region,
        commissariat
    FROM s
    ORDER BY n
) TO '{out}' (FORMAT parquet)
"""


def nadzor() -> str:
    return str(Path(sys.executable).with_name("nadzor"))


def synth(out: Path, records: int, *extra: str) -> None:
    if not out.exists():
        command = [nadzor(), "synth", "--records", str(records), "--out", str(out), *extra]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def spoil(src: Path, out: Path) -> None:
    con = duckdb.connect()
    con.execute(_SPOIL.format(src=str(src).replace("'", "''"), out=str(out).replace("'", "''")))


def compare(register: Path, workdir: Path) -> bool:
    mine = workdir / f"{register.stem}-nadzor.parquet"
    hand = workdir / f"{register.stem}-hand.parquet"
    screen = [nadzor(), "screen", str(register), "--out", str(mine)]
    screen += ["--rejects", str(workdir / f"{register.stem}-rejects.csv")]
    code = subprocess.run(screen, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    if code not in (0, 3):
        print(f"{register.name}: nadzor screen exited {code}")
        return False
    runner = [sys.executable, str(HERE / "run_hand_query.py"), str(register), str(hand)]
    subprocess.run(runner, check=True, stdout=subprocess.DEVNULL)
    con = duckdb.connect()
    a, b = (f"read_parquet('{str(p).replace(chr(39), chr(39) * 2)}')" for p in (mine, hand))
    only_nadzor = con.sql(f"SELECT count(*) FROM (FROM {a} EXCEPT ALL FROM {b})").fetchall()[0][0]
    only_hand = con.sql(f"SELECT count(*) FROM (FROM {b} EXCEPT ALL FROM {a})").fetchall()[0][0]
    rows = con.sql(f"SELECT count(*) FROM {a}").fetchall()[0][0]
    same = bool(only_nadzor == 0 and only_hand == 0)
    print(
        f"{register.name}: {rows:,} findings from nadzor; {only_nadzor} only in nadzor's,"
        f" {only_hand} only in the hand query's: {'same' if same else 'DIFFERENT'}"
        f" (nadzor exit {code})"
    )
    if not same:
        diff = con.sql(
            f"(SELECT 'nadzor' AS side, * FROM (FROM {a} EXCEPT ALL FROM {b}) LIMIT 5)"
            f" UNION ALL (SELECT 'hand' AS side, * FROM (FROM {b} EXCEPT ALL FROM {a}) LIMIT 5)"
        )
        print(diff)
    return same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--records", type=int, default=200_000, help="rows of the two synth registers"
    )
    parser.add_argument("--workdir", type=Path, default=HERE / "data" / "check")
    args = parser.parse_args()
    workdir: Path = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    clean = workdir / f"clean-{args.records}.parquet"
    wide = workdir / f"wide-{args.records}.parquet"
    spoiled = workdir / f"spoiled-{args.records}.parquet"
    synth(clean, args.records, "--seed", "1")
    synth(wide, args.records, "--seed", "2", "--callup-to", "2026-12-31")
    if not spoiled.exists():
        spoil(clean, spoiled)
    results = [compare(register, workdir) for register in (clean, wide, spoiled)]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
