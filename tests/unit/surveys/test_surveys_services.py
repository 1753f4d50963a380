"""Survey services: set-based supervisors and peers, answer rows, page merging, invitation
tokens and lines, and the demo answers (each one complete under the definition's own logic)."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.demo.seed import DemoContext, seed_demo
from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.org.hierarchy import supervisor_of
from app.org.models import Employee, Instansi
from app.surveys import demo, services
from app.surveys.definition import load_definition
from app.surveys.logic import evaluate_all
from app.surveys.models import Invitation, Response, ResponseStatus
from app.surveys.services.assignments import _Person

SURVEYS = Path(__file__).resolve().parents[3] / "surveys"


def definition(name: str):
    return load_definition(SURVEYS / f"{name}.yaml")


def test_supervisors_match_the_hierarchy_rule_on_the_demo(ctx):
    seed_demo(total_employees=120)
    for instansi in db.session.scalars(select(Instansi)):
        fast = services.supervisors_by_employee(instansi.id)
        for employee in db.session.scalars(
            select(Employee).where(Employee.instansi_id == instansi.id, Employee.active)
        ):
            boss = supervisor_of(employee)
            assert fast.get(employee.id) == (boss.id if boss else None), employee.name


def test_demo_seeds_open_campaigns_with_submitted_answers(ctx):
    seed_demo(total_employees=120)
    counts = dict(
        db.session.execute(
            select(Response.rater_role, func.count())
            .where(Response.status == ResponseStatus.SUBMITTED)
            .group_by(Response.rater_role)
        ).all()
    )
    for role in ("self", "supervisor", "peer", "stakeholder", "participant", "mentee"):
        assert counts.get(role, 0) > 0, role
    stakeholder_groups = set(
        db.session.scalars(
            select(Response.stakeholder_group).where(Response.rater_role == "stakeholder")
        )
    )
    assert {"masyarakat", "akademisi", "swasta", "lsm"} <= stakeholder_groups
    mitra = db.session.scalar(select(Invitation).where(Invitation.email == "mitra@bangkom.example"))
    assert mitra is not None and mitra.completed_on is None


people = st.lists(st.tuples(st.integers(1, 4), st.booleans()), min_size=0, max_size=25)


@settings(max_examples=60, deadline=None)
@given(people)
def test_peer_pairs_are_colleagues_never_self_or_boss(rows):
    persons = [
        _Person(index + 1, unit, None, None, f"P{index}") for index, (unit, _) in enumerate(rows)
    ]
    supervisors = {
        p.id: persons[0].id
        for p, (_, boss) in zip(persons, rows, strict=True)
        if boss and p.id != 1
    }
    pairs = services.peer_pairs(persons, supervisors)
    unit = {p.id: p.org_unit_id for p in persons}
    assert len(pairs) == len(set(pairs))
    for rater, subject in pairs:
        assert rater != subject and unit[rater] == unit[subject]
        assert supervisors.get(subject) != rater and supervisors.get(rater) != subject
    per_subject: dict[int, int] = {}
    for _, subject in pairs:
        per_subject[subject] = per_subject.get(subject, 0) + 1
    assert all(n <= services.PEERS_PER_EMPLOYEE for n in per_subject.values())


def test_answer_rows_split_matrix_cells_other_texts_and_codes():
    defn = definition("konsultasi_pemangku_kepentingan")
    rows = services.answer_rows(
        defn,
        7,
        {
            "kelompok": "other",
            "kelompok.other": "Tokoh adat",
            "layanan_digunakan": ["adminduk", "pajak"],
            "kepuasan": 4,
            "kepentingan.m01.imp": 5,
            "saran_layanan": "",
            "nama_unit": None,
        },
    )
    by_field = {row["field"]: row for row in rows}
    assert set(by_field) == {
        "kelompok",
        "kelompok.other",
        "layanan_digunakan",
        "kepuasan",
        "kepentingan.m01.imp",
    }
    assert (
        by_field["kelompok.other"]["column_id"] == "other"
        and by_field["kelompok.other"]["item_id"] == "kelompok"
    )
    assert by_field["layanan_digunakan"]["value_text"] == "adminduk\npajak"
    assert (
        by_field["kepuasan"]["value_number"] == 4.0 and by_field["kepuasan"]["value_text"] is None
    )
    cell = by_field["kepentingan.m01.imp"]
    assert (cell["item_id"], cell["row_id"], cell["column_id"], cell["value_number"]) == (
        "kepentingan",
        "m01",
        "imp",
        5.0,
    )
    assert all(row["response_id"] == 7 for row in rows)


def test_merging_a_page_keeps_other_pages_and_clears_unticked_boxes():
    defn = definition("konsultasi_pemangku_kepentingan")
    draft = {
        "kelompok": "lsm",
        "layanan_digunakan": ["adminduk", "pajak"],
        "frekuensi": "bulanan",
        "prioritas_1": "biaya",
    }
    form = MultiDict(
        [("layanan_digunakan", "pajak"), ("frekuensi", "  "), ("csrf_token", "x"), ("unknown", "1")]
    )
    merged = services.merge_page_answers(defn, draft, "layanan", form, "id")
    assert merged["layanan_digunakan"] == ["pajak"]
    assert "frekuensi" not in merged  # emptied
    assert merged["kelompok"] == "lsm" and merged["prioritas_1"] == "biaya"  # other pages kept
    assert "unknown" not in merged and "csrf_token" not in merged
    hidden = services.merge_page_answers(
        defn,
        {"kelompok": "lsm", "unit_asn": "Dinas X"},
        "tentang_anda",
        MultiDict([("kelompok", "lsm")]),
        "id",
    )
    assert hidden["unit_asn"] == "Dinas X"  # an answer hidden by relevance is not thrown away


def test_invitation_lines_are_parsed_and_checked():
    lines = services.parse_invitation_lines(" a@b.id ; Ani ; Unri ; akademisi\n\nC@D.ID\tBudi")
    assert [(line.email, line.name, line.organisation, line.group) for line in lines] == [
        ("a@b.id", "Ani", "Unri", "akademisi"),
        ("c@d.id", "Budi", None, None),
    ]
    with pytest.raises(ValidationFailed) as refused:
        services.parse_invitation_lines("x@y.id; ; ; Bad Group!\nnot an email")
    assert len(refused.value.problems) == 2
    with pytest.raises(ServiceError):
        services.parse_invitation_lines("   \n ")


def test_invitation_tokens_are_derived_and_only_hashed(ctx):
    nonce, token_hash = services.new_invitation_secret()
    token = services.invitation_token(nonce)
    assert services.sha256_hex(token) == token_hash and services.TOKEN_RE.fullmatch(token)
    assert services.invitation_token(nonce) == token  # reminders repeat the same link
    invitation = Invitation(token_nonce=nonce, token_hash=token_hash)
    ctx.config["SECRET_KEY"], before = "rotated", ctx.config["SECRET_KEY"]
    try:
        rotated = services.token_for(invitation)
        assert rotated != token and invitation.token_hash == services.sha256_hex(rotated)
    finally:
        ctx.config["SECRET_KEY"] = before


GENERATORS = {
    "penilaian_diri_kompetensi": lambda s: s.self_answers(
        demo.DemoInvitation(1, "self", 1, 1, 1, None)
    ),
    "penilaian_atasan_rekan": lambda s: s.rating_answers(
        demo.DemoInvitation(1, "peer", 2, 1, 1, None), 0.8
    ),
    "konsultasi_pemangku_kepentingan": lambda s: s.stakeholder_answers(None, "Dinas Kesehatan"),
    "evaluasi_reaksi_pelatihan": lambda s: s.reaction_answers(
        demo.DemoInvitation(1, "participant", 1, 1, 1, None)
    ),
    "tindak_lanjut_90_hari": lambda s: s.follow_up_answers(
        demo.DemoInvitation(1, random.choice(["participant", "supervisor"]), 1, 1, 1, None)
    ),
    "umpan_balik_mentoring": lambda s: s.mentoring_answers(
        demo.DemoInvitation(1, "mentee", 1, 1, 1, None)
    ),
}


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_demo_answers_are_complete_and_clean(name):
    defn = definition(name)
    seeder = demo._Seeder(
        random.Random(7),
        date(2026, 6, 15),
        Instansi(id=1, code="x", name="X"),
        {1: demo.Person(1, 1, 3.0, None, "A"), 2: demo.Person(2, 1, 2.0, None, "B")},
    )
    for _ in range(150):
        values = GENERATORS[name](seeder)
        state = evaluate_all(defn, values, "id", today=date(2026, 6, 15))
        assert state.is_complete, (name, dict(state.errors), values)
        assert not state.cleared, (name, state.cleared)
        assert set(values) <= set(defn.fields()), set(values) - set(defn.fields())


def test_demo_context_is_what_the_seeder_gets():
    context = DemoContext(rng=random.Random(1), fake=None, employees=40)  # type: ignore[arg-type]
    assert context.employees == 40


CONSULTATION = definition("konsultasi_pemangku_kepentingan")
PAGE_FIELDS = [f for item in CONSULTATION.page("layanan").items for f in item.fields()]
MULTIPLE = {"layanan_digunakan", "kanal"}
texts = st.text(alphabet="abc 12", max_size=6)
posted_values = st.one_of(
    texts, st.lists(st.sampled_from(["adminduk", "pajak", "other", "x"]), max_size=3)
)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(st.sampled_from(PAGE_FIELDS), posted_values, max_size=8),
    st.dictionaries(
        st.sampled_from(["kelompok", "usia", "prioritas_1", "saran_layanan"]), texts, max_size=4
    ),
    st.dictionaries(st.sampled_from(PAGE_FIELDS), texts, max_size=4),
)
def test_merging_never_touches_other_pages_and_takes_every_posted_value(posted, elsewhere, earlier):
    draft = {**earlier, **elsewhere}
    pairs = []
    for key, value in posted.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append((key, one))
    merged = services.merge_page_answers(CONSULTATION, draft, "layanan", MultiDict(pairs), "id")
    for key, value in elsewhere.items():
        assert merged[key] == value  # other pages are never changed
    for key, value in posted.items():
        values = [v for v in (value if isinstance(value, list) else [value]) if v]
        if key in MULTIPLE:
            assert merged.get(key) == (values or None)
            continue
        sent = value if isinstance(value, list) else [value]
        if sent:  # a single-value field takes the first value sent; blank removes it
            assert merged.get(key) == (sent[0] if sent[0].strip() else None)
    assert set(merged) <= set(draft) | set(posted)  # nothing invented
