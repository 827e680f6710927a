"""Accounts and the audit log, for the agency's admin; the forgotten-password pages, for everyone."""
