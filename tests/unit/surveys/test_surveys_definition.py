"""Definition loader: schema, ids, YAML pitfalls, expressions, references, scoring, warnings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from app.surveys.definition import (
    ERROR,
    WARNING,
    DefinitionError,
    Problem,
    check_directory,
    definition_from_text,
    load_definition,
)


def errors_of(sv: SimpleNamespace, data: dict[str, Any], **kwargs: Any) -> list[Problem]:
    """The error problems of a definition that must fail to load."""
    with pytest.raises(DefinitionError) as info:
        sv.load(data, **kwargs)
    errors = [p for p in info.value.problems if p.severity == ERROR]
    assert errors, "DefinitionError without errors"
    return errors


def assert_problem(problems: list[Problem], item: str, text: str) -> None:
    """Some problem is located at `item` and its reason contains `text`."""
    hits = [p for p in problems if p.item == item and text in p.reason]
    assert hits, f"no problem at {item!r} containing {text!r}; got:\n" + "\n".join(
        str(p) for p in problems
    )


def text_item(item_id: str = "t", **extra: Any) -> dict[str, Any]:
    """A minimal text item."""
    return {"id": item_id, "type": "text", "label": {"id": "Teks", "en": "Text"}, **extra}


# ------------------------------------------------------------------------------ valid input


class TestValidDefinition:
    def test_base_loads_without_problems(self, sv: SimpleNamespace) -> None:
        defn = sv.load(sv.data())
        assert defn.id == "uji"
        assert defn.warnings == ()
        assert [p.id for p in defn.pages] == ["p1", "p2"]

    def test_fields_are_ordered_and_include_matrix_cells(self, sv: SimpleNamespace) -> None:
        data = sv.data()
        data["pages"][0]["items"][0]["other"] = True
        data["pages"][1]["items"].append(
            {"id": "total", "type": "calculate", "calculate": "${grid.k01.imp} + 1"}
        )
        defn = sv.load(data)
        assert defn.fields() == [
            "q1",
            "q1.other",
            "umur",
            "grid.k01.imp",
            "grid.k01.perf",
            "grid.k02.imp",
            "grid.k02.perf",
            "catatan",
            "total",
        ]
        assert "total" not in defn.fields(calculated=False)
        assert defn.field_item("grid.k02.perf").id == "grid"
        assert defn.page_index("catatan") == 1
        assert defn.item("umur").page_id == "p1"

    def test_other_adds_choice_with_default_label(self, sv: SimpleNamespace) -> None:
        data = sv.data()
        data["pages"][0]["items"][0]["other"] = True
        item = sv.load(data).item("q1")
        assert [c.code for c in item.choices] == ["ya", "tidak", "other"]
        assert item.choices[-1].label == {"id": "Lainnya", "en": "Other"}
        assert item.other_path == "q1.other"

    def test_text_falls_back_to_default_language(self, sv: SimpleNamespace) -> None:
        defn = sv.load(sv.data())
        assert defn.text({"id": "Halo", "en": "Hello"}, "en") == "Hello"
        assert defn.text({"id": "Halo"}, "en") == "Halo"
        assert defn.text({"en": "Hello"}, "id") == "Hello"
        assert defn.text("Polos", "en") == "Polos"
        assert defn.text(None, "en") == ""

    def test_language_key_id_is_indonesian_not_an_identifier(self, sv: SimpleNamespace) -> None:
        defn = sv.load(sv.data())
        item = defn.item("q1")
        assert item.id == "q1"
        assert item.label["id"] == "Setuju?"

    def test_plain_string_text_is_default_language_with_warning(self, sv: SimpleNamespace) -> None:
        defn = sv.load(sv.one_page(text_item(label="Hanya bahasa Indonesia")))
        assert defn.item("t").label == {"id": "Hanya bahasa Indonesia"}
        assert_problem(list(defn.warnings), "t", "missing 'en' translation of label")

    def test_required_expression_and_same_page_later_reference_in_constraint(
        self, sv: SimpleNamespace
    ) -> None:
        data = sv.one_page(
            {
                "id": "mulai",
                "type": "date",
                "label": "Mulai",
                "constraint": ". <= ${selesai}",
                "required": "${selesai} != ''",
            },
            {"id": "selesai", "type": "date", "label": "Selesai"},
        )
        defn = sv.load(data)
        assert defn.item("mulai").required.references == {"selesai"}

    def test_scale_labels_accept_int_and_string_keys(self, sv: SimpleNamespace) -> None:
        data = sv.data()
        data["scales"]["lv5"]["labels"] = {1: {"id": "a", "en": "a"}, "5": {"id": "b", "en": "b"}}
        assert set(sv.load(data).scales["lv5"].labels) == {1, 5}

    def test_known_competencies_accepts_listed_codes(self, sv: SimpleNamespace) -> None:
        sv.load(sv.data(), known_competencies={"M.01", "M.02"})


# ---------------------------------------------------------------------------- schema errors


class TestSchemaErrors:
    def test_unknown_top_level_key(self, sv: SimpleNamespace) -> None:
        assert_problem(errors_of(sv, sv.data(colour="red")), "-", "unknown key 'colour'")

    def test_unknown_item_key(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(text_item("catatan", colour="red"))
        assert_problem(errors_of(sv, data), "catatan", "unknown key 'colour'")

    def test_key_not_applicable_to_type(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(text_item("umur", scale="lv5"))
        assert_problem(errors_of(sv, data), "umur", "key 'scale' does not apply to text items")

    def test_missing_required_top_level_key(self, sv: SimpleNamespace) -> None:
        data = sv.data()
        del data["version"]
        assert_problem(errors_of(sv, data), "-", "missing required key 'version'")

    def test_unknown_item_type(self, sv: SimpleNamespace) -> None:
        data = sv.one_page({"id": "lokasi", "type": "geopoint", "label": "x"})
        assert_problem(errors_of(sv, data), "lokasi", "type must be one of")

    def test_invalid_item_id(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(text_item("Nama-Lengkap"))
        assert_problem(errors_of(sv, data), "page p1", "item id 'Nama-Lengkap' must match")

    def test_duplicate_item_id_across_pages(self, sv: SimpleNamespace) -> None:
        data = sv.data()
        data["pages"][1]["items"].append(text_item("umur"))
        assert_problem(errors_of(sv, data), "umur", "duplicate item id 'umur' (also on page 'p1')")

    def test_duplicate_page_id(self, sv: SimpleNamespace) -> None:
        data = sv.data()
        data["pages"][1]["id"] = "p1"
        assert_problem(errors_of(sv, data), "page p1", "duplicate page id 'p1'")

    def test_duplicate_matrix_row_and_column(self, sv: SimpleNamespace) -> None:
        data = sv.data()
        grid = data["pages"][1]["items"][0]
        grid["rows"].append(dict(grid["rows"][0]))
        grid["columns"].append(dict(grid["columns"][0]))
        errors = errors_of(sv, data)
        assert_problem(errors, "grid.k01", "duplicate row id 'k01'")
        assert_problem(errors, "grid.imp", "duplicate column id 'imp'")

    def test_invalid_matrix_row_id(self, sv: SimpleNamespace) -> None:
        data = sv.data()
        data["pages"][1]["items"][0]["rows"][0]["id"] = "K 01"
        assert_problem(errors_of(sv, data), "grid", "row id 'K 01' must match")

    def test_file_name_must_match_id(
        self, sv: SimpleNamespace, write_survey: Callable[[str, str], Path]
    ) -> None:
        path = write_survey("lain", sv.to_yaml(sv.data()))
        with pytest.raises(DefinitionError) as info:
            load_definition(path)
        assert_problem(info.value.problems, "-", "does not match the file name 'lain.yaml'")

    def test_unknown_scale_and_choice_list(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(
            {"id": "nilai", "type": "rating", "scale": "lv9", "label": "Nilai"},
            {"id": "pilih", "type": "single", "choice_list": "tidak_ada", "label": "Pilih"},
        )
        errors = errors_of(sv, data)
        assert_problem(errors, "nilai", "unknown scale 'lv9'")
        assert_problem(errors, "pilih", "unknown choice list 'tidak_ada'")

    def test_matrix_column_unknown_scale(self, sv: SimpleNamespace) -> None:
        data = sv.data()
        data["pages"][1]["items"][0]["columns"][1]["scale"] = "lv7"
        assert_problem(errors_of(sv, data), "grid.perf", "unknown scale 'lv7'")

    def test_choices_and_choice_list_are_exclusive(self, sv: SimpleNamespace) -> None:
        data = sv.one_page({"id": "pilih", "type": "single", "label": "Pilih"})
        assert_problem(errors_of(sv, data), "pilih", "exactly one of 'choices' or 'choice_list'")

    def test_other_conflicts_with_existing_other_code(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(
            {
                "id": "pilih",
                "type": "single",
                "label": "Pilih",
                "other": True,
                "choices": [{"code": "other", "label": "Lain"}],
            }
        )
        assert_problem(errors_of(sv, data), "pilih", "adds the code 'other'")

    def test_calculated_item_cannot_be_required(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(
            {"id": "a", "type": "integer", "label": "A"},
            {"id": "b", "type": "integer", "label": "B", "calculate": "${a} * 2", "required": True},
        )
        assert_problem(errors_of(sv, data), "b", "calculated item cannot be required")

    def test_invalid_kind_access_and_group_size(self, sv: SimpleNamespace) -> None:
        data = sv.data(kind="survey", access={"mode": "open"}, min_group_size=0)
        errors = errors_of(sv, data)
        assert_problem(errors, "-", "kind must be one of")
        assert_problem(errors, "access", "mode must be one of token, public, login")
        assert_problem(errors, "-", "min_group_size must be at least 1")

    def test_unknown_rater_role(self, sv: SimpleNamespace) -> None:
        errors = errors_of(sv, sv.data(raters=["self", "boss"]))
        assert_problem(errors, "raters", "unknown rater role `boss`")

    def test_languages_must_include_default(self, sv: SimpleNamespace) -> None:
        assert_problem(
            errors_of(sv, sv.data(languages=["en"])), "-", "must include default_language 'id'"
        )

    def test_language_map_with_undeclared_language(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(text_item(label={"id": "Teks", "fr": "Texte"}))
        assert_problem(errors_of(sv, data), "t", "language 'fr', which is not in languages")

    def test_duplicate_yaml_key_is_rejected(self, sv: SimpleNamespace) -> None:
        text = sv.to_yaml(sv.data()) + "version: 2\n"
        with pytest.raises(DefinitionError) as info:
            definition_from_text(text, "uji.yaml")
        assert "duplicate key 'version'" in info.value.problems[0].reason

    def test_invalid_yaml(self) -> None:
        with pytest.raises(DefinitionError) as info:
            definition_from_text("id: [unclosed\n", "uji.yaml")
        assert info.value.problems[0].reason.startswith("invalid YAML")


# ------------------------------------------------------------------------------ YAML pitfalls


YAML_CHOICES = """\
id: uji
version: 1
title: {{id: Uji, en: Test}}
languages: [id, en]
pages:
  - id: p1
    title: {{id: Satu, en: One}}
    items:
      - id: setuju
        type: single
        label: {{id: Setuju, en: Agree}}
        choices:
          - {{code: {code}, label: {{id: Pilihan, en: Choice}}}}
