"""Survey definitions: the files in surveys/ (cached by mtime) and published snapshots."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.errors import ServiceError, ValidationFailed
from app.surveys.definition import (
    ERROR,
    Definition,
    Problem,
    check_directory,
    definition_from_text,
    load_definition,
)
from app.surveys.models import (
    Campaign,
)
from app.surveys.services.tokens import sha256_hex


@dataclass(frozen=True)
class DefinitionInfo:
    """A file in surveys/: its definition when valid, else the problems that refuse it."""

    id: str
    definition: Definition | None
    errors: tuple[str, ...]
    warnings: tuple[str, ...]

    def title(self, lang: str) -> str:
        """The definition's title in `lang`, or its id when it cannot be loaded."""
        return self.definition.text(self.definition.title, lang) if self.definition else self.id


_DIRECTORY_CACHE: dict[str, tuple[tuple[object, ...], list[DefinitionInfo]]] = {}
_PARSED: OrderedDict[str, Definition] = OrderedDict()
PARSED_CACHE_SIZE = 32


def surveys_dir() -> Path:
    return Path(current_app.config["SURVEYS_DIR"])


def _directory_signature(directory: Path) -> tuple[object, ...]:
    if not directory.is_dir():
        return ()
    return tuple(
        (path.name, path.stat().st_mtime_ns, path.stat().st_size)
        for path in sorted(directory.glob("*.yaml"))
    )


def definition_infos() -> list[DefinitionInfo]:
    """Every definition file with the findings of `flask surveys check` (cached by mtime)."""
    directory = surveys_dir()
    signature = _directory_signature(directory)
    cached = _DIRECTORY_CACHE.get(str(directory))
    if cached and cached[0] == signature:
        return cached[1]
    problems = check_directory(directory)
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    infos = []
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        found = by_file.get(path.name, [])
        errors = tuple(str(p) for p in found if p.severity == ERROR)
        warnings = tuple(str(p) for p in found if p.severity != ERROR)
        definition = None if errors else load_definition(path)
        infos.append(DefinitionInfo(path.stem, definition, errors, warnings))
    _DIRECTORY_CACHE[str(directory)] = (signature, infos)
    return infos


def read_definition_source(
    definition_id: str, instansi_id: int | None = None
) -> tuple[str, Definition]:
    """The YAML text and definition to publish; refused with the messages of the checker.

    A bundled file wins; otherwise the newest version the instansi published in the portal.
    """
    info = next((i for i in definition_infos() if i.id == definition_id), None)
    if info is None and instansi_id is not None:
        from app.surveys.services.authoring import latest_source

        found = latest_source(instansi_id, definition_id)
        if found is not None:
            return found
    if info is None:
        raise ServiceError(_l("There is no survey definition with this id."), "definition_id")
    if info.errors or info.definition is None:
        raise ValidationFailed([("definition_id", message) for message in info.errors])
    text = (surveys_dir() / f"{definition_id}.yaml").read_text(encoding="utf-8")
    _PARSED.setdefault(sha256_hex(text), info.definition)  # a snapshot of it needs no parse
    return text, info.definition


def parse_snapshot(text: str, definition_id: str, sha: str) -> Definition:
    """A published snapshot, parsed once per process (LRU by its SHA-256)."""
    definition = _PARSED.get(sha)
    if definition is None:
        definition = definition_from_text(text, f"{definition_id}.yaml", expected_id=definition_id)
        _PARSED[sha] = definition
        while len(_PARSED) > PARSED_CACHE_SIZE:
            _PARSED.popitem(last=False)
    else:
        _PARSED.move_to_end(sha)
    return definition


def campaign_definition(campaign: Campaign) -> Definition:
    """The definition a campaign was published with (its snapshot, never the current file).

    A campaign made outside the publish flow (another feature opening its own campaign) has
    no snapshot; it uses the current file, and a missing or broken file is refused.
    """
    if campaign.definition_sha:
        cached = _PARSED.get(campaign.definition_sha)
        if cached is not None:
            return cached
        return parse_snapshot(
            campaign.definition_text, campaign.definition_id, campaign.definition_sha
        )
    info = next((i for i in definition_infos() if i.id == campaign.definition_id), None)
    if info is None or info.definition is None:
        raise ServiceError(_l("The survey definition of this campaign is not available."))
    return info.definition
