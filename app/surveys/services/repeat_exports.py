"""Exports of repeated pages: one row per repeat instance (long format), in constant memory.

Columns: ``response_id``, ``instance`` (1-based), then the repeated page's fields (codes and
numbers as stored; several codes of a multiple joined by spaces). The XLSX export carries one
extra sheet per repeated page; the CSV of one repeated page is ``export.csv?repeat=<page>``.
One streamed query per repeated page, whatever the number of responses.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from app.access.policy import Principal
from app.extensions import db
from app.surveys.definition import Definition, split_instance
from app.surveys.models import Answer, Campaign, Response
from app.surveys.services.results import ResultFilters, response_conditions

BATCH = 5000
Value = float | int | str | None


def repeat_header(definition: Definition, page_id: str) -> list[str]:
    """Column keys of a repeated page's sheet."""
    return ["response_id", "instance", *definition.repeat_fields(page_id)]


def repeat_rows(
    principal: Principal,
    campaign: Campaign,
    definition: Definition,
    page_id: str,
    filters: ResultFilters,
) -> Iterator[list[list[Value]]]:
    """Batches of rows, one per (response, instance), in response and instance order."""
    bases = definition.repeat_fields(page_id)
    position = {base: index for index, base in enumerate(bases)}
    item_ids = sorted({definition.field_item(base).id for base in bases})
    selection = ResultFilters(
        campaign.id, filters.unit_id, filters.rater_role, filters.group, "submitted"
    )
    query = (
        select(Answer.response_id, Answer.field, Answer.value_number, Answer.value_text)
        .select_from(Answer)
        .join(Response, Answer.response_id == Response.id)
        .join(Campaign, Response.campaign_id == Campaign.id)
        .where(*response_conditions(principal, selection), Answer.item_id.in_(item_ids))
        .order_by(Answer.response_id, Answer.id)
        .execution_options(yield_per=BATCH)
    )
    result = db.session.connection().execute(query)
    current: int | None = None
    instances: dict[int, list[Value]] = {}

    def flush() -> list[list[Value]]:
        rows = [[current, n, *instances[n]] for n in sorted(instances)]
        instances.clear()
        return rows

    try:
        for batch in result.partitions(BATCH):
            out: list[list[Value]] = []
            for response_id, path, number, text in batch:
                base, instance = split_instance(path)
                if instance is None or base not in position:
                    continue
                if response_id != current:
                    if current is not None:
                        out.extend(flush())
                    current = response_id
                row = instances.setdefault(instance, [None] * len(bases))
                if number is not None:
                    row[position[base]] = int(number) if float(number).is_integer() else number
                else:
                    row[position[base]] = (text or "").replace("\n", " ")
            if out:
                yield out
        if current is not None and instances:
            yield flush()
    finally:
        result.close()
