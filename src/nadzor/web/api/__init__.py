"""The JSON API under /api/v1/ (django-ninja), with the contract's error shape."""

from nadzor.web.api._app import api

__all__ = ["api"]
