"""Sending a batch to the SIASN web service, line by line, resumable.

Each line that SIASN accepts is committed at once with the riwayat id SIASN gave it, so a run
that stops (time-out, crash) never sends an accepted line again: the next run takes the lines
still without `pushed_at`. A refused line keeps SIASN's reasons in `push_error` and is not
retried until its record changes (it then goes in a new batch as an update or insert).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select, update

from app.clock import utcnow
from app.extensions import db
from app.siasn.client import SiasnClient, SiasnRefused, SiasnUnavailable
from app.siasn.models import SiasnExportLine, SiasnExportMarker


@dataclass
class PushReport:
    sent: int = 0
    refused: int = 0
    pending: int = 0
    stopped: str = ""  # why the run stopped early (service unavailable), if it did
    errors: list[str] = field(default_factory=list)


def push_batch(batch_id: int, client: SiasnClient) -> PushReport:
    lines = list(
        db.session.scalars(
            select(SiasnExportLine)
            .where(SiasnExportLine.batch_id == batch_id, SiasnExportLine.pushed_at.is_(None))
            .where(SiasnExportLine.push_error == "")
            .order_by(SiasnExportLine.id)
        )
    )
    report = PushReport(pending=len(lines))
    people: dict[str, str] = {}
    for line in lines:
        payload = json.loads(line.payload)
        try:
            if line.nip not in people:
                people[line.nip] = client.pns_id(line.nip)
            payload["pnsOrangId"] = people[line.nip]
            if line.riwayat_id:
                payload["id"] = line.riwayat_id
            riwayat_id = client.save_kursus(payload)
        except SiasnRefused as refused:
            line.push_error = "; ".join(refused.messages)[:2000]
            report.refused += 1
            report.errors.append(f"{line.record_kind.value}:{line.record_id}: {line.push_error}")
            db.session.commit()
            continue
        except SiasnUnavailable as unavailable:
            db.session.rollback()
            report.stopped = str(unavailable)
            break
        line.riwayat_id = riwayat_id
        line.pushed_at = utcnow()
        db.session.execute(
            update(SiasnExportMarker)
            .where(
                SiasnExportMarker.record_kind == line.record_kind,
                SiasnExportMarker.record_id == line.record_id,
            )
            .values(riwayat_id=riwayat_id)
        )
        db.session.commit()
        report.sent += 1
    report.pending -= report.sent + report.refused
    return report
