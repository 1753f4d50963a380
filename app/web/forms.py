"""WTForms glue: the portal's base form, service errors beside their fields, select choices."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

from flask_babel import get_translations
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice as SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; stubs: 3.2

from app.errors import ServiceError
from app.extensions import db
from app.web.securitylog import refusal_event

T = TypeVar("T")


class FieldError(Protocol):
    message: object
    field: str | None


def apply_service_error(form: FlaskForm, error: FieldError) -> None:
    """Attach each refused field's message beside it, or to the form when it names no field."""
    problems = getattr(error, "problems", None) or [(error.field, error.message)]
    for name, message in problems:
        field = getattr(form, name, None) if name else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, str(message)]
        else:
            form.form_errors.append(str(message))


def choices(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms SelectChoice objects (tuples are deprecated in 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


class PortalTranslations:
    """WTForms' built-in messages, translated from the portal's own catalog."""

    def gettext(self, string: str) -> str:
        return str(get_translations().ugettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(get_translations().ungettext(singular, plural, n))


class BaseForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """Every form of the portal: CSRF from Flask-WTF, messages in the user's language."""

    class Meta:
        def get_translations(self, form: object) -> PortalTranslations:
            return PortalTranslations()


class CsrfForm(BaseForm):
    """The one form without fields: a button whose target is named by the URL (confirm, delete,
    close, resolve) posts only the CSRF token, and this form checks it."""


def submit_form(form: FlaskForm, action: Callable[[], T]) -> tuple[T | None, int]:
    """Run `action` for a valid submit: (its result, 303), or (None, status) to re-render.

    The status is 200 for a first display, 422 for invalid input, and the refusal's own status
    (422, 403, 409) when the service refused; the refusal is shown beside its field and whatever
    the service had changed is rolled back, so nothing half-done is saved or rendered.
    """
    if not form.is_submitted():
        return None, 200
    if not form.validate_on_submit():
        return None, 422
    try:
        return action(), 303
    except ServiceError as error:
        db.session.rollback()
        refusal_event(error.status)
        apply_service_error(form, error)
        return None, error.status


def filled(data: T | None) -> T:
    """The data of a field whose validators (DataRequired, InputRequired) let no empty value
    through, once the form is valid: typed without the None that WTForms declares."""
    if data is None:
        raise ValueError("a required field has no data: validate the form first")
    return data
