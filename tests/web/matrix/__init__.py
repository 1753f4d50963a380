"""Expected status of every route for every role, one module per feature.

Each module defines `MATRIX: dict[endpoint, (method, path template, {role: status})]`.
Path templates use `{staff}`, `{unit}`, `{user}` from the `world` fixture, plus whatever the
module's optional `make_ids(world) -> dict[str, int]` returns (it runs in an app context, after
the world is built, and creates the feature's own objects: a campaign, a nomination, ...).
"""

from __future__ import annotations

import importlib
import pkgutil

from tests.factories import ROLE_EMAILS

ROLES = ("anonymous", *ROLE_EMAILS)
ALL = dict.fromkeys(ROLES, 200)
SIGNED_IN = {**dict.fromkeys(ROLE_EMAILS, 200), "anonymous": 303}


def only(allowed: dict[str, int], others: int = 403) -> dict[str, int]:
    """`allowed` roles get their status, other signed-in roles `others`, visitors the login."""
    return {"anonymous": 303, **dict.fromkeys(ROLE_EMAILS, others), **allowed}


MANAGERS = {"hr_admin": 200, "sysadmin": 200}
BROWSERS = {"supervisor": 200, "unit_head": 200, **MANAGERS}
TREE = {"unit_head": 200, **MANAGERS}


def modules() -> list[object]:
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
    ]


def all_entries() -> dict[str, tuple[str, str, dict[str, int]]]:
    """Every feature module's MATRIX, merged."""
    merged: dict[str, tuple[str, str, dict[str, int]]] = {}
    for module in modules():
        for endpoint, entry in module.MATRIX.items():  # type: ignore[attr-defined]
            assert endpoint not in merged, f"{endpoint} appears twice in the route matrix"
            merged[endpoint] = entry
    return merged


def route_ids(world: object) -> dict[str, int]:
    """The ids the path templates use: the world's, then every module's `make_ids(world)`
    (call inside an app context)."""
    ids = {"staff": world.staff.id, "unit": world.opd.id, "user": world.users["employee"].id}  # type: ignore[attr-defined]
    for module in modules():
        if hasattr(module, "make_ids"):
            ids.update(module.make_ids(world))
    return ids
