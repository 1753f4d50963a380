"""Answering a survey through a link: ``/s/<token>`` public, ``/i/<token>`` invitation,
``/r/<token>`` resume.

These pages do not depend on the login session: the token in the address identifies the
respondent. Their CSRF check is done here instead of by CSRFProtect, so an expired token never
loses a half-filled page: the answers posted are saved (or, before a public respondent's first
save, shown again) and the page comes back with a fresh token and a message.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeVar

from flask import (
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import validate_csrf
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse
from wtforms.validators import ValidationError

from app.errors import ServiceError
from app.extensions import csrf, db
from app.org.models import OrgUnit
from app.surveys import services
from app.surveys.blueprint import bp, lang
from app.surveys.estimate import estimate_minutes
from app.surveys.forms import (
    ResumeEmailForm,
    errors_to_show,
    html_id,
    page_questions,
    review_pages,
)
from app.surveys.logic import FormState, evaluate_all
from app.surveys.models import Audience
from app.web.forms import submit_form
from app.web.htmx import render_page
from app.web.params import ID

R = TypeVar("R", bound=BaseResponse)  # a response a cookie is set on, returned as it came

CSRF_SAVED = _l(
    "Your session had expired. Your answers are saved; press the button again to continue."
)
CSRF_KEPT = _l(
    "Your session had expired. Your answers are still here; press the button again to send them."
)
CSRF_EXPIRED = _l("Your session had expired. Press the button again.")
REVEALED = _l(
    "Your answers opened more questions on this page. Please answer them too, then continue."
)

ItemKey = tuple[str, int]  # an item id and its repeat instance (0 outside a repeat)


def csrf_valid() -> bool:
    """The token from the form (plain posts) or the X-CSRFToken header (htmx)."""
    token = request.form.get("csrf_token") or request.headers.get("X-CSRFToken")
    try:
        validate_csrf(token)
    except ValidationError:
        return False
    return True


@bp.errorhandler(services.SeatError)
def seat_error(error: services.SeatError) -> ResponseReturnValue:
    """A tampered, expired or closed link: a clear page, never a stack trace."""
    return no_store(
        render_template("surveys/unavailable.html", reason=error.reason, campaign=error.campaign),
        error.status,
    )


def no_store(body: str, status: int = 200) -> Response:
    """Answering pages carry a respondent's answers: never cached."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


# ------------------------------------------------------------------------- respondent URLs


def _link(seat: services.Seat) -> tuple[str, str]:
    """The via and token addressing a seat (a public starter moves to its resume link)."""
    if seat.via == "s" and seat.new_resume_token:
        return "r", seat.new_resume_token
    return seat.via, seat.token


def page_url(seat: services.Seat, page_id: str) -> str:
    via, token = _link(seat)
    if via == "s":
        return url_for("surveys.public_start", token=token)
    return url_for("surveys.answer_page", via=via, token=token, page_id=page_id)


def seat_url(seat: services.Seat, endpoint: str, **values: Any) -> str:
    via, token = _link(seat)
    if via == "s":
        return url_for("surveys.public_done", token=token)
    return url_for(f"surveys.{endpoint}", via=via, token=token, **values)


def resolve(via: str, token: str) -> services.Seat:
    """The seat behind a link; a POST holds the link's row so that an autosave and a Next click
    sent together are applied one after the other (one draft, never a duplicate-key error)."""
    lock = request.method == "POST"
    if via == "i":
        return services.seat_from_invitation(token, lock=lock)
    if via == "r":
        return services.seat_from_resume(token, lock=lock)
    abort(404)


def resume_cookie(campaign_id: int) -> str:
    return f"bk_survey_{campaign_id}"


def remember_resume(response: R, seat: services.Seat) -> R:
    """A public respondent who reloads the open link lands on their own draft again."""
    if seat.new_resume_token and seat.public_token:
        response.set_cookie(
            resume_cookie(seat.campaign_id),
            seat.new_resume_token,
            max_age=int(timedelta(days=120).total_seconds()),
            path=url_for("surveys.public_start", token=seat.public_token),
            httponly=True,
            samesite="Lax",
            secure=bool(request.is_secure),
        )
    return response


