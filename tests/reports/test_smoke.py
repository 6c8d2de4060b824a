from __future__ import annotations
from typing import Any
from nadzor.reports.services import build_report, parse_options, public_report, to_csv

def test_smoke(seeded: dict[str, Any]) -> None:
    opts = parse_options(*seeded["period"])
    r = build_report(opts)
    print(to_csv(r).decode()[:3000])
    p = public_report(parse_options(*seeded["period"], public=True))
    print(to_csv(p).decode()[:3000])
