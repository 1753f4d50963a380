"""Account administration: creating logins and granting roles."""