def forget_resume(response: R, seat: services.Seat) -> R:
    """Only when a cookie could exist: a public respondent who saved a draft."""
    if seat.public_token and seat.via == "r":
        response.delete_cookie(
            resume_cookie(seat.campaign_id),
            path=url_for("surveys.public_start", token=seat.public_token),
        )
    return response


def redirect_to(url: str, seat: services.Seat | None = None) -> BaseResponse:
    response = redirect(url, 303)
    return remember_resume(response, seat) if seat is not None else response


# ---------------------------------------------------------------------------- answering


def first_page(seat: services.Seat, state: FormState) -> str:
    current = seat.response.current_page if seat.response else None
    relevant = [page.id for page in state.relevant_pages]
    if current in relevant:
        return current
    return relevant[0] if relevant else seat.definition.pages[0].id


def unit_options(seat: services.Seat, page_id: str, state: FormState) -> list[tuple[int, str]]:
    """Public stakeholders name the government office their input is about (first page)."""
    if seat.invitation is not None or seat.audience != Audience.STAKEHOLDER:
        return []
    relevant = [page.id for page in state.relevant_pages]
    if not relevant or relevant[0] != page_id:
        return []
    return list(
        db.session.execute(
            select(OrgUnit.id, OrgUnit.name)
            .where(OrgUnit.instansi_id == seat.instansi_id, OrgUnit.parent_id.is_(None))
            .order_by(OrgUnit.name)
        ).all()
    )


def render_answer(
    seat: services.Seat,
    page_id: str,
    mode: str,
    status: int = 200,
    state: FormState | None = None,
    notice: object = None,
    saved: bool = False,
    unit_id: int | None = None,
    revealed: frozenset[ItemKey] = frozenset(),
) -> Response:
    """One page of the survey (the whole layout, or the form only for htmx).

    ``revealed``: questions the posted answers have just opened, which the respondent has not
    seen yet; they are shown, never reported as missing."""
    definition = seat.definition
    language = lang()
    draft = seat.answers()
    if state is None:
        state = evaluate_all(
            definition, draft, language, today=services.campaign_today(seat.campaign)
        )
    page_state = state.page(page_id)
    shown = errors_to_show(page_state, draft, mode)
    for item in page_state.visible_items:
        if (item.id, item.instance) in revealed:
            for path in item.errors:
                shown.pop(path, None)
    questions = page_questions(definition, page_state, draft, shown, language)
    relevant = [page.id for page in state.relevant_pages]
    position = relevant.index(page_id) + 1 if page_id in relevant else 1
    labels = {q.name: q.label for q in questions}
    summary = [
        (html_id(path), labels.get(path.split(".")[0], path), message)
        for path, message in shown.items()
    ]
    if mode == "all" and not page_state.errors and state.errors:
        pages = {p.id: p for p in state.pages}
        summary += [
            ("", definition.text(pages[p.id].page.title, language), message)
            for p in state.pages
            for message in list(p.errors.values())[:1]
            if p.id != page_id and p.errors
        ]
    units = unit_options(seat, page_id, state)
    chosen_unit = unit_id or (seat.response.org_unit_id if seat.response else seat.unit_id)
    body = render_page(
        "surveys/answer.html",
        "survey_page",
        seat=seat,
        definition=definition,
        title=definition.text(definition.title, language),
        description=definition.text(definition.description, language) if position == 1 else "",
        minutes=estimate_minutes(definition, state, draft) if position == 1 else 0,
        page=page_state.page,
        page_title=definition.text(page_state.page.title, language),
        page_description=definition.text(page_state.page.description, language),
        questions=questions,
        summary=summary,
        position=position,
        total=max(len(relevant), 1),
        action=page_url(seat, page_id),
        has_previous=state.previous_page_id(page_id) is not None if page_id in relevant else False,
        single_page=len(definition.pages) == 1,
        submission_key=services.new_submission_key(),
        notice=notice,
        revealed_note=REVEALED if revealed else "",
        saved=saved,
        # After Next or Send failed the summary takes the focus; never while answering (htmx).
        focus_summary=mode == "all" and bool(summary),
        units=units,
        chosen_unit=chosen_unit,
    )
    return remember_resume(no_store(body, status), seat)


