"""Competency codes and names other features use: the core list plus each instansi's dictionary.

`competency_codes` is registered with the surveys feature, so `flask surveys check
--strict-competencies` knows the codes without surveys importing needs.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.needs.dictionary import CORE_COMPETENCIES
from app.needs.models import Competency
from app.surveys.competencies import register_competency_source


def dictionary_codes(instansi_id: int | None = None) -> set[str]:
    """Active competency codes of one instansi's dictionary (or of every instansi), e.g. for
    checking that survey definitions only name competencies the dictionary knows."""
    query = select(Competency.code).where(Competency.active.is_(True)).distinct()
    if instansi_id is not None:
        query = query.where(Competency.instansi_id == instansi_id)
    return set(db.session.scalars(query))


def competency_codes() -> set[str]:
    """The core codes plus every instansi's dictionary: the codes survey definitions may name
    (registered with the surveys feature). Only the core codes when no database is set up."""
    codes = set(CORE_COMPETENCIES)
    if "sqlalchemy" not in current_app.extensions:
        return codes
    try:
        codes |= dictionary_codes()
    except SQLAlchemyError:  # tables not created yet: the core codes still apply
        db.session.rollback()
    return codes


register_competency_source(competency_codes)


def competency_options(instansi_id: int) -> list[tuple[str, str]]:
    """(code, "code name") for the core competencies plus the instansi's active dictionary."""
    english = str(get_locale() or "id") == "en"
    labels = {code: names["en" if english else "id"] for code, names in CORE_COMPETENCIES.items()}
    for code, name_id, name_en in db.session.execute(
        select(Competency.code, Competency.name_id, Competency.name_en).where(
            Competency.instansi_id == instansi_id, Competency.active.is_(True)
        )
    ):
        labels[code] = (name_en if english and name_en else name_id) or code
    return [(code, f"{code} {labels[code]}") for code in sorted(labels)]


def competency_labels(instansi_id: int, codes: Iterable[str]) -> dict[str, str]:
    """Readable labels for competency codes: dictionary names, else the core names, else the code."""
    wanted = set(codes)
    if not wanted:
        return {}
    english = str(get_locale() or "id") == "en"
    labels = {
        code: f"{code} {CORE_COMPETENCIES[code]['en' if english else 'id']}"
        if code in CORE_COMPETENCIES
        else code
        for code in wanted
    }
    for code, name_id, name_en in db.session.execute(
        select(Competency.code, Competency.name_id, Competency.name_en).where(
            Competency.instansi_id == instansi_id, Competency.code.in_(wanted)
        )
    ):
        labels[code] = f"{code} {(name_en if english and name_en else name_id) or ''}".strip()
    return labels
