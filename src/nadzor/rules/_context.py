"""Shared state while a rulebook is built: the problems found so far and expression checks."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from nadzor.rules._expr_parse import ExprSyntaxError, parse_expression, parse_template
from nadzor.rules._expr_types import ExprTypeError, NameInfo, infer_type
from nadzor.rules._model import CheckedExpr, Template
from nadzor.rules._problems import Problem
from nadzor.rules._yaml import YamlError, line_of, load_yaml

__all__ = ["BuildContext"]

M = TypeVar("M", bound=BaseModel)


def _loc_text(loc: tuple[int | str, ...]) -> str:
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


class BuildContext:
    """Collects problems instead of stopping at the first, so `check` reports them all."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def add(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message))

    def read(self, path: Path, model: type[M]) -> tuple[M | None, Any]:
        """Load `path` and validate it against `model`; problems are recorded, not raised."""
        file = self.rel(path)
        if not path.is_file():
            self.add(file, 0, "file is missing")
            return None, None
        try:
            tree = load_yaml(path)
        except YamlError as exc:
            self.add(file, exc.line, str(exc))
            return None, None
        if not isinstance(tree, dict):
            self.add(file, 1, "expected a mapping at the top of the file")
            return None, None
        try:
            return model.model_validate(tree), tree
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                # pydantic names union members in locations; they mean nothing to an author
                loc = tuple(s for s in loc if not (isinstance(s, str) and "[" in s))
                message = err["msg"]
                if err["type"] == "extra_forbidden":
                    message = "unknown field"
                where = _loc_text(loc)
                self.add(file, line_of(tree, loc), f"{where}: {message}" if where else message)
            return None, tree

    def expr(
        self, source: str, names: Mapping[str, NameInfo], want: str | None, file: str, line: int, what: str
    ) -> CheckedExpr | None:
        """Parse and type-check one expression; `want` is the required type, if any."""
        try:
            tree = parse_expression(source)
            typ = infer_type(tree, names)
        except (ExprSyntaxError, ExprTypeError) as exc:
            self.add(file, line, f"{what}: {exc} (at column {exc.pos + 1} of {source!r})")
            return None
        if want is not None and typ != want:
            self.add(file, line, f"{what}: must be {want}, but {source!r} is {typ}")
            return None
        return CheckedExpr(source, tree, typ)

    def template(
        self, source: str, names: Mapping[str, NameInfo], file: str, line: int, what: str
    ) -> Template | None:
        try:
            parts = parse_template(source)
            for part in parts:
                if part.expr is not None:
                    typ = infer_type(part.expr, names)
                    if typ == "duration":
                        raise ExprTypeError("a duration cannot be shown; add it to a date", part.pos)
        except (ExprSyntaxError, ExprTypeError) as exc:
            self.add(file, line, f"{what}: {exc} (at column {exc.pos + 1} of the template)")
            return None
        return Template(source, tuple(parts))
