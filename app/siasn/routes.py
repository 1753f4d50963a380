"""HR pages for SIASN: the instansi's codes, the mapping, exports and their batches."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import jobs
from app.access.guards import (
    current_principal,
    ensure,
    load_or_404,
    managed_instansi_or_403,
    roles_required,
)
from app.access.policy import Principal, can_manage_instansi
from app.accounts.models import Role
from app.clock import local_today, utcnow
from app.errors import ServiceError
from app.extensions import db
from app.org.models import Employee
from app.siasn import certificates, client, evidence, export, files, reference, services
from app.siasn.forms import (
    CertificateImportForm,
    ExportForm,
    MappingForm,
    ProfileForm,
    ReferenceImportForm,
    ReviewForm,
    SubmitCertificateForm,
)
from app.siasn.models import ExportFormat, ExternalCertificate, ReferenceKind, SiasnExportBatch
from app.web.forms import CsrfForm, submit_form
from app.web.htmx import render_page
from app.web.navigation import NavEntry, add_nav
from app.web.params import YEAR

bp = Blueprint("siasn", __name__, url_prefix="/siasn")
MANAGERS = (Role.HR_ADMIN, Role.SYSADMIN)

add_nav(
    NavEntry("siasn.index", _l("SIASN"), MANAGERS, order=86),
    NavEntry("siasn.my_certificates", _l("My external certificates"), (Role.EMPLOYEE,), order=13),
)


def can_see_batch(principal: Principal, batch: SiasnExportBatch) -> bool:
    return can_manage_instansi(principal, batch.instansi_id)


@bp.route("", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def index() -> ResponseReturnValue:
    """What is due for SIASN this year (new, updates, refused with the field), and past batches."""
    instansi = managed_instansi_or_403()
    form = ExportForm(year=request.args.get("year", local_today().year, type=YEAR))
    year = form.year.data if isinstance(form.year.data, int) else local_today().year
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
            reference.known_codes(instansi.id, ReferenceKind.JENIS_DIKLAT),
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
        confirm_form=CsrfForm(),
    )


@bp.post("/batches/<int:batch_id>/push")
@login_required
@roles_required(*MANAGERS)
def batch_push(batch_id: int) -> ResponseReturnValue:
    """Send the batch to the SIASN web service in the background; its progress page follows."""
    found = load_or_404(SiasnExportBatch, batch_id, can_see_batch)
    form = CsrfForm()
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


# ---- certificate import (LMS ASN and other platforms) -------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def import_certificates() -> ResponseReturnValue:
    """Upload → preview listing every bad row and duplicate; nothing is written until confirmed."""
    instansi = managed_instansi_or_403()
    form = CertificateImportForm()
    upload = form.file.data
    preview, status = submit_form(
        form,
        lambda: certificates.stage_upload(
            instansi.id, current_user.id, upload.filename or "", upload.read()
        ),
    )
    return render_page(
        "siasn/import.html",
        "import_panel",
        instansi=instansi,
        form=form,
        preview=preview,
        confirm_form=CsrfForm(),
    ), (200 if preview is not None else status)


@bp.post("/import/<token>")
@login_required
@roles_required(*MANAGERS)
def confirm_certificates(token: str) -> ResponseReturnValue:
    """Check the staged file again and write its valid rows in one transaction."""
    if not CsrfForm().validate_on_submit():
        abort(400)
    try:
        preview = certificates.load_staged(token, current_user.id)
        ensure(
            preview.instansi_id is not None
            and can_manage_instansi(current_principal(), preview.instansi_id)
        )
        written = certificates.apply_import(preview, current_user.id)
    except ServiceError as error:
        flash(str(error.message), "error")
        return redirect(url_for("siasn.import_certificates"), 303)
    flash(
        _(
            "%(n)d certificates imported as verified learning records; %(bad)d rows skipped.",
            n=written,
            bad=len(preview.problems),
        ),
        "success",
    )
    return redirect(url_for("siasn.import_certificates", instansi=preview.instansi_id), 303)


# ---- employees' own certificates, verified by HR -------------------------------------------------


def can_see_certificate(principal: Principal, certificate: ExternalCertificate) -> bool:
    return principal.employee_id == certificate.employee_id or can_manage_instansi(
        principal, certificate.instansi_id
    )


def can_review_certificate(principal: Principal, certificate: ExternalCertificate) -> bool:
    return can_manage_instansi(principal, certificate.instansi_id)


@bp.route("/my-certificates", methods=["GET", "POST"])
@login_required
@roles_required(Role.EMPLOYEE)
def my_certificates() -> ResponseReturnValue:
    """An employee submits a certificate from outside the portal, with the evidence, for HR."""
    employee = db.session.get(Employee, current_principal().employee_id)
    if employee is None:
        abort(404)
    form = SubmitCertificateForm()

    def submit() -> ExternalCertificate:
        facts = certificates.CertificateFacts(
            " ".join((form.course.data or "").split()),
            " ".join((form.provider.data or "").split()),
            form.start_date.data,
            form.end_date.data,
            form.jp.data,
            (form.certificate_number.data or "").strip(),
            "",
        )
        return evidence.submit_certificate(
            employee, current_user.id, facts, form.evidence.data.read()
        )

    saved, status = submit_form(form, submit)
    if saved is not None:
        flash(_("Certificate submitted; HR will verify it."), "success")
        return redirect(url_for("siasn.my_certificates"), 303)
    return render_page(
        "siasn/my_certificates.html",
        "certificate_form",
        form=form,
        items=evidence.certificates_of(employee.id),
        max_mb=evidence.max_bytes() // 1048576,
    ), status


@bp.get("/certificates")
@login_required
@roles_required(*MANAGERS)
def certificates_pending() -> ResponseReturnValue:
    """Certificates employees submitted, waiting for HR."""
    instansi = managed_instansi_or_403()
    return render_page(
        "siasn/certificates.html",
        "pending_table",
        instansi=instansi,
        rows=evidence.pending_of(instansi.id),
    )


@bp.route("/certificates/<int:certificate_id>", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def certificate_review(certificate_id: int) -> ResponseReturnValue:
    certificate = load_or_404(ExternalCertificate, certificate_id, can_review_certificate)
    form = ReviewForm()
    saved, status = submit_form(
        form,
        lambda: evidence.review_certificate(
            certificate, current_user.id, form.decision.data == "verify", form.note.data or ""
        ),
    )
    if saved is not None:
        flash(_("Certificate reviewed."), "success")
        return redirect(
            url_for("siasn.certificates_pending", instansi=certificate.instansi_id), 303
        )
    return render_page(
        "siasn/certificate_review.html",
        "review_form",
        certificate=certificate,
        employee=db.session.get(Employee, certificate.employee_id),
        form=form,
    ), status


@bp.get("/certificates/<int:certificate_id>/evidence")
@login_required
def certificate_evidence(certificate_id: int) -> ResponseReturnValue:
    """The evidence file, as a download, for the employee and HR of the instansi."""
    certificate = load_or_404(ExternalCertificate, certificate_id, can_see_certificate)
    path = evidence.evidence_path(certificate)
    if path is None or not path.exists():
        abort(404)
    response = send_file(
        path,
        mimetype=certificate.evidence_type or "application/octet-stream",
        as_attachment=True,
        download_name=f"sertifikat-{certificate.id}{path.suffix}",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# ---- SIASN-style reference data -------------------------------------------------------------------


@bp.route("/reference", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def reference_import() -> ResponseReturnValue:
    """Check (and, when asked, write) a unor, jabatan or jenis diklat export from SIASN."""
    instansi = managed_instansi_or_403()
    form = ReferenceImportForm()

    def check_and_write() -> tuple[reference.ReferencePreview, int]:
        upload = form.file.data
        preview = reference.build_preview(
            instansi.id, ReferenceKind(form.kind.data), upload.filename or "", upload.read()
        )
        written = reference.apply_import(instansi.id, preview) if form.confirm.data else 0
        return preview, written

    result, status = submit_form(form, check_and_write)
    return render_page(
        "siasn/reference.html",
        "reference_panel",
        instansi=instansi,
        form=form,
        preview=result[0] if result else None,
        written=result[1] if result else 0,
    ), (200 if result else status)
