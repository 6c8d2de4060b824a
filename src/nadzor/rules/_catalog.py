"""Find rulebooks: the built-in ones shipped with nadzor, or a directory given by path."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from nadzor.rules._loader import load_rulebook
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


def resolve_rulebook(name: str, *, with_tests: bool = False) -> Rulebook:
    """Load a built-in rulebook by id, or the rulebook directory at path `name`."""
    builtins = builtin_rulebooks()
    path = Path(name)
    if name in builtins and not path.exists():
        return load_rulebook(builtins[name], with_tests=with_tests)
    if path.is_dir() or path.name == "rulebook.yaml":
        if not path.exists():
            raise RulebookError([Problem(name, 0, "no such rulebook file")])
        return load_rulebook(path, with_tests=with_tests)
    known = ", ".join(builtins) or "none"
    raise UnknownRulebook(
        f"unknown rulebook {name!r} (built in: {known}; or give a rulebook directory)"
    )
