"""Loader part for repeated pages, choice properties and piping (``${field}`` in texts).

* A page with ``repeat: {count: <expr or int>, max: N}`` has exactly ``count`` instances
  (clamped to ``max``); ``repeat: {min: 0, max: N}`` lets the respondent add instances ("add
  another"). ``max`` defaults to 20 and may not exceed ``MAX_REPEAT_INSTANCES``. Inside a repeat,
  ``${x}`` is the current instance's ``x``; ``position()`` is the instance number;
  ``indexed-repeat(${x}, ${page}, n)`` reads instance ``n``. Outside, ``${x}`` is the list of
  every instance's value (for ``count()``, ``sum()``, ``min()``, ``max()``) and ``${page}``
  the list of instance numbers. Repeats do not nest (a page is the only repeatable unit).
* Choices may carry ``properties: {state: "jb"}`` (XLSForm's extra choice columns);
  ``choice_filter`` reads them as ``${choice.state}``.
* Labels, hints and notes may pipe ``${field}``; the value is inserted as text when the page
  is shown. Piped fields must exist and may not be on a later page.
"""

from __future__ import annotations

import re
from typing import Any

from app.surveys.definition.base import LoaderBase
from app.surveys.definition.model import (
    CHOICE_VARIABLE,
    ID_RE,
    MAX_REPEAT_INSTANCES,
    LangText,
    Repeat,
)
from app.surveys.definition.yaml_source import _yaml_repr

_PIPE_RE = re.compile(r"\$\{\s*([^}]*?)\s*\}")
_REPEAT_KEYS = ("count", "min", "max", "label")
DEFAULT_REPEAT_MAX = 20


def piped_paths(text: str) -> list[str]:
    """Field paths piped into a text with ``${...}``."""
    return [match.group(1) for match in _PIPE_RE.finditer(text)]


class RepeatLoader(LoaderBase):
    """Validates repeat blocks, choice properties and piped references."""

    def load_repeat(self, value: object, where: str, index: int) -> Repeat | None:
        """A page's repeat block; ``count`` may use earlier pages only."""
        data = self.mapping(value, where, "repeat")
        if data is None:
            return None
        self.keys(data, where, _REPEAT_KEYS)
        high = DEFAULT_REPEAT_MAX
        if "max" in data:
            given = self.integer(data["max"], where, "repeat max")
            if given is not None and not 1 <= given <= MAX_REPEAT_INSTANCES:
                self.error(where, f"repeat max must be between 1 and {MAX_REPEAT_INSTANCES}")
            elif given is not None:
                high = given
        low = 0
        if "min" in data:
            given = self.integer(data["min"], where, "repeat min")
            if given is not None and not 0 <= given <= high:
                self.error(where, f"repeat min must be between 0 and max ({high})")
            elif given is not None:
                low = given
        count = None
        raw = data.get("count")
        if isinstance(raw, int) and not isinstance(raw, bool):
            if not 0 <= raw <= high:
                self.error(where, f"repeat count {raw} must be between 0 and max ({high})")
            low = high = max(0, min(raw, high))
        elif raw is not None:
            if "min" in data:
                self.error(where, "give either count or min, not both")
            count = self.expression(raw, where, "repeat count", index, None, "strict")
        label = self.text(data.get("label"), where, "repeat label", required=False)
        if label is not None:
            self.pipe_texts(label, where, index)
        return Repeat(max=high, min=low, count=count, label=label)

    def choice_properties(self, spec: dict[str, Any], where: str) -> dict[str, str]:
        """Extra values of a choice (strings), read by choice_filter as ``${choice.key}``."""
        data = self.mapping(spec["properties"], where, "properties") or {}
        out: dict[str, str] = {}
        for key, value in data.items():
            if not isinstance(key, str) or not ID_RE.match(key):
                self.error(
                    where, f"choice property `{_yaml_repr(key)}` must match ^[a-z][a-z0-9_]*$"
                )
            elif isinstance(value, bool) or value is None or isinstance(value, list | dict):
                self.error(where, f"choice property '{key}' must be a string or a number")
            else:
                out[key] = str(value)
        return out

    def pipe_texts(self, text: LangText | None, where: str, page_index: int) -> None:
        """Remember every ``${field}`` piped into a text, checked once all items are known."""
        if text is None:
            return
        for value in text.values():
            for path in piped_paths(value):
                self.piped.append((where, path, page_index))

    def check_piping(self) -> None:
        """Piped fields must exist and come from this page or an earlier one."""
        for where, path, page_index in self.piped:
            if path == CHOICE_VARIABLE or path.startswith(f"{CHOICE_VARIABLE}."):
                self.error(where, f"${{{path}}} cannot be piped into a text")
                continue
            if path in self.repeat_ids:
                continue
            ref = self.refs.get(path)
            if ref is None:
                self.error(where, f"piped text: unknown field '{path}'")
            elif ref.item.page_index > page_index:
                self.error(
                    where,
                    f"piped text: '{path}' is on a later page ('{ref.item.page_id}')",
                )
