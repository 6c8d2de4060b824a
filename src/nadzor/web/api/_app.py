"""The NinjaAPI instance, its error handlers, and the routers mounted on it.

Every error has the contract's shape `{"error": {"code", "message", "field"}}`: validation
errors name the field at fault, domain refusals keep their one plain sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from nadzor.cases.domain import Denied, InvalidTransition
from nadzor.cases.services import BadInput, NotFound, TooLarge
from nadzor.complaints.domain import InputErrors

__all__ = ["ApiError", "api", "error_body"]

api = NinjaAPI(
    title="nadzor API",
    version="1",
    description="Complaints, cases, intake, reports and the audit log. Errors are "
    '`{"error": {"code": "...", "message": "...", "field": "..."}}`. Staff endpoints take '
    "`Authorization: Bearer TOKEN` (from `nadzor users token NAME`) or the staff "
    "workspace's session with its CSRF token.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


class ApiError(Exception):
    """An error response raised from an endpoint: status, stable code, sentence, field."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = dict(headers or {})


def error_body(
    code: str, message: str, field: str | None = None
) -> dict[str, dict[str, str | None]]:
    return {"error": {"code": code, "message": message, "field": field}}


def _respond(
    request: HttpRequest, status: int, code: str, message: str, field: str | None = None
) -> HttpResponse:
    return api.create_response(request, error_body(code, message, field), status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = _respond(request, exc.status, exc.code, exc.message, exc.field)
    for name, value in exc.headers.items():
        response[name] = value
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="nadzor"'
    return response


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = _respond(request, 401, "unauthenticated", "valid credentials are required")
    response["WWW-Authenticate"] = 'Bearer realm="nadzor"'
    return response


# pydantic's error types, as the complaint desk's stable error codes
_CODES = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "enum": "not_a_choice",
    "literal_error": "not_a_choice",
    "string_too_long": "too_long",
    "string_too_short": "required",
    "list_type": "not_a_list",
    "int_parsing": "not_a_number",
    "int_type": "not_a_number",
    "bool_parsing": "not_a_boolean",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
    "too_long": "too_long",
    "string_type": "not_text",
    "string_pattern_mismatch": "bad_format",
    "model_type": "not_an_object",
    "model_attributes_type": "not_an_object",
    "dict_type": "not_an_object",
}
# where ninja found a value, and the names of the parameters that wrap a whole body or query
_LOCATIONS = frozenset({"body", "query", "path", "form", "file", "header", "cookie"})
_WRAPPERS = frozenset({"payload", "filters"})


def field_of(location: Sequence[Any]) -> str | None:
    """`contact.email` from pydantic's location, without ninja's own parts."""
    parts = [str(part) for part in location]
    if parts and parts[0] in _LOCATIONS:
        parts.pop(0)
    if parts and parts[0] in _WRAPPERS:
        parts.pop(0)
    return ".".join(parts) or None


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first: Mapping[str, Any] = exc.errors[0] if exc.errors else {}
    field = field_of(first.get("loc", ()))
    kind = str(first.get("type", ""))
    message = str(first.get("msg", "invalid input"))
    if kind == "missing":
        message = "this field is required"
    elif kind == "extra_forbidden":
        message = "this field is not part of the request"
    if field:
        message = f"{field}: {message}"
    return _respond(request, 422, _CODES.get(kind, "invalid"), message, field)


@api.exception_handler(InputErrors)
def _input_errors(request: HttpRequest, exc: InputErrors) -> HttpResponse:
    first = exc.first()
    return _respond(request, 422, str(first.code), first.message, first.field)


@api.exception_handler(Denied)
def _denied(request: HttpRequest, exc: Denied) -> HttpResponse:
    return _respond(request, 403, "forbidden", str(exc))


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return _respond(request, 404, "not_found", str(exc))


@api.exception_handler(Http404)
def _no_route(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _respond(request, 404, "not_found", "nothing here")


@api.exception_handler(TooLarge)
def _too_large(request: HttpRequest, exc: TooLarge) -> HttpResponse:
    return _respond(request, 413, "too_large", str(exc), "file")


@api.exception_handler(RequestDataTooBig)
def _body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _respond(request, 413, "too_large", "the request body is too large")


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return _respond(request, 400, "bad_request", "the request cannot be read")


@api.exception_handler(BadInput)
def _bad_input(request: HttpRequest, exc: BadInput) -> HttpResponse:
    return _respond(request, 422, "invalid", str(exc))


@api.exception_handler(InvalidTransition)
def _invalid_transition(request: HttpRequest, exc: InvalidTransition) -> HttpResponse:
    return _respond(request, 409, "invalid_transition", str(exc))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {
        400: "bad_request",
        403: "forbidden",
        404: "not_found",
        405: "not_allowed",
        413: "too_large",
        429: "rate_limited",
    }
    code = codes.get(exc.status_code, "error")
    return _respond(request, exc.status_code, code, str(exc))


def _mount() -> None:
    from nadzor.web.api._audit import router as audit
    from nadzor.web.api._cases import router as cases
    from nadzor.web.api._check import router as check
    from nadzor.web.api._complaints import router as complaints
    from nadzor.web.api._intake import router as intake
    from nadzor.web.api._reports import router as reports

    # one router: the public desk and the staff triage share the path /complaints
    api.add_router("/complaints", complaints)
    api.add_router("/cases", cases)
    api.add_router("/audit", audit)
    api.add_router("/reports", reports)
    api.add_router("/check", check)
    api.add_router("/intake", intake)


_mount()
