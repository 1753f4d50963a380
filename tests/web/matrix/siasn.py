"""Routes of the SIASN pages: HR administrators and sysadmins only.

`make_ids` adds an (empty) export batch of instansi A.
"""

from __future__ import annotations

from tests.web.matrix import MANAGERS, only

MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "siasn.index": ("GET", "/siasn", only(MANAGERS)),
    "siasn.profile": ("GET", "/siasn/profile", only(MANAGERS)),
    "siasn.mappings": ("GET", "/siasn/mappings", only(MANAGERS)),
    "siasn.mapping_edit": ("GET", "/siasn/mappings/classical", only(MANAGERS)),
    "siasn.batch": ("GET", "/siasn/batches/{siasn_batch}", only(MANAGERS)),
    "siasn.batch_push": (
        "POST",
        "/siasn/batches/{siasn_batch}/push",
        only({"hr_admin": 303, "sysadmin": 303}),
    ),
    "siasn.batch_download": (
        "GET",
        "/siasn/batches/{siasn_batch}/download.csv",
        only(MANAGERS),
    ),
}


def make_ids(world) -> dict[str, int]:  # type: ignore[no-untyped-def]
    # A batch row of its own: creating a training program here would shift the ids that other
    # matrix modules share under the same names ("program").
    from app.extensions import db
    from app.siasn.models import ExportFormat, SiasnExportBatch

    batch = SiasnExportBatch(instansi_id=world.a.id, year=2025, format=ExportFormat.CSV)
    db.session.add(batch)
    db.session.commit()
    return {"siasn_batch": batch.id}
