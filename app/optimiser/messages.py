"""Notes of the optimiser (codes with parameters) as sentences for people."""

from __future__ import annotations

import json
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.optimiser.model import GREEDY, INFEASIBLE, OPTIMAL, TIME_LIMIT, Note
from app.planning.labels import plan_label
from app.planning.models import SOURCE_VALUES, FundingSource

RULES = {
    "mandatory": _l("mandatory items"),
    "lines": _l("budget lines"),
    "sources": _l("funding source totals"),
    "events": _l("event seats"),
    "providers": _l("provider capacity"),
    "jp_ceiling": _l("JP ceiling per employee"),
    "non_classical_share": _l("share of non-classical forms"),
}

STATUS = {
    OPTIMAL: _l("optimal"),
    TIME_LIMIT: _l("time limit reached: best plan found"),
    GREEDY: _l("greedy (solver not installed)"),
    INFEASIBLE: _l("rules conflict"),
}


# A note's parameters come back from JSON (numbers, or numbers written as text).
NUMERIC = (int, float, str, Decimal)


def rupiah(amount: object) -> str:
    value = amount or 0
    return "Rp " + f"{int(value) if isinstance(value, NUMERIC) else 0:,}".replace(",", ".")


def source(value: object) -> str:
    return str(plan_label(FundingSource(value))) if value in SOURCE_VALUES else str(value or "")


def text(note: Note) -> str:
    """The note as a sentence, and the flagged-program rule when it reduced the effect."""
    sentence = _sentence(note)
    factor = note.params.get("flagged_factor")
    if factor is None:
        return sentence
    return (
        sentence
        + " "
        + _(
            "The item's program is flagged for review by the evaluation: its form counts "
            "%(percent)s %% of its expected effect.",
            percent=f"{float(factor) * 100:g}",
        )
    )


def _sentence(note: Note) -> str:
    p = note.params
    code = note.code
    if code == "missing_cost":
        return _("%(item)s has no cost: enter the unit cost of the item first.", item=p["item"])
    if code == "negative_cost":
        return _("%(item)s has a negative cost (%(cost)s).", item=p["item"], cost=rupiah(p["cost"]))
    if code == "no_line":
        return _("%(item)s costs money but has no budget line.", item=p["item"])
    if code in ("effect_range", "negative_jp", "negative_gap", "unknown_need", "unknown_event",
                "unknown_provider"):  # fmt: skip
        return _("%(item)s has invalid figures.", item=p.get("item", ""))
    if code == "line_amount":
        return _("The budget line %(line)s has no valid amount.", line=p["line"])
    if code == "share_range":
        return _("The non-classical share must be from 0 to 100 %.")
    if code == "mandatory_without_option":
        return _("The mandatory item %(item)s has no way to be funded.", item=p["item"])
    if code == "mandatory_over_line":
        return _(
            "Mandatory items cost %(cost)s on the line %(line)s, which holds only %(amount)s.",
            cost=rupiah(p["cost"]), line=p["line"], amount=rupiah(p["amount"]),
        )  # fmt: skip
    if code == "mandatory_over_source":
        return _(
            "Mandatory items cost %(cost)s from %(source)s, which holds only %(amount)s.",
            cost=rupiah(p["cost"]), source=source(p["source"]), amount=rupiah(p["amount"]),
        )  # fmt: skip
    if code in ("mandatory_over_event", "mandatory_over_provider"):
        return _(
            "Mandatory items need %(count)d seats of %(name)s, which has %(limit)d.",
            count=p["count"], name=p["name"], limit=p["limit"],
        )  # fmt: skip
    if code == "mandatory_over_jp":
        return _("Mandatory items exceed an employee's JP ceiling for the year.")
    if code == "rules_conflict":
        names = ", ".join(str(RULES.get(r, r)) for r in p.get("rules", []))
        return _("These rules cannot all hold together: %(rules)s.", rules=names)
    if code == "no_plan_in_time":
        return _("No plan satisfying every rule was found within the time limit.")
    if code == "greedy_failed":
        return _("The greedy fallback found no plan satisfying every rule.")
    if code == "solver_missing":
        return _("The MILP solver (HiGHS) is not installed: this is the greedy baseline.")
    if code == "lp_certified":
        return _("Within the accepted gap of the LP relaxation's bound: no branching was needed.")
    if code == "time_limit":
        return _("The solver stopped at the time limit (%(seconds)s s).", seconds=p["seconds"])
    if code == "funded_mandatory":
        return _("Funded: a mandatory item.")
    if code == "funded_reach":
        return _(
            "Funded: the employee has under %(min_jp)s JP this year; %(ratio)s gap per million "
            "rupiah (rank %(rank)d of %(of)d).",
            min_jp=f"{p['min_jp']:g}", ratio=ratio(p["ratio"]), rank=p["rank"], of=p["of"],
        )  # fmt: skip
    if code == "funded_ratio":
        return _(
            "Funded: %(ratio)s gap per million rupiah (rank %(rank)d of %(of)d).",
            ratio=ratio(p["ratio"]), rank=p["rank"], of=p["of"],
        )  # fmt: skip
    if code == "no_option":
        return _("Not funded: no form is available for this need.")
    if code == "no_effect":
        return _("Not funded: no form is expected to close this gap.")
    if code == "line_full":
        return _(
            "Not funded: the line %(line)s (%(source)s) is exhausted.",
            line=p["line"], source=source(p["source"]),
        )  # fmt: skip
    if code == "source_full":
        return _("Not funded: the %(source)s total is exhausted.", source=source(p["source"]))
    if code == "event_full":
        return _("Not funded: the quota of the event %(event)s is full.", event=p["event"])
    if code == "provider_full":
        return _("Not funded: %(provider)s has no capacity left.", provider=p["provider"])
    if code == "jp_ceiling":
        return _("Not funded: the employee would pass the JP ceiling for the year.")
    if code == "share_rule":
        return _("Not funded: it would bring the share of non-classical forms under the minimum.")
    if code == "within_tolerance":
        return _("Not funded: it fits, but the plan is within the solver's optimality tolerance.")
    return code


def ratio(value: object) -> str:
    given = value or 0
    number = float(given) if isinstance(given, NUMERIC) else 0.0
    return "∞" if number >= 1e11 else f"{number:.3f}"


def choice_text(reason: str, params: str) -> str:
    return text(Note(reason, json.loads(params) if params else {}))
