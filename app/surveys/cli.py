"""``flask surveys …`` commands: lint the bundled definitions and import XLSForms.

The Flask commands are thin wrappers; ``run_check`` and ``run_import`` take a directory/paths
so they can be tested without an application.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.surveys.competencies import known_competency_codes
from app.surveys.definition import ERROR, check_directory

cli = AppGroup("surveys", help="Survey definition tools.")

Echo = Callable[[str], None]


def run_check(
    directory: str | Path,
    known_competencies: set[str] | None = None,
    echo: Echo = click.echo,
) -> int:
    """Print ``file: item: reason`` for every problem; exit code 1 if any is an error."""
    directory = Path(directory)
    problems = check_directory(directory, known_competencies)
    for problem in problems:
        echo(str(problem))
    errors = sum(1 for p in problems if p.severity == ERROR)
    warnings = len(problems) - errors
    files = len(list(directory.glob("*.yaml"))) if directory.is_dir() else 0
    echo(f"{files} file(s) checked: {errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


def run_import(
    source: str | Path,
    out: str | Path | None,
    force: bool = False,
    echo: Echo = click.echo,
    echo_err: Echo = lambda text: click.echo(text, err=True),
) -> int:
    """Convert an XLSForm; YAML to ``out`` (or stdout), issues to stderr; 1 if any error."""
    from app.surveys.xlsform import XLSFormError, convert_xlsform

    try:
        result = convert_xlsform(source)
    except XLSFormError as exc:
        echo_err(f"error: {exc}")
        return 2
    if out is None:
        echo(result.yaml_text.rstrip("\n"))
    else:
        target = Path(out)
        if target.exists() and not force:
            echo_err(f"error: {target} exists (use --force to overwrite)")
            return 2
        target.write_text(result.yaml_text, encoding="utf-8")
        echo_err(f"wrote {target}")
    for issue in result.issues:
        echo_err(str(issue))
    errors = len(result.errors)
    echo_err(f"{len(result.issues)} issue(s), {errors} error(s)")
    return 1 if errors else 0


@cli.command("check")
@click.option(
    "--strict-competencies",
    is_flag=True,
    help="Also reject competency codes that neither the core dictionary (M.01–M.08, SK.01) "
    "nor any instansi's dictionary in the database knows.",
)
def check_command(strict_competencies: bool) -> None:
    """Validate every surveys/*.yaml (errors and missing-translation warnings)."""
    known = known_competency_codes() if strict_competencies else None
    raise SystemExit(run_check(current_app.config["SURVEYS_DIR"], known))


@cli.command("import-xlsform")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the YAML here (default: standard output).",
)
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
def import_xlsform_command(file: Path, out: Path | None, force: bool) -> None:
    """Convert an XLSForm to a YAML definition, reporting everything not converted."""
    raise SystemExit(run_import(file, out, force))
