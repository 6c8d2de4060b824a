"""Tokenizer and recursive-descent parser for rulebook expressions.

The grammar is deliberately small (see docs/rulebooks.md):

    expr     := or
    or       := and ("or" and)*
    and      := not ("and" not)*
    not      := "not" not | compare
    compare  := sum (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in") sum)?
    sum      := term (("+" | "-") term)*
    term     := unary (("*" | "/") unary)*
    unary    := "-" unary | duration
    duration := primary (UNIT)?            UNIT: day(s), month(s), year(s)
    primary  := INT | DATE | STRING | "true" | "false" | NAME | NAME "(" args ")"
              | "(" expr ")" | "[" (expr ("," expr)*)? "]"

Nothing here evaluates anything: text becomes a tree or an `ExprSyntaxError`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from nadzor.rules._expr_ast import (
    BinaryOp,
    BoolLit,
    BoolOp,
    Call,
    Compare,
    DateLit,
    Duration,
    DurationUnit,
    Expr,
    IntLit,
    ListLit,
    Name,
    Neg,
    Not,
    TextLit,
)

__all__ = ["ExprSyntaxError", "TemplatePart", "parse_expression", "parse_template"]


class ExprSyntaxError(ValueError):
    """A syntax error at character offset `pos` of the expression text."""

    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.pos = pos


@dataclass(frozen=True)
class _Token:
    kind: str  # INT DATE STRING NAME OP END
    text: str
    pos: int


_TOKEN_RE: Final = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<DATE>\d{4}-\d{2}-\d{2}(?![\d-]))
  | (?P<INT>\d+(?![\w.]))
  | (?P<STRING>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<NAME>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<OP>==|!=|<=|>=|<|>|=|\+|-|\*|/|\(|\)|\[|\]|,)
    """,
    re.VERBOSE,
)

_UNITS: Final[dict[str, DurationUnit]] = {
    "day": "days",
    "days": "days",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
}
_KEYWORDS: Final = {"and", "or", "not", "in", "true", "false", *_UNITS}


_DECIMAL_RE: Final = re.compile(r"\d+\.\d+")


def _untokenizable(text: str, pos: int) -> ExprSyntaxError:
    """The error for text at `pos` that starts no token, named as an author would see it."""
    if text[pos] in "'\"":
        # STRING failed to match from a quote, so the literal never ends
        return ExprSyntaxError("unclosed text literal", pos)
    decimal = _DECIMAL_RE.match(text, pos)
    if decimal is not None:
        # rulebooks count whole days, months and years; 205.1 is an article number, i.e. text
        return ExprSyntaxError(
            f"decimal numbers are not supported; use a whole number, or quote text as '{decimal.group()}'",
            pos,
        )
    return ExprSyntaxError(f"unexpected character {text[pos]!r}", pos)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            raise _untokenizable(text, pos)
        kind = match.lastgroup
        assert kind is not None
        if kind != "ws":
            tokens.append(_Token(kind, match.group(), pos))
        pos = match.end()
    tokens.append(_Token("END", "", len(text)))
    return tokens


