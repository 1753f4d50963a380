"""Plain-Python reference implementations of every scoring formula.

The recompute runs these formulas in SQL; the property tests check that both agree on random
data, and the explain view uses them to show the arithmetic of one score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.needs.scoring_plan import LEVEL_MAX, LEVEL_MIN, BandSpec

# Scores within this distance of a threshold count as reaching it, so SQL and Python (which
# round differently in the last bits) put a gap of exactly 1.0 in the same band.
EPSILON = 1e-9


def floor_of(threshold: float) -> float:
    """The threshold a score is compared with: `score >= floor_of(t)` means "reaches t"."""
    return threshold - EPSILON


def to_level(value: float, scale_min: float, scale_max: float) -> float:
    """A rating on any scale mapped linearly onto the 1–5 level scale."""
    return LEVEL_MIN + (value - scale_min) * (LEVEL_MAX - LEVEL_MIN) / (scale_max - scale_min)


def mean(values: Iterable[float]) -> float | None:
    """Arithmetic mean; None for no values."""
    items = list(values)
    return sum(items) / len(items) if items else None


@dataclass(frozen=True)
class GroupMean:
    """One rater group's mean level for one employee and competency."""

    role: str
    mean: float | None  # None: every answer of the group was ignored (no raters left)
    raters: int
    weight: float
    min_group: int = 1

    @property
    def used(self) -> bool:
        """Groups without a mean, or smaller than their minimum size, are left out (anonymity
        of peers); the same rule as the `used` column of the stored rater scores."""
        return self.mean is not None and self.raters >= self.min_group


def group_mean(per_rater_levels: Sequence[float]) -> float | None:
    """A group's mean: every rater counts once (each rater's own mean first)."""
    return mean(per_rater_levels)


def blended_level(groups: Iterable[GroupMean]) -> float | None:
    """Σ weight × mean over the groups that answered, divided by their weights (re-normalised)."""
    used = [(g.weight, g.mean) for g in groups if g.used and g.mean is not None and g.weight > 0]
    total = sum(weight for weight, _ in used)
    if not used or total <= 0:
        return None
    return sum(weight * mean for weight, mean in used) / total


def effective_weights(groups: Iterable[GroupMean]) -> dict[str, float]:
    """Each used group's share of the blend after re-normalisation (they sum to 1)."""
    used = [g for g in groups if g.used and g.weight > 0]
    total = sum(g.weight for g in used)
    return {g.role: g.weight / total for g in used} if total > 0 else {}


def regulatory_gap(required: float | None, current: float | None) -> float | None:
    """PP 11/2017 gap: required level − current level; > 0 is a development need."""
    if required is None or current is None:
        return None
    return required - current


def priority(gap: float | None, importance: float | None) -> float | None:
    """Priority = gap × stakeholder importance."""
    if gap is None or importance is None:
        return None
    return gap * importance


def paired(pairs: Iterable[tuple[float | None, float | None]]) -> list[tuple[float, float]]:
    """Observations where both inputs were answered (the rest do not count)."""
    return [(a, b) for a, b in pairs if a is not None and b is not None]


def hennessy_hicks(pairs: Iterable[tuple[float | None, float | None]]) -> float | None:
    """Hennessy-Hicks training need: mean importance − mean performance over paired answers."""
    both = paired(pairs)
    if not both:
        return None
    return sum(a for a, _ in both) / len(both) - sum(b for _, b in both) / len(both)


def borich_mwds(pairs: Iterable[tuple[float | None, float | None]]) -> float | None:
    """Borich MWDS: mean over respondents of (R − P) × mean R, i.e. mean(R) × mean(R − P)."""
    both = paired(pairs)
    if not both:
        return None
    mean_r = sum(r for r, _ in both) / len(both)
    return sum((r - p) * mean_r for r, p in both) / len(both)


def priority_product(
    pairs: Iterable[tuple[float | None, float | None]], scale_min: float, scale_max: float
) -> float | None:
    """Nowack-style need index: mean of importance × reverse-coded performance."""
    both = paired(pairs)
    if not both:
        return None
    return sum(a * (scale_min + scale_max - b) for a, b in both) / len(both)


def band(score: float | None, bands: Sequence[BandSpec]) -> str | None:
    """Key of the first band with min ≤ score < max (max open when None)."""
    if score is None:
        return None
    for spec in bands:
        if score >= floor_of(spec.min) and (spec.max is None or score < floor_of(spec.max)):
            return spec.key
    return None


def job_person_match(pairs: Iterable[tuple[float | None, float | None]]) -> float | None:
    """JPM %: Σ min(current, required) / Σ required × 100 over competencies with both known."""
    rows = [(c, r) for c, r in pairs if c is not None and r is not None and r > 0]
    required = sum(r for _, r in rows)
    if not rows or required <= 0:
        return None
    return 100.0 * sum(min(c, r) for c, r in rows) / required


@dataclass(frozen=True)
class JpmThresholds:
    """Categories of the job-person match (PermenPANRB 35/2020), editable per instansi."""

    meets: float = 80.0
    still_meets: float = 68.0


JPM_MEETS = "meets"
JPM_STILL_MEETS = "still_meets"
JPM_BELOW = "below"


def jpm_category(jpm: float | None, thresholds: JpmThresholds = JpmThresholds()) -> str | None:
    """≥ meets: memenuhi syarat; ≥ still_meets: masih memenuhi syarat; else kurang."""
    if jpm is None:
        return None
    if jpm >= floor_of(thresholds.meets):
        return JPM_MEETS
    if jpm >= floor_of(thresholds.still_meets):
        return JPM_STILL_MEETS
    return JPM_BELOW


def nearest_importance(
    unit_path: str,
    by_unit: Mapping[int, tuple[str, float]],
    instansi_wide: float | None,
) -> float | None:
    """Importance of the unit itself or its nearest ancestor with stakeholder input.

    `by_unit` maps a unit id to (its path, its importance); the instansi-wide mean is the
    fallback when no unit on the way up has enough stakeholder answers.
    """
    best: tuple[int, float] | None = None
    for path, value in by_unit.values():
        if unit_path.startswith(path):
            depth = path.count("/")
            if best is None or depth > best[0]:
                best = (depth, value)
    return best[1] if best else instansi_wide
