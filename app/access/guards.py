"""Flask-facing side of the policy: the current principal, role decorators and object loaders."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.access.policy import ANONYMOUS, Principal, principal_for
from app.accounts.models import Role
from app.extensions import db
from app.org.models import Instansi
from app.web.params import ID

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M")


def current_principal() -> Principal:
    """The signed-in user's principal, computed at most once per request."""
    principal = g.get("principal")
    if principal is None:
        principal = principal_for(current_user) if current_user.is_authenticated else ANONYMOUS
        g.principal = principal
    found: Principal = principal
    return found


def redirect_to_own(endpoint: str) -> ResponseReturnValue:
    """303 to the signed-in user's own `endpoint` page (by employee_id); 404 for a login that is
    no employee (a system administrator)."""
    if current_user.employee_id is None:
        abort(404)
    return redirect(url_for(endpoint, employee_id=current_user.employee_id), 303)


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Allow the view only to users holding one of `roles` (403 otherwise); login is checked first."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_principal().has(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapper.required_roles = roles  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def ensure(allowed: bool) -> None:
    """Stop the request with 403 unless the rule allowed it (fail closed)."""
    if not allowed:
        abort(403)


def load_or_404(model: type[M], object_id: int, visible: Callable[[Principal, M], bool]) -> M:
    """Load by id; unknown ids and objects outside the user's scope both answer 404."""
    obj = db.session.get(model, object_id)
    if obj is None or not visible(current_principal(), obj):
        abort(404)
    return obj


def managed_instansi_or_403() -> Instansi:
    """The instansi named by ?instansi= (else the first) among those the user administers."""
    from app.org.services import manageable_instansi

    options = manageable_instansi(current_principal())
    wanted = request.args.get("instansi", type=ID)
    chosen = next((i for i in options if i.id == wanted), None) if wanted else None
    chosen = chosen or (options[0] if options else None)
    if chosen is None:
        abort(403)
    return chosen
