"""HR pages for SIASN: the instansi's codes, the mapping, exports and their batches."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import jobs
from app.access.guards import load_or_404, managed_instansi_or_403, roles_required
from app.access.policy import Principal, can_manage_instansi
from app.accounts.models import Role
from app.extensions import db
from app.models import utcnow
from app.siasn import client, export, files, services
from app.siasn.forms import ConfirmForm, ExportForm, MappingForm, ProfileForm
from app.siasn.models import ExportFormat, SiasnExportBatch
from app.web.forms import submit_form
from app.web.htmx import render_page
from app.web.navigation import NavEntry, add_nav

bp = Blueprint("siasn", __name__, url_prefix="/siasn")
MANAGERS = (Role.HR_ADMIN, Role.SYSADMIN)

add_nav(NavEntry("siasn.index", _l("SIASN"), MANAGERS, order=86))


def can_see_batch(principal: Principal, batch: SiasnExportBatch) -> bool:
    return can_manage_instansi(principal, batch.instansi_id)


@bp.route("", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def index() -> ResponseReturnValue:
    """What is due for SIASN this year (new, updates, refused with the field), and past batches."""
    instansi = managed_instansi_or_403()
    form = ExportForm(year=request.args.get("year", date.today().year, type=int))
    year = form.year.data if isinstance(form.year.data, int) else date.today().year
    plan = export.plan_export(instansi.id, year, bool(form.full.data))
    batch, status = submit_form(
        form, lambda: export.create_batch(plan, ExportFormat(form.format.data), current_user.id)
    )
    if batch is not None:
        flash(_("Batch %(id)d created: %(n)d records.", id=batch.id, n=batch.total), "success")
        return redirect(url_for("siasn.batch", batch_id=batch.id), 303)
    return render_page(
        "siasn/index.html",
        "export_panel",
        instansi=instansi,
        form=form,
        plan=plan,
        profile=services.profile_of(instansi.id),
        batches=export.batches_of(instansi.id),
    ), status


@bp.route("/profile", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def profile() -> ResponseReturnValue:
    """The instansi's SIASN ids written into every exported record."""
    instansi = managed_instansi_or_403()
    form = ProfileForm(obj=services.profile_of(instansi.id))
    saved, status = submit_form(
        form,
        lambda: services.save_profile(
            instansi.id,
            form.siasn_instansi_id.data or "",
            form.lokasi_id.data or "",
            form.default_provider.data or "",
            current_user.id,
        ),
    )
    if saved is not None:
        flash(_("SIASN codes saved."), "success")
        return redirect(url_for("siasn.index", instansi=instansi.id), 303)
    return render_page("siasn/profile.html", "profile_form", instansi=instansi, form=form), status


@bp.get("/mappings")
@login_required
@roles_required(*MANAGERS)
def mappings() -> ResponseReturnValue:
    """Bangkom's forms of development and the SIASN codes they are exported with."""
    instansi = managed_instansi_or_403()
    return render_page(
        "siasn/mappings.html",
        "mapping_table",
        instansi=instansi,
        rows=services.mapping_table(instansi.id),
    )


@bp.route("/mappings/<key>", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def mapping_edit(key: str) -> ResponseReturnValue:
    instansi = managed_instansi_or_403()
    if key not in services.MAPPING_KEYS:
        abort(404)
    form = MappingForm(obj=services.mappings_of(instansi.id).get(key))
    saved, status = submit_form(
        form,
        lambda: services.save_mapping(
            instansi.id,
            key,
            form.jenis_diklat_id.data or "",
            form.jenis_kursus.data or "",
            form.jenis_kursus_sertipikat.data or "",
            current_user.id,
        ),
    )
    if saved is not None:
        flash(_("Mapping saved."), "success")
        return redirect(url_for("siasn.mappings", instansi=instansi.id), 303)
    return render_page(
        "siasn/mapping_form.html",
        "mapping_form",
        instansi=instansi,
        form=form,
        key=key,
        label=services.mapping_label(key),
    ), status


@bp.get("/batches/<int:batch_id>")
@login_required
@roles_required(*MANAGERS)
def batch(batch_id: int) -> ResponseReturnValue:
    """One batch: every line as it was sent."""
    found = load_or_404(SiasnExportBatch, batch_id, can_see_batch)
    return render_page(
        "siasn/batch.html",
        "batch_lines",
        batch=found,
        lines=export.batch_lines(found.id),
        fields=export.KURSUS_FIELDS,
        can_push=client.settings().enabled,
        confirm_form=ConfirmForm(),
    )


@bp.post("/batches/<int:batch_id>/push")
@login_required
@roles_required(*MANAGERS)
def batch_push(batch_id: int) -> ResponseReturnValue:
    """Send the batch to the SIASN web service in the background; its progress page follows."""
    found = load_or_404(SiasnExportBatch, batch_id, can_see_batch)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if not client.settings().enabled:
        flash(_("The SIASN web service is not configured (SIASN_BASE_URL)."), "error")
        return redirect(url_for("siasn.batch", batch_id=found.id), 303)
    job = jobs.enqueue(
        "siasn.push_batch",
        batch_id=found.id,
        instansi_id=found.instansi_id,
        created_by_id=current_user.id,
        key=f"siasn-push:{found.id}:{utcnow():%Y%m%d%H%M}",
    )
    db.session.commit()
    return redirect(jobs.progress_url(job), 303)


@bp.get("/batches/<int:batch_id>/download.<fmt>")
@login_required
@roles_required(*MANAGERS)
def batch_download(batch_id: int, fmt: str) -> ResponseReturnValue:
    """The batch as CSV, XLSX or JSON lines (as often as needed; it never marks anything)."""
    found = load_or_404(SiasnExportBatch, batch_id, can_see_batch)
    if fmt not in {f.value for f in ExportFormat}:
        abort(404)
    chosen = ExportFormat(fmt)
    name = f"siasn-kursus-{found.year}-batch-{found.id}"
    return files.batch_response(export.batch_lines(found.id), chosen, name)
