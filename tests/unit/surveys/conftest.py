"""Fixtures for the survey engine tests: small definitions built from dicts, no Flask app."""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[3]
if str(REPO_ROOT) not in sys.path:  # running this folder alone without the project conftest
    sys.path.insert(0, str(REPO_ROOT))

from app.surveys.definition import Definition, definition_from_text  # noqa: E402

BASE: dict[str, Any] = {
    "id": "uji",
    "version": 1,
    "title": {"id": "Survei uji", "en": "Test survey"},
    "languages": ["id", "en"],
    "default_language": "id",
    "kind": "generic",
    "scales": {
        "lv5": {"min": 1, "max": 5, "labels": {"1": {"id": "Rendah", "en": "Low"}}},
    },
    "choice_lists": {
        "yt": [
            {"code": "ya", "label": {"id": "Ya", "en": "Yes"}},
            {"code": "tidak", "label": {"id": "Tidak", "en": "No"}},
        ],
    },
    "pages": [
        {
            "id": "p1",
            "title": {"id": "Satu", "en": "One"},
            "items": [
                {
                    "id": "q1",
                    "type": "single",
                    "choice_list": "yt",
                    "label": {"id": "Setuju?", "en": "Agree?"},
                },
                {"id": "umur", "type": "integer", "label": {"id": "Umur", "en": "Age"}},
            ],
        },
        {
            "id": "p2",
            "title": {"id": "Dua", "en": "Two"},
            "items": [
                {
                    "id": "grid",
                    "type": "matrix",
                    "label": {"id": "Kisi", "en": "Grid"},
                    "rows": [
                        {"id": "k01", "label": {"id": "K1", "en": "K1"}, "competency": "M.01"},
                        {"id": "k02", "label": {"id": "K2", "en": "K2"}, "competency": "M.02"},
                    ],
                    "columns": [
                        {
                            "id": "imp",
                            "label": {"id": "Penting", "en": "Importance"},
                            "scale": "lv5",
                        },
                        {
                            "id": "perf",
                            "label": {"id": "Kinerja", "en": "Performance"},
                            "scale": "lv5",
                        },
                    ],
                },
                {"id": "catatan", "type": "textarea", "label": {"id": "Catatan", "en": "Notes"}},
            ],
        },
    ],
}


def survey_data(**overrides: Any) -> dict[str, Any]:
    """A deep copy of BASE with top-level keys replaced."""
    data = copy.deepcopy(BASE)
    data.update(overrides)
    return data


def to_yaml(data: dict[str, Any]) -> str:
    """YAML text of a definition dict."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def load(data: dict[str, Any], **kwargs: Any) -> Definition:
    """Load a definition from a dict (raises DefinitionError)."""
    return definition_from_text(to_yaml(data), file=f"{data.get('id', 'x')}.yaml", **kwargs)


def one_page(*items: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """BASE with a single page holding the given items."""
    page = {"id": "p1", "title": {"id": "Satu", "en": "One"}, "items": list(items)}
    return survey_data(pages=[page], **overrides)


@pytest.fixture
def sv() -> SimpleNamespace:
    """Helpers to build definitions: data(), one_page(), load(), to_yaml()."""
    return SimpleNamespace(data=survey_data, one_page=one_page, load=load, to_yaml=to_yaml)


@pytest.fixture
def write_survey(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write YAML text as <name>.yaml in a temporary surveys directory."""

    def write(name: str, text: str) -> Path:
        """Write the file and return its path."""
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write
