"""Outgoing mail: SMTP when MAIL_SERVER is set, else .eml files in the local outbox folder."""