"""


class TestYamlPitfalls:
    @pytest.mark.parametrize(
        ("written", "kind"),
        [
            ("yes", "a boolean"),
            ("no", "a boolean"),
            ("on", "a boolean"),
            ("off", "a boolean"),
            ("01", "an integer"),
            ("1", "an integer"),
            ("1.5", "a number"),
        ],
    )
    def test_unquoted_choice_codes_are_rejected(self, written: str, kind: str) -> None:
        with pytest.raises(DefinitionError) as info:
            definition_from_text(YAML_CHOICES.format(code=written), "uji.yaml")
        assert_problem(
            info.value.problems,
            "setuju",
            f"choice code must be a quoted string (YAML read `{written}` as {kind})",
        )

    @pytest.mark.parametrize("written", ['"yes"', "'01'", "ya"])
    def test_quoted_or_plain_string_codes_load(self, written: str) -> None:
        defn = definition_from_text(YAML_CHOICES.format(code=written), "uji.yaml")
        assert defn.item("setuju").choices[0].code == written.strip("'\"")

    def test_boolean_item_id_is_explained(self) -> None:
        text = YAML_CHOICES.format(code="ya").replace("- id: setuju", "- id: no")
        with pytest.raises(DefinitionError) as info:
            definition_from_text(text, "uji.yaml")
        assert_problem(
            info.value.problems,
            "page p1",
            "item id must be a quoted string (YAML read `no` as a boolean)",
        )

    def test_boolean_translation_is_explained(self) -> None:
        text = YAML_CHOICES.format(code="ya").replace("en: Choice", "en: Yes")
        with pytest.raises(DefinitionError) as info:
            definition_from_text(text, "uji.yaml")
        assert_problem(info.value.problems, "setuju", "(YAML read `Yes` as a boolean)")

    def test_boolean_language_code_is_explained(self) -> None:
        text = YAML_CHOICES.format(code="ya").replace("languages: [id, en]", "languages: [id, no]")
        with pytest.raises(DefinitionError) as info:
            definition_from_text(text, "uji.yaml")
        assert_problem(
            info.value.problems,
            "-",
            "language must be a quoted language code (YAML read `no` as a boolean)",
        )


# -------------------------------------------------------------------- expressions/references


class TestExpressionErrors:
    def test_syntax_error_names_item_and_attribute(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(text_item("a"), text_item("b", relevant="${a} = "))
        assert_problem(errors_of(sv, data), "b", "relevant: unexpected end of expression")

    def test_unknown_function(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(text_item("a", constraint="pulldata('x', 'y', 'z', .)"))
        assert_problem(errors_of(sv, data), "a", "constraint: unknown function 'pulldata'")

    def test_wrong_arity(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(text_item("a"), text_item("b", relevant="if(${a} = 'x', 1)"))
        assert_problem(errors_of(sv, data), "b", "relevant: if() takes 3 arguments, got 2")

    def test_unknown_field_with_suggestion(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(text_item("umur"), text_item("b", relevant="${umr} > 17"))
        assert_problem(errors_of(sv, data), "b", "unknown field 'umr' (did you mean 'umur'?)")

    def test_forward_reference_to_later_page(self, sv: SimpleNamespace) -> None:
        data = sv.data()
        data["pages"][0]["items"][1]["relevant"] = "${catatan} != ''"
        assert_problem(
            errors_of(sv, data), "umur", "forward reference to 'catatan' on a later page ('p2')"
        )

    def test_forward_reference_in_constraint_and_calculate(self, sv: SimpleNamespace) -> None:
        data = sv.data()
        items = data["pages"][0]["items"]
        items[1]["constraint"] = ". < ${grid.k01.imp}"
        items.append({"id": "hitung", "type": "calculate", "calculate": "${grid.k02.perf}"})
        errors = errors_of(sv, data)
        assert_problem(errors, "umur", "constraint: forward reference to 'grid.k01.imp'")
        assert_problem(errors, "hitung", "calculate: forward reference to 'grid.k02.perf'")

    def test_later_item_on_same_page_in_relevant(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(text_item("a", relevant="${b} = 'x'"), text_item("b"))
        assert_problem(
            errors_of(sv, data), "a", "refers to 'b', which comes later on the same page"
        )

    def test_self_reference_in_relevant(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(text_item("a", relevant="${a} = 'x'"))
        assert_problem(errors_of(sv, data), "a", "refers to its own item 'a'")

    def test_page_relevance_uses_only_earlier_pages(self, sv: SimpleNamespace) -> None:
        data = sv.data()
        data["pages"][1]["relevant"] = "${catatan} = 'x'"
        assert_problem(errors_of(sv, data), "page p2", "page relevance may only use earlier pages")

    def test_current_value_only_in_constraint(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(text_item("a", relevant=". = 'x'"))
        assert_problem(errors_of(sv, data), "a", "'.' (the current value) is only allowed")

    def test_matrix_paths(self, sv: SimpleNamespace) -> None:
        data = sv.data()
        data["pages"][1]["items"].append(
            text_item("x", relevant="${grid.k09.imp} > 1 or ${grid.k01.foo} > 1 or ${grid} > 1")
        )
        errors = errors_of(sv, data)
        assert_problem(errors, "x", "matrix 'grid' has no row 'k09'")
        assert_problem(errors, "x", "matrix 'grid' has no column 'foo'")
        assert_problem(errors, "x", "'grid' is a matrix; refer to a cell as ${grid.row.column}")

    def test_other_path_needs_other(self, sv: SimpleNamespace) -> None:
        data = sv.data()
        data["pages"][0]["items"][1]["relevant"] = "${q1.other} != ''"
        assert_problem(errors_of(sv, data), "umur", "'q1' has no 'other' choice")
        data["pages"][0]["items"][0]["other"] = True
        sv.load(data)

    def test_reference_to_note(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(
            {"id": "info", "type": "note", "label": "Info"}, text_item("a", relevant="${info}")
        )
        assert_problem(errors_of(sv, data), "a", "'info' is a note and has no value")

    def test_choice_variable_only_in_choice_filter(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(text_item("a", relevant="${choice} = 'x'"))
        assert_problem(errors_of(sv, data), "a", "${choice} is only available in choice_filter")
        data = sv.one_page(text_item("choice"))
        assert_problem(errors_of(sv, data), "choice", "'choice' is reserved")


# ---------------------------------------------------------------------------- competencies


class TestCompetencies:
    def test_unknown_competency_only_when_known_set_is_given(self, sv: SimpleNamespace) -> None:
        data = sv.data()
        data["pages"][1]["items"][0]["rows"][1]["competency"] = "X.99"
        sv.load(data)
        errors = errors_of(sv, data, known_competencies={"M.01"})
        assert [p.item for p in errors if "competency" in p.reason] == ["grid.k02"]
        assert_problem(errors, "grid.k02", "unknown competency code 'X.99'")

    def test_competency_only_on_rating_items(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(text_item("a", competency="M.01"))
        assert_problem(errors_of(sv, data), "a", "key 'competency' does not apply to text items")


# --------------------------------------------------------------------------------- scoring


class TestScoring:
    def rule(self, **rule: Any) -> dict[str, Any]:
        return {"rules": [{"id": "r", **rule}]}

    def test_valid_scoring_block(self, sv: SimpleNamespace) -> None:
        scoring = {
            "rules": [
                {
                    "id": "hh",
                    "method": "difference",
                    "over": "grid",
                    "importance": "imp",
                    "performance": "perf",
                },
                {
                    "id": "borich",
                    "method": "borich_mwds",
                    "over": "grid",
                    "importance": "imp",
                    "ability": "perf",
                },
                {
                    "id": "prod",
                    "method": "priority_product",
                    "over": "grid",
                    "importance": "imp",
                    "performance": "perf",
                },
                {"id": "gap", "method": "regulatory_gap", "over": "grid", "current": "perf"},
                {"id": "rerata", "method": "mean", "over": "grid", "column": "imp"},
            ],
            "rater_weights": {"self": 0.3, "supervisor": 0.7},
            "bands": [
                {"rule": "hh", "min": 2, "label": {"id": "Tinggi", "en": "High"}},
                {"min": 0, "max": 2, "label": {"id": "Rendah", "en": "Low"}},
            ],
        }
        defn = sv.load(sv.data(raters=["self", "supervisor"], scoring=scoring))
        assert defn.scoring is not None
        assert [r.method for r in defn.scoring.rules][0] == "difference"
        assert defn.scoring.rules[0].params == {"importance": "imp", "performance": "perf"}
        assert defn.scoring.rater_weights == {"self": 0.3, "supervisor": 0.7}

    def test_unknown_method(self, sv: SimpleNamespace) -> None:
        data = sv.data(scoring=self.rule(method="magic", over="grid"))
        assert_problem(errors_of(sv, data), "scoring.rules.r", "method must be one of")

    def test_unknown_column_and_non_matrix_over(self, sv: SimpleNamespace) -> None:
        data = sv.data(
            scoring=self.rule(
                method="difference", over="grid", importance="imp", performance="kinerja"
            )
        )
        assert_problem(
            errors_of(sv, data),
            "scoring.rules.r",
            "performance: matrix 'grid' has no column `kinerja`",
        )
        data = sv.data(scoring=self.rule(method="mean", over="umur", column="imp"))
        assert_problem(errors_of(sv, data), "scoring.rules.r", "over: `umur` is not a matrix item")

    def test_unknown_and_non_numeric_items(self, sv: SimpleNamespace) -> None:
        data = sv.data(
            scoring=self.rule(method="mean", items=["umur", "hilang", "catatan"], group_by="item")
        )
        errors = errors_of(sv, data)
        assert_problem(errors, "scoring.rules.r", "items: unknown item `hilang`")
        assert_problem(errors, "scoring.rules.r", "'catatan' is a textarea item, not numeric")

    def test_regulatory_gap_needs_competencies(self, sv: SimpleNamespace) -> None:
        data = sv.data(scoring=self.rule(method="regulatory_gap", items=["umur"]))
        assert_problem(errors_of(sv, data), "scoring.rules.r", "'umur' has no competency")

    def test_rater_weights(self, sv: SimpleNamespace) -> None:
        scoring = self.rule(method="mean", over="grid", column="imp")
        scoring["rater_weights"] = {"supervisor": 0.5, "peer": 0, "self": 1}
        errors = errors_of(sv, sv.data(raters=["self", "peer"], scoring=scoring))
        assert_problem(errors, "scoring.rater_weights", "role `supervisor`, which is neither")
        assert_problem(errors, "scoring.rater_weights", "weight for 'peer' must be a number > 0")

    def test_external_raters_allow_weights(self, sv: SimpleNamespace) -> None:
        scoring = self.rule(method="mean", over="grid", column="imp")
        scoring["rater_weights"] = {"self": 0.2, "peer": 0.8}
        scoring["external_raters"] = {"self": "penilaian_diri"}
        defn = sv.load(sv.data(raters=["peer"], scoring=scoring))
        assert defn.scoring.external_raters == {"self": "penilaian_diri"}

    def test_band_for_unknown_rule(self, sv: SimpleNamespace) -> None:
        scoring = self.rule(method="mean", over="grid", column="imp")
        scoring["bands"] = [{"rule": "zz", "min": 1, "max": 0.5, "label": "x"}]
        errors = errors_of(sv, sv.data(scoring=scoring))
        assert_problem(errors, "scoring.bands[0]", "unknown scoring rule `zz`")
        assert_problem(errors, "scoring.bands[0]", "max must be greater than min")


# --------------------------------------------------------------------- warnings, directories


class TestWarningsAndDirectories:
    def test_missing_translations_are_warnings(self, sv: SimpleNamespace) -> None:
        data = sv.data()
        data["pages"][0]["items"][1]["label"] = {"id": "Umur"}
        data["pages"][0]["items"][1]["hint"] = {"en": "In years"}
        defn = sv.load(data)
        warnings = list(defn.warnings)
        assert all(w.severity == WARNING for w in warnings)
        assert_problem(warnings, "umur", "missing 'en' translation of label")
        assert_problem(warnings, "umur", "missing 'id' translation of hint")
        assert defn.text(defn.item("umur").label, "en") == "Umur"
        assert str(warnings[0]).startswith("uji.yaml: umur: warning: missing")

    def test_check_directory_collects_every_file(
        self, sv: SimpleNamespace, write_survey: Callable[[str, str], Path]
    ) -> None:
        write_survey("uji", sv.to_yaml(sv.data()))
        bad = sv.data(id="rusak")
        bad["pages"][0]["items"][1]["relevant"] = "${nope} = 1"
        write_survey("rusak", sv.to_yaml(bad))
        problems = check_directory(write_survey("x", "").parent.joinpath())
        assert_problem(problems, "umur", "unknown field 'nope'")
        assert {p.file for p in problems} >= {"rusak.yaml", "x.yaml"}

    def test_external_rater_survey_must_exist_and_declare_role(
        self, sv: SimpleNamespace, write_survey: Callable[[str, str], Path]
    ) -> None:
        scoring = {
            "rules": [{"id": "r", "method": "mean", "over": "grid", "column": "imp"}],
            "external_raters": {"self": "diri"},
            "rater_weights": {"self": 1},
        }
        path = write_survey("uji", sv.to_yaml(sv.data(raters=["peer"], scoring=scoring)))
        problems = check_directory(path.parent)
        assert_problem(problems, "scoring.external_raters", "'diri', which is not in the directory")
        write_survey("diri", sv.to_yaml(sv.data(id="diri", raters=["peer"])))
        problems = check_directory(path.parent)
        assert_problem(problems, "scoring.external_raters", "whose raters do not include it")

    def test_missing_directory(self, tmp_path: Path) -> None:
        problems = check_directory(tmp_path / "absent")
        assert problems[0].reason == "surveys directory does not exist"
