"""Runtime: relevance, clearing, coercion, required, constraints, choice filters, other."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from app.surveys.definition import Definition
from app.surveys.logic import MESSAGES, evaluate_all, evaluate_page, is_complete


def labelled(item_id: str, item_type: str, **extra: Any) -> dict[str, Any]:
    """An item with a bilingual label."""
    return {"id": item_id, "type": item_type, "label": {"id": item_id, "en": item_id}, **extra}


@pytest.fixture
def form(sv: SimpleNamespace) -> Definition:
    """Two pages: a gate question, conditional items, a matrix and a calculation."""
    yt = {"choice_list": "yt"}
    data = sv.data()
    data["pages"] = [
        {
            "id": "p1",
            "title": {"id": "Satu", "en": "One"},
            "items": [
                labelled("setuju", "single", required=True, **yt),
                labelled("alasan", "text", relevant="${setuju} = 'tidak'", required=True),
                labelled(
                    "umur",
                    "integer",
                    constraint=". >= 18 and . <= 70",
                    constraint_message={"id": "Umur 18–70 tahun", "en": "Age 18–70"},
                ),
                labelled("tinggi", "decimal"),
                labelled("lahir", "date", constraint=". < today()"),
                labelled(
                    "warna",
                    "multiple",
                    other=True,
                    choices=[
                        {"code": "merah", "label": {"id": "Merah", "en": "Red"}},
                        {"code": "biru", "label": {"id": "Biru", "en": "Blue"}},
                        {"code": "hijau", "label": {"id": "Hijau", "en": "Green"}},
                    ],
                ),
                labelled(
                    "favorit",
                    "single",
                    required=True,
                    other=True,
                    choices=[
                        {"code": "merah", "label": {"id": "Merah", "en": "Red"}},
                        {"code": "biru", "label": {"id": "Biru", "en": "Blue"}},
                        {"code": "hijau", "label": {"id": "Hijau", "en": "Green"}},
                    ],
                    choice_filter="selected(${warna}, ${choice})",
                ),
                labelled("nilai", "rating", scale="lv5", required="${setuju} = 'ya'"),
            ],
        },
        {
            "id": "p2",
            "title": {"id": "Dua", "en": "Two"},
            "relevant": "${setuju} = 'ya'",
            "items": [
                labelled(
                    "grid",
                    "matrix",
                    required=True,
                    rows=[{"id": "k01", "label": {"id": "K", "en": "K"}}],
                    columns=[
                        {"id": "imp", "label": {"id": "I", "en": "I"}, "scale": "lv5"},
                        {"id": "perf", "label": {"id": "P", "en": "P"}, "scale": "lv5"},
                    ],
                ),
                {
                    "id": "gap",
                    "type": "calculate",
                    "calculate": "${grid.k01.imp} - ${grid.k01.perf}",
                },
                labelled("gap_tampil", "integer", calculate="${gap} * 1.5"),
                labelled("penjelasan", "textarea", relevant="${gap} >= 2", required=True),
            ],
        },
    ]
    return sv.load(data)


VALID: dict[str, Any] = {
    "setuju": "ya",
    "nilai": "4",
    "favorit": "biru",
    "warna": ["biru"],
    "grid.k01.imp": "3",
    "grid.k01.perf": "3",
}


class TestRelevance:
    def test_irrelevant_item_is_hidden_and_its_answer_cleared(self, form: Definition) -> None:
        state = evaluate_all(form, {**VALID, "alasan": "karena"})
        assert "alasan" not in state.answers
        assert "alasan" in state.cleared
        item = next(s for s in state.page("p1").items if s.id == "alasan")
        assert not item.visible

    def test_relevant_item_keeps_its_answer(self, form: Definition) -> None:
        state = evaluate_all(form, {"setuju": "tidak", "alasan": "  karena  "})
        assert state.answers["alasan"] == "karena"
        assert "alasan" not in state.cleared

    def test_irrelevant_page_clears_everything_on_it(self, form: Definition) -> None:
        answers = {
            "setuju": "tidak",
            "alasan": "x",
            "grid.k01.imp": "5",
            "grid.k01.perf": "1",
            "penjelasan": "abc",
        }
        state = evaluate_all(form, answers)
        assert not state.page("p2").relevant
        assert state.page("p2").visible_items == ()
        assert {"grid.k01.imp", "grid.k01.perf", "penjelasan"} <= state.cleared
        assert "gap" not in state.calculated
        assert state.page("p2").errors == {}

    def test_cleared_values_read_as_empty_downstream(self, form: Definition) -> None:
        state = evaluate_all(
            form,
            {**VALID, "setuju": "tidak", "alasan": "x", "grid.k01.imp": "5", "grid.k01.perf": "1"},
        )
        assert "penjelasan" not in state.errors

    def test_calculated_value_drives_relevance(self, form: Definition) -> None:
        state = evaluate_all(form, {**VALID, "grid.k01.imp": "5", "grid.k01.perf": "2"})
        assert state.calculated["gap"] == 3
        assert state.calculated["gap_tampil"] == 5  # 4.5 rounded half up, integer item
        assert state.errors["penjelasan"] == "Wajib diisi"

    def test_navigation_skips_irrelevant_pages(self, form: Definition) -> None:
        state = evaluate_all(form, {"setuju": "tidak"})
        assert state.next_page_id(None) == "p1"
        assert state.next_page_id("p1") is None
        state = evaluate_all(form, {"setuju": "ya"})
        assert state.next_page_id("p1") == "p2"
        assert state.previous_page_id("p2") == "p1"


class TestRequiredAndTypes:
    def test_complete_answers(self, form: Definition) -> None:
        state = evaluate_all(form, VALID)
        assert state.errors == {}
        assert is_complete(form, VALID)
        assert state.answers["nilai"] == 4
        assert state.answers["grid.k01.imp"] == 3

    def test_required_message_in_both_languages(self, form: Definition) -> None:
        assert evaluate_all(form, {}, "id").errors["setuju"] == "Wajib diisi"
        assert evaluate_all(form, {}, "en").errors["setuju"] == "This field is required"
        assert not is_complete(form, {})

    def test_errors_follow_form_order(self, form: Definition) -> None:
        errors = evaluate_all(form, {"setuju": "ya", "umur": "x", "nilai": "9"}).errors
        assert list(errors) == ["umur", "favorit", "nilai", "grid.k01.imp", "grid.k01.perf"]

    def test_unknown_language_falls_back_to_default(self, form: Definition) -> None:
        assert evaluate_all(form, {}, "fr").errors["setuju"] == MESSAGES["required"]["id"]

    def test_required_expression(self, form: Definition) -> None:
        assert "nilai" in evaluate_all(form, {"setuju": "ya"}).errors
        assert "nilai" not in evaluate_all(form, {"setuju": "tidak"}).errors

    def test_required_matrix_reports_each_missing_cell(self, form: Definition) -> None:
        errors = evaluate_all(form, {**VALID, "grid.k01.perf": ""}).errors
        assert errors == {"grid.k01.perf": "Wajib diisi"}

    def test_custom_required_message(self, sv: SimpleNamespace) -> None:
        defn = sv.load(
            sv.one_page(
                labelled(
                    "nama",
                    "text",
                    required=True,
                    required_message={"id": "Nama harus diisi", "en": "Name is required"},
                )
            )
        )
        assert evaluate_all(defn, {}, "en").errors["nama"] == "Name is required"

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [("3,5", 3.5), ("3.5", 3.5), (" -2 ", -2.0), (",25", 0.25), (7, 7.0)],
    )
    def test_decimal_accepts_comma_or_point(
        self, form: Definition, raw: object, expected: float
    ) -> None:
        assert evaluate_all(form, {"tinggi": raw}).answers["tinggi"] == expected

    @pytest.mark.parametrize("raw", ["1.000,5", "abc", "1e5", "nan", True])
    def test_decimal_rejects_other_formats(self, form: Definition, raw: object) -> None:
        state = evaluate_all(form, {"tinggi": raw}, "en")
        assert state.errors["tinggi"] == MESSAGES["decimal"]["en"]
        assert state.rejected["tinggi"] == raw
        assert "tinggi" not in state.answers

    @pytest.mark.parametrize("raw", ["12.5", "dua", "3,0", "9" * 16])
    def test_integer_rejects_non_integers(self, form: Definition, raw: str) -> None:
        assert evaluate_all(form, {"umur": raw}, "id").errors["umur"] == "Masukkan bilangan bulat"

    def test_integer_and_date_coercion(self, form: Definition) -> None:
        state = evaluate_all(form, {"umur": " 30 ", "lahir": "1990-02-03"}, today=date(2026, 1, 1))
        assert state.answers["umur"] == 30
        assert state.answers["lahir"] == "1990-02-03"

    @pytest.mark.parametrize("raw", ["03-02-1990", "1990-02-30", "kemarin"])
    def test_invalid_dates(self, form: Definition, raw: str) -> None:
        errors = evaluate_all(form, {"lahir": raw}, "en").errors
        assert errors["lahir"] == "Enter a date as YYYY-MM-DD"

    @pytest.mark.parametrize("raw", ["0", "6", "4.5", "x"])
    def test_rating_must_be_within_scale(self, form: Definition, raw: str) -> None:
        errors = evaluate_all(form, {"nilai": raw}, "en").errors
        assert errors["nilai"] == "Choose a value between 1 and 5"

    def test_unknown_choice_code_is_an_error(self, form: Definition) -> None:
        state = evaluate_all(form, {"setuju": "mungkin", "warna": ["biru", "ungu"]}, "en")
        assert state.errors["setuju"] == "This choice is not valid"
        assert state.errors["warna"] == "This choice is not valid"

    def test_single_rejects_several_values(self, form: Definition) -> None:
        errors = evaluate_all(form, {"setuju": ["ya", "tidak"]}, "id").errors
        assert errors["setuju"] == "Pilih satu jawaban saja"

    def test_multiple_is_deduplicated_and_in_choice_order(self, form: Definition) -> None:
        state = evaluate_all(form, {"warna": ["hijau", "merah", "hijau"]})
        assert state.answers["warna"] == ["merah", "hijau"]
        assert evaluate_all(form, {"warna": "biru"}).answers["warna"] == ["biru"]
        assert "warna" not in evaluate_all(form, {"warna": []}).answers

    def test_text_length_limit(self, form: Definition) -> None:
        errors = evaluate_all(form, {"setuju": "tidak", "alasan": "x" * 1001}, "en").errors
        assert errors["alasan"] == "At most 1000 characters"

    def test_unknown_answer_keys_are_ignored(self, form: Definition) -> None:
        state = evaluate_all(form, {**VALID, "csrf_token": "abc"})
        assert "csrf_token" not in state.answers
        assert state.errors == {}

    def test_answers_are_json_safe_and_reusable(self, form: Definition) -> None:
        state = evaluate_all(form, {**VALID, "lahir": "2000-01-01", "tinggi": "1,5"})
        again = evaluate_all(form, dict(state.answers))
        assert again.answers == state.answers


class TestConstraints:
    def test_constraint_message_in_both_languages(self, form: Definition) -> None:
        assert evaluate_all(form, {"umur": "17"}, "id").errors["umur"] == "Umur 18–70 tahun"
        assert evaluate_all(form, {"umur": "71"}, "en").errors["umur"] == "Age 18–70"
        assert "umur" not in evaluate_all(form, {"umur": "40"}).errors

    def test_default_constraint_message(self, form: Definition) -> None:
        state = evaluate_all(form, {"lahir": "2030-01-01"}, "en", today=date(2026, 1, 1))
        assert state.errors["lahir"] == MESSAGES["constraint"]["en"]

    def test_constraint_skipped_for_empty_value(self, form: Definition) -> None:
        assert "umur" not in evaluate_all(form, {"umur": ""}).errors

    def test_failing_value_is_kept_for_redisplay(self, form: Definition) -> None:
        state = evaluate_all(form, {"umur": "17"})
        assert state.answers["umur"] == 17


class TestChoicesAndOther:
    def test_choice_filter_keeps_selected_colours_and_other(self, form: Definition) -> None:
        state = evaluate_all(form, {"warna": ["merah", "hijau"]})
        item = next(s for s in state.page("p1").items if s.id == "favorit")
        assert [c.code for c in item.choices] == ["merah", "hijau", "other"]

    def test_filtered_out_answer_is_dropped(self, form: Definition) -> None:
        state = evaluate_all(form, {"warna": ["merah"], "favorit": "biru"}, "en")
        assert "favorit" not in state.answers
        assert "favorit" in state.cleared
        assert state.errors["favorit"] == "This field is required"

    def test_other_requires_its_text(self, form: Definition) -> None:
        answers = {**VALID, "warna": ["biru", "other"]}
        state = evaluate_all(form, answers, "en")
        assert state.errors["warna.other"] == "Please specify the other option"
        assert evaluate_all(form, answers, "id").errors["warna.other"] == (
            "Sebutkan pilihan lainnya"
        )
        state = evaluate_all(form, {**answers, "warna.other": "ungu"})
        assert state.answers["warna.other"] == "ungu"
        assert state.errors == {}

    def test_other_text_cleared_when_other_not_chosen(self, form: Definition) -> None:
        state = evaluate_all(form, {**VALID, "warna.other": "ungu"})
        assert "warna.other" not in state.answers
        assert "warna.other" in state.cleared

    def test_other_on_single(self, form: Definition) -> None:
        state = evaluate_all(form, {**VALID, "favorit": "other", "favorit.other": "jingga"})
        assert state.answers["favorit"] == "other"
        assert state.answers["favorit.other"] == "jingga"
        assert state.errors == {}


class TestPageState:
    def test_evaluate_page_returns_only_that_pages_errors(self, form: Definition) -> None:
        page = evaluate_page(form, "p2", {"setuju": "ya"}, "en")
        assert page.id == "p2" and page.relevant
        assert set(page.errors) == {"grid.k01.imp", "grid.k01.perf"}
        assert not page.is_valid
        grid = page.items[0]
        assert grid.required is True
        assert set(grid.errors) == {"grid.k01.imp", "grid.k01.perf"}

    def test_matrix_value_is_a_cell_dict(self, form: Definition) -> None:
        page = evaluate_page(form, "p2", VALID)
        assert page.items[0].value == {"grid.k01.imp": 3, "grid.k01.perf": 3}

    def test_unknown_page(self, form: Definition) -> None:
        with pytest.raises(KeyError):
            evaluate_page(form, "p9", {})
