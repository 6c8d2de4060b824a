"""Shared state while a rulebook is built: the problems found so far and expression checks."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from nadzor.rules._expr_parse import ExprSyntaxError, TemplatePart, parse_expression, parse_template
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


def _is_model_tag(tag: str) -> bool:
    """Whether a union member's tag names a model: pydantic tags a model by its class name,
    every other member by a lower-case schema name (`str`, `list[str]`, `function-after[...]`).
    """
    return tag[:1].isupper() and "[" not in tag


def _author_loc(tree: Any, err: ErrorDetails) -> tuple[tuple[int | str, ...], bool]:
    """The error's location in the file without union member tags, and whether the member
    that failed is the one meant by the input: the model for a mapping, a plain value otherwise.

    pydantic tries every member of a union and reports each one's failure, so for
    `str | ExpectFile` a mapping with a typo also gets a false "should be a valid string".
    """
    loc: list[int | str] = []
    relevant = True
    node = tree
    steps = tuple(err["loc"])
    for index, step in enumerate(steps):
        in_list = isinstance(step, int) and isinstance(node, list) and 0 <= step < len(node)
        if in_list or (isinstance(node, dict) and step in node):
            node = node[step]
        elif isinstance(step, int) or (index == len(steps) - 1 and err["type"] == "missing"):
            pass  # a list index past the end, or a field the mapping lacks: both are real steps
        else:
            relevant = relevant and _is_model_tag(step) == isinstance(node, dict)
            continue
        loc.append(step)
    return tuple(loc), relevant


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
            self._validation_problems(file, tree, exc)
            return None, tree

    def _validation_problems(self, file: str, tree: Any, exc: ValidationError) -> None:
        located = [(*_author_loc(tree, err), err) for err in exc.errors()]
        # keep every error if no member fits the input, so a failure is never left unreported
        kept = [item for item in located if item[1]] or located
        for loc, _, err in kept:
            message = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
            where = _loc_text(loc)
            self.add(file, line_of(tree, loc), f"{where}: {message}" if where else message)

    def expr(
        self,
        source: str,
        names: Mapping[str, NameInfo],
        want: str | None,
        file: str,
        line: int,
        what: str,
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
                _check_template_part(part, names)
        except (ExprSyntaxError, ExprTypeError) as exc:
            self.add(file, line, f"{what}: {exc} (at column {exc.pos + 1} of the template)")
            return None
        return Template(source, tuple(parts))


def _check_template_part(part: TemplatePart, names: Mapping[str, NameInfo]) -> None:
    """Type-check one `{expression}`; errors carry offsets counted in the whole template."""
    if part.expr is None:
        return
    try:
        if infer_type(part.expr, names) == "duration":
            raise ExprTypeError("a duration cannot be shown; add it to a date", part.expr.pos)
    except ExprTypeError as exc:
        # offsets are relative to the expression; `part.pos` is where it starts in the template
        raise ExprTypeError(str(exc), part.pos + exc.pos) from None
