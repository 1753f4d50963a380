"""Definitions authored in the portal: uploaded drafts, published versions, diffs and exports.

HR uploads an XLSForm (``.xlsx .xls .csv .md``) or a YAML definition; it becomes a draft that
keeps the converted YAML and every import message (sheet, row, name, reason, severity).
Publishing a draft without error adds a new immutable ``DefinitionVersion`` (numbered 1, 2 …
per instansi and definition id); campaigns of the instansi can then use the latest version.
The bundled files in ``surveys/`` stay files: a draft whose id is one of theirs is refused.
"""

from __future__ import annotations

import difflib
import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.surveys.definition import (
    ERROR,
    Definition,
    definition_from_data,
    definition_from_text,
    load_yaml_text,
)
from app.surveys.models import DefinitionDraft, DefinitionVersion
from app.surveys.services.definitions import definition_infos
from app.surveys.services.tokens import sha256_hex
from app.surveys.xlsform import XLSFormError, convert_xlsform, dump_yaml
from app.surveys.xlsform_guard import MAX_UPLOAD_BYTES, SUFFIXES

YAML_SUFFIXES = (".yaml", ".yml")
UPLOAD_SUFFIXES = (*SUFFIXES, *YAML_SUFFIXES)


@dataclass(frozen=True)
class DraftIssue:
    """One import message as shown beside its row."""

    sheet: str
    row: int | None
    name: str
    reason: str
    severity: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def draft_issues(draft: DefinitionDraft) -> list[DraftIssue]:
    """The draft's messages, ordered by sheet row (messages without a row first)."""
    raw = json.loads(draft.issues_json or "[]")
    issues = [DraftIssue(**entry) for entry in raw]
    return sorted(issues, key=lambda i: (i.sheet != "settings", i.row or 0))


def _issues_from_yaml(text: str, name: str) -> tuple[dict[str, Any] | None, list[DraftIssue]]:
    data, problems = load_yaml_text(text, name)
    issues = [DraftIssue("yaml", None, p.item, p.reason, p.severity) for p in problems]
    if problems or not isinstance(data, dict):
        if not problems:
            issues.append(DraftIssue("yaml", None, "-", "not a definition (a mapping)", ERROR))
        return None, issues
    _definition, problems = definition_from_data(data, name)
    issues += [DraftIssue("yaml", None, p.item, p.reason, p.severity) for p in problems]
    return data, issues