def _unquote(raw: str, pos: int) -> str:
    body = raw[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            nxt = body[i + 1]
            if nxt not in "\\'\"":
                raise ExprSyntaxError(f"unknown escape \\{nxt} in text literal", pos + i + 1)
            out.append(nxt)
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


class _Parser:
    def __init__(self, text: str) -> None:
        self._tokens = _tokenize(text)
        self._i = 0

    def _peek(self) -> _Token:
        return self._tokens[self._i]

    def _next(self) -> _Token:
        tok = self._tokens[self._i]
        self._i += 1
        return tok

    def _at(self, text: str) -> bool:
        tok = self._peek()
        return tok.kind in ("OP", "NAME") and tok.text == text

    def _expect(self, text: str) -> _Token:
        tok = self._peek()
        if not self._at(text):
            found = "end of expression" if tok.kind == "END" else repr(tok.text)
            raise ExprSyntaxError(f"expected {text!r}, found {found}", tok.pos)
        return self._next()

    def parse(self) -> Expr:
        expr = self._or()
        tok = self._peek()
        if tok.kind != "END":
            raise ExprSyntaxError(f"unexpected {tok.text!r} after a complete expression", tok.pos)
        return expr

    def _or(self) -> Expr:
        first = self._and()
        items = [first]
        while self._at("or"):
            self._next()
            items.append(self._and())
        return first if len(items) == 1 else BoolOp("or", tuple(items), _pos(first))

    def _and(self) -> Expr:
        first = self._not()
        items = [first]
        while self._at("and"):
            self._next()
            items.append(self._not())
        return first if len(items) == 1 else BoolOp("and", tuple(items), _pos(first))

    def _not(self) -> Expr:
        if self._at("not"):
            tok = self._next()
            return Not(self._not(), tok.pos)
        return self._compare()

    def _compare(self) -> Expr:
        left = self._sum()
        tok = self._peek()
        op: str | None = None
        if tok.kind == "OP" and tok.text in ("==", "=", "!=", "<", "<=", ">", ">="):
            op = "==" if tok.text == "=" else tok.text
            self._next()
        elif self._at("in"):
            op = "in"
            self._next()
        elif self._at("not") and self._tokens[min(self._i + 1, len(self._tokens) - 1)].text == "in":
            op = "not in"
            self._i += 2
        if op is None:
            return left
        right = self._sum()
        nxt = self._peek()
        if nxt.kind == "OP" and nxt.text in ("==", "=", "!=", "<", "<=", ">", ">="):
            raise ExprSyntaxError("chained comparison: join the two with 'and'", nxt.pos)
        return Compare(op, left, right, tok.pos)  # type: ignore[arg-type]

    def _sum(self) -> Expr:
        left = self._term()
        while self._peek().kind == "OP" and self._peek().text in ("+", "-"):
            tok = self._next()
            right = self._term()
            left = BinaryOp(tok.text, left, right, tok.pos)  # type: ignore[arg-type]
        return left

    def _term(self) -> Expr:
        left = self._unary()
        while self._peek().kind == "OP" and self._peek().text in ("*", "/"):
            tok = self._next()
            right = self._unary()
            left = BinaryOp(tok.text, left, right, tok.pos)  # type: ignore[arg-type]
        return left

    def _unary(self) -> Expr:
        if self._peek().kind == "OP" and self._peek().text == "-":
            tok = self._next()
            return Neg(self._unary(), tok.pos)
        return self._duration()

    def _duration(self) -> Expr:
        base = self._primary()
        tok = self._peek()
        following = self._tokens[min(self._i + 1, len(self._tokens) - 1)]
        if tok.kind == "NAME" and tok.text in _UNITS and following.text != "(":
            self._next()
            return Duration(base, _UNITS[tok.text], _pos(base))
        return base

    def _primary(self) -> Expr:
        tok = self._next()
        if tok.kind == "INT":
            return IntLit(int(tok.text), tok.pos)
        if tok.kind == "DATE":
            try:
                return DateLit(dt.date.fromisoformat(tok.text), tok.pos)
            except ValueError:
                raise ExprSyntaxError(f"not a calendar date: {tok.text}", tok.pos) from None
        if tok.kind == "STRING":
            return TextLit(_unquote(tok.text, tok.pos), tok.pos)
        if tok.kind == "NAME":
            return self._name_or_call(tok)
        if tok.kind == "OP" and tok.text == "(":
            inner = self._or()
            self._expect(")")
            return inner
        if tok.kind == "OP" and tok.text == "[":
            return self._list(tok)
        found = "end of expression" if tok.kind == "END" else repr(tok.text)
        raise ExprSyntaxError(f"expected a value, found {found}", tok.pos)

    def _name_or_call(self, tok: _Token) -> Expr:
        if tok.text in ("true", "false"):
            return BoolLit(tok.text == "true", tok.pos)
        is_call = self._at("(")
        if tok.text in _KEYWORDS and not (tok.text in _UNITS and is_call):
            raise ExprSyntaxError(f"expected a value, found keyword {tok.text!r}", tok.pos)
        if not self._at("("):
            return Name(tok.text, tok.pos)
        self._next()
        args: list[Expr] = []
        if not self._at(")"):
            args.append(self._or())
            while self._at(","):
                self._next()
                args.append(self._or())
        self._expect(")")
        return Call(tok.text, tuple(args), tok.pos)

    def _list(self, tok: _Token) -> Expr:
        items: list[Expr] = []
        if not self._at("]"):
            items.append(self._or())
            while self._at(","):
                self._next()
                items.append(self._or())
        self._expect("]")
        return ListLit(tuple(items), tok.pos)


def _pos(expr: Expr) -> int:
    return expr.pos


def parse_expression(text: str) -> Expr:
    """Parse one expression; raises `ExprSyntaxError` with the offending offset."""
    if not text.strip():
        raise ExprSyntaxError("empty expression", 0)
    return _Parser(text).parse()


@dataclass(frozen=True)
class TemplatePart:
    """A piece of an `explain` template: literal text, or an expression to format."""

    text: str
    expr: Expr | None
    pos: int


def parse_template(text: str) -> list[TemplatePart]:
    """Split `"... {expr} ..."` into literal and expression parts; `{{`/`}}` are braces."""
    parts: list[TemplatePart] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "{}" and text[i : i + 2] in ("{{", "}}"):
            literal.append(ch)
            i += 2
            continue
        if ch == "}":
            raise ExprSyntaxError("unmatched '}' (write '}}' for a brace)", i)
        if ch != "{":
            literal.append(ch)
            i += 1
            continue
        end = text.find("}", i + 1)
        if end < 0:
            raise ExprSyntaxError("unclosed '{' in template", i)
        if literal:
            parts.append(TemplatePart("".join(literal), None, i))
            literal = []
        source = text[i + 1 : end]
        try:
            expr = parse_expression(source)
        except ExprSyntaxError as exc:
            raise ExprSyntaxError(str(exc), i + 1 + exc.pos) from None
        parts.append(TemplatePart(source, expr, i + 1))
        i = end + 1
    if literal:
        parts.append(TemplatePart("".join(literal), None, len(text)))
    return parts
