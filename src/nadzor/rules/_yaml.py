"""YAML loading that remembers line numbers, so every rulebook error can name its line.

Mappings load as `LineDict` and sequences as `LineList`: ordinary dict/list subclasses that
also carry the 1-based line of the node and of each key or item. Duplicate keys, which
plain YAML silently overwrites, are errors here: in a rulebook they would hide law.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

__all__ = ["LineDict", "LineList", "YamlError", "line_of", "load_yaml"]


class YamlError(ValueError):
    """Unreadable YAML: `line` is 1-based (0 when unknown)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class LineDict(dict[Any, Any]):
    line: int = 0
    key_lines: dict[Any, int]


class LineList(list[Any]):
    line: int = 0
    item_lines: list[int]


# libyaml's parser is several times faster than PyYAML's pure-Python one, and the nodes it
# builds carry the same marks, so lines are unchanged; constructors stay in Python either way.
try:
    from yaml import CSafeLoader as _FastBase
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _FastBase  # type: ignore[assignment]


class _Loader(yaml.SafeLoader):
    """The pure-Python loader: its error messages are the ones authors are shown."""


class _FastLoader(_FastBase):
    """libyaml when PyYAML was built with it, else the same as `_Loader`."""


def _construct_mapping(loader: _Loader | _FastLoader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise YamlError(f"duplicate key {key!r}", key_node.start_mark.line + 1)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader | _FastLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


for _cls in (_Loader, _FastLoader):
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: Path) -> Any:
    """Load one YAML document with line information."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(f"not UTF-8 text: {exc.reason}", 0) from None
    try:
        return yaml.load(text, Loader=_FastLoader)  # safe: both loaders are SafeLoaders
    except YamlError:
        raise
    except ValueError as exc:
        # a scalar that looks like a date but is none (2022-11-31): quoting keeps it text
        raise YamlError(f"invalid value: {exc} (quote it to keep it as text)", 0) from None
    except yaml.YAMLError:
        # libyaml words its errors differently; reading the broken file again with the
        # pure-Python parser gives the usual message and line (an error costs no speed)
        return _load_slowly(text)


def _load_slowly(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # safe: both loaders are SafeLoaders
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlError(f"invalid YAML: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", 0) from None


def line_of(tree: Any, loc: tuple[int | str, ...]) -> int:
    """The line of the deepest node on `loc` (a pydantic error location) inside `tree`."""
    line = getattr(tree, "line", 0)
    node = tree
    for step in loc:
        if isinstance(node, LineDict) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
        line = getattr(node, "line", line) if isinstance(node, LineDict | LineList) else line
    return line