def import_upload(
    instansi_id: int, filename: str, content: bytes, user_id: int | None
) -> DefinitionDraft:
    """A draft from an uploaded file; a file that cannot be read at all is refused (422)."""
    name = Path(filename or "").name[:200] or "form"
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ValidationFailed(
            [("file", str(_l("Upload an XLSForm (.xlsx, .xls, .csv, .md) or a YAML file.")))]
        )
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationFailed(
            [("file", str(_l("The file is over %(mb)d MB.", mb=MAX_UPLOAD_BYTES // 2**20)))]
        )
    if suffix in YAML_SUFFIXES:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationFailed(
                [("file", str(_l("The YAML file is not UTF-8 text.")))]
            ) from None
        data, issues = _issues_from_yaml(text, name)
        yaml_text = text if data is not None else ""
    else:
        with tempfile.TemporaryDirectory(prefix="xlsform-") as folder:
            path = Path(folder) / f"upload{suffix}"
            path.write_bytes(content)
            try:
                result = convert_xlsform(path)
            except XLSFormError as exc:
                reason = str(exc).replace(f"upload{suffix}", name)
                raise ValidationFailed([("file", reason)]) from None
        data, yaml_text = result.data, result.yaml_text
        issues = [DraftIssue(i.sheet, i.row, i.name, i.reason, i.severity) for i in result.issues]
    definition_id = str((data or {}).get("id") or Path(name).stem)[:80]
    if any(info.id == definition_id for info in definition_infos()):
        issues.append(
            DraftIssue(
                "settings",
                None,
                "form_id",
                f"'{definition_id}' is a bundled definition in surveys/ (bundled definitions "
                "stay files); give the form another id",
                ERROR,
            )
        )
    title = _title(data, definition_id)
    draft = DefinitionDraft(
        instansi_id=instansi_id,
        definition_id=definition_id,
        title=title,
        source_name=name,
        yaml_text=yaml_text,
        issues_json=json.dumps([i.__dict__ for i in issues], ensure_ascii=False),
        error_count=sum(1 for i in issues if i.severity == ERROR),
        created_by_id=user_id,
    )
    db.session.add(draft)
    db.session.commit()
    return draft


def _title(data: dict[str, Any] | None, fallback: str) -> str:
    if not data:
        return fallback
    title = data.get("title")
    if isinstance(title, dict):
        default = data.get("default_language")
        title = title.get(default) or next(iter(title.values()), fallback)
    return str(title or fallback)[:200]


def draft_definition(draft: DefinitionDraft) -> Definition:
    """The draft as a definition (for the preview); a draft with errors is refused."""
    if draft.error_count or not draft.yaml_text:
        raise ServiceError(_l("Correct the errors of this draft first."))
    return definition_from_text(draft.yaml_text, f"{draft.definition_id}.yaml")


def publish_draft(draft: DefinitionDraft, user_id: int | None) -> DefinitionVersion:
    """A new version numbered after the last one; the draft's YAML gets that version."""
    if draft.error_count or not draft.yaml_text:
        raise ValidationFailed([("draft", str(_l("Correct the errors of this draft first.")))])
    last = db.session.scalar(
        select(func.max(DefinitionVersion.version)).where(
            DefinitionVersion.instansi_id == draft.instansi_id,
            DefinitionVersion.definition_id == draft.definition_id,
        )
    )
    number = (last or 0) + 1
    data = plain_data(draft.yaml_text)
    data["version"] = number
    text = dump_yaml(data, f"# {draft.definition_id} version {number} (from {draft.source_name})\n")
    definition_from_text(text, f"{draft.definition_id}.yaml", expected_id=draft.definition_id)
    version = DefinitionVersion(
        instansi_id=draft.instansi_id,
        definition_id=draft.definition_id,
        version=number,
        title=draft.title,
        yaml_text=text,
        sha=sha256_hex(text),
        source_name=draft.source_name,
        published_by_id=user_id,
    )
    db.session.add(version)
    draft.published_version = number
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(
            _l("Another version was published at the same time; try again.")
        ) from None
    return version


def drafts(instansi_id: int) -> list[DefinitionDraft]:
    return list(
        db.session.scalars(
            select(DefinitionDraft)
            .where(DefinitionDraft.instansi_id == instansi_id)
            .order_by(DefinitionDraft.id.desc())
            .limit(50)
        )
    )


def versions(instansi_id: int, definition_id: str | None = None) -> list[DefinitionVersion]:
    """Published versions, newest first (one definition's, or every definition's)."""
    query = select(DefinitionVersion).where(DefinitionVersion.instansi_id == instansi_id)
    if definition_id is not None:
        query = query.where(DefinitionVersion.definition_id == definition_id)
    order = (DefinitionVersion.definition_id, DefinitionVersion.version.desc())
    return list(db.session.scalars(query.order_by(*order)))


def latest_versions(instansi_id: int) -> list[DefinitionVersion]:
    """The newest version of each definition of the instansi (what campaigns may use)."""
    seen: set[str] = set()
    out = []
    for version in versions(instansi_id):
        if version.definition_id not in seen:
            seen.add(version.definition_id)
            out.append(version)
    return out


def latest_source(instansi_id: int, definition_id: str) -> tuple[str, Definition] | None:
    """The YAML text and definition of the newest version, or None."""
    version = db.session.scalar(
        select(DefinitionVersion)
        .where(
            DefinitionVersion.instansi_id == instansi_id,
            DefinitionVersion.definition_id == definition_id,
        )
        .order_by(DefinitionVersion.version.desc())
        .limit(1)
    )
    if version is None:
        return None
    return version.yaml_text, definition_from_text(
        version.yaml_text, f"{definition_id}.yaml", expected_id=definition_id
    )


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "remove", "context", "hunk"
    text: str


def diff_versions(old: DefinitionVersion | None, new: DefinitionVersion) -> list[DiffLine]:
    """A unified diff of the two YAML texts (the first version: everything added)."""
    before = old.yaml_text.splitlines() if old else []
    lines = difflib.unified_diff(before, new.yaml_text.splitlines(), lineterm="", n=2)
    out: list[DiffLine] = []
    for line in list(lines)[2:]:
        if line.startswith("@@"):
            out.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            out.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            out.append(DiffLine("remove", line[1:]))
        else:
            out.append(DiffLine("context", line[1:]))
    return out


def _plain(value: object) -> object:
    """Plain dicts and lists (the YAML loader's mapping type cannot be dumped again)."""
    if isinstance(value, Mapping):
        return {str(k) if not isinstance(k, int) else k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def plain_data(text: str) -> dict[str, Any]:
    """A definition's YAML as plain data (checked text: it always loads)."""
    data, _problems = load_yaml_text(text)
    plain = _plain(data)
    if not isinstance(plain, dict):
        raise ServiceError(_l("This definition cannot be read."))
    return plain


def version_data(version: DefinitionVersion) -> dict[str, Any]:
    return plain_data(version.yaml_text)
