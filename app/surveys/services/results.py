"""Results: responses a principal may read, one page of them, per-question summaries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, case, func, select

from app.access.policy import Principal
from app.extensions import db
from app.org.models import Employee, OrgUnit
from app.surveys.definition import (
    Definition,
    Item,
    Scale,
)
from app.surveys.models import (
    Answer,
    Campaign,
    Response,
    ResponseStatus,
)
from app.surveys.policy import campaign_scope, response_scope
from app.surveys.services.campaigns import visible_campaigns
from app.surveys.services.definitions import campaign_definition
from app.surveys.services.vocabulary import PAGE_SIZE


@dataclass
class ResultFilters:
    campaign_id: int | None = None
    unit_id: int | None = None
    rater_role: str | None = None
    group: str | None = None
    status: str | None = None


def _unit_path(unit_id: int | None) -> str | None:
    if unit_id is None:
        return None
    unit = db.session.get(OrgUnit, unit_id)
    return unit.path if unit is not None else "/-/"


def response_conditions(principal: Principal, filters: ResultFilters) -> list[ColumnElement[bool]]:
    """WHERE clauses for the responses a principal may read under the given filters."""
    conditions: list[ColumnElement[bool]] = [response_scope(principal), campaign_scope(principal)]
    if filters.campaign_id is not None:
        conditions.append(Response.campaign_id == filters.campaign_id)
    path = _unit_path(filters.unit_id)
    if path is not None:
        conditions.append(
            Response.org_unit_id.in_(select(OrgUnit.id).where(OrgUnit.path.startswith(path)))
        )
    if filters.rater_role:
        conditions.append(Response.rater_role == filters.rater_role)
    if filters.group:
        conditions.append(Response.stakeholder_group == filters.group)
    if filters.status in ("draft", "submitted"):
        conditions.append(Response.status == ResponseStatus(filters.status))
    return conditions


@dataclass
class ResponseRow:
    id: int
    campaign_title: str
    rater_role: str
    status: ResponseStatus
    subject_name: str | None
    respondent_name: str | None
    unit_name: str | None
    group: str | None
    day: date | None


def responses_page(
    principal: Principal, filters: ResultFilters, page: int
) -> tuple[list[ResponseRow], int]:
    """One page of responses with names (two queries whatever the page size).

    Respondents are named only for self and supervisor ratings of non-anonymous campaigns:
    peers and stakeholders are never shown one by one.
    """
    subject = db.aliased(Employee)
    respondent = db.aliased(Employee)
    conditions = response_conditions(principal, filters)
    total = (
        db.session.scalar(
            select(func.count(Response.id))
            .select_from(Response)
            .join(Campaign, Response.campaign_id == Campaign.id)
            .where(*conditions)
        )
        or 0
    )
    rows = db.session.execute(
        select(
            Response.id,
            Campaign.title,
            Campaign.anonymous,
            Response.rater_role,
            Response.status,
            subject.name,
            respondent.name,
            OrgUnit.name,
            Response.stakeholder_group,
            Response.submitted_on,
            Response.started_on,
        )
        .select_from(Response)
        .join(Campaign, Response.campaign_id == Campaign.id)
        .outerjoin(subject, Response.subject_employee_id == subject.id)
        .outerjoin(respondent, Response.respondent_employee_id == respondent.id)
        .outerjoin(OrgUnit, Response.org_unit_id == OrgUnit.id)
        .where(*conditions)
        .order_by(Response.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return [
        ResponseRow(
            id=rid,
            campaign_title=title,
            rater_role=role,
            status=status,
            subject_name=subject_name,
            respondent_name=(
                respondent_name if not anonymous and role in ("self", "supervisor") else None
            ),
            unit_name=unit_name,
            group=group,
            day=submitted_on or started_on,
        )
        for (
            rid,
            title,
            anonymous,
            role,
            status,
            subject_name,
            respondent_name,
            unit_name,
            group,
            submitted_on,
            started_on,
        ) in rows
    ], total


@dataclass
class Bar:
    """One bar of a chart: a choice or a scale point with its count and share."""

    code: str
    label: str
    count: int
    share: float  # 0..1 of the answered


@dataclass
class QuestionSummary:
    item_id: str
    label: str
    type: str
    answered: int = 0
    mean: float | None = None
    low: float | None = None
    high: float | None = None
    bars: list[Bar] = field(default_factory=list)
    rows: list[QuestionSummary] = field(default_factory=list)  # matrix rows × columns
    texts: list[str] = field(default_factory=list)


@dataclass
class GroupCount:
    rater_role: str
    group: str | None
    count: int
    shown: bool


@dataclass
class Summary:
    campaign: Campaign
    definition: Definition
    responses: int
    min_group_size: int
    groups: list[GroupCount]
    questions: list[QuestionSummary]
    # a wider selection differs from this one by 1 … min_group_size-1 responses
    differencing: bool = False

    @property
    def hidden(self) -> bool:
        """Fewer responses than the definition's minimum group size, or a wider selection that
        differs from this one by fewer (their answers would be the difference): nothing shown."""
        return self.responses < self.min_group_size or self.differencing


TEXTS_PER_QUESTION = 5


def _ancestor_paths(unit_id: int | None) -> list[str]:
    """The unit's own path and those of its ancestors ('/1/5/9/' → '/1/5/9/', '/1/5/', '/1/')."""
    path = _unit_path(unit_id)
    if path is None:
        return []
    parts = [part for part in path.strip("/").split("/") if part]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(len(parts), 0, -1)]


