"""SIASN-style reference exports (unor, jabatan, jenis diklat) as a new Pemda's starting point.

`unor` rows (ID, NAMA_UNOR, DIATASAN_ID) become the unit tree, `jabatan` rows (ID, NAMA_JABATAN,
UNOR_ID, JENIS_JABATAN, ESELON) the positions of those units, and `jenis_diklat` rows (ID,
NAMA) the codes the form mapping may use. Each entry is remembered by its SIASN id, so importing
the same export again renames what changed and adds only what is new. Every bad row is listed
with its reason; a confirmed import is one transaction with a fixed number of statements.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update

from app.errors import ServiceError
from app.extensions import db
from app.org.models import Jenjang, OrgUnit, Position, PositionType, UnitKind
from app.org.services import NewPosition, NewUnit, add_positions, add_units, headed_unit_ids
from app.org.transfer import RowProblem, read_rows
from app.siasn.models import ReferenceKind, SiasnReference

ALIASES = {
    "ID": "ID",
    "KODE": "ID",
    "NAMA": "NAMA",
    "NAMA_UNOR": "NAMA",
    "UNOR_NAMA": "NAMA",
    "NAMA_JABATAN": "NAMA",
    "JABATAN_NAMA": "NAMA",
    "DIATASAN_ID": "PARENT",
    "ATASAN_ID": "PARENT",
    "PARENT_ID": "PARENT",
    "UNOR_ID": "UNOR",
    "JENIS_JABATAN": "JENIS",
    "JENIS_JABATAN_ID": "JENIS",
    "ESELON": "ESELON",
    "ESELON_ID": "ESELON",
}
REQUIRED = {
    ReferenceKind.UNOR: ("ID", "NAMA"),
    ReferenceKind.JABATAN: ("ID", "NAMA", "UNOR", "JENIS"),
    ReferenceKind.JENIS_DIKLAT: ("ID", "NAMA"),
}
JENJANG_WORDS = (
    ("ahli utama", Jenjang.AHLI_UTAMA),
    ("ahli madya", Jenjang.AHLI_MADYA),
    ("ahli muda", Jenjang.AHLI_MUDA),
    ("ahli pertama", Jenjang.AHLI_PERTAMA),
    ("penyelia", Jenjang.PENYELIA),
    ("mahir", Jenjang.MAHIR),
    ("terampil", Jenjang.TERAMPIL),
    ("pemula", Jenjang.PEMULA),
)


@dataclass
class ReferencePreview:
    kind: ReferenceKind
    total: int = 0
    creates: int = 0
    updates: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)


def _known(instansi_id: int, kind: ReferenceKind) -> dict[str, SiasnReference]:
    rows = db.session.scalars(
        select(SiasnReference).where(
            SiasnReference.instansi_id == instansi_id, SiasnReference.kind == kind
        )
    )
    return {row.siasn_id: row for row in rows}


def known_codes(instansi_id: int, kind: ReferenceKind) -> set[str]:
    return set(_known(instansi_id, kind))


def _unit_kind(name: str, top: bool) -> UnitKind:
    lowered = name.lower()
    for word, kind in (
        ("sekretariat", UnitKind.SEKRETARIAT),
        ("inspektorat", UnitKind.INSPEKTORAT),
        ("badan", UnitKind.BADAN),
        ("kecamatan", UnitKind.KECAMATAN),
        ("kelurahan", UnitKind.KELURAHAN),
        ("uptd", UnitKind.UPTD),
        ("bagian", UnitKind.BAGIAN),
        ("subbagian", UnitKind.SUBBAGIAN),
        ("sub bagian", UnitKind.SUBBAGIAN),
        ("seksi", UnitKind.SEKSI),
        ("bidang", UnitKind.BIDANG),
        ("dinas", UnitKind.DINAS),
    ):
        if lowered.startswith(word):
            return kind
    return UnitKind.DINAS if top else UnitKind.BIDANG


def position_kind(jenis: str, eselon: str, name: str) -> tuple[PositionType, Jenjang | None]:
    """SIASN's jenis jabatan (1 struktural, 2 fungsional, 4 pelaksana) and eselon, as ours."""
    jenis = jenis.strip().lower()
    if jenis in ("1", "struktural"):
        level = eselon.upper().replace("ESELON", "").replace(".", "").replace(" ", "")
        for prefix, result in (
            (("IV", "4"), (PositionType.PENGAWAS, None)),
            (("III", "3"), (PositionType.ADMINISTRATOR, None)),
            (("II", "2"), (PositionType.JPT, Jenjang.PRATAMA)),
            (("I", "1"), (PositionType.JPT, Jenjang.MADYA)),
        ):
            if level.startswith(prefix):
                return result
        raise ValueError(str(_l("Unknown eselon '%(e)s'.", e=eselon)))
    if jenis in ("2", "fungsional", "fungsional tertentu"):
        lowered = name.lower()
        for word, jenjang in JENJANG_WORDS:
            if word in lowered:
                return PositionType.FUNGSIONAL, jenjang
        raise ValueError(str(_l("The jenjang of this fungsional position is not in its name.")))
    if jenis in ("4", "pelaksana", "fungsional umum"):
        return PositionType.PELAKSANA, None
    raise ValueError(str(_l("Unknown jenis jabatan '%(j)s'.", j=jenis)))


