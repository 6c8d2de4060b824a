"""The web app's Django application: templates, static files, translations, template tags."""

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "nadzor.web"
    label = "web"
    verbose_name = "nadzor web"
