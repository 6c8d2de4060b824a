"""Find rulebooks: the built-in ones shipped with nadzor, or a directory given by path."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from nadzor.rules._model import Rulebook
from nadzor.rules._problems import Problem, RulebookError

__all__ = ["UnknownRulebook", "builtin_rulebooks", "resolve_rulebook"]


class UnknownRulebook(LookupError):  # noqa: N818 - public name the CLI imports
    """Neither a built-in rulebook id nor a rulebook directory."""


def _builtin_root() -> Path:
    return Path(str(resources.files("nadzor") / "rulebooks"))


def builtin_rulebooks() -> dict[str, Path]:
    """Built-in rulebook ids and their directories."""
    root = _builtin_root()
    if not root.is_dir():
        return {}
    return {p.name: p for p in sorted(root.iterdir()) if (p / "rulebook.yaml").is_file()}


def resolve_rulebook(name: str, *, with_tests: bool = False, store: Path | None = None) -> Rulebook:
    """Load a built-in rulebook by id, or the rulebook directory at path `name`.

    `store`: a directory where loaded rulebooks are kept between processes (`_stored`);
    None loads from the files every time."""
    builtins = builtin_rulebooks()
    path = Path(name)
    if name in builtins and not path.exists():
        return _load(builtins[name], with_tests, store)
    if path.is_dir() or path.name == "rulebook.yaml":
        if not path.exists():
            raise RulebookError([Problem(name, 0, "no such rulebook file")])
        return _load(path, with_tests, store)
    known = ", ".join(builtins) or "none"
    raise UnknownRulebook(
        f"unknown rulebook {name!r} (built in: {known}; or give a rulebook directory)"
    )


def _load(path: Path, with_tests: bool, store: Path | None) -> Rulebook:
    # Imported here: a rulebook taken from the store needs neither the YAML reader nor the
    # Pydantic models of its files.
    if store is not None:
        from nadzor.rules._stored import load_stored

        return load_stored(path, with_tests=with_tests, directory=store)
    from nadzor.rules._loader import load_rulebook

    return load_rulebook(path, with_tests=with_tests)
