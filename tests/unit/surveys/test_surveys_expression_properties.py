"""Property-based tests (hypothesis) for the expression language."""

from __future__ import annotations

import math
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from app.surveys.expressions import (
    FUNCTIONS,
    Binary,
    Call,
    Current,
    Literal,
    Node,
    ParseError,
    Ref,
    Unary,
    evaluate,
    parse,
    render,
)

FIELDS = ("a", "b", "grid.k01.imp")
ARITH_OPS = ("+", "-", "*", "div", "mod")
COMPARE_OPS = ("=", "!=", "<", "<=", ">", ">=")
PATTERNS = ("^[0-9]+$", "a|b", "[A-Z]", "x")

# ------------------------------------------------------------------------------ strategies

numbers = st.integers(min_value=0, max_value=100)
arith_leaves = st.one_of(numbers.map(Literal), st.sampled_from(FIELDS).map(Ref))


def _arith_tree(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        st.builds(Binary, st.sampled_from(ARITH_OPS), children, children),
        st.builds(Unary, st.just("-"), children),
    )


arith_trees = st.recursive(arith_leaves, _arith_tree, max_leaves=16)
arith_context = st.fixed_dictionaries(
    {f: st.one_of(st.none(), st.integers(min_value=-50, max_value=50)) for f in FIELDS}
)

text_literals = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="'\x00"), max_size=8
).map(Literal)
float_literals = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False).map(
    Literal
)
any_leaves = st.one_of(
    numbers.map(Literal),
    float_literals,
    text_literals,
    st.sampled_from(FIELDS).map(Ref),
    st.just(Current()),
    st.sampled_from(("true", "false", "today")).map(Call),
)


def _call(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    fixed = [name for name, (low, high) in FUNCTIONS.items() if low > 0 and name != "regex"]

    @st.composite
    def build(draw: st.DrawFn) -> Node:
        name = draw(st.sampled_from(fixed))
        low, high = FUNCTIONS[name]
        count = draw(st.integers(low, high if high is not None else low + 2))
        return Call(name, tuple(draw(children) for _ in range(count)))

    regex = st.builds(
        lambda subject, pattern: Call("regex", (subject, Literal(pattern))),
        children,
        st.sampled_from(PATTERNS),
    )
    return st.one_of(build(), regex)


def _any_tree(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    ops = ARITH_OPS + COMPARE_OPS + ("and", "or")
    return st.one_of(
        st.builds(Binary, st.sampled_from(ops), children, children),
        st.builds(Unary, st.just("-"), children),
        _call(children),
    )


any_trees = st.recursive(any_leaves, _any_tree, max_leaves=12)
values = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=6),
    st.lists(st.sampled_from(["a", "b", "c"]), max_size=3, unique=True),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
)
any_context = st.fixed_dictionaries({f: values for f in FIELDS})


# --------------------------------------------------------------------- reference evaluator


def reference(node: Node, context: dict[str, object]) -> object:
    """A deliberately naive evaluator for arithmetic trees (empty propagates)."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Ref):
        return context.get(node.path)
    if isinstance(node, Unary):
        value = reference(node.operand, context)
        return None if value is None else -value
    assert isinstance(node, Binary)
    a, b = reference(node.left, context), reference(node.right, context)
    if a is None or b is None:
        return None
    try:
        if node.op == "+":
            result = a + b
        elif node.op == "-":
            result = a - b
        elif node.op == "*":
            result = a * b
        elif b == 0:
            return None
        elif node.op == "div":
            result = a / b
        elif isinstance(a, int) and isinstance(b, int):
            result = int(math.copysign(abs(a) % abs(b), a)) if a else 0
        else:
            result = math.fmod(a, b)
    except OverflowError:
        return None
    if isinstance(result, float) and not math.isfinite(result):
        return None
    return result


# ------------------------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None)
@given(arith_trees, arith_context)
def test_arithmetic_matches_reference_evaluator(tree: Node, context: dict[str, object]) -> None:
    expected = reference(tree, context)
    actual = evaluate(parse(render(tree)), context)
    if expected is None:
        assert actual is None
    else:
        assert actual is not None
        assert math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=300, deadline=None)
@given(any_trees)
def test_parse_render_round_trip(tree: Node) -> None:
    text = render(tree)
    parsed = parse(text)
    assert parsed.root == tree
    assert render(parsed.root) == text


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(COMPARE_OPS),
    st.sampled_from([None, "", []]),
    values.filter(lambda v: v not in (None, "", [])),
    st.booleans(),
)
def test_comparison_with_empty_is_always_false(
    op: str, empty: object, other: object, empty_on_left: bool
) -> None:
    text = f"${{a}} {op} ${{b}}" if empty_on_left else f"${{b}} {op} ${{a}}"
    assert evaluate(parse(text), {"a": empty, "b": other}) is False
    assert evaluate(parse(f". {op} ${{b}}"), {"b": other}, current=empty) is False


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=80))
def test_garbage_only_raises_parse_error(text: str) -> None:
    try:
        expr = parse(text)
    except ParseError as exc:
        assert 0 <= exc.position <= len(text)
        return
    evaluate(expr, {})


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="${}()., '\"+-*/=!<>andiortmvsuelc0123456789_", max_size=60))
def test_expression_like_garbage_only_raises_parse_error(text: str) -> None:
    try:
        expr = parse(text)
    except ParseError:
        return
    evaluate(expr, {"a": 1})


@settings(max_examples=300, deadline=None)
@given(any_trees, any_context, values)
def test_evaluation_is_total(tree: Node, context: dict[str, object], current: object) -> None:
    evaluate(parse(render(tree)), context, current=current, today=date(2026, 1, 1))
