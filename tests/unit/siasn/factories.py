"""SIASN test data: completed participations and credited records of instansi A."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.learning.models import LearningSource
from app.learning.services import credit_jp
from app.org.models import Employee
from app.siasn.models import SiasnMapping, SiasnProfile
from app.training.models import (
    Attendance,
    Completion,
    Participation,
    TrainingEvent,
)
from tests.unit.training.factories import approved_participation, make_event, make_program


def completed_participation(
    employee: Employee,
    event: TrainingEvent,
    certificate: str = "STTPP-001",
) -> Participation:
    """An approved nomination, attended and completed, with its JP credited."""
    participation = approved_participation(
        event, employee, Attendance.PRESENT, Completion.COMPLETED, certificate
    )
    program = event.program
    record = credit_jp(
        employee.id,
        program.jp,
        LearningSource.TRAINING,
        f"participation:{participation.id}",
        event.end_date,
        program.title,
        certificate or None,
    )
    participation.learning_record_id = record.id
    db.session.flush()
    return participation


def configure_siasn(instansi_id: int, keys: tuple[str, ...] = ("classical", "manual")) -> None:
    """The instansi's SIASN codes and a mapping for `keys`."""
    db.session.add(
        SiasnProfile(
            instansi_id=instansi_id,
            siasn_instansi_id="A5EB03E23CD1F6A0E040640A040252AD",
            lokasi_id="LOK-1471",
            default_provider="BKPSDM Kota A",
        )
    )
    for key in keys:
        db.session.add(
            SiasnMapping(
                instansi_id=instansi_id,
                key=key,
                jenis_diklat_id="1",
                jenis_kursus="KURSUS-TEKNIS",
                jenis_kursus_sertipikat="S",
            )
        )
    db.session.flush()


def training_year(
    world, year: int, employees: list[Employee], code: str = "PKP-01"
) -> TrainingEvent:  # type: ignore[no-untyped-def]
    """A program of instansi A with one event in `year` completed by `employees`."""
    program = make_program(world.a, code=code, jp=24)
    event = make_event(program, start=date(year, 3, 2), days=3)
    for employee in employees:
        completed_participation(employee, event, certificate=f"STTPP-{employee.id:04d}")
    return event


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submitted_certificate(employee_id: int, course: str = "Literasi Digital"):  # type: ignore[no-untyped-def]
    """A certificate the employee submitted with a PDF, waiting for HR."""
    from app.siasn.certificates import CertificateFacts
    from app.siasn.evidence import submit_certificate

    employee = db.session.get(Employee, employee_id)
    facts = CertificateFacts(
        course, "LAN RI", date(2025, 3, 2), date(2025, 3, 4), 12.0, "LMS-001", ""
    )
    return submit_certificate(employee, None, facts, PDF)
