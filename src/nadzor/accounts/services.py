"""The account services: what the command line and the web app call. They need the store.

`by=None` is the local operator (`system` in the audit log), who has the database in
hand; any other caller passes the acting user, who needs the `users.manage` permission.
Refusals raise `BadInput` (or `Denied`), each with one plain sentence for the user.
"""

from nadzor.accounts._login import check_login
from nadzor.accounts._names import RESERVED_NAMES
from nadzor.accounts._passwords import MIN_PASSWORD_LENGTH
from nadzor.accounts._tokens import (
    TOKEN_LIFETIME,
    TOKEN_PREFIX,
    authenticate_token,
    issue_token,
    list_tokens,
    revoke_token,
)
from nadzor.accounts._users import (
    DisableResult,
    add_user,
    check_new_user,
    disable_user,
    list_users,
    set_password,
)
from nadzor.cases._errors import BadInput

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "RESERVED_NAMES",
    "TOKEN_LIFETIME",
    "TOKEN_PREFIX",
    "BadInput",
    "DisableResult",
    "add_user",
    "authenticate_token",
    "check_login",
    "check_new_user",
    "disable_user",
    "issue_token",
    "list_tokens",
    "list_users",
    "revoke_token",
    "set_password",
]
