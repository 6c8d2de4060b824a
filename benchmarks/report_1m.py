"""Report benchmark: `nadzor report` over 1,000,000 cases and 100,000 complaints on PostgreSQL.

    python benchmarks/report_1m.py [--server postgresql://postgres@127.0.0.1:5432/postgres]
                                   [--cases 1000000] [--complaints 100000] [--keep]

Creates a fresh database on the server, runs `nadzor init`, fills it in SQL (generate_series,
a fixed random seed: the same store every time) with cases of every kind over 2026, about
1.3 findings per screened case, resolutions by remedy, complaints answered early, late or
never, and a screening run; then times `nadzor report` for the year in CSV, HTML (with its
charts), PDF and the public CSV, each in its own process (start-up included), and checks
that two CSV runs give the same bytes. The goal (reports.md): under 10 s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

REGIONS = [
    "Белгородская область", "Курская область", "Брянская область", "Воронежская область",
    "Москва", "Санкт-Петербург", "Республика Тыва", "Республика Бурятия",
    "Свердловская область", "Краснодарский край", "Ростовская область", "Челябинская область",
]  # fmt: skip

SEED_SQL = """
SELECT setseed(0.42);
INSERT INTO nadzor_case (reference, kind, status, priority, title, region, commissariat,
  facility, tags, source, record_id, created_at, updated_at, registered_on, due_on,
  deadline_extended, extension_reason, remedy, remedy_text, closure_reason, legal_hold,
  resolved_at, subject_kind)
SELECT 'NZ-2026-' || lpad(g::text, 7, '0'),
  (ARRAY['unlawful_callup','unlawful_callup','provision','conditions','training','abuse'])[1 + (g % 6)],
  s.status, 'normal', '', (%(regions)s)[1 + (g * 7 % %(nregions)s)], '',
  'в/ч ' || (10000 + g % 900), '[]'::jsonb,
  CASE WHEN g % 3 < 2 THEN 'register-' || (g % 4) ELSE '' END,
  CASE WHEN g % 3 < 2 THEN 'r' || g ELSE '' END,
  c.at, c.at, c.at::date, c.at::date + 30, false, '',
  CASE WHEN s.status = 'resolved'
       THEN (ARRAY['sent_home','deferment_granted','discharged','kit_issued','conditions_fixed'])[1 + (g % 5)]
       ELSE '' END,
  '', '', false,
  CASE WHEN s.status = 'resolved' THEN c.at + ((g % 40) + 1) * interval '1 day' END,
  'person'
FROM generate_series(1, %(cases)s) AS g
CROSS JOIN LATERAL (SELECT timestamptz '2026-01-01 00:00Z' + (g::float / %(cases)s) * interval '330 days' AS at) c
CROSS JOIN LATERAL (SELECT (ARRAY['new','triage','investigating','remedy_requested','resolved','resolved','closed_unfounded'])[1 + (g * 13 % 7)] AS status) s;

INSERT INTO nadzor_finding (case_id, source, record_id, rule_id, rulebook, outcome, basis,
  explanation, imported_at, amount)
SELECT id, source, record_id, r.rule, 'ru-2022@1.0.0', r.outcome, '', '', created_at,
  CASE WHEN kind = 'provision' THEN 195000 - (id % 4) * 50000 END
FROM nadzor_case
CROSS JOIN LATERAL (
  SELECT * FROM (VALUES
    ('RU22-AGE-LIMIT', 'not_subject', 0), ('RU22-HEALTH-D', 'not_subject', 1),
    ('RU22-CHILDREN-3', 'deferment', 2), ('RU22-STUDENT', 'deferment', 3),
    ('RU22-HEALTH-UNKNOWN', 'review', 4)) AS v(rule, outcome, n)
  WHERE v.n = nadzor_case.id % 5 OR (nadzor_case.id % 10 < 3 AND v.n = (nadzor_case.id + 1) % 5)
) r
WHERE record_id <> '';

INSERT INTO nadzor_complaint (category, reason, region, facility, facility_key, text,
  occurred_on, status, created_at, updated_at, due_on, deadline_extended, extension_reason,
  lookup_digest, code_hash, language, topics)
