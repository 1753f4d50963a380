"""Repeated pages, cascading selects on choice properties, piping and extra languages."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from app.surveys.definition import ERROR, DefinitionError, count_path, split_instance
from app.surveys.forms import page_questions, review_pages
from app.surveys.logic import evaluate_all


def t(text: str) -> dict[str, str]:
    """The same text in both languages."""
    return {"id": text, "en": text}


def household(repeat: dict[str, Any]) -> dict[str, Any]:
    """A size question, a repeated page of members and a summary page."""
    return {
        "pages": [
            {
                "id": "rumah",
                "title": t("Rumah"),
                "items": [{"id": "jumlah", "type": "integer", "label": t("Jumlah anggota")}],
            },
            {
                "id": "anggota",
                "title": t("Anggota"),
                "repeat": repeat,
                "items": [
                    {"id": "nama", "type": "text", "label": t("Nama"), "required": True},
                    {
                        "id": "umur",
                        "type": "integer",
                        "label": t("Umur ${nama}"),
                        "constraint": ". < 130",
                    },
                    {
                        "id": "sekolah",
                        "type": "single",
                        "label": t("Sekolah?"),
                        "relevant": "${umur} < 20",
                        "choice_list": "yt",
                    },
                    {"id": "urut", "type": "calculate", "calculate": "position()"},
                ],
            },
            {
                "id": "ringkas",
                "title": t("Ringkasan"),
                "items": [
                    {"id": "total_umur", "type": "calculate", "calculate": "sum(${umur})"},
                    {"id": "banyak", "type": "calculate", "calculate": "count(${anggota})"},
                    {
                        "id": "kedua",
                        "type": "calculate",
                        "calculate": "indexed-repeat(${nama}, ${anggota}, 2)",
                    },
                    {"id": "catatan", "type": "note", "label": t("Total umur: ${total_umur}")},
                ],
            },
        ]
    }


def load_household(sv: SimpleNamespace, repeat: dict[str, Any]) -> Any:
    """The household definition with the given repeat block."""
    return sv.load(sv.data(**household(repeat)))


class TestRepeats:
    def test_count_from_an_expression(self, sv: SimpleNamespace) -> None:
        definition = load_household(sv, {"count": "${jumlah}", "max": 5})
        answers = {
            "jumlah": "2",
            "nama[1]": "Ani",
            "umur[1]": "40",
            "nama[2]": "Budi",
            "umur[2]": "12",
            "sekolah[2]": "ya",
            "nama[3]": "Stale",  # beyond the count: cleared
        }
        state = evaluate_all(definition, answers, "id")
        assert state.page("anggota").instances == 2
        assert state.answers["nama[2]"] == "Budi" and "nama[3]" not in state.answers
        assert "nama[3]" in state.cleared
        assert state.calculated["urut[2]"] == 2
        assert state.calculated["total_umur"] == 52
        assert state.calculated["banyak"] == 2
        assert state.calculated["kedua"] == "Budi"
        assert state.is_complete

    def test_relevance_and_errors_are_per_instance(self, sv: SimpleNamespace) -> None:
        definition = load_household(sv, {"count": 2})
        state = evaluate_all(definition, {"umur[1]": "150", "nama[2]": "B", "umur[2]": "30"})
        assert set(state.errors) == {"nama[1]", "umur[1]"}
        page = state.page("anggota")
        visible = {(s.id, s.instance) for s in page.visible_items}
        assert ("sekolah", 2) not in visible and ("nama", 1) in visible

    def test_open_ended_repeat_counts_what_the_respondent_added(self, sv: SimpleNamespace) -> None:
        definition = load_household(sv, {"min": 1, "max": 3})
        assert evaluate_all(definition, {}).page("anggota").instances == 1
        state = evaluate_all(definition, {count_path("anggota"): "9", "nama[3]": "C"})
        assert state.page("anggota").instances == 3  # clamped to max
        assert state.answers[count_path("anggota")] == 3

    def test_piped_labels_use_the_instance_value(self, sv: SimpleNamespace) -> None:
        definition = load_household(sv, {"count": 2})
        state = evaluate_all(definition, {"nama[1]": "<b>Ani</b>", "umur[1]": "3"}, "id")
        umur = [s for s in state.page("anggota").items if s.id == "umur"]
        assert [s.label for s in umur] == ["Umur <b>Ani</b>", "Umur "]
        note = state.page("ringkas").items[-1]
        assert note.label == "Total umur: 3"

    def test_page_questions_and_review(self, sv: SimpleNamespace) -> None:
        definition = load_household(sv, {"min": 1, "max": 3})
        draft = {count_path("anggota"): "2", "nama[1]": "Ani"}
        state = evaluate_all(definition, draft, "id")
        questions = page_questions(definition, state.page("anggota"), draft, {}, "id")
        kinds = [(q.type, q.name) for q in questions]
        assert kinds[0] == ("instance", "")
        assert ("text", "nama[2]") in kinds
        controls = questions[-1]
        assert controls.type == "repeat_controls" and controls.name == "anggota[]"
        assert [o.value for o in controls.options] == ["3", "1"]
        assert questions[1].value == "Ani" and questions[1].id == "q-nama--i1"
        review = review_pages(definition, state, "id")
        assert any(item.label == "Nama (1)" and item.answer == "Ani" for item in review[1].items)

    def test_field_item_resolves_instance_paths(self, sv: SimpleNamespace) -> None:
        definition = load_household(sv, {"count": 2})
        assert definition.field_item("nama[2]").id == "nama"
        assert split_instance("nama[12]") == ("nama", 12)
        assert "nama" not in definition.fields()
        assert definition.repeat_fields("anggota", calculated=False) == ["nama", "umur", "sekolah"]
        with pytest.raises(KeyError):
            definition.field_item("jumlah[2]")

    @pytest.mark.parametrize(
        ("repeat", "message"),
        [
            ({"max": 500}, "repeat max must be between 1 and 100"),
            ({"min": 4, "max": 3}, "repeat min must be between 0 and max (3)"),
            ({"count": "${nope}"}, "repeat count: unknown field 'nope'"),
            ({"count": "${nama}"}, "page relevance may only use earlier pages"),
            ({"every": 2}, "unknown key 'every'"),
        ],
    )
    def test_bad_repeat_blocks(
        self, sv: SimpleNamespace, repeat: dict[str, Any], message: str
    ) -> None:
        with pytest.raises(DefinitionError) as info:
            load_household(sv, repeat)
        reasons = [p.reason for p in info.value.problems if p.severity == ERROR]
        assert any(message in r for r in reasons), reasons


def cascade(sv: SimpleNamespace) -> Any:
    """Province → regency → district, filtered on choice properties."""
    place = lambda code, **props: {"code": code, "label": t(code), "properties": props}  # noqa: E731
    return sv.load(
        sv.data(
            choice_lists={
                "prov": [place("riau"), place("papua")],
                "kab": [place("dumai", prov="riau"), place("sorong", prov="papua")],
                "kec": [
                    place("dumai_barat", kab="dumai"),
                    place("dumai_timur", kab="dumai"),
                    place("aimas", kab="sorong"),
                ],
            },
            pages=[
                {
                    "id": "lokasi",
                    "title": t("Lokasi"),
                    "items": [
                        {"id": "prov", "type": "single", "label": t("P"), "choice_list": "prov"},
                        {
                            "id": "kab",
                            "type": "single",
                            "label": t("K"),
                            "choice_list": "kab",
                            "choice_filter": "${choice.prov} = ${prov}",
                        },
                        {
                            "id": "kec",
                            "type": "single",
                            "label": t("Kec ${kab}"),
                            "choice_list": "kec",
                            "choice_filter": "${choice.kab} = ${kab}",
                        },
                    ],
                }
            ],
        )
    )


class TestCascadingSelects:
    def test_three_levels_narrow_on_properties(self, sv: SimpleNamespace) -> None:
        definition = cascade(sv)
        state = evaluate_all(definition, {"prov": "riau", "kab": "dumai"})
        choices = {s.id: [c.code for c in s.choices] for s in state.page("lokasi").items}
        assert choices == {
            "prov": ["riau", "papua"],
            "kab": ["dumai"],
            "kec": ["dumai_barat", "dumai_timur"],
        }

    def test_a_stale_lower_level_answer_is_cleared(self, sv: SimpleNamespace) -> None:
        definition = cascade(sv)
        state = evaluate_all(definition, {"prov": "papua", "kab": "dumai", "kec": "dumai_barat"})
        assert "kab" not in state.answers and "kec" not in state.answers
        assert {"kab", "kec"} <= state.cleared

    def test_unknown_property_is_an_error(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(
            {
                "id": "q",
                "type": "single",
                "label": t("Q"),
                "choice_list": "yt",
                "choice_filter": "${choice.state} = 'x'",
            }
        )
        with pytest.raises(DefinitionError) as info:
            sv.load(data)
        assert any("has the property 'state'" in p.reason for p in info.value.problems)


class TestLanguagesAndPiping:
    def test_any_language_with_fallback_to_the_default(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(
            {"id": "nama", "type": "text", "label": {"id": "Nama", "fr": "Nom", "zh": "名字"}},
            {"id": "sapa", "type": "note", "label": {"id": "Halo ${nama}"}},
            languages=["id", "en", "fr", "zh"],
            title={"id": "Uji", "fr": "Essai", "zh": "测试"},
        )
        definition = sv.load(data)
        state = evaluate_all(definition, {"nama": "Ana"}, "fr")
        labels = [s.label for s in state.page("p1").items]
        assert labels == ["Nom", "Halo Ana"]  # the note falls back to Indonesian
        assert [s.label for s in evaluate_all(definition, {}, "en").page("p1").items][0] == "Nama"

    def test_unknown_or_later_piped_field_is_an_error(self, sv: SimpleNamespace) -> None:
        data = sv.data()
        data["pages"][0]["items"][0]["label"] = t("Setuju ${catatan} ${hilang}?")
        with pytest.raises(DefinitionError) as info:
            sv.load(data)
        reasons = {p.reason for p in info.value.problems}
        assert "piped text: unknown field 'hilang'" in reasons
        assert "piped text: 'catatan' is on a later page ('p2')" in reasons
