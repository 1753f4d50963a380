"""Routes of the SIASN pages: HR administrators and sysadmins only.

`make_ids` adds an (empty) export batch of instansi A and a certificate the staff member submitted.
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
    "siasn.import_certificates": ("GET", "/siasn/import", only(MANAGERS)),
    "siasn.confirm_certificates": (
        "POST",
        "/siasn/import/unknown-token-123",
        only({"hr_admin": 303, "sysadmin": 303}),
    ),
    "siasn.my_certificates": (
        "GET",
        "/siasn/my-certificates",
        only({"employee": 200, "supervisor": 200, "unit_head": 200, "mentor": 200}),
    ),
    "siasn.reference_import": ("GET", "/siasn/reference", only(MANAGERS)),
    "siasn.certificates_pending": ("GET", "/siasn/certificates", only(MANAGERS)),
    "siasn.certificate_review": (
        "GET",
        "/siasn/certificates/{siasn_certificate}",
        only(MANAGERS),
    ),
    "siasn.certificate_evidence": (
        "GET",
        "/siasn/certificates/{siasn_certificate}/evidence",
        only({"employee": 200, **MANAGERS}, others=404),
    ),
}


def make_ids(world) -> dict[str, int]:  # type: ignore[no-untyped-def]
    # A batch row of its own: creating a training program here would shift the ids that other
    # matrix modules share under the same names ("program").
    from app.extensions import db
    from app.siasn.models import ExportFormat, SiasnExportBatch
    from tests.unit.siasn.factories import submitted_certificate

    batch = SiasnExportBatch(instansi_id=world.a.id, year=2025, format=ExportFormat.CSV)
    db.session.add(batch)
    db.session.commit()
    certificate = submitted_certificate(world.staff.id)
    return {"siasn_batch": batch.id, "siasn_certificate": certificate.id}