SELECT (ARRAY['unlawful_callup','provision','conditions','training','abuse','other'])[1 + (g % 6)],
  '', (%(regions)s)[1 + (g * 5 %% %(nregions)s)], '', '', 'текст жалобы', NULL,
  (ARRAY['new','triaged','linked','closed'])[1 + (g % 4)],
  c.at, c.at, c.at::date + 30, false, '', md5(g::text) || md5((g + 1)::text), 'x', 'ru',
  '[]'::jsonb
FROM generate_series(1, %(complaints)s) AS g
CROSS JOIN LATERAL (SELECT timestamptz '2026-01-01 00:00Z' + (g::float / %(complaints)s) * interval '330 days' AS at) c;

INSERT INTO nadzor_complaint_message (complaint_id, sender, at, text)
SELECT id, 'staff', created_at + ((id % 3) * 25 + 5) * interval '1 day', 'ответ'
FROM nadzor_complaint WHERE id % 10 < 7;

INSERT INTO nadzor_screening_run (source, file_name, rulebooks, started_at, finished_at,
  actor, records_with_findings, findings_read, findings_added, cases_created, cases_joined)
SELECT 'register-' || n, 'findings.csv', 'ru-2022@1.0.0', timestamptz '2026-01-01 00:00Z',
  timestamptz '2026-11-30 00:00Z', 'system', 1, 1, 1, 1, 0
FROM generate_series(0, 3) AS n;
ANALYZE;
"""


# A PostgreSQL store names where its evidence and its secret live: a folder of the run.
_PLACES = Path(tempfile.mkdtemp(prefix="nadzor-report-bench-"))
_STORE_ENV = {
    "NADZOR_EVIDENCE_DIR": str(_PLACES / "evidence"),
    "NADZOR_SECRET_FILE": str(_PLACES / "secret"),
}


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


LAST_CPU = [0.0]  # the nadzor process's CPU time (user + sys) of the last run


def nadzor(*args: str, db: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = {**os.environ, **_STORE_ENV, "NADZOR_DATABASE_URL": db}
    start, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(
        [sys.executable, "-m", "nadzor", *args], env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    LAST_CPU[0] = _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"nadzor {' '.join(args)} failed: {done.stderr.strip()}")
    return elapsed, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    name = f"nadzor_bench_report_{os.getpid()}"
    parts = urlsplit(args.server)
    db = urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(args.server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        nadzor("init", db=db)
        start = time.perf_counter()
        sql = SEED_SQL.replace("%%", "%")
        params = {
            "cases": str(args.cases),
            "complaints": str(args.complaints),
            "nregions": str(len(REGIONS)),
            "regions": "ARRAY[" + ",".join(f"'{r}'" for r in REGIONS) + "]",
        }
        for key, value in params.items():
            sql = sql.replace(f"%({key})s", value)
        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute(sql)
            counts = {
                table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
                for table in ("nadzor_case", "nadzor_finding", "nadzor_complaint")
            }
        print(f"seeded in {time.perf_counter() - start:.1f} s: {counts}")
        period = ["--from", "2026-01-01", "--to", "2026-12-31"]
        with tempfile.TemporaryDirectory() as work:
            out = Path(work)
            results = {}
            for label, extra, fmt in [
                ("csv", [], "csv"),
                ("csv again", [], "csv"),
                ("html with charts", [], "html"),
                ("pdf", [], "pdf"),
                ("public csv", ["--public"], "csv"),
            ]:
                target = out / f"{label.replace(' ', '-')}.{fmt}"
                seconds, _ = nadzor(
                    "report", *period, *extra, "--format", fmt, "--out", str(target), db=db
                )
                results[label] = seconds
                print(
                    f"report {label:<18} {seconds:6.2f} s wall, {LAST_CPU[0]:5.2f} s CPU of the"
                    f" nadzor process  ({target.stat().st_size:,} bytes)"
                )
            same = (out / "csv.csv").read_bytes() == (out / "csv-again.csv").read_bytes()
            print(f"two CSV runs byte-identical: {same}")
    finally:
        if not args.keep:
            with psycopg.connect(args.server, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()},"
        f" load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()
