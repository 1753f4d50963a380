"""What the 9-box pages show: the grid with counts, movements, one page of people, one person."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, select

from app.extensions import db
from app.org.models import Employee
from app.talent.matrix import (
    BOX_POSITION,
    POOL_BOXES,
    RECOMMENDATIONS,
    PotentialCategory,
)
from app.talent.models import Rating, TalentSettings
from app.talent.placement import BoxFilter, counts_and_page, with_movement

# Grid rows top to bottom (performance) and columns left to right (potential), as in the guide.
GRID_ROWS = (Rating.ABOVE, Rating.MEETS, Rating.BELOW)
GRID_COLUMNS = (PotentialCategory.LOW, PotentialCategory.MEDIUM, PotentialCategory.HIGH)
CELL_W, CELL_H, LEFT, TOP = 120, 80, 110, 10


@dataclass(frozen=True)
class Cell:
    box: int
    count: int
    x: int
    y: int
    pool: bool
    share: int  # percent of the placed employees


@dataclass
class Board:
    cells: list[Cell]
    placed: int
    unplaced: int
    moves: list[tuple[int, int, int]]
    up: int
    same: int
    down: int
    rows: list[Any] = field(default_factory=list)
    total_rows: int = 0

    @property
    def by_box(self) -> dict[int, Cell]:
        return {cell.box: cell for cell in self.cells}


def grid(counts: dict[int | None, int]) -> list[Cell]:
    placed = sum(n for box, n in counts.items() if box is not None)
    cells = []
    for row, performance in enumerate(GRID_ROWS):
        for column, potential in enumerate(GRID_COLUMNS):
            box = next(b for b, key in BOX_POSITION.items() if key == (performance, potential))
            count = counts.get(box, 0)
            cells.append(
                Cell(
                    box,
                    count,
                    LEFT + column * CELL_W,
                    TOP + row * CELL_H,
                    box in POOL_BOXES,
                    round(100 * count / placed) if placed else 0,
                )
            )
    return cells


def board(
    settings: TalentSettings,
    f: BoxFilter,
    scope: ColumnElement[bool],
    box: int | None,
    limit: int,
    offset: int,
    pool_only: bool = False,
) -> Board:
    """Counts per box, movements from last year and one page of people: one statement."""
    placed = with_movement(settings, f, scope)
    pairs, rows = counts_and_page(placed, box, limit, offset, pool_only)
    counts: dict[int | None, int] = {}
    for _, box_now, n in pairs:
        counts[box_now] = counts.get(box_now, 0) + n
    moves = sorted((a, b, n) for a, b, n in pairs if a is not None and b is not None)
    placed_total = sum(n for b, n in counts.items() if b is not None)
    if pool_only:
        listed = sum(n for b, n in counts.items() if b in POOL_BOXES)
    elif box is not None:
        listed = counts.get(box, 0)
    else:
        listed = placed_total + counts.get(None, 0)
    return Board(
        cells=grid(counts),
        placed=placed_total,
        unplaced=counts.get(None, 0),
        moves=moves,
        up=sum(n for a, b, n in moves if b > a),
        same=sum(n for a, b, n in moves if b == a),
        down=sum(n for a, b, n in moves if b < a),
        rows=rows,
        total_rows=listed,
    )


@dataclass
class Placement:
    year: int
    row: dict[str, Any] | None
    recommendations: tuple[object, ...]


def employee_placement(settings: TalentSettings, employee: Employee, year: int) -> Placement:
    """One employee's box this year and last (one statement)."""
    f = BoxFilter(employee.instansi_id, year)
    placed = with_movement(settings, f, Employee.id == employee.id)
    row = db.session.execute(select(placed)).mappings().first()
    data = dict(row) if row is not None else None
    box = data["box"] if data else None
    return Placement(year, data, RECOMMENDATIONS.get(box, ()) if box else ())
