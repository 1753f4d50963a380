"""Property-based tests: the SQL recompute equals the plain-Python formulas on random data."""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from app.extensions import db
from app.needs import formulas, services
from app.needs.models import CompetencyGap, EmployeeMatch, PositionStandard, RuleScore
from app.needs.scoring_plan import BandSpec
from app.surveys.models import Answer, Campaign, Response
from tests.unit.needs import builders as b

CODES = ("M.01", "M.02")
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BANDS = [
    BandSpec("high_priority", 2, None, {}),
    BandSpec("medium_priority", 1, 2, {}),
    BandSpec("meets_the_standard", -4, 1, {}),
]

rating = st.integers(min_value=1, max_value=5)
ratings_of_person = st.fixed_dictionaries(
    {
        "self": st.dictionaries(st.sampled_from(CODES), st.integers(1, 7), max_size=2),
        "supervisor": st.dictionaries(st.sampled_from(CODES), rating, max_size=2),
        "peer": st.lists(st.dictionaries(st.sampled_from(CODES), rating, max_size=2), max_size=4),
    }
)
weights = st.sampled_from([0.1, 0.2, 0.5, 1.0, 2.5])


@pytest.fixture
def place(ctx):
    return b.build_place(staff=3, other=1)


def reset(place):
    """Each example starts without answers, standards or results."""
    for model in (Answer, Response, Campaign, PositionStandard):
        db.session.execute(delete(model))
    place.campaigns.clear()
    db.session.commit()


@SETTINGS
@given(
    people=st.lists(ratings_of_person, min_size=1, max_size=3),
    weight=st.tuples(weights, weights, weights),
    peer_min=st.integers(1, 3),
    seven_point=st.booleans(),
    standards=st.dictionaries(st.sampled_from(CODES), st.integers(1, 5), max_size=2),
    stakeholders=st.lists(rating, max_size=3),
)
def test_regulatory_gap_sql_equals_reference(
    place, people, weight, peer_min, seven_point, standards, stakeholders
):
    reset(place)
    roles = dict(zip(("self", "supervisor", "peer"), weight, strict=True))
    defs = b.definitions(
        b.self_definition(CODES, "lv7" if seven_point else "lv"),
        b.rating_definition(CODES, roles, peer_min),
        b.stakeholder_definition(CODES, min_group=2),
    )
    for code, level in standards.items():
        b.set_standard(place.staff_position, code, level, b.date(2020, 1, 1))
    expected: dict[tuple[int, str], dict[str, float | None]] = {}
    importance = formulas.mean(stakeholders) if len(stakeholders) >= 2 else None
    for value in stakeholders:
        b.answer(
            place,
            defs["pemangku"],
            "stakeholder",
            {f"grid.{b.field_id(c)}.imp": value for c in CODES},
            unit=place.opd,
        )
    jpm_pairs: dict[int, list[tuple[float | None, float | None]]] = defaultdict(list)
    for person, answers in zip(place.staff, people, strict=False):
        if answers["self"]:
            b.answer(
                place,
                defs["diri"],
                "self",
                {b.field_id(c): v for c, v in answers["self"].items()},
                person,
            )
        if answers["supervisor"]:
            b.answer(
                place,
                defs["rekan"],
                "supervisor",
                {b.field_id(c): v for c, v in answers["supervisor"].items()},
                person,
            )
        for peer in answers["peer"]:
            if peer:
                b.answer(
                    place,
                    defs["rekan"],
                    "peer",
                    {b.field_id(c): v for c, v in peer.items()},
                    person,
                )
        for code in CODES:
            groups = []
            if code in answers["self"]:
                scale_max = 7 if seven_point else 5
                value = answers["self"][code]
                if value <= scale_max:
                    groups.append(
                        formulas.GroupMean(
                            "self", formulas.to_level(value, 1, scale_max), 1, roles["self"]
                        )
                    )
            if code in answers["supervisor"]:
                groups.append(
                    formulas.GroupMean(
                        "supervisor", answers["supervisor"][code], 1, roles["supervisor"]
                    )
                )
            peer_values = [p[code] for p in answers["peer"] if code in p]
            if peer_values:
                groups.append(
                    formulas.GroupMean(
                        "peer",
                        formulas.mean(peer_values),
                        len(peer_values),
                        roles["peer"],
                        peer_min,
                    )
                )
            current = formulas.blended_level(groups)
            if current is None:
                continue
            required = standards.get(code, 3)  # fungsional ahli muda defaults to 3
            gap = formulas.regulatory_gap(required, current)
            expected[(person.id, code)] = {
                "current": current,
                "required": required,
                "gap": gap,
                "importance": importance,
                "priority": formulas.priority(gap, importance),
            }
            jpm_pairs[person.id].append((current, required))
    db.session.commit()
    services.recompute(place.instansi.id, b.YEAR, definitions=defs)
    rows = {
        (g.employee_id, g.competency_code): g
        for g in db.session.scalars(select(CompetencyGap).where(CompetencyGap.cycle_year == b.YEAR))
    }
    assert set(rows) == set(expected)
    for key, want in expected.items():
        got = rows[key]
        assert got.current_level == pytest.approx(want["current"])
        assert got.required_level == want["required"]
        assert got.gap == pytest.approx(want["gap"])
        assert got.importance == pytest.approx(want["importance"])
        assert got.priority == pytest.approx(want["priority"])
        assert got.band == formulas.band(want["gap"], BANDS)
    matches = {m.employee_id: m.jpm for m in db.session.scalars(select(EmployeeMatch))}
    assert set(matches) == set(jpm_pairs)
    for employee_id, pairs in jpm_pairs.items():
        assert matches[employee_id] == pytest.approx(formulas.job_person_match(pairs))


