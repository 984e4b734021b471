"""Candidate-facing pages behind signed links: no account, no password (see docs/privacy.md)."""