def handle_page_post(
    seat: services.Seat, page_id: str, before: FormState | None = None
) -> ResponseReturnValue:
    """Save the page, then move as the button asked; htmx changes re-render the page."""
    form = request.form
    action = form.get("action", "")
    live = bool(request.headers.get("HX-Request")) and not action
    language = lang()
    unit_id = services.valid_unit(seat.campaign, _int(form.get("_unit")))
    if not csrf_valid():
        if seat.via == "s":  # nobody to save for yet: show the answers again, unsaved
            seat._draft = services.merge_page_answers(
                seat.definition, seat.answers(), page_id, form, language
            )
            return render_answer(seat, page_id, "touched", 422, notice=CSRF_KEPT, unit_id=unit_id)
        state = services.save_page(seat, page_id, form, language)
        return render_answer(seat, page_id, "touched", 422, state, notice=CSRF_SAVED)
    if action in {"next", "submit"} and before is None:
        before = evaluate_all(
            seat.definition, seat.answers(), language, today=services.campaign_today(seat.campaign)
        )
    if action == "submit":
        try:
            services.submit_response(
                seat,
                form.get("submission_key", ""),
                language,
                form=form,
                page_id=page_id,
                before=before,
            )
        except services.Incomplete as incomplete:
            return refused_page(seat, page_id, incomplete.state, before, unit_id)
        except ServiceError:
            abort(400)
        return finished(seat)
    state = services.save_page(seat, page_id, form, language)
    if live or services.repeat_resized(page_id, form):
        return render_answer(seat, page_id, "touched", 200, state, saved=True)
    if action == "previous":
        previous = state.previous_page_id(page_id)
        return redirect_to(page_url(seat, previous or page_id), seat)
    if action == "later":
        return redirect_to(seat_url(seat, "answer_later"), seat)
    if state.page(page_id).errors:
        return refused_page(seat, page_id, state, before)
    following = state.next_page_id(page_id)
    if following is None:
        return redirect_to(seat_url(seat, "answer_review"), seat)
    return redirect_to(page_url(seat, following), seat)


def newly_revealed(page_id: str, before: FormState | None, after: FormState) -> frozenset[ItemKey]:
    """Questions of the page visible now that were hidden when the page was rendered."""
    if before is None:
        return frozenset()
    seen = {(item.id, item.instance) for item in before.page(page_id).visible_items}
    now = {(item.id, item.instance) for item in after.page(page_id).visible_items}
    return frozenset(now - seen)


def refused_page(
    seat: services.Seat,
    page_id: str,
    state: FormState,
    before: FormState | None,
    unit_id: int | None = None,
) -> Response:
    """Next or Send refused. Without JavaScript the page could not show the questions an answer
    on it opens: they come back shown, with a note, and only the questions the respondent saw
    can be reported as missing (422 only if one of those is)."""
    revealed = newly_revealed(page_id, before, state)
    page_state = state.page(page_id)
    held = {
        path
        for item in page_state.visible_items
        if (item.id, item.instance) in revealed
        for path in item.errors
    }
    if not held:
        return render_answer(seat, page_id, "all", 422, state, unit_id=unit_id)
    status = 422 if set(page_state.errors) - held else 200
    return render_answer(seat, page_id, "all", status, state, unit_id=unit_id, revealed=revealed)


def finished(seat: services.Seat) -> BaseResponse:
    response = redirect(seat_url(seat, "answer_done"), 303)
    return forget_resume(response, seat)


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def already_submitted(seat: services.Seat) -> Response:
    """A used single-use link says so (409), with the campaign's title."""
    return no_store(
        render_template("surveys/unavailable.html", reason="submitted", campaign=seat.campaign),
        409,
    )


