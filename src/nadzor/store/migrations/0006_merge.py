"""Joins the migrations that the work on cases for any rulebook, hardening, reports, intake
and the people's experience added side by side; it changes nothing itself."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0005_anyrec_case_subject"),
        ("store", "0005_hardsrv_append_only"),
        ("store", "0005_intake_items"),
        ("store", "0005_people_messages_topics_approvals"),
        ("store", "0005_reports_screening_runs"),
    ]

    operations: list[migrations.operations.base.Operation] = []
