"""e-Kinerja import: every bad row with its line and reason, nothing half-imported."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from app.clock import local_today
from app.errors import ServiceError
from app.extensions import db
from app.talent import skp_import
from app.talent.matrix import predikat
from app.talent.models import Predikat, Rating, SkpPeriod, SkpRating, SkpSource
from tests.factories import build_users, build_world

YEAR = local_today().year - 1
HEADER = ["NIP", "TAHUN", "PERIODE", "HASIL_KERJA", "PERILAKU", "PREDIKAT"]


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode()


@pytest.fixture
def w(ctx):
    world = build_world()
    world.users = build_users(world)
    return world


def test_bad_rows_each_with_line_and_reason(w):
    content = csv_bytes(
        [
            [w.staff.nip, str(YEAR), "tahunan", "Di atas ekspektasi", "Sesuai ekspektasi", "Baik"],
            ["199001012015011999", str(YEAR), "", "sesuai", "sesuai", ""],
            [w.staff2.nip, str(YEAR + 1), "TW1", "sesuai", "sesuai", ""],
            [w.kabid.nip, str(YEAR), "", "luar biasa", "sesuai", ""],
            [w.head.nip, str(YEAR), "", "di bawah", "di atas", "Baik"],
            [w.staff.nip, str(YEAR), "Tahunan", "sesuai", "sesuai", ""],
            [w.b_staff.nip, str(YEAR), "", "sesuai", "sesuai", ""],
            [w.staff2.nip, str(YEAR), "semester", "sesuai", "sesuai", ""],
        ]
    )
    preview = skp_import.build_preview(w.a.id, YEAR, "ekinerja.csv", content, "skp-x")
    reasons = {p.line: p.reason for p in preview.problems}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9]
    # the reasons are in Indonesian, the default language
    assert "tidak dikenal" in reasons[3] and "tidak dikenal" in reasons[8]  # other instansi
    assert "di luar tahun" in reasons[4]
    assert "luar biasa" in reasons[5]
    assert "bertentangan dengan matriks" in reasons[6] and "Butuh Perbaikan" in reasons[6]
    assert "baris 2" in reasons[7]
    assert "semester" in reasons[9]
    assert len(preview.valid) == 1
    with pytest.raises(ServiceError):
        skp_import.apply(preview, w.users["hr_admin"].id)
    assert db.session.scalar(select(func.count()).select_from(SkpRating)) == 0


def test_clean_file_replaces_periods_in_one_go(w):
    db.session.add(
        SkpRating(
            instansi_id=w.a.id, employee_id=w.staff.id, year=YEAR, period=SkpPeriod.ANNUAL,
            hasil_kerja=Rating.BELOW, perilaku=Rating.BELOW, predikat=Predikat.SANGAT_KURANG,
            source=SkpSource.MANUAL,
        )
    )  # fmt: skip
    db.session.commit()
    content = csv_bytes(
        [
            [w.staff.nip, str(YEAR), "", "di atas", "di atas", "Sangat Baik"],
            [w.staff.nip, str(YEAR), "TW1", "sesuai", "di bawah", "Kurang/Misconduct"],
            [w.staff2.nip, str(YEAR), "tahunan", "dibawah", "dibawah", ""],
        ]
    )
    preview = skp_import.stage(w.a.id, YEAR, w.users["hr_admin"].id, "e.csv", content)
    assert not preview.problems and preview.replaces == 1
    assert skp_import.apply(skp_import.load_staged(preview.token, w.users["hr_admin"].id), 1) == 3
    rows = {(r.employee_id, r.period): r for r in db.session.scalars(select(SkpRating))}
    assert len(rows) == 3
    assert rows[(w.staff.id, SkpPeriod.ANNUAL)].predikat == Predikat.SANGAT_BAIK
    assert rows[(w.staff.id, SkpPeriod.ANNUAL)].source == SkpSource.E_KINERJA
    assert rows[(w.staff2.id, SkpPeriod.ANNUAL)].predikat == Predikat.SANGAT_KURANG
    with pytest.raises(ServiceError):  # the staged file is gone once imported
        skp_import.load_staged(preview.token, 1)


def test_xlsx_and_missing_columns(w):
    book = Workbook()
    sheet = book.active
    sheet.append(["NIP", "Tahun", "Hasil Kerja", "Perilaku Kerja"])
    sheet.append([w.staff.nip, YEAR, "Sesuai Ekspektasi", "Di Atas Ekspektasi"])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = skp_import.build_preview(w.a.id, YEAR, "e.xlsx", buffer.getvalue(), "skp-y")
    assert not preview.problems and preview.valid[0]["predikat"] == "baik"
    with pytest.raises(ServiceError) as refused:
        skp_import.build_preview(w.a.id, YEAR, "e.csv", b"NIP,TAHUN\n1,2\n", "skp-z")
    assert "HASIL_KERJA" in str(refused.value.message)


SPELLINGS = {
    Rating.ABOVE: ["Di atas ekspektasi", "DI ATAS", "diatas", "Di_Atas"],
    Rating.MEETS: ["Sesuai Ekspektasi", "sesuai", "SESUAI"],
    Rating.BELOW: ["Di bawah ekspektasi", "dibawah", "DI BAWAH EKSPEKTASI"],
}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(list(Rating)), st.sampled_from(list(Rating)), st.data())
def test_every_combination_and_spelling_gives_the_matrix_predikat(hasil, perilaku, data):
    h = data.draw(st.sampled_from(SPELLINGS[hasil]))
    p = data.draw(st.sampled_from(SPELLINGS[perilaku]))
    assert skp_import.parse_rating(h) == hasil and skp_import.parse_rating(p) == perilaku
    assert predikat(skp_import.parse_rating(h), skp_import.parse_rating(p)) == predikat(
        hasil, perilaku
    )
