"""Pages show times in the desk's time zone: Europe/Moscow unless NADZOR_TIME_ZONE says."""

from __future__ import annotations

from pathlib import Path

import pytest

from nadzor.store import StoreConfig
from nadzor.web._settings import web_settings


def settings_for(tmp_path: Path, **env: str) -> dict[str, object]:
    config = StoreConfig(database_url=f"sqlite:///{tmp_path / 'x.db'}", secret_file=tmp_path / "s")
    return web_settings(config, env=env)


def test_moscow_by_default_and_any_zone_by_name(tmp_path: Path) -> None:
    assert settings_for(tmp_path)["TIME_ZONE"] == "Europe/Moscow"
    chosen = settings_for(tmp_path, NADZOR_TIME_ZONE="Asia/Yekaterinburg")
    assert chosen["TIME_ZONE"] == "Asia/Yekaterinburg"
    assert settings_for(tmp_path)["USE_TZ"] is True  # stored and logged in UTC


def test_a_zone_that_does_not_exist_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="NADZOR_TIME_ZONE='Mars/Olympus' is not a time zone"):
        settings_for(tmp_path, NADZOR_TIME_ZONE="Mars/Olympus")


@pytest.mark.django_db
def test_the_status_page_shows_moscow_time(client: object) -> None:
    import datetime as dt
    import re

    from django.test import Client

    from nadzor.complaints.services import submit
    from nadzor.store.models import Complaint

    sent = submit({"category": "abuse", "text": "Бьют."})
    noon_utc = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    Complaint.objects.filter(pk=sent.complaint_id).update(updated_at=noon_utc)
    browser = Client()
    form = browser.get("/complaints/status?lang=ru").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token
    page = browser.post(
        "/complaints/status?lang=ru", {"code": sent.code, "csrfmiddlewaretoken": token.group(1)}
    ).content.decode()
    assert "1 марта 2026, 15:00 мск" in page