def _differencing_possible(
    principal: Principal, campaign: Campaign, filters: ResultFilters, total: int, minimum: int
) -> bool:
    """Complementary suppression: is there a wider selection the same person may ask for
    (a filter dropped, the unit widened to an ancestor or the whole scope) holding between 1 and
    minimum-1 responses more than this one? Its summary minus this one would show those few.

    One grouped statement: counts per rater role × group × (inside each ancestor unit)."""
    paths = _ancestor_paths(filters.unit_id)
    if not paths and not filters.rater_role and not filters.group:
        return False  # the widest selection there is
    inside = [
        case((OrgUnit.path.startswith(path), 1), else_=0).label(f"u{n}")
        for n, path in enumerate(paths)
    ]
    scope = ResultFilters(campaign.id, None, None, None, "submitted")
    rows = db.session.execute(
        select(Response.rater_role, Response.stakeholder_group, *inside, func.count())
        .join(Campaign, Response.campaign_id == Campaign.id)
        .outerjoin(OrgUnit, Response.org_unit_id == OrgUnit.id)
        .where(*response_conditions(principal, scope))
        .group_by(Response.rater_role, Response.stakeholder_group, *inside)
    ).all()
    units: list[int | None] = [*range(len(paths)), None]  # own unit first, None = whole scope
    roles = [filters.rater_role, None] if filters.rater_role else [None]
    groups = [filters.group, None] if filters.group else [None]
    for unit in units:
        for role in roles:
            for group in groups:
                wider = sum(
                    row[-1]
                    for row in rows
                    if (unit is None or row[2 + unit])
                    and (role is None or row[0] == role)
                    and (group is None or row[1] == group)
                )
                if 0 < wider - total < minimum:
                    return True
    return False


def summarize(
    principal: Principal, campaign: Campaign, filters: ResultFilters, lang: str
) -> Summary:
    """Per-question summaries of the submitted responses in scope (six grouped queries).

    Groups (rater role × stakeholder group) are counted for the whole campaign in scope; the
    summaries are computed only when the selection has at least ``min_group_size`` responses.
    """
    definition = campaign_definition(campaign)
    minimum = max(definition.min_group_size, 1)
    selection = ResultFilters(
        campaign.id, filters.unit_id, filters.rater_role, filters.group, "submitted"
    )
    base_ids = (
        select(Response.id)
        .join(Campaign, Response.campaign_id == Campaign.id)
        .where(*response_conditions(principal, selection))
    )
    group_rows = db.session.execute(
        select(Response.rater_role, Response.stakeholder_group, func.count())
        .join(Campaign, Response.campaign_id == Campaign.id)
        .where(
            *response_conditions(
                principal, ResultFilters(campaign.id, filters.unit_id, None, None, "submitted")
            )
        )
        .group_by(Response.rater_role, Response.stakeholder_group)
        .order_by(Response.rater_role, Response.stakeholder_group)
    ).all()
    groups = [GroupCount(role, group, count, count >= minimum) for role, group, count in group_rows]
    total = db.session.scalar(select(func.count()).select_from(base_ids.subquery())) or 0
    summary = Summary(campaign, definition, total, minimum, groups, [])
    if summary.hidden:
        return summary
    summary.differencing = _differencing_possible(principal, campaign, filters, total, minimum)
    if summary.hidden:
        return summary
    ids = base_ids.scalar_subquery()
    stats = {
        path: (count, mean, low, high)
        for path, count, mean, low, high in db.session.execute(
            select(
                Answer.field,
                func.count(),
                func.avg(Answer.value_number),
                func.min(Answer.value_number),
                func.max(Answer.value_number),
            )
            .where(Answer.response_id.in_(ids))
            .group_by(Answer.field)
        )
    }
    rated_items = [i.id for i in definition.items if i.type in ("rating", "matrix")]
    points: dict[str, dict[float, int]] = {}
    if rated_items:
        for path, value, count in db.session.execute(
            select(Answer.field, Answer.value_number, func.count())
            .where(Answer.response_id.in_(ids), Answer.item_id.in_(rated_items))
            .group_by(Answer.field, Answer.value_number)
        ):
            if value is not None:
                points.setdefault(path, {})[float(value)] = count
    choice_items = [i.id for i in definition.items if i.type in ("single", "multiple")]
    codes: dict[str, dict[str, int]] = {}
    if choice_items:
        for path, text, count in db.session.execute(
            select(Answer.field, Answer.value_text, func.count())
            .where(
                Answer.response_id.in_(ids),
                Answer.item_id.in_(choice_items),
                Answer.column_id.is_(None),
            )
            .group_by(Answer.field, Answer.value_text)
        ):
            for code in (text or "").split("\n"):
                if code:
                    codes.setdefault(path, {})[code] = codes.get(path, {}).get(code, 0) + count
    text_items = [i.id for i in definition.items if i.type in ("text", "textarea")]
    texts: dict[str, list[str]] = {}
    if text_items:
        ranked = (
            select(
                Answer.field,
                Answer.value_text,
                func.row_number()
                .over(partition_by=Answer.field, order_by=Answer.response_id.desc())
                .label("rank"),
            )
            .where(Answer.response_id.in_(ids), Answer.item_id.in_(text_items))
            .subquery()
        )
        for path, text in db.session.execute(
            select(ranked.c.field, ranked.c.value_text)
            .where(ranked.c.rank <= TEXTS_PER_QUESTION)
            .order_by(ranked.c.field, ranked.c.rank)
        ):
            texts.setdefault(path, []).append(text or "")
    summary.questions = [
        _question_summary(definition, item, lang, stats, points, codes, texts)
        for item in definition.items
        if item.has_value and item.type != "calculate"
    ]
    return summary


