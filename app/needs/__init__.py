"""Needs analysis (AKPK): competency dictionary, position standards, gaps and development needs."""