@bp.route("/s/<token>", methods=["GET", "POST"])
@csrf.exempt
def public_start(token: str) -> ResponseReturnValue:
    """The open link: the first page; the first save creates the draft and a resume link."""
    seat = services.seat_from_public(token, request.args.get("unit", type=ID))
    state = evaluate_all(
        seat.definition, seat.answers(), lang(), today=services.campaign_today(seat.campaign)
    )
    page_id = first_page(seat, state)
    if request.method == "POST":
        return handle_page_post(seat, page_id, state)
    remembered = request.cookies.get(resume_cookie(seat.campaign_id), "")
    if services.TOKEN_RE.fullmatch(remembered):
        try:
            mine = services.seat_from_resume(remembered)
        except services.SeatError:
            mine = None
        if mine is not None and not mine.submitted and mine.campaign_id == seat.campaign_id:
            return redirect(url_for("surveys.answer_entry", via="r", token=remembered), 303)
    return render_answer(seat, page_id, "none", state=state)


@bp.get("/s/<token>/done")
def public_done(token: str) -> ResponseReturnValue:
    """Thanks after a one-page public survey sent without a draft."""
    seat = services.seat_from_public(token)
    return no_store(render_template("surveys/done.html", seat=seat, resume_url=None))


@bp.get("/i/<token>", defaults={"via": "i"})
@bp.get("/r/<token>", defaults={"via": "r"})
def answer_entry(via: str, token: str) -> ResponseReturnValue:
    """Open a personal or resume link where the respondent stopped."""
    seat = resolve(via, token)
    if seat.submitted:
        return already_submitted(seat)
    state = evaluate_all(
        seat.definition, seat.answers(), lang(), today=services.campaign_today(seat.campaign)
    )
    return redirect(page_url(seat, first_page(seat, state)), 303)


@bp.route("/i/<token>/p/<page_id>", methods=["GET", "POST"], defaults={"via": "i"})
@bp.route("/r/<token>/p/<page_id>", methods=["GET", "POST"], defaults={"via": "r"})
@csrf.exempt
def answer_page(via: str, token: str, page_id: str) -> ResponseReturnValue:
    """One page: GET shows it, POST saves it (htmx: on every change) and moves on."""
    seat = resolve(via, token)
    if seat.submitted:
        if request.method == "POST" and request.form.get("action") == "submit":
            return finished(seat)
        return already_submitted(seat)
    if page_id not in {page.id for page in seat.definition.pages}:
        raise services.SeatError("not_found")
    if request.method == "POST":
        return handle_page_post(seat, page_id)
    state = evaluate_all(
        seat.definition, seat.answers(), lang(), today=services.campaign_today(seat.campaign)
    )
    if not state.page(page_id).relevant:
        following = state.next_page_id(page_id)
        target = page_url(seat, following) if following else seat_url(seat, "answer_review")
        return redirect(target, 303)
    return render_answer(seat, page_id, "touched", state=state)


def render_review(
    seat: services.Seat, state: FormState, status: int = 200, notice: object = None
) -> Response:
    definition = seat.definition
    language = lang()
    return no_store(
        render_page(
            "surveys/review.html",
            "survey_review",
            seat=seat,
            title=definition.text(definition.title, language),
            pages=review_pages(definition, state, language),
            complete=state.is_complete,
            submission_key=services.new_submission_key(),
            submit_url=seat_url(seat, "answer_submit"),
            page_urls={page.id: page_url(seat, page.id) for page in definition.pages},
            later_url=seat_url(seat, "answer_later"),
            notice=notice,
            show_errors=status != 200,
        ),
        status,
    )


@bp.get("/i/<token>/review", defaults={"via": "i"})
@bp.get("/r/<token>/review", defaults={"via": "r"})
def answer_review(via: str, token: str) -> ResponseReturnValue:
    """Every answer before sending, with links back to each page."""
    seat = resolve(via, token)
    if seat.submitted:
        return already_submitted(seat)
    state = evaluate_all(
        seat.definition, seat.answers(), lang(), today=services.campaign_today(seat.campaign)
    )
    return render_review(seat, state)


