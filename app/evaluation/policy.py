"""Who sees evaluation results: HR of the event's instansi and sysadmins (results pool the
participants' answers; anonymous ones only above the survey's privacy threshold)."""

from __future__ import annotations

from app.access.policy import Principal, can_manage_instansi


def can_view_results(principal: Principal, instansi_id: int) -> bool:
    return can_manage_instansi(principal, instansi_id)
