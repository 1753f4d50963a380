"""Dictionary, standards with history, settings, decisions, and the services other features use."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.needs import services
from app.needs.models import (
    Competency,
    CompetencyGap,
    DevelopmentForm,
    DevelopmentNeed,
    NeedStatus,
    PositionStandard,
    StandardDefault,
)
from tests.unit.needs import builders as b


@pytest.fixture
def place(ctx):
    return b.build_place()


def technical(code: str = "T.KES.02", **overrides) -> services.CompetencyData:
    data = services.CompetencyData(
        code=code, name_id="Surveilans", levels_id=[f"L{n}" for n in range(1, 6)]
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def test_dictionary_has_the_nine_core_competencies_with_levels(place):
    rows = services.competencies(place.instansi.id)
    assert [c.code for c in rows] == [
        "M.01",
        "M.02",
        "M.03",
        "M.04",
        "M.05",
        "M.06",
        "M.07",
        "M.08",
        "SK.01",
    ]
    assert rows[-1].kind.value == "sosial_kultural"
    assert sorted(services.levels_of(rows[0].id)) == [1, 2, 3, 4, 5]
    level_1 = services.levels_of(rows[0].id)[1]
    assert level_1.description_id != level_1.description_en  # Indonesian and English kept apart
    assert services.seed_dictionary(place.instansi.id) == 0  # idempotent


def test_technical_competency_rules(place):
    saved = services.save_competency(
        place.instansi.id, technical(levels_en=[f"E{n}" for n in range(1, 6)])
    )
    assert saved.kind.value == "teknis" and len(services.levels_of(saved.id)) == 5
    level_3 = services.levels_of(saved.id)[3]
    assert (level_3.description_id, level_3.description_en) == ("L3", "E3")
    for bad, field in (
        (technical("T.KES.02"), "code"),
        (technical("M.01"), "code"),
        (technical("bad code!"), "code"),
        (technical("T.X.01", name_id=" "), "name_id"),
        (technical("T.X.02", levels_id=["a", "b", "", "d", "e"]), "level_3"),
    ):
        with pytest.raises(ValidationFailed) as error:
            services.save_competency(place.instansi.id, bad)
        assert field in [f for f, _ in error.value.problems]
    core = db.session.scalar(select(Competency).where(Competency.code == "M.01"))
    with pytest.raises(ServiceError):
        services.save_competency(place.instansi.id, technical("M.01"), core)
    changed = services.save_competency(
        place.instansi.id, technical(name_id="Surveilans Penyakit", active=False), saved
    )
    assert changed.name_id == "Surveilans Penyakit" and not changed.active


def test_import_updates_by_code_and_refuses_duplicates(place):
    first = "code,name_id,name_en,level_1,level_2,level_3,level_4,level_5,level_1_en\n"
    first += "T.A.01,Satu,One,a,b,c,d,e,a-en\n"
    assert services.import_competencies(place.instansi.id, first.encode()).created == 1
    again = first.replace("Satu", "Satu baru")
    result = services.import_competencies(place.instansi.id, again.encode("utf-8-sig"))
    assert (result.created, result.updated) == (0, 1)
    updated = db.session.scalar(select(Competency).where(Competency.code == "T.A.01"))
    assert updated.name_id == "Satu baru"
    assert services.levels_of(updated.id)[1].description_en == "a-en"
    twice = first + "T.A.01,Lagi,,a,b,c,d,e,\n"
    with pytest.raises(ValidationFailed) as error:
        services.import_competencies(place.instansi.id, twice.encode())
    assert "Row 3" in error.value.problems[0][1] or "Baris 3" in error.value.problems[0][1]
    with pytest.raises(ServiceError):
        services.import_competencies(place.instansi.id, b"\xff\xfe")
    with pytest.raises(ServiceError):
        services.import_competencies(place.instansi.id, b"")


def test_position_levels_keep_history_and_same_day_edits_in_place(place):
    position = place.staff_position
    m01 = db.session.scalar(select(Competency.id).where(Competency.code == "M.01"))
    day1, day2 = date(2026, 3, 1), date(2026, 9, 1)
    assert services.save_position_levels(position, {m01: 4}, day1) == 1
    assert services.save_position_levels(position, {m01: 5}, day1) == 1  # same day: in place
    assert services.save_position_levels(position, {m01: 5}, day2) == 0  # unchanged
    assert services.save_position_levels(position, {m01: None}, day2) == 1  # back to default
    rows = list(db.session.scalars(select(PositionStandard).order_by(PositionStandard.id)))
    assert [(r.required_level, r.valid_from, r.valid_to) for r in rows] == [(5, day1, day2)]
    lines = {x.competency.code: x for x in services.standard_lines(position, date(2026, 5, 1))}
    assert lines["M.01"].explicit == 5 and lines["M.01"].source == "position"
    later = {x.competency.code: x for x in services.standard_lines(position, day2)}
    assert later["M.01"].effective == 3 and later["M.01"].source == "default"
    with pytest.raises(ServiceError):
        services.save_position_levels(position, {m01: 7}, day2)
    with pytest.raises(ServiceError):
        services.save_position_levels(position, {987654: 3}, day2)
    assert services.standard_history(position.id)[0][1] == "M.01"


def test_defaults_are_dated_and_listed_for_every_class(place):
    today = date(2026, 6, 1)
    lines = {
        (x.position_type, x.jenjang): x for x in services.default_lines(place.instansi.id, today)
    }
    assert lines[("jpt", "pratama")].level == 4 and lines[("pelaksana", "")].level == 1
    assert lines[("fungsional", "ahli_utama")].level == 5
    assert services.save_defaults(place.instansi.id, {("pelaksana", ""): 2}, today) == 1
    rows = list(
        db.session.scalars(
            select(StandardDefault).where(StandardDefault.position_type == "pelaksana")
        )
    )
    assert sorted((r.required_level, r.valid_to) for r in rows) == [(1, today), (2, None)]
    with pytest.raises(ServiceError):
        services.save_defaults(place.instansi.id, {("camat", ""): 2}, today)
    positions = {p.name: p for p in services.position_lines(place.instansi.id, today)}
    assert positions["Analis"].default_level == 3 and positions["Analis"].explicit == 0


def test_settings_validation(place):
    saved = services.save_settings(place.instansi.id, 85, 70, 0.5)
    assert services.settings_for(place.instansi.id).jpm_meets == 85 and saved.need_min_gap == 0.5
    with pytest.raises(ValidationFailed) as error:
        services.save_settings(place.instansi.id, 120, 130, 9)
    assert {f for f, _ in error.value.problems} == {"jpm_meets", "jpm_still_meets", "need_min_gap"}


def make_need(place, employee, code="M.01", gap=2.0, priority=8.0) -> DevelopmentNeed:
    need = DevelopmentNeed(
        instansi_id=place.instansi.id,
        cycle_year=b.YEAR,
        employee_id=employee.id,
        competency_code=code,
        gap=gap,
        priority=priority,
        suggested_form=DevelopmentForm.CLASSICAL,
    )
    db.session.add(need)
    db.session.commit()
    return need


def test_decisions_on_needs(place):
    need = make_need(place, place.staff[0])
    services.decide_need(need, "accept", None, "mentoring", "  pilihan kepala bidang ")
    assert need.status == NeedStatus.ACCEPTED and need.decided_at is not None
    assert need.suggested_form == DevelopmentForm.MENTORING and need.note == "pilihan kepala bidang"
    services.decide_need(need, "reopen", None)
    assert need.status == NeedStatus.PROPOSED and need.decided_at is None
    with pytest.raises(ServiceError):
        services.decide_need(need, "promote", None)
    with pytest.raises(ServiceError):
        services.decide_need(need, "save", None, "teleportation")
    need.status = NeedStatus.NOMINATED
    db.session.commit()
    with pytest.raises(ServiceError):
        services.decide_need(need, "dismiss", None)


def test_bulk_decisions_stay_in_the_allowed_instansi(place):
    other = b.build_place("kota-lain")
    mine = make_need(place, place.staff[0])
    theirs = make_need(other, other.staff[0])
    nominated = make_need(place, place.staff[1])
    nominated.status = NeedStatus.NOMINATED
    db.session.commit()
    changed = services.bulk_decide(
        [mine.id, theirs.id, nominated.id], "accept", {place.instansi.id}, None
    )
    assert changed == 1
    db.session.expire_all()
    assert (mine.status, theirs.status, nominated.status) == (
        NeedStatus.ACCEPTED,
        NeedStatus.PROPOSED,
        NeedStatus.NOMINATED,
    )
    assert [n.id for n in services.accepted_needs(place.instansi.id, b.YEAR)] == [mine.id]
    with pytest.raises(ServiceError):
        services.bulk_decide([], "accept", None, None)
    with pytest.raises(ServiceError):
        services.bulk_decide([mine.id], "nominate", None, None)


def add_gap(place, employee, code, required, current, priority=None):
    db.session.add(
        CompetencyGap(
            instansi_id=place.instansi.id,
            cycle_year=b.YEAR,
            employee_id=employee.id,
            org_unit_id=employee.org_unit_id,
            competency_code=code,
            required_level=required,
            current_level=current,
            gap=None if required is None else required - current,
            priority=priority,
        )
    )


def test_top_gaps_and_strengths_for_mentoring(place):
    first, second, third = place.staff
    add_gap(place, first, "M.01", 4, 2.0, 8)
    add_gap(place, first, "M.02", 4, 2.5, 9)
    add_gap(place, first, "M.03", 4, 2.0, 9)
    add_gap(place, first, "M.04", 3, 4.5)
    add_gap(place, first, "M.05", 2, 2.0)
    add_gap(place, second, "M.01", None, 4.2)
    add_gap(place, second, "M.02", 3, 3.5)
    db.session.commit()
    ids = [first.id, second.id, third.id]
    top = services.top_gaps(ids, b.YEAR)
    assert top[first.id] == [("M.03", 2.0), ("M.01", 2.0), ("M.02", 1.5)]
    assert top[second.id] == [] and top[third.id] == []
    assert services.top_gaps(ids, b.YEAR, limit=1)[first.id] == [("M.03", 2.0)]
    assert services.top_gaps(ids, b.YEAR, limit=0) == {i: [] for i in ids}
    assert services.top_gaps(ids, 2020) == {i: [] for i in ids}
    strong = services.strengths(ids, b.YEAR)
    assert strong[first.id] == ["M.04"]  # 4.5 ≥ 3 + 1
    assert strong[second.id] == ["M.01"]  # no standard, but ≥ 4 (M.02: 3.5 < 3 + 1)
    assert strong[third.id] == []
