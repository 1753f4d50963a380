"""Mentoring: programs, mentor profiles, matching, pairings, goals, session logs and feedback."""
