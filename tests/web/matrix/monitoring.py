"""Routes of monitoring: the cycle cockpit and its XLSX tables (HR, sysadmin, heads of OPD)."""

from __future__ import annotations

from tests.web.matrix import TREE, only

MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "monitoring.cockpit": ("GET", "/monitoring/", only(TREE)),
    "monitoring.cockpit_pdf": ("GET", "/monitoring/cockpit.pdf", only(TREE)),
    "monitoring.export": ("GET", "/monitoring/export/budget.xlsx", only(TREE)),
}
