"""WTForms' built-in messages, marked here so that `make translations` extracts them.

WTForms ships no Indonesian catalog; `app.web.forms.PortalTranslations` looks these texts up in
the portal's own catalog. Nothing calls this module: it exists for `pybabel extract`.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a text for extraction without translating it."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular/plural pair for extraction without translating it."""
    return singular, plural


MESSAGES = [
    N_("This field is required."),
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Choices cannot be None."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
    N_("Not a valid date value."),
    N_("Not a valid datetime value."),
    N_("Not a valid time value."),
    N_("Invalid email address."),
    N_("Field must be equal to %(other_name)s."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Invalid input."),
    N_("Invalid value, must be one of: %(values)s."),
    N_("CSRF token missing."),
    N_("CSRF token expired."),
    N_("CSRF failed."),
    N_("Invalid CSRF Token."),
    N_("'%(value)s' is not a valid choice for this field."),
    N_("'%(value)s' are not valid choices for this field."),
]
PLURALS = [
    N_plural(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
    ),
    N_plural(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
    ),
    N_plural(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
    ),
]
