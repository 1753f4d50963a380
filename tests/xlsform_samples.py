"""XLSForms built in tests: a family survey with a cascading select and a repeat."""

from __future__ import annotations

import io

from openpyxl import Workbook

FAMILY_FORM_ID = "survei_keluarga"


def family_form(title: str = "Survei keluarga", extra_question: bool = False) -> bytes:
    """Province, then city on the next page (cascading: choice_filter on a choices column), a
    repeat of 2 members, a last page."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(
        ["type", "name", "label::Indonesian (id)", "choice_filter", "repeat_count", "required"]
    )
    survey.append(["begin group", "wilayah", "Wilayah", "", "", ""])
    survey.append(["select_one provinsi", "prov", "Provinsi", "", "", "yes"])
    survey.append(["end group", "", "", "", "", ""])
    survey.append(["begin group", "kota_page", "Kota", "", "", ""])
    survey.append(["select_one kota", "kota", "Kota", "prov=${prov}", "", "yes"])
    survey.append(["end group", "", "", "", "", ""])
    survey.append(["begin repeat", "anggota", "Anggota keluarga", "", 2, ""])
    survey.append(["text", "nama", "Nama anggota", "", "", "yes"])
    survey.append(["integer", "umur", "Umur", "", "", ""])
    survey.append(["end repeat", "", "", "", "", ""])
    survey.append(["begin group", "penutup", "Penutup", "", "", ""])
    survey.append(["text", "saran", "Saran", "", "", ""])
    if extra_question:
        survey.append(["text", "kontak", "Kontak", "", "", ""])
    survey.append(["end group", "", "", "", "", ""])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::Indonesian (id)", "prov"])
    choices.append(["provinsi", "riau", "Riau", ""])
    choices.append(["provinsi", "jabar", "Jawa Barat", ""])
    for code, label, prov in (
        ("pekanbaru", "Pekanbaru", "riau"),
        ("dumai", "Dumai", "riau"),
        ("bandung", "Bandung", "jabar"),
        ("bogor", "Bogor", "jabar"),
    ):
        choices.append(["kota", code, label, prov])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "raters"])
    settings.append([title, FAMILY_FORM_ID, 1, "stakeholder"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
