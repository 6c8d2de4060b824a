"""The web app's Django settings, built on the store's."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from nadzor.store import StoreConfig
from nadzor.store._config import django_settings

__all__ = ["LANGUAGES", "web_settings"]

HERE = Path(__file__).resolve().parent
LANGUAGES = [("ru", "Русский"), ("uk", "Українська"), ("en", "English")]


def web_settings(
    config: StoreConfig,
    *,
    allowed_hosts: list[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    env = os.environ if env is None else env
    settings = django_settings(config)
    settings["INSTALLED_APPS"] = [
        *settings["INSTALLED_APPS"],
        "django.contrib.messages",
        "django.contrib.staticfiles",
        "ninja",
        "nadzor.web.apps.WebConfig",
    ]
    settings.update(
        ROOT_URLCONF="nadzor.web.urls",
        ALLOWED_HOSTS=allowed_hosts or ["127.0.0.1", "localhost", "[::1]", "testserver"],
        MIDDLEWARE=[
            "django.middleware.security.SecurityMiddleware",
            "nadzor.web.middleware.security_headers",
            "whitenoise.middleware.WhiteNoiseMiddleware",
            "nadzor.web.api_errors.ApiErrorShape",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "nadzor.web.middleware.language_from_query",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            # before the CSRF check and any view read the body
            "nadzor.web.limits.request_body_limit",
            "nadzor.web.limits.refuse_nul",
            "django.contrib.messages.middleware.MessageMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
        ],
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [],
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.template.context_processors.csrf",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                        "nadzor.web.context.language",
                    ],
                },
            }
        ],
        USE_I18N=True,
        LANGUAGE_CODE="ru",
        LANGUAGES=LANGUAGES,
        LOCALE_PATHS=[str(HERE / "locale")],
        STATIC_URL="/static/",
        STATIC_ROOT=None,
        WHITENOISE_USE_FINDERS=True,
        WHITENOISE_AUTOREFRESH=False,
        LOGIN_URL="/staff/login",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_AGE=8 * 3600,
        SESSION_EXPIRE_AT_BROWSER_CLOSE=True,
        CSRF_COOKIE_SAMESITE="Strict",
        # a browser-session cookie, not Django's year: gone when the browser closes
        CSRF_COOKIE_AGE=None,
        CSRF_COOKIE_HTTPONLY=True,
        CSRF_FAILURE_VIEW="nadzor.web.errors.csrf_failure",
        SECURE_CONTENT_TYPE_NOSNIFF=True,
        SECURE_REFERRER_POLICY="same-origin",
        SECURE_CROSS_ORIGIN_OPENER_POLICY="same-origin",
        X_FRAME_OPTIONS="DENY",
        DATA_UPLOAD_MAX_MEMORY_SIZE=2 * 1024 * 1024,
        FILE_UPLOAD_MAX_MEMORY_SIZE=2 * 1024 * 1024,
        NINJA_PAGINATION_PER_PAGE=50,
    )
    settings.update(_deployment(env, settings["ALLOWED_HOSTS"]))
    return settings


def _deployment(env: Mapping[str, str], hosts: list[str]) -> dict[str, Any]:
    """Settings for a deployment behind a reverse proxy, from NADZOR_* variables."""
    extra: dict[str, Any] = {
        # The header the proxy puts the client's address in, for the receipt-code limiter.
        "NADZOR_CLIENT_ADDRESS_HEADER": env.get("NADZOR_CLIENT_ADDRESS_HEADER", "").strip(),
    }
    extra["TIME_ZONE"] = desk_time_zone(env)
    max_mb = env.get("NADZOR_COMPLAINT_MAX_MB", "").strip()
    if max_mb.isdigit() and int(max_mb) > 0:
        extra["NADZOR_COMPLAINT_MAX_BYTES"] = int(max_mb) * 1024 * 1024
    public_url = env.get("NADZOR_PUBLIC_URL", "").strip()
    if public_url:
        parts = urlsplit(public_url)
        origin = f"{parts.scheme}://{parts.netloc}"
        extra["CSRF_TRUSTED_ORIGINS"] = [origin]
        extra["ALLOWED_HOSTS"] = [*hosts, parts.hostname or ""]
        if parts.scheme == "https":
            extra.update(
                SESSION_COOKIE_SECURE=True,
                CSRF_COOKIE_SECURE=True,
                SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
                SECURE_HSTS_SECONDS=31536000,
            )
    return extra


DEFAULT_TIME_ZONE = "Europe/Moscow"


def desk_time_zone(env: Mapping[str, str]) -> str:
    """The zone pages show times in (NADZOR_TIME_ZONE, Europe/Moscow by default); times
    are stored and logged in UTC whatever it is."""
    name = env.get("NADZOR_TIME_ZONE", "").strip() or DEFAULT_TIME_ZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"NADZOR_TIME_ZONE={name!r} is not a time zone name such as Europe/Moscow"
        ) from None
    return name
