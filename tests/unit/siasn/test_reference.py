"""SIASN reference exports: the unit tree, positions and jenis diklat codes, idempotent."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.errors import ValidationFailed
from app.extensions import db
from app.org.models import Jenjang, OrgUnit, Position, PositionType, UnitKind
from app.siasn import reference, services
from app.siasn.models import ReferenceKind
from tests.conftest import QueryCounter
from tests.factories import make_instansi

UNOR = """ID;NAMA_UNOR;DIATASAN_ID
U3;Bidang Pelayanan Kesehatan;U1
U1;Dinas Kesehatan;
U2;Badan Kepegawaian dan Pengembangan SDM;
U4;Seksi Rujukan;U3
U5;Unit Hantu;U9
U6;Anak Hantu;U5
U3;Bidang Ganda;U1
"""
JABATAN = """ID;NAMA_JABATAN;UNOR_ID;JENIS_JABATAN;ESELON
J1;Kepala Dinas Kesehatan;U1;1;II.b
J2;Kepala Bidang Pelayanan Kesehatan;U3;1;III.b
J3;Dokter Ahli Muda;U3;2;
J4;Pengelola Data;U4;4;
J5;Wakil Kepala Dinas;U1;1;II.b
J6;Analis Tanpa Jenjang;U3;2;
J7;Pengadministrasi;U8;4;
"""


@pytest.fixture
def instansi(ctx):  # type: ignore[no-untyped-def]
    with force_locale("en"):
        yield make_instansi("kab-baru", "Kabupaten Baru")


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_unor_builds_the_tree_parents_first_and_lists_bad_rows(instansi):
    preview = reference.build_preview(instansi.id, ReferenceKind.UNOR, "unor.csv", UNOR.encode())
    reasons = {p.line: p.reason for p in preview.problems}
    assert "Unknown parent unit 'U9'" in reasons[6]
    assert "parent unit 'U5' was refused" in reasons[7]
    assert "Same id as line 2" in reasons[8]
    assert preview.creates == 4
    assert reference.apply_import(instansi.id, preview) == 4
    units = {u.name: u for u in db.session.scalars(select(OrgUnit))}
    dinas, bidang, seksi = (
        units["Dinas Kesehatan"],
        units["Bidang Pelayanan Kesehatan"],
        units["Seksi Rujukan"],
    )
    assert dinas.parent_id is None and dinas.kind == UnitKind.DINAS and dinas.depth == 0
    assert bidang.parent_id == dinas.id and bidang.path == f"/{dinas.id}/{bidang.id}/"
    assert seksi.path == f"/{dinas.id}/{bidang.id}/{seksi.id}/" and seksi.depth == 2
    assert units["Badan Kepegawaian dan Pengembangan SDM"].kind == UnitKind.BADAN
    # The same export again renames what changed and adds nothing.
    again = reference.build_preview(
        instansi.id,
        ReferenceKind.UNOR,
        "unor.csv",
        UNOR.replace("Seksi Rujukan", "Seksi Rujukan Baru").encode(),
    )
    assert again.creates == 0 and again.updates == 4
    reference.apply_import(instansi.id, again)
    assert _count(OrgUnit) == 4
    assert db.session.get(OrgUnit, seksi.id).name == "Seksi Rujukan Baru"


def test_jabatan_after_unor(instansi):
    reference.apply_import(
        instansi.id,
        reference.build_preview(instansi.id, ReferenceKind.UNOR, "u.csv", UNOR.encode()),
    )
    preview = reference.build_preview(
        instansi.id, ReferenceKind.JABATAN, "jabatan.csv", JABATAN.encode()
    )
    reasons = {p.line: p.reason for p in preview.problems}
    assert "already has a head position" in reasons[6]
    assert "jenjang" in reasons[7]
    assert "import the unor first" in reasons[8]
    reference.apply_import(instansi.id, preview)
    positions = {p.name: p for p in db.session.scalars(select(Position))}
    head = positions["Kepala Dinas Kesehatan"]
    assert (head.position_type, head.jenjang) == (PositionType.JPT, Jenjang.PRATAMA)
    assert head.heads_unit_id == head.org_unit_id
    assert (
        positions["Kepala Bidang Pelayanan Kesehatan"].position_type == PositionType.ADMINISTRATOR
    )
    assert positions["Dokter Ahli Muda"].jenjang == Jenjang.AHLI_MUDA
    assert positions["Pengelola Data"].heads_unit_id is None


def test_jenis_diklat_codes_guard_the_mapping(instansi):
    content = b"ID;NAMA\n1;Struktural\n2;Fungsional\n3;Teknis\n"
    reference.apply_import(
        instansi.id,
        reference.build_preview(instansi.id, ReferenceKind.JENIS_DIKLAT, "jd.csv", content),
    )
    codes = reference.known_codes(instansi.id, ReferenceKind.JENIS_DIKLAT)
    assert codes == {"1", "2", "3"}
    with pytest.raises(ValidationFailed, match="Unknown SIASN jenis diklat code '9'"):
        services.save_mapping(instansi.id, "classical", "9", "K", "", None, codes)
    assert (
        services.save_mapping(instansi.id, "classical", "3", "K", "", None, codes).jenis_diklat_id
        == "3"
    )


def test_unor_import_uses_a_constant_number_of_statements(app, instansi):
    def measure(n: int, prefix: str) -> int:
        rows = ["ID;NAMA_UNOR;DIATASAN_ID", f"{prefix}0;Dinas {prefix};"]
        rows += [f"{prefix}{i};Bidang {prefix} {i};{prefix}0" for i in range(1, n)]
        preview = reference.build_preview(
            instansi.id, ReferenceKind.UNOR, "u.csv", "\n".join(rows).encode()
        )
        with QueryCounter(app) as counter:
            reference.apply_import(instansi.id, preview)
        return counter.count

    assert measure(3, "A") == measure(40, "B")
