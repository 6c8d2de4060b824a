"""Everything under /api/ answers in the API's error shape, whatever failed and where.

The API's own handlers cover what happens inside an endpoint. Around it Django answers
with HTML: a CSRF refusal (403), a method the route does not have (405), a body it cannot
read (400), a host it does not serve (400), an unhandled error (500), a database that is
down. This middleware turns every such answer under /api/ into
`{"error": {"code", "message", "field"}}` with the same status; a database outage is 503.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

__all__ = ["ApiErrorShape", "api_error_response"]

_log = logging.getLogger("nadzor.web")

_CODES = {
    400: ("bad_request", "the request cannot be read"),
    401: ("unauthenticated", "valid credentials are required"),
    403: ("forbidden", "this request is not allowed"),
    404: ("not_found", "nothing here"),
    405: ("not_allowed", "this method is not allowed here"),
    413: ("too_large", "the request body is too large"),
    429: ("rate_limited", "too many requests: try again later"),
    500: ("internal_error", "something went wrong on the server; nothing was changed"),
    503: ("unavailable", "the service is unavailable for a moment: try again shortly"),
}


def api_error_response(status: int, message: str | None = None) -> JsonResponse:
    code, default = _CODES.get(status, ("error", "the request failed"))
    body = {"error": {"code": code, "message": message or default, "field": None}}
    return JsonResponse(body, status=status)


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


class ApiErrorShape:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except Exception as exc:  # raised by a middleware before the view ran
            if not _is_api(request):
                raise
            return self._from_exception(exc)
        if not _is_api(request) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        shaped = api_error_response(response.status_code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                shaped[header] = response[header]
        return shaped

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        """An error the view did not handle: the shape, never a traceback page."""
        if not _is_api(request):
            return None
        return self._from_exception(exc)

    @staticmethod
    def _from_exception(exc: Exception) -> HttpResponse:
        if isinstance(exc, OperationalError | InterfaceError):
            _log.error("database unavailable: %s", type(exc).__name__)
            response = api_error_response(503)
            response["Retry-After"] = "30"
            return response
        if isinstance(exc, DatabaseError):
            _log.error("database error: %s", type(exc).__name__)
        else:
            _log.exception("unhandled error under /api/")
        return api_error_response(500)
