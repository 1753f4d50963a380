"""Every route against every role: the expected status is written down for each pair.

A new route without an entry in tests/web/matrix/ fails `test_every_route_is_in_the_matrix`.
"""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS
from tests.web import matrix
from tests.web.matrix import ROLES, all_entries

MATRIX = all_entries()


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = endpoints - MATRIX.keys()
    assert not missing, f"add these endpoints to the route matrix: {sorted(missing)}"
    assert not MATRIX.keys() - endpoints, "the matrix names endpoints that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_route_matrix(app, world, role):
    client = app.test_client()
    if role != "anonymous":
        login(client, ROLE_EMAILS[role])
    with app.app_context():
        ids = matrix.route_ids(world)
        db.session.remove()
    failures = []
    # Logging out ends the session, so it goes last.
    ordered = sorted(MATRIX.items(), key=lambda item: item[0] == "accounts.logout")
    for endpoint, (method, template, expected) in ordered:
        path = template.format(**ids)
        if method == "GET":
            response = client.get(path)
        else:
            token = csrf_token(client, "/login" if role == "anonymous" else "/account")
            response = client.post(path, data={"csrf_token": token}, headers={"X-CSRFToken": token})
        response.close()
        if response.status_code != expected[role]:
            failures.append(
                f"{endpoint} {method} {path}: {response.status_code} != {expected[role]}"
            )
    assert not failures, "\n".join(failures)
