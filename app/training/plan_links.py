"""Which item of the development plan a nomination or an event realises.

Training sits below the plan (app/planning), so it never imports it: the plan registers two
functions here when it is imported, and training asks them.

- `item_for_need(need_id)`: the plan item whose targets hold that need (the plan in force, or
  the latest draft), set on a nomination made from the need.
- `item_choices(instansi_id, year)`: (item id, label) pairs for the event form.

Without a registered plan both answer nothing: every nomination is then outside the plan,
which is allowed and shown as such.
"""

from __future__ import annotations

from collections.abc import Callable

ItemForNeed = Callable[[int], int | None]
ItemChoices = Callable[[int, int], list[tuple[int, str]]]

_item_for_need: list[ItemForNeed] = []
_item_choices: list[ItemChoices] = []


def register(item_for_need: ItemForNeed, item_choices: ItemChoices) -> None:
    _item_for_need[:] = [item_for_need]
    _item_choices[:] = [item_choices]


def item_for_need(need_id: int | None) -> int | None:
    if need_id is None or not _item_for_need:
        return None
    return _item_for_need[0](need_id)


def item_choices(instansi_id: int, year: int) -> list[tuple[int, str]]:
    return _item_choices[0](instansi_id, year) if _item_choices else []
