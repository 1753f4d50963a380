"""Monitoring: the cycle cockpit per instansi and OPD, role home pages' next actions, exports."""
