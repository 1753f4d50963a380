"""Routes of the survey feature, and the survey factories shared by its tests.

`make_ids` opens a public stakeholder campaign (c) in instansi A with one invitation, plus a
draft campaign; answering routes are reached by anybody holding the link.
"""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image
from sqlalchemy import select

from app.clock import local_today
from app.extensions import db
from app.surveys import services
from app.surveys.models import Audience, Campaign, Invitation
from app.surveys.services import authoring
from tests.web.matrix import ALL, MANAGERS, ROLE_EMAILS, ROLES, SIGNED_IN, only
from tests.xlsform_samples import FAMILY_FORM_ID, family_form

STAKEHOLDER_SURVEY = "konsultasi_pemangku_kepentingan"


def open_campaign(
    instansi_id: int,
    definition_id: str = STAKEHOLDER_SURVEY,
    audience: Audience = Audience.STAKEHOLDER,
    public_link: bool = True,
    anonymous: bool = False,
    title: str = "Konsultasi publik 2026",
    publish: bool = True,
    unit_id: int | None = None,
) -> Campaign:
    """A campaign created and published through the services (as HR would)."""
    today = local_today()
    campaign = services.create_campaign(
        instansi_id,
        services.CampaignData(
            definition_id=definition_id,
            title=title,
            audience=audience,
            cycle_year=today.year,
            opens_on=today - timedelta(days=1),
            closes_on=today + timedelta(days=30),
            anonymous=anonymous,
            public_link=public_link,
            audience_unit_id=unit_id,
        ),
        None,
    )
    if publish:
        services.publish_campaign(campaign)
    return campaign


def invite(
    campaign: Campaign, email: str = "dosen@unilak.example", group: str = "akademisi"
) -> str:
    """One stakeholder invitation; returns its link token."""
    services.add_invitations(
        campaign, f"{email}; Dr. Rina; Universitas Lancang Kuning; {group}", None, None
    )
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.campaign_id == campaign.id, Invitation.email == email)
    )
    assert invitation is not None
    return services.token_for(invitation)


def make_ids(world: object) -> dict[str, object]:
    campaign = open_campaign(world.a.id)  # type: ignore[attr-defined]
    draft = open_campaign(world.a.id, title="Draft", publish=False)  # type: ignore[attr-defined]
    token = invite(campaign)
    submit_token = invite(campaign, "swasta@pt.example", "swasta")
    published = authoring.import_upload(world.a.id, "keluarga.xlsx", family_form(), None)  # type: ignore[attr-defined]
    authoring.publish_draft(published, None)
    ready = authoring.import_upload(world.a.id, "keluarga2.xlsx", family_form("Baru"), None)  # type: ignore[attr-defined]
    services.save_branding(world.a.id, "Pemerintah Kota Uji", png_logo(), False, None)  # type: ignore[attr-defined]
    invitation_id = db.session.scalar(
        select(Invitation.id).where(Invitation.campaign_id == campaign.id).order_by(Invitation.id)
    )
    db.session.commit()
    return {
        "instansi_a": world.a.id,  # type: ignore[attr-defined]
        "draft": ready.id,
        "form": FAMILY_FORM_ID,
        "campaign": campaign.id,
        "draft_campaign": draft.id,
        "public": campaign.public_token,
        "invitation": token,
        "submit_invitation": submit_token,
        "page": "tentang_anda",
        "optout": services.optout_token(invitation_id),
    }