def _question_summary(
    definition: Definition,
    item: Item,
    lang: str,
    stats: Mapping[str, tuple[int, float | None, float | None, float | None]],
    points: Mapping[str, Mapping[float, int]],
    codes: Mapping[str, Mapping[str, int]],
    texts: Mapping[str, list[str]],
) -> QuestionSummary:
    label = definition.text(item.label, lang) or item.id
    summary = QuestionSummary(item.id, label, item.type)
    count, mean, low, high = stats.get(item.id, (0, None, None, None))
    summary.answered = count
    if item.type in ("integer", "decimal") or item.is_calculated:
        summary.mean, summary.low, summary.high = mean, low, high
    elif item.type == "rating":
        summary.mean = mean
        summary.bars = _scale_bars(
            definition, definition.scale_of(item), points.get(item.id, {}), count, lang
        )
    elif item.type in ("single", "multiple"):
        counted = codes.get(item.id, {})
        summary.bars = [
            Bar(
                choice.code,
                definition.text(choice.label, lang),
                counted.get(choice.code, 0),
                counted.get(choice.code, 0) / count if count else 0.0,
            )
            for choice in item.choices
        ]
        known = {choice.code for choice in item.choices}
        for code, number in sorted(counted.items()):
            if code not in known:  # a code from an earlier version of the definition
                summary.bars.append(Bar(code, code, number, number / count if count else 0.0))
    elif item.type == "matrix":
        for row in item.rows:
            for column in item.columns:
                path = f"{item.id}.{row.id}.{column.id}"
                cell_count, cell_mean, _, _ = stats.get(path, (0, None, None, None))
                cell_label = definition.text(row.label, lang)
                if len(item.columns) > 1:
                    cell_label = f"{cell_label} · {definition.text(column.label, lang)}"
                cell = QuestionSummary(path, cell_label, "rating", cell_count, cell_mean)
                cell.bars = _scale_bars(
                    definition,
                    definition.scales[column.scale],
                    points.get(path, {}),
                    cell_count,
                    lang,
                )
                summary.rows.append(cell)
        summary.answered = max((cell.answered for cell in summary.rows), default=0)
    elif item.type in ("text", "textarea"):
        summary.texts = texts.get(item.id, [])
    return summary


def _scale_bars(
    definition: Definition,
    scale: Scale,
    counted: Mapping[float, int],
    total: int,
    lang: str,
) -> list[Bar]:
    bars = []
    for point in scale.points:
        count = counted.get(float(point), 0)
        label = definition.text(scale.labels.get(point), lang) if point in scale.labels else ""
        bars.append(Bar(str(point), label, count, count / total if total else 0.0))
    return bars


def filter_options(principal: Principal) -> tuple[list[Campaign], list[OrgUnit]]:
    """Campaigns and units offered as filters on the results page (two queries)."""
    from app.access.policy import unit_scope

    units = list(
        db.session.scalars(select(OrgUnit).where(unit_scope(principal)).order_by(OrgUnit.path))
    )
    return visible_campaigns(principal), units
