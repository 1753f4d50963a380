"""Navigation by task: menus per group (details/summary), only what the role can use, the current
place highlighted, a breadcrumb on pages that are not menu entries, a favicon."""

from __future__ import annotations

import re

import pytest

from app.web.navigation import NAVIGATION, group_of
from tests.conftest import login
from tests.factories import ROLE_EMAILS


def _groups(html: str) -> list[str]:
    nav = html[html.index('class="nav-groups"') : html.index("</nav>")]
    return re.findall(
        r"<summary>([^<]+)</summary>|<li class=\"nav-group[^\"]*\">\s*<a [^>]*>([^<]+)</a>", nav
    )


def test_every_entry_falls_into_a_known_group(app):
    from app.web.navigation import GROUPS

    for entry in NAVIGATION:
        assert (entry.group or group_of(entry.endpoint)) in GROUPS, entry.endpoint


def test_group_defaults_by_endpoint():
    assert group_of("needs.index") == "needs"
    assert group_of("needs.my_profile") == "me"
    assert group_of("surveys.my_surveys") == "surveys"
    assert group_of("learning.team") == "reports"
    assert group_of("unknown.page") == "admin"


@pytest.mark.parametrize("role", sorted(ROLE_EMAILS))
def test_each_role_gets_a_few_menus_with_working_links(client, world, role):
    login(client, ROLE_EMAILS[role])
    html = client.get("/").get_data(as_text=True)
    groups = _groups(html)
    assert 2 <= len(groups) <= 12, groups
    nav = html[html.index('class="nav-groups"') : html.index("</nav>")]
    for href in re.findall(r'href="([^"]+)"', nav):
        assert client.get(href, follow_redirects=True).status_code == 200, href


def test_employee_sees_no_admin_and_hr_sees_admin(client, world):
    login(client, ROLE_EMAILS["employee"])
    html = client.get("/").get_data(as_text=True)
    assert "<summary>Saya</summary>" in html
    assert "Administrasi" not in html and "/admin/users" not in html
    client.post("/logout", data={"csrf_token": _token(client)})
    login(client, ROLE_EMAILS["hr_admin"])
    html = client.get("/").get_data(as_text=True)
    assert "<summary>Administrasi</summary>" in html
    assert '<details name="nav-menu">' in html  # menus without JavaScript


def test_current_place_is_highlighted_and_deep_pages_get_a_breadcrumb(client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    html = client.get("/employees").get_data(as_text=True)
    assert re.search(r'href="/employees" aria-current="page"', html)
    assert 'class="nav-group current"' in html
    assert 'class="breadcrumbs"' not in html  # a menu entry is its own place
    html = client.get(f"/employees/{world.staff.id}").get_data(as_text=True)
    assert 'class="breadcrumbs"' in html
    crumb = html[html.index('class="breadcrumbs"') :]
    assert 'href="/employees"' in crumb[: crumb.index("</nav>")]


def test_favicon_is_linked_and_served(client, world):
    html = client.get("/login").get_data(as_text=True)
    href = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)
    response = client.get(href)
    assert response.status_code == 200 and b"<svg" in response.data


def _token(client) -> str:
    from tests.conftest import csrf_token

    return csrf_token(client, "/")
