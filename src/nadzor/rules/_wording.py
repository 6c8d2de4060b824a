"""How a rulebook's enum values and citations read in each of its languages.

A register records `club`; a Russian explanation says «клуб». A rule's basis is written
once, as the lawyer cites it (`Charter of the Internal Service ...`); a Russian page cites
«Устав внутренней службы ...». Both come from `translations/LANG.yaml`:

    labels:
      premises: {club: клуб, gym: спортивный зал}
    basis:
      "Charter of the Internal Service: each serviceman has a bed": "Устав ...: ..."

A value or citation without a text in a language reads as written.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Wording"]


@dataclass(frozen=True)
class Wording:
    #: (language, column, canonical value, label)
    labels: tuple[tuple[str, str, str, str], ...] = ()
    #: (language, basis as the rulebook writes it, the basis in that language)
    citations: tuple[tuple[str, str, str], ...] = ()
    #: (language, source id, its name, its number) in that language ("" where not given)
    sources: tuple[tuple[str, str, str, str], ...] = ()

    def source(self, source_id: str, lang: str | None) -> tuple[str, str]:
        """(name, number) of a source in `lang`; empty strings where none is given."""
        for code, known, name, number in self.sources:
            if (code, known) == (lang, source_id):
                return name, number
        return "", ""

    def labels_of(self, column: str, lang: str | None) -> dict[str, str]:
        """Canonical value -> label of `column`'s values in `lang` (those that have one)."""
        return {
            value: label for code, col, value, label in self.labels if (code, col) == (lang, column)
        }

    def label(self, column: str, value: str, lang: str | None) -> str:
        """`value` of `column` as it reads in `lang`; the value itself when none is given."""
        return self.labels_of(column, lang).get(value, value)

    def citation(self, basis: str, lang: str | None) -> str:
        """A basis as it reads in `lang`, each `;`-joined part on its own; else as written."""
        if not lang:
            return basis
        whole = self._citation(basis, lang)
        if whole is not None:
            return whole
        parts = [part.strip() for part in basis.split(";")]
        return "; ".join(self._citation(part, lang) or part for part in parts)

    def _citation(self, basis: str, lang: str) -> str | None:
        return next(
            (text for code, written, text in self.citations if code == lang and written == basis),
            None,
        )

    @property
    def languages(self) -> tuple[str, ...]:
        found = [code for code, *_ in self.labels] + [code for code, *_ in self.citations]
        return tuple(dict.fromkeys(found))