@bp.post("/i/<token>/submit", defaults={"via": "i"})
@bp.post("/r/<token>/submit", defaults={"via": "r"})
@csrf.exempt
def answer_submit(via: str, token: str) -> ResponseReturnValue:
    """Send the response; a double click or a retry lands on the same thank-you page."""
    seat = resolve(via, token)
    if seat.submitted:
        return finished(seat)
    language = lang()
    if not csrf_valid():
        state = evaluate_all(
            seat.definition, seat.answers(), language, today=services.campaign_today(seat.campaign)
        )
        return render_review(seat, state, 422, notice=CSRF_KEPT)
    try:
        services.submit_response(seat, request.form.get("submission_key", ""), language)
    except services.Incomplete as incomplete:
        return render_review(seat, incomplete.state, 422)
    except ServiceError:
        abort(400)
    return finished(seat)


@bp.get("/i/<token>/done", defaults={"via": "i"})
@bp.get("/r/<token>/done", defaults={"via": "r"})
def answer_done(via: str, token: str) -> ResponseReturnValue:
    seat = resolve(via, token)
    if not seat.submitted:
        return redirect(url_for("surveys.answer_entry", via=via, token=token), 303)
    quiz = services.seat_quiz_result(seat)
    return no_store(render_template("surveys/done.html", seat=seat, quiz=quiz))


@bp.route("/i/<token>/later", methods=["GET", "POST"], defaults={"via": "i"})
@bp.route("/r/<token>/later", methods=["GET", "POST"], defaults={"via": "r"})
@csrf.exempt
def answer_later(via: str, token: str) -> ResponseReturnValue:
    """Stop for now: the link to continue on any device, emailed on request."""
    seat = resolve(via, token)
    if seat.submitted:
        return already_submitted(seat)
    if request.method == "POST" and via != "r":
        abort(405)  # invitees already have their link by email; only public drafts are mailed
    link = url_for("surveys.answer_entry", via=via, token=token, _external=True)
    form = ResumeEmailForm(meta={"csrf": False})
    if request.method == "POST" and not csrf_valid():
        form.form_errors.append(str(CSRF_KEPT))
        status = 422
    else:
        sent, status = submit_form(
            form,
            lambda: services.email_resume_link(
                form.email.data or "",
                link,
                seat.definition.text(seat.definition.title, lang()),
                seat.instansi_id,
            ),
        )
        if status == 303:
            flash(_("The link has been sent. You can close this page."), "success")
            return redirect(url_for("surveys.answer_later", via=via, token=token), 303)
    return no_store(
        render_template(
            "surveys/later.html",
            seat=seat,
            link=link,
            form=form,
            title=seat.definition.text(seat.definition.title, lang()),
            continue_url=url_for("surveys.answer_entry", via=via, token=token),
        ),
        status,
    )


# ------------------------------------------------------------------------ reminder opt-out


@bp.route("/u/<token>", methods=["GET", "POST"])
@csrf.exempt
def reminders_optout(token: str) -> ResponseReturnValue:
    """The mail's opt-out link: GET only shows (mail scanners open links), a POST stops or
    resumes the reminders of this one invitation. A mail program's one-click POST (RFC 8058,
    body ``List-Unsubscribe=One-Click``) carries no CSRF token; the signed token is the key."""
    invitation = services.invitation_from_optout(token)
    campaign = invitation.campaign
    status = 200
    notice = None
    if request.method == "POST":
        one_click = request.form.get("List-Unsubscribe") == "One-Click"
        action = request.form.get("action", "stop")
        if action not in {"stop", "undo"}:
            abort(400)
        if not one_click and not csrf_valid():
            status, notice = 422, CSRF_EXPIRED
        else:
            if action == "undo" and not one_click:
                services.resume_reminders(invitation)
                flash(_("Reminders are on again for this survey."), "success")
            else:
                services.stop_reminders(invitation)
                if one_click:
                    return no_store(_("Reminders stopped."))
                flash(_("You will receive no more reminders for this survey."), "success")
            return redirect(url_for("surveys.reminders_optout", token=token), 303)
    return no_store(
        render_template(
            "surveys/optout.html",
            campaign=campaign,
            invitation=invitation,
            stopped=invitation.reminders_stopped_at is not None,
            notice=notice,
            token=token,
        ),
        status,
    )
