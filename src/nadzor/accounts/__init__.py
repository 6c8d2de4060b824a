"""Staff accounts: users with one role, passwords with a lockout, API tokens kept as hashes.

The services are in `nadzor.accounts.services` and need the store; importing this package
does no work.
"""