def build_preview(
    instansi_id: int, kind: ReferenceKind, filename: str, content: bytes
) -> ReferencePreview:
    preview = ReferencePreview(kind)
    known = _known(instansi_id, kind)
    units = _known(instansi_id, ReferenceKind.UNOR) if kind == ReferenceKind.JABATAN else {}
    in_file: dict[str, int] = {}
    parsed = list(read_rows(filename, content, ALIASES, REQUIRED[kind]))
    file_ids = {row.get("ID", "").strip() for _, row in parsed}
    heads = headed_unit_ids(instansi_id) if kind == ReferenceKind.JABATAN else set()
    for line, row in parsed:
        preview.total += 1
        code, name = row.get("ID", "").strip(), " ".join(row.get("NAMA", "").split())
        reasons: list[str] = []
        if not code or len(code) > 64:
            reasons.append(str(_l("The SIASN id is empty or longer than 64 characters.")))
        if not name or len(name) > 200:
            reasons.append(str(_l("The name is empty or longer than 200 characters.")))
        if code in in_file:
            reasons.append(str(_l("Same id as line %(line)d.", line=in_file[code])))
        in_file.setdefault(code, line)
        values: dict[str, object] = {"line": line, "siasn_id": code, "name": name}
        if kind == ReferenceKind.UNOR:
            parent = row.get("PARENT", "").strip()
            if parent and parent == code:
                reasons.append(str(_l("A unit cannot be its own parent.")))
            elif parent and parent not in file_ids and parent not in known:
                reasons.append(str(_l("Unknown parent unit '%(id)s'.", id=parent)))
            values["parent"] = parent
        elif kind == ReferenceKind.JABATAN:
            unit = units.get(row.get("UNOR", "").strip())
            if unit is None or unit.local_id is None:
                reasons.append(
                    str(_l("Unknown unit '%(id)s': import the unor first.", id=row.get("UNOR")))
                )
            try:
                position_type, jenjang = position_kind(
                    row.get("JENIS", ""), row.get("ESELON", ""), name
                )
            except ValueError as error:
                reasons.append(str(error))
            else:
                heads_unit = position_type in (
                    PositionType.JPT,
                    PositionType.ADMINISTRATOR,
                    PositionType.PENGAWAS,
                )
                if heads_unit and unit is not None and code not in known:
                    if unit.local_id in heads:
                        reasons.append(str(_l("This unit already has a head position.")))
                    heads.add(unit.local_id)  # type: ignore[arg-type]
                values.update(
                    org_unit_id=unit.local_id if unit else None,
                    position_type=position_type,
                    jenjang=jenjang,
                    heads_unit=heads_unit,
                )
        if reasons:
            preview.problems.append(RowProblem(line, code, " ".join(reasons)))
            continue
        if code in known:
            preview.updates += 1
            values["reference_id"] = known[code].id
            values["local_id"] = known[code].local_id
        else:
            preview.creates += 1
        preview.rows.append(values)
    if kind == ReferenceKind.UNOR:
        _drop_orphans(preview, known)
    return preview


