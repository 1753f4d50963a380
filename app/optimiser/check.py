"""Verify a choice against every rule; the property tests and the solver wrapper use it."""

from __future__ import annotations

from collections import defaultdict

from app.optimiser.model import Indexed, Instance, Note

EPSILON = 1e-6


class Usage:
    """What a choice uses of each line, funding source, event, provider and employee's JP."""

    def __init__(self, index: Indexed):
        self.index = index
        self.line: dict[str, int] = defaultdict(int)
        self.source: dict[str, int] = defaultdict(int)
        self.event: dict[str, int] = defaultdict(int)
        self.provider: dict[str, int] = defaultdict(int)
        self.jp: dict[str, float] = defaultdict(float)
        self.count = 0
        self.non_classical = 0

    def add(self, j: int, sign: int = 1) -> None:
        option = self.index.instance.options[j]
        cost = int(option.cost or 0)
        if option.line is not None:
            self.line[option.line] += sign * cost
            source = self.index.source_of(option)
            if source is not None:
                self.source[source] += sign * cost
        if option.event is not None:
            self.event[option.event] += sign
        if option.provider is not None:
            self.provider[option.provider] += sign
        self.jp[self.index.needs[option.need].employee] += sign * option.jp
        self.count += sign
        self.non_classical += sign * int(option.non_classical)

    def blocker(self, j: int) -> Note | None:
        """The first rule adding option j would break (None: it fits)."""
        index = self.index
        option = index.instance.options[j]
        cost = int(option.cost or 0)
        if option.line is not None and cost:
            line = index.lines[option.line]
            if self.line[line.key] + cost > line.amount:
                return Note("line_full", {"line": line.name, "source": line.source})
            source = line.source
            cap = index.instance.rules.source_caps.get(source)
            if cap is not None and self.source[source] + cost > cap:
                return Note("source_full", {"source": source})
        if option.event is not None:
            event = index.events[option.event]
            if self.event[event.key] + 1 > event.limit:
                return Note("event_full", {"event": event.name})
        if option.provider is not None:
            provider = index.providers[option.provider]
            if self.provider[provider.key] + 1 > provider.limit:
                return Note("provider_full", {"provider": provider.name})
        employee = index.needs[option.need].employee
        room = index.jp_room(employee)
        if room is not None and self.jp[employee] + option.jp > room + EPSILON:
            return Note("jp_ceiling", {"employee": employee})
        return None

    def share_ok(self) -> bool:
        share = self.index.instance.rules.non_classical_share
        return self.non_classical + EPSILON >= share * self.count


def violations(
    instance: Instance, chosen: dict[str, int], index: Indexed | None = None
) -> list[Note]:
    """Every rule the choice breaks (empty for a valid plan)."""
    index = index or Indexed(instance)
    found: list[Note] = []
    usage = Usage(index)
    for need_key, j in chosen.items():
        if need_key not in index.needs or j not in index.by_need.get(need_key, []):
            found.append(Note("wrong_option", {"need": need_key}))
            continue
        usage.add(j)
    for need in instance.needs:
        if need.mandatory and need.key not in chosen:
            found.append(Note("mandatory_missing", {"item": need.label or need.key}))
    for line in instance.lines:
        if usage.line[line.key] > line.amount:
            found.append(Note("line_over", {"line": line.name}))
    for source, cap in instance.rules.source_caps.items():
        if usage.source[source] > cap:
            found.append(Note("source_over", {"source": source}))
    for event in instance.events:
        if usage.event[event.key] > event.limit:
            found.append(Note("event_over", {"event": event.name}))
    for provider in instance.providers:
        if usage.provider[provider.key] > provider.limit:
            found.append(Note("provider_over", {"provider": provider.name}))
    for employee, jp in usage.jp.items():
        room = index.jp_room(employee)
        if room is not None and jp > room + EPSILON:
            found.append(Note("jp_over", {"employee": employee}))
    if not usage.share_ok():
        found.append(Note("share_under", {"share": instance.rules.non_classical_share}))
    return found


def totals(
    instance: Instance, chosen: dict[str, int], index: Indexed | None = None
) -> tuple[float, int, int]:
    """(gap closed, cost, employees below the minimum JP reached) of a choice."""
    index = index or Indexed(instance)
    gap = sum(index.values[j] for j in chosen.values())
    cost = sum(int(instance.options[j].cost or 0) for j in chosen.values())
    below = set(index.below_min())
    reached = {index.needs[k].employee for k in chosen} & below
    return gap, cost, len(reached)
