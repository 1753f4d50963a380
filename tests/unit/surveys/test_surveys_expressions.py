"""Tokenizer, parser and evaluator of the survey expression language."""

from __future__ import annotations

from datetime import date

import pytest

from app.surveys.expressions import (
    MAX_DEPTH,
    MAX_LENGTH,
    Binary,
    Call,
    Current,
    Literal,
    ParseError,
    Ref,
    Unary,
    evaluate,
    parse,
)


def ev(text: str, current: object = None, today: date | None = None, **values: object) -> object:
    """Evaluate text with keyword values (use __ for dots in matrix paths)."""
    context = {key.replace("__", "."): value for key, value in values.items()}
    return evaluate(parse(text), context, current=current, today=today)


# ----------------------------------------------------------------------------------- parsing


class TestParser:
    def test_precedence_multiplication_before_addition(self) -> None:
        assert parse("1 + 2 * 3").root == Binary(
            "+", Literal(1), Binary("*", Literal(2), Literal(3))
        )

    def test_precedence_full_ladder(self) -> None:
        root = parse("1 or 2 and 3 = 4 < 5 + 6 * -7").root
        assert root == Binary(
            "or",
            Literal(1),
            Binary(
                "and",
                Literal(2),
                Binary(
                    "=",
                    Literal(3),
                    Binary(
                        "<",
                        Literal(4),
                        Binary("+", Literal(5), Binary("*", Literal(6), Unary("-", Literal(7)))),
                    ),
                ),
            ),
        )

    def test_left_associative(self) -> None:
        assert parse("8 - 4 - 2").root == Binary(
            "-", Binary("-", Literal(8), Literal(4)), Literal(2)
        )
        assert ev("8 - 4 - 2") == 2
        assert ev("16 div 4 div 2") == 2

    def test_parentheses_override(self) -> None:
        assert ev("(1 + 2) * 3") == 9

    def test_slash_is_div(self) -> None:
        assert parse("6 / 3").root == parse("6 div 3").root

    def test_references_and_functions_are_collected(self) -> None:
        expr = parse("if(selected(${a}, 'x'), ${grid.k01.imp}, count-selected(${m}))")
        assert expr.references == {"a", "grid.k01.imp", "m"}
        assert expr.functions == {"if", "selected", "count-selected"}
        assert not expr.uses_current

    def test_current_value(self) -> None:
        expr = parse(". > 3 and string-length(.) < 5")
        assert expr.uses_current
        assert isinstance(expr.root.left.left, Current)

    def test_matrix_cell_path(self) -> None:
        assert parse("${grid.k01.imp}").root == Ref("grid.k01.imp")

    def test_strings_with_either_quote(self) -> None:
        assert parse("'it\"s'").root == Literal('it"s')
        assert parse('"it\'s"').root == Literal("it's")

    def test_numbers(self) -> None:
        assert parse("12").root == Literal(12)
        assert parse("2.5").root == Literal(2.5)
        assert parse(".5").root == Literal(0.5)

    def test_true_false_are_calls(self) -> None:
        assert parse("true()").root == Call("true")
        assert ev("true() and not(false())") is True

    def test_hyphenated_function_names_do_not_eat_minus(self) -> None:
        assert ev("5 -1") == 4
        assert ev("string-length('abc')-1") == 2

    @pytest.mark.parametrize(
        ("text", "message", "position"),
        [
            ("", "empty expression", 0),
            ("1 +", "unexpected end of expression", 3),
            ("(1 + 2", "expected ')'", 6),
            ("1 2", "unexpected '2' after the end", 2),
            ("${}", "empty field reference", 0),
            ("${a", "unterminated field reference", 0),
            ("${a b}", "invalid field reference", 0),
            ("'abc", "unterminated string literal", 0),
            ("a + 1", "unexpected name 'a'", 0),
            ("1 # 2", "unexpected character '#'", 2),
            ("$a", "'$' must start a field reference", 0),
            ("../x", "'..' (parent) paths are not supported", 0),
            ("and 1", "operator 'and' is missing its left operand", 0),
            ("1 + )", "unexpected ')'", 4),
        ],
    )
    def test_syntax_errors_have_message_and_position(
        self, text: str, message: str, position: int
    ) -> None:
        with pytest.raises(ParseError) as info:
            parse(text)
        assert message in info.value.message
        assert info.value.position == position
        assert f"position {position}" in str(info.value)

    def test_unknown_function(self) -> None:
        with pytest.raises(ParseError, match="unknown function 'foo'"):
            parse("foo(1)")

    def test_unsupported_xlsform_function_explains_why(self) -> None:
        with pytest.raises(ParseError, match="unknown function 'pulldata' .*CSV"):
            parse("pulldata('a', 'b', 'c', 'd')")

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("if(1, 2)", "if() takes 3 arguments, got 2"),
            ("not()", "not() takes 1 argument, got 0"),
            ("selected(${a})", "selected() takes 2 arguments, got 1"),
            ("count-selected(${a}, 1)", "count-selected() takes 1 argument, got 2"),
            ("coalesce(1)", "coalesce() takes 2 arguments, got 1"),
            ("concat()", "concat() takes at least 1 argument, got 0"),
            ("round()", "round() takes 1 to 2 arguments, got 0"),
            ("round(1, 2, 3)", "round() takes 1 to 2 arguments, got 3"),
            ("today(1)", "today() takes 0 arguments, got 1"),
            ("sum()", "sum() takes at least 1 argument, got 0"),
            ("regex('a')", "regex() takes 2 arguments, got 1"),
        ],
    )
    def test_arity_is_checked_at_parse_time(self, text: str, message: str) -> None:
        with pytest.raises(ParseError) as info:
            parse(text)
        assert info.value.message == message

    def test_length_limit(self) -> None:
        ok = "1" + " " * (MAX_LENGTH - 1)
        parse(ok)
        with pytest.raises(ParseError, match="longer than 2000"):
            parse(ok + " ")

    def test_depth_limit_parentheses(self) -> None:
        parse("(" * (MAX_DEPTH - 1) + "1" + ")" * (MAX_DEPTH - 1))
        with pytest.raises(ParseError, match="nested too deeply"):
            parse("(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1))

    def test_depth_limit_operator_chain(self) -> None:
        parse(" + ".join(["1"] * MAX_DEPTH))  # depth 50 exactly
        with pytest.raises(ParseError, match="nested too deeply"):
            parse(" + ".join(["1"] * (MAX_DEPTH + 1)))

    def test_depth_limit_unary_and_calls(self) -> None:
        with pytest.raises(ParseError, match="nested too deeply"):
            parse("-" * 200 + "1")
        with pytest.raises(ParseError, match="nested too deeply"):
            parse("not(" * 60 + "1" + ")" * 60)

    def test_regex_pattern_must_be_literal(self) -> None:
        with pytest.raises(ParseError, match="pattern must be a string literal"):
            parse("regex(., ${p})")

    def test_regex_pattern_length_cap(self) -> None:
        parse("regex(., '" + "a" * 200 + "')")
        with pytest.raises(ParseError, match="longer than 200"):
            parse("regex(., '" + "a" * 201 + "')")

    def test_regex_pattern_rejects_invalid_and_nested_quantifiers(self) -> None:
        with pytest.raises(ParseError, match="invalid regex"):
            parse("regex(., '(ab')")
        with pytest.raises(ParseError, match="nested quantifier"):
            parse("regex(., '(a+)+$')")

    def test_non_string_input(self) -> None:
        with pytest.raises(ParseError, match="must be a string"):
            parse(3)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------- evaluating


class TestArithmetic:
    def test_basic(self) -> None:
        assert ev("${a} + ${b} * 2", a=1, b=3) == 7
        assert ev("7 div 2") == 3.5
        assert ev("-${a}", a=4) == -4

    def test_mod_has_sign_of_dividend(self) -> None:
        assert ev("7 mod 3") == 1
        assert ev("-7 mod 3") == -1
        assert ev("7 mod -3") == 1
        assert ev("7.5 mod 2") == 1.5

    def test_division_by_zero_is_empty(self) -> None:
        assert ev("1 div 0") is None
        assert ev("1 mod 0") is None
        assert ev("${a} div ${b}", a=3, b=0) is None

    def test_empty_operand_gives_empty(self) -> None:
        assert ev("${a} + 1") is None
        assert ev("${a} * 2", a="") is None
        assert ev("-${a}") is None
        assert ev("(${a} + 1) * 0") is None

    def test_numeric_strings_are_numbers(self) -> None:
        assert ev("${a} + 1", a="41") == 42
        assert ev("${a} + 1", a="abc") is None

    def test_booleans_count_as_one_and_zero(self) -> None:
        assert ev("true() + true()") == 2

    def test_overflow_is_empty(self) -> None:
        assert ev("${a} * ${a}", a=1e308) is None
        assert ev("${a} + 0.5", a=10**400) is None


class TestComparisonAndLogic:
    def test_numbers(self) -> None:
        assert ev("${a} >= 3", a=3) is True
        assert ev("${a} < 3", a=3) is False
        assert ev("${a} = 3", a="3") is True

    def test_comparison_with_empty_is_false(self) -> None:
        for op in ("=", "!=", "<", "<=", ">", ">="):
            assert ev(f"${{a}} {op} 1") is False
            assert ev(f"1 {op} ${{a}}") is False
        assert ev("${a} != 'ya'") is False

    def test_empty_string_literal_tests_emptiness(self) -> None:
        assert ev("${a} = ''") is True
        assert ev("${a} = ''", a="x") is False
        assert ev("${a} != ''", a="x") is True
        assert ev("'' != ${a}", a=[]) is False
        assert ev("${a} = ''", a=[]) is True

    def test_strings(self) -> None:
        assert ev("${a} = 'ya'", a="ya") is True
        assert ev("${a} != 'ya'", a="tidak") is True
        assert ev("'abc' < 'abd'") is True

    def test_text_against_number(self) -> None:
        assert ev("${a} = 1", a="abc") is False
        assert ev("${a} != 1", a="abc") is True
        assert ev("${a} > 1", a="abc") is False

    def test_dates(self) -> None:
        today = date(2026, 3, 1)
        assert ev(". <= today()", current=date(2026, 2, 28), today=today) is True
        assert ev(". <= today()", current=date(2026, 3, 2), today=today) is False
        assert ev(". >= ${d}", current=date(2026, 3, 2), d=date(2026, 3, 1)) is True
        assert ev(". = '2026-03-02'", current=date(2026, 3, 2)) is True
        assert ev("${d} > '2026-01-01'", d="2026-02-01") is True

    def test_multiple_choice_compares_as_space_separated(self) -> None:
        assert ev("${m} = 'a b'", m=["a", "b"]) is True

    def test_boolean_comparison(self) -> None:
        assert ev("(1 < 2) = true()") is True
        assert ev("${a} = true()", a="x") is True

    def test_and_or_not(self) -> None:
        assert ev("${a} = 1 or ${b} = 2", b=2) is True
        assert ev("${a} = 1 and ${b} = 2", b=2) is False
        assert ev("not(${a} = 1)") is True
        assert ev("not(${a})") is True
        assert ev("not(${a})", a="x") is False

    def test_and_or_short_circuit(self) -> None:
        assert ev("false() and (1 div 0 = 1)") is False
        assert ev("true() or regex(${a}, 'x')") is True


class TestFunctions:
    def test_if(self) -> None:
        assert ev("if(${a} > 1, 'besar', 'kecil')", a=2) == "besar"
        assert ev("if(${a} > 1, 'besar', 'kecil')") == "kecil"

    def test_selected(self) -> None:
        assert ev("selected(${m}, 'b')", m=["a", "b"]) is True
        assert ev("selected(${m}, 'c')", m=["a", "b"]) is False
        assert ev("selected(${s}, 'ya')", s="ya") is True
        assert ev("selected(${s}, 'y')", s="ya") is False
        assert ev("selected(${m}, 'a')") is False
        assert ev("selected(${m}, 'b')", m="a b") is True

    def test_count_selected(self) -> None:
        assert ev("count-selected(${m})", m=["a", "b", "c"]) == 3
        assert ev("count-selected(${m})") == 0
        assert ev("count-selected(${m})", m="ya") == 1

    def test_coalesce(self) -> None:
        assert ev("coalesce(${a}, 0) + 1") == 1
        assert ev("coalesce(${a}, 0) + 1", a=4) == 5
        assert ev("coalesce(${a}, ${b})", a="", b="x") == "x"

    def test_concat(self) -> None:
        assert ev("concat('a', ${n}, '-', ${x}, ${m})", n=2.0, m=["p", "q"]) == "a2-p q"
        assert ev("concat(${d})", d=date(2026, 1, 2)) == "2026-01-02"
        assert ev("concat(true(), 1.5)") == "true1.5"

    def test_string_length(self) -> None:
        assert ev("string-length(${a})", a="halo") == 4
        assert ev("string-length(${a})") == 0
        assert ev("string-length(.) <= 3", current="abcd") is False

    def test_regex_searches_like_xpath_matches(self) -> None:
        assert ev("regex(., '[0-9]')", current="ab3") is True
        assert ev("regex(., '^[0-9]+$')", current="ab3") is False
        assert ev("regex(., '^[0-9]+$')", current="123") is True
        assert ev("regex(., 'x')") is False
        assert ev("regex(., 'a')", current="a" * 10_001) is False

    def test_round(self) -> None:
        assert ev("round(2.5)") == 3
        assert ev("round(-2.5)") == -3
        assert ev("round(2.4)") == 2
        assert ev("round(3.14159, 2)") == 3.14
        assert ev("round(1.005, 2)") == 1.01
        assert ev("round(1234, -2)") == 1200
        assert ev("round(${a}, 2)") is None
        assert ev("round(1.5, ${n})") is None

    def test_int(self) -> None:
        assert ev("int(3.9)") == 3
        assert ev("int(-3.9)") == -3
        assert ev("int('7')") == 7
        assert ev("int(${a})") is None
        assert ev("int('x')") is None

    def test_number(self) -> None:
        assert ev("number('2.5') * 2") == 5.0
        assert ev("number(${a})") is None
        assert ev("number('3,5')") is None
        assert ev("number(true())") == 1

    def test_min_max_sum(self) -> None:
        assert ev("min(3, ${a}, 1)", a=2) == 1
        assert ev("max(3, ${a}, 1)", a=7) == 7
        assert ev("sum(${a}, ${b}, 1)", a=2) == 3
        assert ev("sum(${a}, ${b})") is None
        assert ev("sum(0.1, 0.2)") == pytest.approx(0.3)
        assert ev("sum(${m})", m=["1", "2"]) == 3
        assert ev("max(${a}, 'x')", a=1) is None

    def test_today(self) -> None:
        assert ev("today()", today=date(2026, 5, 17)) == date(2026, 5, 17)
        assert isinstance(ev("today()"), date)

    def test_matrix_cells(self) -> None:
        value = ev("${g.k01.imp} - ${g.k01.perf}", g__k01__imp=5, g__k01__perf=2)
        assert value == 3

    def test_evaluate_accepts_a_node(self) -> None:
        assert evaluate(parse("1 + 1").root, {}) == 2
