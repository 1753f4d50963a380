"""Background job: send an export batch to the SIASN web service."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import jobs
from app.siasn.client import SiasnClient, SiasnNotConfigured, settings
from app.siasn.push import push_batch


@jobs.task("siasn.push_batch", label=_l("Send a batch to SIASN"), max_attempts=5)
def push_batch_job(ctx: jobs.JobContext, batch_id: int) -> None:
    try:
        client = SiasnClient(settings())
    except SiasnNotConfigured as error:
        raise jobs.PermanentFailure(str(error)) from None
    report = push_batch(batch_id, client)
    if report.stopped:  # the service is unavailable: a later attempt continues where this stopped
        raise RuntimeError(report.stopped)
    ctx.result = {"summary": f"{report.sent} sent, {report.refused} refused by SIASN"}
