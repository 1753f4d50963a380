"""Safe expression language for survey logic: an XLSForm-compatible subset, never eval/exec.

Pipeline: hand-written tokenizer → recursive-descent parser → immutable AST (frozen dataclasses)
→ evaluator that walks the AST and only calls whitelisted pure functions.

Syntax
    ``${field}``, ``${matrix.row.column}`` (one matrix cell), ``${item.other}`` (the free text of
    an "other" choice), ``.`` (the current value, in constraints), numbers (``3``, ``2.5``),
    strings (``'..'`` or ``".."``, no escapes), ``true()``, ``false()``, operators
    ``+ - * div mod /`` (``/`` is ``div``), unary ``-``, ``= != < <= > >=``, ``and``, ``or`` and
    parentheses. Precedence (low → high): ``or``, ``and``, ``= !=``, ``< <= > >=``, ``+ -``,
    ``* div mod /``, unary ``-``. Binary operators are left-associative.

Functions (arity is checked at parse time)
    ``if(c, a, b)``, ``not(x)``, ``selected(f, 'code')``, ``count-selected(f)``,
    ``coalesce(a, b)``, ``concat(...)``, ``string-length(s)``, ``regex(s, 'pattern')``,
    ``round(x[, n])``, ``int(x)``, ``number(x)``, ``min(...)``, ``max(...)``, ``sum(...)``,
    ``today()``, ``true()``, ``false()``; for repeats ``count(x)`` (instances, or 1/0 for a
    single value), ``position()`` (the current instance number, empty outside a repeat) and
    ``indexed-repeat(${field}, ${repeat}, n)`` (the field in instance n).

Empty semantics (explicit, LimeSurvey's NULL lesson)
    * A missing or irrelevant answer is *empty* (``None``; ``''`` and ``[]`` count as empty too).
    * Arithmetic with an empty operand is empty; division or ``mod`` by zero is empty; a result
      that is not finite is empty. Nothing here raises at evaluation time.
    * A comparison with an empty operand is ``false`` — for ``!=`` too — except a comparison with
      the string literal ``''``: ``x = ''`` is true when ``x`` is empty, ``x != ''`` when it is not.
    * ``and``/``or``/``not``/``if`` treat empty as false. ``coalesce(a, b)`` opts in to a default.
    * ``count-selected`` and ``string-length`` of empty are 0; ``selected`` and ``regex`` of empty
      are false; ``concat`` reads empty as ``''``; ``sum``/``min``/``max`` skip empty arguments and
      are empty when every argument is.

Comparison rules
    Multiple-choice answers (lists of codes) compare as their space-separated string, as in
    XForms. With a boolean operand both sides compare as booleans. With a number, the other side
    is converted to a number (for ``=``/``!=`` a non-numeric string compares as text). With a date,
    an ISO ``YYYY-MM-DD`` string is read as a date. Two strings compare as numbers when both are
    numeric, as dates when both are ISO dates, otherwise as text.

Limits
    Expression text ≤ 2000 characters, AST depth ≤ 50, ``regex`` patterns must be string literals
    of ≤ 200 characters without nested quantifiers or a quantified alternation such as
    ``(a|a)*``, and ``regex`` is not run on strings longer than 10000 characters. ``regex`` runs
    on RE2 (``google-re2``), whose matching time is linear in the text: no pattern can backtrack
    catastrophically; RE2 has no back-references or look-arounds, and a pattern whose compiled
    program exceeds ``MAX_REGEX_PROGRAM`` instructions is refused. ``regex`` follows XPath
    ``matches``: it searches, so anchor the pattern with ``^…$`` to match the whole value.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import re2

from app.clock import local_today

MAX_LENGTH = 2000
MAX_DEPTH = 50
MAX_PATTERN_LENGTH = 200
MAX_REGEX_SUBJECT = 10000
MAX_REGEX_PROGRAM = 5000  # RE2 program size; bounds the work per character of the text
MAX_STRING = 100_000
POSITION_KEY = "#position"  # context key holding the current repeat instance number

Value = object  # None | bool | int | float | str | list[str] | date

__all__ = [
    "FUNCTIONS",
    "Binary",
    "Call",
    "Current",
    "Expression",
    "Literal",
    "Node",
    "ParseError",
    "Ref",
    "Unary",
    "evaluate",
    "format_value",
    "is_empty",
    "parse",
    "render",
    "to_boolean",
    "to_number",
]


class ParseError(ValueError):
    """A syntax or static-check error, with the 0-based character position where it was found."""

    def __init__(self, message: str, position: int, text: str = "") -> None:
        """Keep message, position and text separately for callers."""
        super().__init__(f"{message} (at position {position})")
        self.message = message
        self.position = position
        self.text = text


# --------------------------------------------------------------------------------------- AST


@dataclass(frozen=True)
class Literal:
    """A number or string literal."""

    value: int | float | str


@dataclass(frozen=True)
class Ref:
    """A field reference ``${path}``; ``path`` is dotted for matrix cells (``grid.k01.imp``)."""

    path: str


@dataclass(frozen=True)
class Current:
    """``.``: the value being validated (constraints only)."""


@dataclass(frozen=True)
class Unary:
    """Unary minus."""

    op: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    """A binary operator; ``/`` is normalised to ``div``."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    """A call of a whitelisted function."""

    name: str
    args: tuple[Node, ...] = ()


Node = Literal | Ref | Current | Unary | Binary | Call


@dataclass(frozen=True)
class Expression:
    """A parsed expression with the field paths and functions it uses."""

    text: str
    root: Node
    references: frozenset[str] = field(default_factory=frozenset)
    functions: frozenset[str] = field(default_factory=frozenset)
    uses_current: bool = False


# ---------------------------------------------------------------------------------- functions

# name → (minimum arity, maximum arity or None for variadic)
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "if": (3, 3),
    "not": (1, 1),
    "selected": (2, 2),
    "count-selected": (1, 1),
    "coalesce": (2, 2),
    "concat": (1, None),
    "string-length": (1, 1),
    "regex": (2, 2),
    "round": (1, 2),
    "int": (1, 1),
    "number": (1, 1),
    "min": (1, None),
    "max": (1, None),
    "sum": (1, None),
    "count": (1, 1),
    "position": (0, 0),
    "indexed-repeat": (3, 3),
    "today": (0, 0),
    "true": (0, 0),
    "false": (0, 0),
}

# Functions whose names are known from XLSForm/ODK but deliberately unsupported.
_UNSUPPORTED_HINTS = {
    "pulldata": "it reads external CSV files",
    "once": "values are recomputed on every request",
    "now": "use today()",
    "jr:choice-name": "choice labels are not available to expressions",
    "selected-at": "it is not part of the supported subset",
}

# ---------------------------------------------------------------------------------- tokenizer

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:[-:][A-Za-z_][A-Za-z0-9_]*)*")
_NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_PATH_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_OPERATORS = ("!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/")
_KEYWORD_OPS = {"and", "or", "div", "mod"}


@dataclass(frozen=True)
class _Token:
    kind: str  # NUM STR REF DOT NAME OP LP RP COMMA EOF
    value: str
    pos: int


def _tokenize(text: str) -> list[_Token]:
    """Split text into tokens; whitespace separates, anything unknown is a ParseError."""
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            i += 1
            continue
        if ch == "$":
            if not text.startswith("${", i):
                raise ParseError("'$' must start a field reference like ${name}", i, text)
            end = text.find("}", i + 2)
            if end < 0:
                raise ParseError("unterminated field reference, missing '}'", i, text)
            path = text[i + 2 : end].strip()
            if not path:
                raise ParseError("empty field reference ${}", i, text)
            if not _PATH_RE.fullmatch(path):
                raise ParseError(f"invalid field reference ${{{path}}}", i, text)
            tokens.append(_Token("REF", path, i))
            i = end + 1
            continue
        if ch in "'\"":
            end = text.find(ch, i + 1)
            if end < 0:
                raise ParseError("unterminated string literal", i, text)
            tokens.append(_Token("STR", text[i + 1 : end], i))
            i = end + 1
            continue
        m = _NUMBER_RE.match(text, i)  # ASCII digits only ('²'.isdigit() is true)
        if m:
            tokens.append(_Token("NUM", m.group(), i))
            i = m.end()
            continue
        if ch == ".":
            if text.startswith("..", i):
                raise ParseError("'..' (parent) paths are not supported", i, text)
            tokens.append(_Token("DOT", ".", i))
            i += 1
            continue
        if ch == "(":
            tokens.append(_Token("LP", ch, i))
            i += 1
            continue
        if ch == ")":
            tokens.append(_Token("RP", ch, i))
            i += 1
            continue
        if ch == ",":
            tokens.append(_Token("COMMA", ch, i))
            i += 1
            continue
        m = _NAME_RE.match(text, i)
        if m:
            tokens.append(_Token("NAME", m.group(), i))
            i = m.end()
            continue
        for op in _OPERATORS:
            if text.startswith(op, i):
                tokens.append(_Token("OP", op, i))
                i += len(op)
                break
        else:
            raise ParseError(f"unexpected character {ch!r}", i, text)
    tokens.append(_Token("EOF", "", n))
    return tokens


# ------------------------------------------------------------------------------------- parser

_Parsed = tuple[Node, int]  # node and its depth

_LEVELS: tuple[tuple[str, ...], ...] = (
    ("or",),
    ("and",),
    ("=", "!="),
    ("<", "<=", ">", ">="),
    ("+", "-"),
    ("*", "div", "mod", "/"),
)


class _Parser:
    """Recursive-descent parser producing (node, depth) pairs so depth is bounded while parsing."""

    def __init__(self, text: str) -> None:
        """Tokenize eagerly so lexical errors surface first."""
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.nesting = 0  # open parentheses / calls / unary minus; bounds Python recursion

    def error(self, message: str, pos: int | None = None) -> ParseError:
        """A ParseError at the current token (or at `pos`)."""
        return ParseError(message, self.peek().pos if pos is None else pos, self.text)

    def peek(self) -> _Token:
        """The current token."""
        return self.tokens[self.i]

    def advance(self) -> _Token:
        """Consume and return the current token."""
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def check_depth(self, depth: int, pos: int) -> None:
        """Refuse trees deeper than MAX_DEPTH."""
        if depth > MAX_DEPTH:
            raise self.error(f"expression is nested too deeply (more than {MAX_DEPTH} levels)", pos)

    def parse(self) -> Node:
        """Parse the whole text; trailing tokens are an error."""
        if self.peek().kind == "EOF":
            raise self.error("empty expression")
        node, _ = self.binary(0)
        tok = self.peek()
        if tok.kind != "EOF":
            raise self.error(f"unexpected {self.describe(tok)} after the end of the expression")
        return node

    def is_op(self, tok: _Token, ops: tuple[str, ...]) -> bool:
        """Whether a token is one of the operators of a precedence level."""
        if tok.kind == "OP":
            return tok.value in ops
        return tok.kind == "NAME" and tok.value in _KEYWORD_OPS and tok.value in ops

    def binary(self, level: int) -> _Parsed:
        """Left-associative binary operators, lowest precedence level first."""
        if level == len(_LEVELS):
            return self.unary()
        left, ldepth = self.binary(level + 1)
        while self.is_op(self.peek(), _LEVELS[level]):
            tok = self.advance()
            right, rdepth = self.binary(level + 1)
            depth = 1 + max(ldepth, rdepth)
            self.check_depth(depth, tok.pos)
            op = "div" if tok.value == "/" else tok.value
            left, ldepth = Binary(op, left, right), depth
        return left, ldepth

    def unary(self) -> _Parsed:
        """Unary minus, nested at most MAX_DEPTH times."""
        tok = self.peek()
        if tok.kind == "OP" and tok.value == "-":
            self.advance()
            self.check_depth(self.nesting + 1, tok.pos)
            self.nesting += 1
            try:
                operand, depth = self.unary()
            finally:
                self.nesting -= 1
            self.check_depth(depth + 1, tok.pos)
            return Unary("-", operand), depth + 1
        return self.primary()

    def nested(self, pos: int) -> _Parsed:
        """A parenthesised or argument sub-expression; counts nesting."""
        self.nesting += 1
        self.check_depth(self.nesting, pos)
        try:
            return self.binary(0)
        finally:
            self.nesting -= 1

    def primary(self) -> _Parsed:
        """Literals, references, '.', parentheses and function calls."""
        tok = self.advance()
        if tok.kind == "NUM":
            value: int | float = float(tok.value) if "." in tok.value else int(tok.value)
            return Literal(value), 1
        if tok.kind == "STR":
            return Literal(tok.value), 1
        if tok.kind == "REF":
            return Ref(tok.value), 1
        if tok.kind == "DOT":
            return Current(), 1
        if tok.kind == "LP":
            node, depth = self.nested(tok.pos)
            if self.peek().kind != "RP":
                raise self.error(f"expected ')' but found {self.describe(self.peek())}")
            self.advance()
            return node, depth
        if tok.kind == "NAME":
            if self.peek().kind != "LP":
                if tok.value in _KEYWORD_OPS:
                    raise self.error(f"operator '{tok.value}' is missing its left operand", tok.pos)
                raise self.error(
                    f"unexpected name '{tok.value}' (refer to fields as ${{{tok.value}}})", tok.pos
                )
            return self.call(tok)
        if tok.kind == "EOF":
            raise self.error("unexpected end of expression", tok.pos)
        raise self.error(f"unexpected {self.describe(tok)}", tok.pos)

    def call(self, name_tok: _Token) -> _Parsed:
        """A whitelisted function call; arity and regex patterns are checked here."""
        name = name_tok.value
        if name not in FUNCTIONS:
            hint = _UNSUPPORTED_HINTS.get(name)
            reason = f"unknown function '{name}'" + (f" ({hint})" if hint else "")
            raise self.error(reason, name_tok.pos)
        self.advance()  # (
        args: list[Node] = []
        depth = 0
        if self.peek().kind != "RP":
            while True:
                arg, adepth = self.nested(name_tok.pos)
                args.append(arg)
                depth = max(depth, adepth)
                if self.peek().kind == "COMMA":
                    self.advance()
                    continue
                break
        if self.peek().kind != "RP":
            raise self.error(f"expected ',' or ')' in call of {name}()")
        self.advance()
        low, high = FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            if high is None:
                wanted = f"at least {low} argument{'s' if low != 1 else ''}"
            elif low == high:
                wanted = f"{low} argument{'s' if low != 1 else ''}"
            else:
                wanted = f"{low} to {high} arguments"
            raise self.error(f"{name}() takes {wanted}, got {len(args)}", name_tok.pos)
        if name == "regex":
            _check_pattern(args[1], name_tok.pos, self.text)
        self.check_depth(depth + 1, name_tok.pos)
        return Call(name, tuple(args)), depth + 1

    @staticmethod
    def describe(tok: _Token) -> str:
        """How a token is named in error messages."""
        if tok.kind == "EOF":
            return "end of expression"
        if tok.kind == "REF":
            return f"${{{tok.value}}}"
        if tok.kind == "STR":
            return "string literal"
        return f"'{tok.value}'"


_QUANTIFIER_AT = re.compile(r"[*+]|\{\d*,?\d*\}")


def _nested_quantifier(pattern: str) -> bool:
    """A quantified group (`*`, `+`, `{m,n}` after `)`) holding, at any depth, a quantifier or
    an alternation: (a+)+, (a|a)*, (([-.])?[a-z]+)*, (a?){25}. Escapes and classes are skipped."""
    stack: list[bool] = []  # per open group: does it hold a quantifier or '|' so far
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a character class: skip to its closing bracket
            i += 1
            if i < n and pattern[i] == "^":
                i += 1
            if i < n and pattern[i] == "]":
                i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif ch == "(":
            stack.append(False)
            if pattern.startswith("?", i + 1):  # (?:...), (?i): not a quantifier
                i += 1
        elif ch == ")":
            inner = stack.pop() if stack else False
            if inner and _QUANTIFIER_AT.match(pattern, i + 1):
                return True
            if stack:
                stack[-1] = stack[-1] or inner
        elif ch in "*+?|" or (ch == "{" and _QUANTIFIER_AT.match(pattern, i)):
            if stack:
                stack[-1] = True
        i += 1
    return False


_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False


@functools.lru_cache(maxsize=512)
def _compiled(pattern: str) -> Any:
    """The RE2 program of a pattern (re2.error when RE2 cannot compile it)."""
    return re2.compile(pattern, _RE2_OPTIONS)


def _check_pattern(node: Node, pos: int, text: str) -> None:
    """regex() patterns must be short, literal and compile; nested quantifiers risk ReDoS."""
    if not isinstance(node, Literal) or not isinstance(node.value, str):
        raise ParseError("regex() pattern must be a string literal", pos, text)
    pattern = node.value
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ParseError(
            f"regex() pattern is longer than {MAX_PATTERN_LENGTH} characters", pos, text
        )
    if _nested_quantifier(pattern):
        raise ParseError(
            "regex() pattern has a nested quantifier such as (a+)+ or (a|b)*", pos, text
        )
    try:
        program = _compiled(pattern)
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise ParseError(f"invalid regex() pattern: {reason}", pos, text) from None
    if program.programsize > MAX_REGEX_PROGRAM:
        raise ParseError("regex() pattern is too complex (its RE2 program is too large)", pos, text)


def _collect(node: Node, refs: set[str], funcs: set[str]) -> bool:
    """Gather references and function names; return whether '.' is used."""
    if isinstance(node, Ref):
        refs.add(node.path)
        return False
    if isinstance(node, Current):
        return True
    if isinstance(node, Unary):
        return _collect(node.operand, refs, funcs)
    if isinstance(node, Binary):
        left = _collect(node.left, refs, funcs)
        return _collect(node.right, refs, funcs) or left
    if isinstance(node, Call):
        funcs.add(node.name)
        used = False
        for arg in node.args:
            used = _collect(arg, refs, funcs) or used
        return used
    return False


def parse(text: str) -> Expression:
    """Parse expression text into an Expression; raises ParseError on anything unsupported."""
    if not isinstance(text, str):
        raise ParseError(f"expression must be a string, not {type(text).__name__}", 0, "")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"expression is longer than {MAX_LENGTH} characters", MAX_LENGTH, text)
    root = _Parser(text).parse()
    refs: set[str] = set()
    funcs: set[str] = set()
    uses_current = _collect(root, refs, funcs)
    return Expression(text, root, frozenset(refs), frozenset(funcs), uses_current)


# ----------------------------------------------------------------------------------- rendering


def _render_number(value: int | float) -> str:
    """Number text the tokenizer reads back unchanged (no exponent, floats keep a '.')."""
    if isinstance(value, int):
        return str(value)
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text if "." in text else text + ".0"


def render(node: Node) -> str:
    """Render an AST back to expression text (fully parenthesised binary operations)."""
    if isinstance(node, Literal):
        if isinstance(node.value, str):
            quote = "'" if "'" not in node.value else '"'
            if quote in node.value:
                raise ValueError("string contains both quote characters")
            return f"{quote}{node.value}{quote}"
        return _render_number(node.value)
    if isinstance(node, Ref):
        return f"${{{node.path}}}"
    if isinstance(node, Current):
        return "."
    if isinstance(node, Unary):
        return f"-({render(node.operand)})"
    if isinstance(node, Binary):
        return f"({render(node.left)} {node.op} {render(node.right)})"
    return f"{node.name}({', '.join(render(arg) for arg in node.args)})"


# ---------------------------------------------------------------------------------- evaluation


def is_empty(value: Value) -> bool:
    """Empty = None, '' or an empty list (an unanswered or irrelevant field)."""
    return value is None or value == "" or (isinstance(value, list | tuple) and len(value) == 0)


def _finite(value: float | int) -> float | int | None:
    """Non-finite results (inf, nan) are empty."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_number(value: Value) -> int | float | None:
    """XPath number(): bool → 1/0, numeric strings → number, anything else → empty (None)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, int | float):
        return _finite(value)
    if isinstance(value, str):
        text = value.strip()
        if not text or len(text) > 64:
            return None
        if re.fullmatch(r"[+-]?[0-9]+", text):
            return int(text)
        if re.fullmatch(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+)", text):
            return _finite(float(text))
        return None
    return None


def to_boolean(value: Value) -> bool:
    """XPath boolean(): empty, 0 and false are false; any other value is true."""
    if is_empty(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0 and not (isinstance(value, float) and math.isnan(value))
    return True


def format_value(value: Value) -> str:
    """XPath string(): numbers without a needless '.0', lists space-separated, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return _render_number(value)
    if isinstance(value, list | tuple):
        return " ".join(format_value(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _to_date(value: Value) -> date | None:
    """A date, or an ISO YYYY-MM-DD string read as one; anything else is None."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


_COMPARE: dict[str, Callable[[object, object], bool]] = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
}


def _compare(op: str, left: Value, right: Value) -> bool:
    """Compare two non-empty values following the rules in the module docstring."""
    fn = _COMPARE[op]
    equality = op in ("=", "!=")
    if isinstance(left, list | tuple):
        left = format_value(left)
    if isinstance(right, list | tuple):
        right = format_value(right)
    if isinstance(left, bool) or isinstance(right, bool):
        if equality:
            return fn(to_boolean(left), to_boolean(right))
        lnum, rnum = to_number(left), to_number(right)
        return lnum is not None and rnum is not None and fn(lnum, rnum)
    if isinstance(left, date) or isinstance(right, date):
        ldate, rdate = _to_date(left), _to_date(right)
        if ldate is None or rdate is None:
            return equality and fn(format_value(left), format_value(right))
        return fn(ldate, rdate)
    if isinstance(left, int | float) or isinstance(right, int | float):
        lnum, rnum = to_number(left), to_number(right)
        if lnum is None or rnum is None:
            return equality and fn(format_value(left), format_value(right))
        return fn(lnum, rnum)
    lstr, rstr = format_value(left), format_value(right)
    lnum, rnum = to_number(lstr), to_number(rstr)
    if lnum is not None and rnum is not None:
        return fn(lnum, rnum)
    ldate, rdate = _to_date(lstr), _to_date(rstr)
    if ldate is not None and rdate is not None:
        return fn(ldate, rdate)
    return fn(lstr, rstr)


def _arith(op: str, left: Value, right: Value) -> int | float | None:
    """Arithmetic with empty → empty, division or mod by zero → empty."""
    a, b = to_number(left), to_number(right)
    if a is None or b is None:
        return None
    if op == "+":
        return _finite(a + b)
    if op == "-":
        return _finite(a - b)
    if op == "*":
        if isinstance(a, float) or isinstance(b, float):
            return _finite(float(a) * float(b))
        return a * b
    if b == 0:
        return None
    if op == "div":
        try:
            return _finite(a / b)
        except OverflowError:
            return None
    # mod: truncated remainder with the sign of the dividend (XPath)
    if isinstance(a, int) and isinstance(b, int):
        result = abs(a) % abs(b)
        return -result if a < 0 else result
    return _finite(math.fmod(a, b))


def _round(value: Value, digits: Value) -> int | float | None:
    """Round half away from zero to `digits` places; empty in, empty out."""
    number = to_number(value)
    places = to_number(digits)
    if number is None or places is None:
        return None
    places = int(places)
    if abs(places) > 15:
        return None
    try:
        quant = Decimal(1).scaleb(-places)
        result = Decimal(repr(number) if isinstance(number, float) else number).quantize(
            quant, rounding=ROUND_HALF_UP
        )
    except (InvalidOperation, ValueError):
        return None
    return int(result) if places <= 0 else _finite(float(result))


def _numbers(args: list[Value]) -> list[int | float] | None:
    """Flatten arguments for sum/min/max; None if a non-empty value is not numeric."""
    out: list[int | float] = []
    for arg in args:
        values = arg if isinstance(arg, list | tuple) else [arg]
        for value in values:
            if is_empty(value):
                continue
            number = to_number(value)
            if number is None:
                return None
            out.append(number)
    return out


class _Evaluator:
    """Walks the AST; every function is a whitelisted pure Python callable."""

    def __init__(self, context: Mapping[str, Value], current: Value, today: date | None) -> None:
        """Context values, the current value '.', and today's date."""
        self.context = context
        self.current = current
        self.today = today

    def eval(self, node: Node) -> Value:
        """Evaluate a node; an overflow anywhere gives empty, never an exception."""
        try:
            return self._eval(node)
        except OverflowError:  # huge int mixed with float: not a finite number
            return None

    def _eval(self, node: Node) -> Value:
        """Dispatch on the node type."""
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Ref):
            value = self.context.get(node.path)
            return None if is_empty(value) else value
        if isinstance(node, Current):
            return None if is_empty(self.current) else self.current
        if isinstance(node, Unary):
            number = to_number(self.eval(node.operand))
            return None if number is None else -number
        if isinstance(node, Binary):
            return self.binary(node)
        return self.call(node)

    def binary(self, node: Binary) -> Value:
        """Logic, comparison (with the '' emptiness rule) and arithmetic."""
        op = node.op
        if op == "and":
            return to_boolean(self.eval(node.left)) and to_boolean(self.eval(node.right))
        if op == "or":
            return to_boolean(self.eval(node.left)) or to_boolean(self.eval(node.right))
        if op in _COMPARE:
            left, right = self.eval(node.left), self.eval(node.right)
            if op in ("=", "!="):
                for lit, other in ((node.right, left), (node.left, right)):
                    if isinstance(lit, Literal) and lit.value == "":
                        return is_empty(other) == (op == "=")
            if is_empty(left) or is_empty(right):
                return False
            return _compare(op, left, right)
        return _arith(op, self.eval(node.left), self.eval(node.right))

    def call(self, node: Call) -> Value:
        """Whitelisted functions; if/coalesce evaluate lazily."""
        name, args = node.name, node.args
        if name == "if":
            return self.eval(args[1]) if to_boolean(self.eval(args[0])) else self.eval(args[2])
        if name == "true":
            return True
        if name == "false":
            return False
        if name == "today":
            return self.today or local_today()
        if name == "position":
            return self.context.get(POSITION_KEY)
        if name == "indexed-repeat":
            return self.indexed(args)
        if name == "coalesce":
            first = self.eval(args[0])
            return first if not is_empty(first) else self.eval(args[1])
        values = [self.eval(arg) for arg in args]
        if name == "not":
            return not to_boolean(values[0])
        if name == "selected":
            return _selected(values[0], values[1])
        if name == "count-selected":
            return len(_selection(values[0]))
        if name == "count":
            value = values[0]
            if isinstance(value, list | tuple):
                return len(value)
            return 0 if is_empty(value) else 1
        if name == "concat":
            text = "".join(format_value(v) for v in values)
            return text[:MAX_STRING]
        if name == "string-length":
            return len(format_value(values[0]))
        if name == "regex":
            return _regex(values[0], values[1])
        if name == "round":
            if len(values) > 1 and is_empty(values[1]):
                return None
            return _round(values[0], values[1] if len(values) > 1 else 0)
        if name == "int":
            number = to_number(values[0])
            return None if number is None else int(number)
        if name == "number":
            return to_number(values[0])
        numbers = _numbers(values)
        if not numbers:
            return None
        if name == "sum":
            if any(isinstance(n, float) for n in numbers):
                return _finite(math.fsum(numbers))
            return sum(numbers)
        return min(numbers) if name == "min" else max(numbers)

    def indexed(self, args: tuple[Node, ...]) -> Value:
        """indexed-repeat(${field}, ${repeat}, n): the field's value in instance n."""
        target, number = args[0], to_number(self.eval(args[2]))
        if not isinstance(target, Ref) or number is None or number < 1:
            return None
        value = self.context.get(f"{target.path}[{int(number)}]")
        return None if is_empty(value) else value


def _selection(value: Value) -> list[str]:
    """Selected codes of a multiple (list) or single/space-separated value."""
    if is_empty(value):
        return []
    if isinstance(value, list | tuple):
        return [format_value(v) for v in value]
    return format_value(value).split()


def _selected(value: Value, code: Value) -> bool:
    """XForms selected(): is the code among the selected ones."""
    if is_empty(value) or is_empty(code):
        return False
    return format_value(code).strip() in _selection(value)


def _regex(value: Value, pattern: Value) -> bool:
    """XPath matches(): an RE2 search on non-empty, bounded-length strings only."""
    if is_empty(value) or not isinstance(pattern, str):
        return False
    subject = format_value(value)
    if len(subject) > MAX_REGEX_SUBJECT or len(pattern) > MAX_PATTERN_LENGTH:
        return False
    try:
        program = _compiled(pattern)
    except re2.error:
        return False
    if program.programsize > MAX_REGEX_PROGRAM:
        return False
    return program.search(subject) is not None


def evaluate(
    expr: Expression | Node,
    context: Mapping[str, Value],
    current: Value = None,
    today: date | None = None,
) -> Value:
    """Evaluate a parsed expression against field values (missing paths read as empty)."""
    root = expr.root if isinstance(expr, Expression) else expr
    return _Evaluator(context, current, today).eval(root)
