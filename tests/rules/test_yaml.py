"""YAML with lines: libyaml (when PyYAML has it) gives the same trees and lines as pure Python."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from nadzor.rules._yaml import LineDict, LineList, YamlError, _FastLoader, _Loader, load_yaml

RULEBOOKS = Path(__file__).resolve().parents[2] / "src" / "nadzor" / "rulebooks"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# the built-in rulebooks' own files, and every fixture file (the fixtures' tests included)
YAML_FILES = sorted([*RULEBOOKS.glob("*/*.yaml"), *FIXTURES.rglob("*.yaml")])


def with_lines(node: Any) -> Any:
    """The tree as plain data, with every line the loader recorded alongside its node."""
    if isinstance(node, LineDict):
        items = {key: (node.key_lines[key], with_lines(value)) for key, value in node.items()}
        return ("map", node.line, items)
    if isinstance(node, LineList):
        return ("seq", node.line, list(zip(node.item_lines, map(with_lines, node), strict=True)))
    return node


def test_libyaml_is_used_when_pyyaml_has_it() -> None:
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML without libyaml: the pure-Python loader is used")
    assert issubclass(_FastLoader, yaml.CSafeLoader)


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_fast_and_pure_python_loaders_agree_on_values_and_lines(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = yaml.load(text, Loader=_FastLoader)
    slow = yaml.load(text, Loader=_Loader)
    assert with_lines(fast) == with_lines(slow)


def test_lines_of_block_and_flow_nodes(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\nb:\n  - x\n  - {c: 2,\n     d: 3}\n", encoding="utf-8")
    tree = load_yaml(path)
    assert tree.key_lines == {"a": 1, "b": 2}
    assert tree["b"].line == 3
    assert tree["b"].item_lines == [3, 4]
    assert tree["b"][1].key_lines == {"c": 4, "d": 5}


def test_duplicate_key_is_an_error_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\nb:\n  c: 2\n  c: 3\n", encoding="utf-8")
    with pytest.raises(YamlError) as err:
        load_yaml(path)
    assert str(err.value) == "duplicate key 'c'"
    assert err.value.line == 4


def test_syntax_error_keeps_the_pure_python_wording(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n  b: 2\n", encoding="utf-8")
    with pytest.raises(YamlError) as err:
        load_yaml(path)
    assert str(err.value) == "invalid YAML: mapping values are not allowed here"
    assert err.value.line == 2