def png_logo(width: int = 64, height: int = 32, color: str = "navy") -> bytes:
    """A small real PNG, as HR would upload."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


HR_ONLY_OBJECT = only({**MANAGERS, "unit_head": 403}, others=404)
RESPONDENT = dict.fromkeys(ROLES, 200)


def managers_post(status: int) -> dict[str, int]:
    return only({"hr_admin": status, "sysadmin": status, "unit_head": 403}, others=404)


MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "surveys.my_surveys": ("GET", "/my/surveys", SIGNED_IN),
    "surveys.campaigns": ("GET", "/surveys/campaigns", only(MANAGERS)),
    "surveys.definitions": ("GET", "/surveys/definitions", only(MANAGERS)),
    "surveys.campaign_new": ("GET", "/surveys/campaigns/new", only(MANAGERS)),
    "surveys.campaign_detail": ("GET", "/surveys/campaigns/{campaign}", HR_ONLY_OBJECT),
    "surveys.campaign_qr": ("GET", "/surveys/campaigns/{campaign}/qr", HR_ONLY_OBJECT),
    "surveys.campaign_qr_svg": ("GET", "/surveys/campaigns/{campaign}/qr.svg", HR_ONLY_OBJECT),
    # Publishing an open campaign and closing a draft are refused (422): nothing changes.
    "surveys.campaign_publish": (
        "POST",
        "/surveys/campaigns/{campaign}/publish",
        managers_post(422),
    ),
    "surveys.campaign_close": (
        "POST",
        "/surveys/campaigns/{draft_campaign}/close",
        managers_post(422),
    ),
    "surveys.campaign_invite": (
        "POST",
        "/surveys/campaigns/{campaign}/invitations",
        managers_post(422),
    ),
    "surveys.campaign_send": ("POST", "/surveys/campaigns/{campaign}/send", managers_post(303)),
    "surveys.campaign_remind": ("POST", "/surveys/campaigns/{campaign}/remind", managers_post(303)),
    "surveys.results": (
        "GET",
        "/surveys/results",
        only({"unit_head": 200, **MANAGERS}),
    ),
    "surveys.export": (
        "GET",
        "/surveys/results/export.csv?campaign={campaign}",
        only({"unit_head": 403, **MANAGERS}),
    ),
    "surveys.authoring_index": ("GET", "/surveys/authoring", only(MANAGERS)),
    # Without a file the upload is refused beside the field.
    "surveys.authoring_upload": (
        "POST",
        "/surveys/authoring/upload",
        only(dict.fromkeys(MANAGERS, 422)),
    ),
    "surveys.authoring_draft": ("GET", "/surveys/authoring/drafts/{draft}", only(MANAGERS)),
    "surveys.authoring_preview": (
        "GET",
        "/surveys/authoring/drafts/{draft}/preview",
        only(MANAGERS),
    ),
    "surveys.authoring_publish": (
        "POST",
        "/surveys/authoring/drafts/{draft}/publish",
        only(dict.fromkeys(MANAGERS, 303)),
    ),
    "surveys.authoring_versions": (
        "GET",
        "/surveys/authoring/{form}/versions?instansi={instansi_a}",
        only(MANAGERS),
    ),
    "surveys.authoring_version": (
        "GET",
        "/surveys/authoring/{form}/v/1?instansi={instansi_a}",
        only(MANAGERS),
    ),
    "surveys.authoring_version_yaml": (
        "GET",
        "/surveys/authoring/{form}/v/1/definition.yaml?instansi={instansi_a}",
        only(MANAGERS),
    ),
    "surveys.authoring_version_xlsform": (
        "GET",
        "/surveys/authoring/{form}/v/1/xlsform.xlsx?instansi={instansi_a}",
        only(MANAGERS),
    ),
    "surveys.definition_xlsform": (
        "GET",
        f"/surveys/definitions/{STAKEHOLDER_SURVEY}/xlsform.xlsx",
        only(MANAGERS),
    ),
    "surveys.public_start": ("GET", "/s/{public}", RESPONDENT),
    "surveys.public_done": ("GET", "/s/{public}/done", RESPONDENT),
    "surveys.answer_entry": ("GET", "/i/{invitation}", dict.fromkeys(ROLES, 303)),
    "surveys.answer_page": ("GET", "/i/{invitation}/p/{page}", RESPONDENT),
    "surveys.answer_review": ("GET", "/i/{invitation}/review", RESPONDENT),
    # Without a submission key the submit is refused; the link stays usable.
    "surveys.answer_submit": ("POST", "/i/{submit_invitation}/submit", dict.fromkeys(ROLES, 400)),
    "surveys.answer_done": ("GET", "/i/{invitation}/done", dict.fromkeys(ROLES, 303)),
    "surveys.answer_later": ("GET", "/i/{invitation}/later", RESPONDENT),
    "surveys.reminders_optout": ("GET", "/u/{optout}", RESPONDENT),
    "surveys.branding": ("GET", "/surveys/branding", only(MANAGERS)),
    "surveys.brand_logo": ("GET", "/brand/{instansi_a}/logo", RESPONDENT),  # respondents see it
}

assert set(ROLE_EMAILS) <= set(ROLES)
ALL_ROLES_OK = ALL
