"""One pagination helper for every list: a `Page` of rows, and `paginate()` for a query.

The page number comes from `app.web.params.page_arg()`. Templates render it with `{% from "_macros/pager.html" import pager %}` and
`{{ pager(page, "feature.endpoint", {"q": search, ...}) }}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, TypeVarTuple

from sqlalchemy import Select, func, select

from app.extensions import db

T = TypeVar("T")
U = TypeVar("U")
Columns = TypeVarTuple("Columns")

PER_PAGE = 50


@dataclass
class Page(Generic[T]):
    """One page of a list and how many rows there are in total."""

    items: list[T]
    total: int
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return max(self.page - 1, 1)

    @property
    def next_num(self) -> int:
        return min(self.page + 1, self.pages)

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        """The same page with each row converted (e.g. a result row into a dataclass)."""
        return Page([convert(item) for item in self.items], self.total, self.page, self.per_page)


def count_rows(query: Select[*tuple[Any, ...]]) -> int:
    """How many rows `query` gives, in one statement."""
    return int(
        db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    )


def limit_to_page(query: Select[*Columns], page: int, per_page: int = PER_PAGE) -> Select[*Columns]:
    """`query` cut to one page (for callers that add eager loads or ordering afterwards)."""
    return query.limit(per_page).offset((max(page, 1) - 1) * per_page)


def paginate(
    query: Select[*tuple[Any, ...]],
    page: int = 1,
    per_page: int = PER_PAGE,
    *,
    scalars: bool = False,
) -> Page[Any]:
    """One page of `query` in two statements (count, then the rows): rows as returned by
    `execute`, or the first column of each (`scalars=True`, e.g. for `select(Model)`)."""
    page = max(page, 1)
    total = count_rows(query)
    limited = limit_to_page(query, page, per_page)
    items = list(db.session.scalars(limited).unique() if scalars else db.session.execute(limited))
    return Page(items, total, page, per_page)