observation = st.tuples(st.one_of(st.none(), rating), st.one_of(st.none(), rating))
respondent = st.tuples(
    st.sampled_from(["bidang", "other", None]),
    st.fixed_dictionaries({c: observation for c in CODES}),
)


@SETTINGS
@given(respondents=st.lists(respondent, min_size=1, max_size=6))
def test_group_rules_sql_equal_reference(place, respondents):
    reset(place)
    tna = b.tna_definition(CODES, min_group=1)
    units = {"bidang": place.bidang, "other": place.other_opd, None: None}
    by_group: dict[object, dict[str, list[tuple[int | None, int | None]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for unit_key, answers in respondents:
        values = {}
        for code, (importance, performance) in answers.items():
            if importance is not None:
                values[f"grid.{b.field_id(code)}.imp"] = importance
            if performance is not None:
                values[f"grid.{b.field_id(code)}.perf"] = performance
        if not values:
            continue
        b.answer(place, tna, "self", values, unit=units[unit_key])
        for code, pair in answers.items():
            by_group[None][code].append(pair)
            if unit_key is not None:
                by_group[units[unit_key].id][code].append(pair)
    db.session.commit()
    services.recompute(place.instansi.id, b.YEAR, definitions=b.definitions(tna))
    stored = {
        (s.org_unit_id, s.rule_id, s.group_key): s.score
        for s in db.session.scalars(select(RuleScore))
    }
    expected = {}
    for group, per_code in by_group.items():
        for code, pairs in per_code.items():
            checks = {
                "hh": formulas.hennessy_hicks(pairs),
                "borich": formulas.borich_mwds(pairs),
                "rerata": formulas.mean(i for i, _ in pairs if i is not None),
            }
            for rule, value in checks.items():
                if value is not None:
                    expected[(group, rule, code)] = value
            product = formulas.priority_product(pairs, 1, 5)
            if product is not None:
                expected[(group, "produk", b.field_id(code))] = product
    assert set(stored) == set(expected)
    for key, value in expected.items():
        assert stored[key] == pytest.approx(value), key
