"""Demo SIASN set-up: each demo instansi gets its SIASN codes and a complete form mapping, so HR
can export this year's completed training as a batch straight away."""

from __future__ import annotations

from sqlalchemy import select

from app.demo.seed import DemoContext
from app.extensions import db
from app.org.models import Instansi
from app.siasn.models import SiasnMapping, SiasnProfile
from app.siasn.services import MAPPING_KEYS

# Illustrative codes in SIASN's shape; a real Pemda copies its own from SIASN.
DIKLAT_BY_KEY = {"classical": "2", "e_learning": "4", "mentoring": "5", "coaching": "5"}


def seed_demo_data(context: DemoContext) -> None:
    for instansi in db.session.scalars(select(Instansi).order_by(Instansi.id)):
        db.session.add(
            SiasnProfile(
                instansi_id=instansi.id,
                siasn_instansi_id=f"DEMO{instansi.id:028d}",
                lokasi_id=f"LOK-{instansi.id:04d}",
                default_provider=f"BKPSDM {instansi.name}",
            )
        )
        for key in MAPPING_KEYS:
            db.session.add(
                SiasnMapping(
                    instansi_id=instansi.id,
                    key=key,
                    jenis_diklat_id=DIKLAT_BY_KEY.get(key, "3"),
                    jenis_kursus=f"KURSUS-{key.upper()}",
                    jenis_kursus_sertipikat="S",
                )
            )
    db.session.commit()
