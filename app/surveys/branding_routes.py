"""The Pemda's name and logo on respondents' pages: HR's settings form and the logo itself.

The logo is public (respondents are not signed in); it is served with the type found when it
was checked, ``nosniff``, a CSP that allows nothing, and as an attachment-free inline image.
"""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.access.guards import current_principal, roles_required
from app.org.services import manageable_instansi
from app.surveys import services
from app.surveys.blueprint import bp
from app.surveys.forms import BrandingForm
from app.surveys.models import Campaign
from app.surveys.policy import MANAGERS
from app.web.forms import submit_form
from app.web.htmx import render_page
from app.web.params import ID


@bp.context_processor
def respondent_brand() -> dict[str, object]:
    """`survey_brand(seat, campaign)` for the respondents' layout (queried only when used)."""

    def survey_brand(seat: object = None, campaign: object = None) -> services.Brand | None:
        instansi_id = getattr(seat, "instansi_id", None)
        if instansi_id is None and isinstance(campaign, Campaign):
            instansi_id = campaign.instansi_id
        return services.brand_for(instansi_id)

    return {"survey_brand": survey_brand}


@bp.route("/surveys/branding", methods=["GET", "POST"])
@login_required
@roles_required(*MANAGERS)
def branding() -> ResponseReturnValue:
    """HR names the instansi for respondents and uploads its logo."""
    options = manageable_instansi(current_principal())
    wanted = request.args.get("instansi", type=ID)
    instansi = next((i for i in options if i.id == wanted), None) if wanted else None
    if instansi is None and (wanted or not options):
        abort(403)  # another instansi's settings (or none to manage)
    instansi = instansi or options[0]
    current = services.branding_of(instansi.id)
    form = BrandingForm()
    if not form.is_submitted() and current is not None:
        form.display_name.data = current.display_name
    saved, status = submit_form(form, lambda: _save(instansi.id, form))
    if status == 303:
        flash(_("The survey pages and mails now show these details."), "success")
        return redirect(url_for("surveys.branding", instansi=instansi.id), 303)
    return render_page(
        "surveys/branding.html",
        "branding_form",
        form=form,
        instansi=instansi,
        options=options,
        brand=services.brand_for(instansi.id),
    ), status


def _save(instansi_id: int, form: BrandingForm) -> object:
    upload = form.logo.data
    content = None
    if upload is not None and getattr(upload, "filename", None):
        try:
            content = upload.read(services.MAX_LOGO_BYTES + 1)
        finally:
            upload.close()
    return services.save_branding(
        instansi_id,
        form.display_name.data or "",
        content,
        bool(form.remove_logo.data),
        current_user.id,
    )


@bp.get("/brand/<int:instansi_id>/logo")
def brand_logo(instansi_id: int) -> ResponseReturnValue:
    """The logo as stored after its check: PNG or JPEG only, never sniffed."""
    logo = services.logo_of(instansi_id)
    if logo is None:
        abort(404)
    data, content_type, sha = logo
    response = make_response(data)
    response.headers["Content-Type"] = content_type
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.set_etag(sha)
    return response.make_conditional(request)