def _drop_orphans(preview: ReferencePreview, known: dict[str, SiasnReference]) -> None:
    """A unit whose parent row was refused cannot be placed: refuse it too (and its children)."""
    valid = {row["siasn_id"] for row in preview.rows}
    changed = True
    while changed:
        changed = False
        for row in list(preview.rows):
            parent = row["parent"]
            if parent and parent not in valid and parent not in known:
                preview.rows.remove(row)
                valid.discard(row["siasn_id"])
                preview.creates -= "reference_id" not in row
                preview.updates -= "reference_id" in row
                preview.problems.append(
                    RowProblem(
                        int(row["line"]),  # type: ignore[call-overload]
                        str(row["siasn_id"]),
                        str(_l("Its parent unit '%(id)s' was refused.", id=parent)),
                    )
                )
                changed = True


def _ordered_units(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Parents before children (the file may list them in any order); cycles stay out."""
    by_id = {row["siasn_id"]: row for row in rows}
    ordered: list[dict[str, object]] = []
    placed: set[object] = set()
    pending = list(rows)
    while pending:
        progress = False
        for row in list(pending):
            parent = row["parent"]
            if not parent or parent not in by_id or parent in placed:
                ordered.append(row)
                placed.add(row["siasn_id"])
                pending.remove(row)
                progress = True
        if not progress:
            raise ServiceError(_l("The units refer to each other in a circle."), field="file")
    return ordered


def apply_import(instansi_id: int, preview: ReferencePreview) -> int:
    """Write the valid rows in one transaction; returns how many were created or renamed."""
    if not preview.rows:
        raise ServiceError(_l("There is no valid row to import."), field="file")
    known = _known(instansi_id, ReferenceKind.UNOR)
    try:
        new = [row for row in preview.rows if "reference_id" not in row]
        old = [row for row in preview.rows if "reference_id" in row]
        local_ids: list[int] = []
        renamed: type[OrgUnit] | type[Position] = OrgUnit
        if preview.kind == ReferenceKind.UNOR:
            new = _ordered_units(new)
            index = {row["siasn_id"]: n for n, row in enumerate(new)}
            local_ids = add_units(
                instansi_id,
                [
                    NewUnit(
                        str(row["name"]),
                        _unit_kind(str(row["name"]), not row["parent"]),
                        parent=index.get(row["parent"]) if row["parent"] in index else None,
                        parent_id=(
                            known[str(row["parent"])].local_id
                            if row["parent"] and row["parent"] not in index
                            else None
                        ),
                    )
                    for row in new
                ],
            )
        elif preview.kind == ReferenceKind.JABATAN:
            local_ids = add_positions(
                instansi_id,
                [
                    NewPosition(
                        int(row["org_unit_id"]),  # type: ignore[call-overload]
                        str(row["name"]),
                        row["position_type"],  # type: ignore[arg-type]
                        row["jenjang"],  # type: ignore[arg-type]
                        bool(row["heads_unit"]),
                    )
                    for row in new
                ],
            )
            renamed = Position
        if new:
            db.session.execute(
                insert(SiasnReference),
                [
                    {
                        "instansi_id": instansi_id,
                        "kind": preview.kind,
                        "siasn_id": row["siasn_id"],
                        "name": row["name"],
                        "local_id": local_ids[n] if local_ids else None,
                    }
                    for n, row in enumerate(new)
                ],
            )
        if old:
            db.session.execute(
                update(SiasnReference),
                [{"id": row["reference_id"], "name": row["name"]} for row in old],
            )
            if preview.kind != ReferenceKind.JENIS_DIKLAT:
                db.session.execute(
                    update(renamed),
                    [
                        {"id": row["local_id"], "name": row["name"]}
                        for row in old
                        if row["local_id"] is not None
                    ],
                )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(preview.rows)
