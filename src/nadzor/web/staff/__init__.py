"""The staff workspace under /staff/: sign-in, triage, cases, approvals, the dashboard."""
