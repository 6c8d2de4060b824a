"""Deployment settings from NADZOR_* variables: HTTPS behind a proxy, the limiter's header."""

from __future__ import annotations

from pathlib import Path

from nadzor.store import StoreConfig
from nadzor.web._settings import web_settings


def settings_for(tmp_path: Path, **env: str) -> dict[str, object]:
    config = StoreConfig(database_url=f"sqlite:///{tmp_path / 'x.db'}", secret_file=tmp_path / "s")
    return web_settings(config, env=env)


def test_defaults_serve_loopback_over_http(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    assert "127.0.0.1" in settings["ALLOWED_HOSTS"]  # type: ignore[operator]
    assert not settings.get("SESSION_COOKIE_SECURE")
    assert settings["NADZOR_CLIENT_ADDRESS_HEADER"] == ""
    assert "NADZOR_COMPLAINT_MAX_BYTES" not in settings


def test_a_public_https_url_makes_cookies_secure_and_trusts_the_origin(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path,
        NADZOR_PUBLIC_URL="https://nadzor.example.org/",
        NADZOR_CLIENT_ADDRESS_HEADER="X-Forwarded-For",
        NADZOR_COMPLAINT_MAX_MB="5",
    )
    assert settings["CSRF_TRUSTED_ORIGINS"] == ["https://nadzor.example.org"]
    assert "nadzor.example.org" in settings["ALLOWED_HOSTS"]  # type: ignore[operator]
    assert settings["SESSION_COOKIE_SECURE"] is True and settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings["NADZOR_CLIENT_ADDRESS_HEADER"] == "X-Forwarded-For"
    assert settings["NADZOR_COMPLAINT_MAX_BYTES"] == 5 * 1024 * 1024
