"""The six instruments shipped in surveys/ load cleanly and behave as designed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.needs.dictionary import CORE_COMPETENCIES
from app.surveys.definition import (
    Definition,
    check_directory,
    load_definition,
)
from app.surveys.logic import evaluate_all

SURVEYS_DIR = Path(__file__).resolve().parents[3] / "surveys"
BUNDLED = {
    "penilaian_diri_kompetensi": "self_assessment",
    "penilaian_atasan_rekan": "rating_360",
    "konsultasi_pemangku_kepentingan": "stakeholder",
    "evaluasi_reaksi_pelatihan": "post_training",
    "tindak_lanjut_90_hari": "follow_up",
    "umpan_balik_mentoring": "mentoring_feedback",
}


def bundled(name: str) -> Definition:
    """Load one bundled instrument, checking competency codes against the core dictionary."""
    return load_definition(SURVEYS_DIR / f"{name}.yaml", set(CORE_COMPETENCIES))


def test_directory_has_no_errors_and_no_warnings() -> None:
    problems = check_directory(SURVEYS_DIR, set(CORE_COMPETENCIES))
    assert problems == [], "\n".join(str(p) for p in problems)


@pytest.mark.parametrize(("name", "kind"), sorted(BUNDLED.items()))
def test_each_instrument_loads_with_id_and_kind(name: str, kind: str) -> None:
    defn = bundled(name)
    assert defn.id == name
    assert defn.kind == kind
    assert defn.languages == ("id", "en")
    assert defn.default_language == "id"
    assert defn.fields()


@pytest.mark.parametrize("name", ["penilaian_diri_kompetensi", "penilaian_atasan_rekan"])
def test_competency_ratings_cover_the_nine_core_competencies(name: str) -> None:
    defn = bundled(name)
    rated = [item.competency for item in defn.items if item.type == "rating"]
    assert rated == list(CORE_COMPETENCIES)
    for item in defn.items:
        if item.type == "rating":
            scale = defn.scale_of(item)
            assert (scale.min, scale.max) == (1, 5)
            assert set(scale.labels) == {1, 2, 3, 4, 5}
    assert defn.scoring is not None
    assert defn.scoring.rules[0].method == "regulatory_gap"


def test_360_design_takes_self_weight_from_self_assessment() -> None:
    defn = bundled("penilaian_atasan_rekan")
    assert defn.raters == ("supervisor", "peer")
    assert defn.min_group_size == 3
    assert defn.scoring is not None
    assert dict(defn.scoring.rater_weights) == {"self": 0.2, "supervisor": 0.5, "peer": 0.3}
    assert dict(defn.scoring.external_raters) == {"self": "penilaian_diri_kompetensi"}
    assert "self" in bundled("penilaian_diri_kompetensi").raters


def test_stakeholder_consultation_shape() -> None:
    defn = bundled("konsultasi_pemangku_kepentingan")
    assert defn.access.mode == "public" and defn.access.anonymous
    assert defn.raters == ("stakeholder",) and defn.min_group_size == 5
    assert 25 <= len(defn.fields()) <= 40
    matrix = defn.item("kepentingan")
    assert [row.competency for row in matrix.rows] == list(CORE_COMPETENCIES)
    assert any(item.other for item in defn.items)
    assert any(item.relevant is not None for item in defn.items)
    assert any(item.constraint is not None and item.constraint_message for item in defn.items)
    assert [c.code for c in defn.item("kelompok").choices] == [
        "masyarakat",
        "akademisi",
        "swasta",
        "lsm",
        "asn",
        "other",
    ]
    assert defn.scoring is not None and defn.scoring.rules[0].method == "mean"


def test_stakeholder_main_service_is_filtered_to_services_used() -> None:
    defn = bundled("konsultasi_pemangku_kepentingan")
    state = evaluate_all(defn, {"layanan_digunakan": ["kesehatan", "pajak"]})
    item = next(s for s in state.page("layanan").items if s.id == "layanan_utama")
    assert item.visible
    assert [c.code for c in item.choices] == ["kesehatan", "pajak"]


def test_stakeholder_priorities_must_differ() -> None:
    defn = bundled("konsultasi_pemangku_kepentingan")
    state = evaluate_all(defn, {"prioritas_1": "biaya", "prioritas_2": "biaya"}, "en")
    assert state.errors["prioritas_2"] == "Choose a different aspect from the first priority"


def test_follow_up_pages_depend_on_role() -> None:
    defn = bundled("tindak_lanjut_90_hari")
    participant = evaluate_all(defn, {"peran": "peserta"})
    assert participant.page("peserta").relevant and not participant.page("atasan").relevant
    supervisor = evaluate_all(defn, {"peran": "atasan", "frekuensi_penerapan": "4"})
    assert supervisor.page("atasan").relevant and not supervisor.page("peserta").relevant
    assert "frekuensi_penerapan" in supervisor.cleared
    assert "frekuensi_penerapan" not in supervisor.errors


def test_mentoring_pair_follow_up_question() -> None:
    defn = bundled("umpan_balik_mentoring")
    item = defn.item("berjalan_baik")
    assert item.required is True
    assert [c.code for c in item.choices] == ["ya", "sebagian", "tidak"]
    for answer, visible in (("ya", False), ("sebagian", True), ("tidak", True)):
        state = evaluate_all(defn, {"berjalan_baik": answer})
        kendala = next(s for s in state.page("penilaian").items if s.id == "kendala")
        assert kendala.visible is visible
        assert ("kendala" in state.errors) is visible


def test_mentoring_session_date_cannot_be_in_the_future() -> None:
    defn = bundled("umpan_balik_mentoring")
    state = evaluate_all(defn, {"tanggal_sesi": "2026-07-01"}, "id", today=date(2026, 6, 30))
    assert state.errors["tanggal_sesi"] == "Tanggal sesi tidak boleh di masa depan"


def test_self_assessment_average_is_calculated() -> None:
    defn = bundled("penilaian_diri_kompetensi")
    ratings = {item.id: "3" for item in defn.items if item.type == "rating"}
    ratings["m01"] = "5"
    state = evaluate_all(defn, ratings)
    assert state.calculated["rerata_diri"] == round(29 / 9, 2)
    del ratings["sk01"]
    assert evaluate_all(defn, ratings).calculated["rerata_diri"] is None
