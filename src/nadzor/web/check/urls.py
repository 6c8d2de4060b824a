"""The self-check: the same paths in every language (`?lang=ru|uk|en`)."""

from __future__ import annotations

from django.urls import path

from nadzor.web.check import views

urlpatterns = [
    path("", views.check_page, name="page"),
    path("/letter", views.letter, name="letter"),
]
