"""Nothing in `screening`, `cases` or `cli` names a rulebook's column, rule or outcome:
a new register is a rulebook directory, never a code change.

Rule ids are looked for anywhere in the source. Column names and outcome words are
ordinary words, so they are looked for as whole string literals (`"not_subject"`,
`row["region"]`), where code would use them; the columns of the findings, rejects and
summary files are the output contract and are not counted. Every hit is listed.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from nadzor.rules import builtin_rulebooks, resolve_rulebook
from nadzor.screening import FINDINGS_SCHEMA, REJECTS_SCHEMA, SUMMARY_SCHEMA

SRC = Path(__file__).resolve().parents[2] / "src" / "nadzor"
PACKAGES = ("screening", "cases", "cli")
#: the output files' own columns: every rulebook's findings carry them
CONTRACT = {
    *FINDINGS_SCHEMA.names,
    *REJECTS_SCHEMA.names,
    *SUMMARY_SCHEMA.names,
    "as_of",
}


def _words() -> tuple[set[str], set[str]]:
    """(rule ids, column names and outcome and verdict words) of every built-in rulebook."""
    rule_ids: set[str] = set()
    words: set[str] = set()
    for name in builtin_rulebooks():
        book = resolve_rulebook(name)
        rule_ids |= {r.id for r in book.rules}
        words |= {c.name for c in book.record_type.columns}
        words |= {o.id for o in book.outcomes} | {v.id for v in book.verdicts}
    return rule_ids, words - CONTRACT


def _string_literals(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    for token in tokens:
        if token.type == tokenize.STRING:
            text = re.sub(r"^[rbufRBUF]*('''|\"\"\"|'|\")", "", token.string)
            text = re.sub(r"('''|\"\"\"|'|\")$", "", text)
            found.append((token.start[0], text))
    return found


def _hits() -> list[str]:
    rule_ids, words = _words()
    ids_re = re.compile("|".join(re.escape(i) for i in sorted(rule_ids)))
    hits: list[str] = []
    for package in PACKAGES:
        for path in sorted((SRC / package).rglob("*.py")):
            where = path.relative_to(SRC.parents[1])
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for match in ids_re.finditer(line):
                    hits.append(f"{where}:{number}: rule id {match.group()}")
            for number, text in _string_literals(path):
                if text in words:
                    hits.append(f"{where}:{number}: {text!r}")
    return hits


def test_the_words_are_found_when_present(tmp_path: Path) -> None:
    """The search itself works: a planted literal is reported."""
    planted = tmp_path / "x.py"
    planted.write_text('OUTCOMES = ("not_subject", "deferment")\n', encoding="utf-8")
    assert [t for _, t in _string_literals(planted)] == ["not_subject", "deferment"]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_rulebook_words_in_the_engine(package: str) -> None:
    hits = [h for h in _hits() if h.startswith(f"src/nadzor/{package}/")]
    assert not hits, "rulebook words in the code:\n" + "\n".join(hits)
