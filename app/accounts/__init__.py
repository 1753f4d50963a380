"""Accounts, roles, login sessions and login throttling."""
