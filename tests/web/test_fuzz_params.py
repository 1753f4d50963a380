"""Hostile query parameters on every GET route, for several roles: never a 5xx.

Two passes, both counted (the total is printed and asserted):
- a fixed pass: every GET route of the route matrix × a list of hostile values put into every
  query parameter name the code reads (huge, negative and fractional integers, 5,000 digits,
  long and odd texts), once per role, and every id in the path replaced by a huge number;
- a hypothesis pass of `BANGKOM_FUZZ_REQUESTS` generated requests (6,000 by default; with the
  fixed pass over 10,000 per run, so per database in CI): a role, a route and up to five
  parameters with generated values.
Parameter names are read from the source (`args.get("...")`), so a new parameter is fuzzed
without an edit here.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from tests.conftest import login
from tests.factories import ROLE_EMAILS
from tests.web import matrix

APP = Path(__file__).resolve().parents[2] / "app"
FUZZ_REQUESTS = int(os.environ.get("BANGKOM_FUZZ_REQUESTS", "6000"))
ROLES = ("anonymous", "hr_admin", "sysadmin", "unit_head", "employee", "mentor", "stakeholder")
FIXED_ROLES = ("anonymous", "hr_admin", "sysadmin")
# names read through helpers that take the name as an argument
DYNAMIC_NAMES = {"page", "event", "unit", "waiting", "mentee", "mentee_id", "campaign", "year"}
HOSTILE = (
    "99999999999999999999",
    "200000000000000000",
    "-99999999999999999999",
    "2147483648",
    "-1",
    "0",
    "9" * 5000,
    "1e309",
    "1.5",
    "",
    "abc",
    "١٢٣",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "x" * 4000,
    '=HYPERLINK("http://evil.example")',
)
counted = {"requests": 0}


def parameter_names() -> list[str]:
    names = set(DYNAMIC_NAMES)
    pattern = re.compile(r"(?:args|values)\.get(?:list)?\(\s*\"(\w+)\"")
    for path in APP.rglob("*.py"):
        names.update(pattern.findall(path.read_text()))
    return sorted(names)


NAMES = parameter_names()


def get_routes(ids: dict[str, int]) -> list[str]:
    routes = []
    for endpoint, (method, template, _expected) in matrix.all_entries().items():
        if method == "GET" and endpoint != "static":
            routes.append(template.format(**ids))
    return sorted(routes)


def with_query(path: str, params: dict[str, str]) -> str:
    return path + ("&" if "?" in path else "?") + urlencode(params)


@pytest.fixture
def setting(app, world):
    """Clients logged in per role and every GET path with the route matrix's objects."""
    with app.app_context():
        ids = matrix.route_ids(world)
        db.session.remove()
    clients = {}
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            login(client, ROLE_EMAILS[role])
        clients[role] = client
    return clients, get_routes(ids), ids


def fetch(client, url: str) -> int:
    response = client.get(url)
    response.close()
    counted["requests"] += 1
    return response.status_code


def test_parameter_names_are_found():
    assert {"page", "unit", "year", "instansi", "campaign", "q"} <= set(NAMES)


def test_hostile_values_in_every_parameter_of_every_route(app, setting):
    clients, routes, ids = setting
    failures = []
    for role in FIXED_ROLES:
        client = clients[role]
        for path in routes:
            for value in HOSTILE:
                url = with_query(path, dict.fromkeys(NAMES, value))
                if (status := fetch(client, url)) >= 500:
                    failures.append(f"{role} {url[:200]}: {status}")
    huge = {key: 99999999999999999999 for key in ids}
    for endpoint, (method, template, _expected) in matrix.all_entries().items():
        if method == "GET" and "{" in template:
            url = template.format(**huge)
            if (status := fetch(clients["hr_admin"], url)) >= 500:
                failures.append(f"{endpoint} {url}: {status}")
    assert not failures, "\n".join(failures[:30])


VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers().map(str),
    st.integers(min_value=-(2**70), max_value=2**70).map(lambda n: f"{n}"),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
)


@pytest.mark.slow
def test_generated_query_parameters_never_give_a_server_error(app, setting):
    clients, routes, _ids = setting

    @settings(
        max_examples=FUZZ_REQUESTS,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        role=st.sampled_from(ROLES),
        path=st.sampled_from(routes),
        params=st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=5),
    )
    def request_is_handled(role: str, path: str, params: dict[str, str]) -> None:
        status = fetch(clients[role], with_query(path, params))
        assert status < 500, (role, path, params, status)

    before = counted["requests"]
    request_is_handled()
    generated = counted["requests"] - before
    print(f"fuzz: {generated} generated requests, {counted['requests']} in this run")
    assert generated >= FUZZ_REQUESTS
