"""Staff accounts: users with one role, passwords (no lockout: sign-in is throttled at the web edge), API tokens kept as hashes.

The services are in `nadzor.accounts.services` and need the store; importing this package
does no work.
"""
