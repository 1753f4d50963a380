"""Public entry points: load and check definition text, files and directories."""

from __future__ import annotations

from pathlib import Path

import yaml

from app.surveys.definition.loader import _Loader
from app.surveys.definition.model import ERROR, Definition, DefinitionError, Problem
from app.surveys.definition.yaml_source import _UniqueKeyLoader


def definition_from_data(
    data: object,
    file: str = "<data>",
    known_competencies: set[str] | None = None,
    expected_id: str | None = None,
) -> tuple[Definition | None, list[Problem]]:
    """Validate already-parsed YAML data; returns (definition or None on errors, problems)."""
    loader = _Loader(file, known_competencies)
    definition = loader.load(data, expected_id)
    return definition, loader.problems


def load_yaml_text(text: str, file: str = "<string>") -> tuple[object, list[Problem]]:
    """Parse YAML safely (duplicate keys rejected); returns (data, problems)."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader), []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "-"
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(file, where, f"invalid YAML: {problem}")]


def definition_from_text(
    text: str,
    file: str = "<string>",
    known_competencies: set[str] | None = None,
    expected_id: str | None = None,
) -> Definition:
    """Load a definition from YAML text; raises DefinitionError listing every problem."""
    data, problems = load_yaml_text(text, file)
    if problems:
        raise DefinitionError(problems)
    definition, problems = definition_from_data(data, file, known_competencies, expected_id)
    if definition is None:
        raise DefinitionError(problems)
    return definition


def load_definition(path: str | Path, known_competencies: set[str] | None = None) -> Definition:
    """Load ``<id>.yaml``; raises DefinitionError (with all problems) if anything is an error."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError([Problem(path.name, "-", f"cannot read file: {exc}")]) from None
    return definition_from_text(text, path.name, known_competencies, expected_id=path.stem)


def check_file(path: str | Path, known_competencies: set[str] | None = None) -> list[Problem]:
    """All problems (errors and warnings) of one file."""
    try:
        definition = load_definition(path, known_competencies)
    except DefinitionError as exc:
        return list(exc.problems)
    return list(definition.warnings)


def load_directory(
    directory: str | Path, known_competencies: set[str] | None = None
) -> dict[str, Definition]:
    """Load every ``*.yaml`` in a directory; raises DefinitionError if any file has errors."""
    problems = check_directory(directory, known_competencies)
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        raise DefinitionError(problems)
    return {
        path.stem: load_definition(path, known_competencies)
        for path in sorted(Path(directory).glob("*.yaml"))
    }


def check_directory(
    directory: str | Path, known_competencies: set[str] | None = None
) -> list[Problem]:
    """Problems of every ``*.yaml`` in a directory, plus cross-file checks (external raters)."""
    directory = Path(directory)
    if not directory.is_dir():
        return [Problem(str(directory), "-", "surveys directory does not exist")]
    problems: list[Problem] = []
    loaded: dict[str, Definition] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            definition = load_definition(path, known_competencies)
        except DefinitionError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(definition.warnings)
        loaded[definition.id] = definition
    for definition in loaded.values():
        if definition.scoring is None:
            continue
        for role, survey_id in definition.scoring.external_raters.items():
            other = loaded.get(survey_id)
            where = "scoring.external_raters"
            if other is None:
                problems.append(
                    Problem(
                        f"{definition.id}.yaml",
                        where,
                        f"role '{role}' comes from survey '{survey_id}', which is not in the "
                        "directory",
                    )
                )
            elif role not in other.raters:
                problems.append(
                    Problem(
                        f"{definition.id}.yaml",
                        where,
                        f"role '{role}' comes from survey '{survey_id}', whose raters do not "
                        "include it",
                    )
                )
    return problems
