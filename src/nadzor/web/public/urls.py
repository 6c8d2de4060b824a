"""The public complaint desk: the same paths in every language (`?lang=ru|en`)."""

from __future__ import annotations

from django.urls import path

from nadzor.web.public import transparency, views

urlpatterns = [
    path("", views.home, name="home"),
    path("complaints/new", views.new_complaint, name="new"),
    path("complaints/new/reason", views.reason_field, name="reason_field"),
    path("complaints/receipt", views.receipt, name="receipt"),
    path("complaints/status", views.status, name="status"),
    path("complaints/status/reply", views.status_reply, name="status_reply"),
    path("transparency", transparency.transparency, name="transparency"),
    path("transparency/<int:number>", transparency.transparency, name="transparency_report"),
]
