"""Joins the migrations that identity access, the findings' amounts and the findings'
evaluation dates added side by side; it changes nothing itself."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0007_access9_identity_access"),
        ("store", "0007_people10_finding_evaluation"),
        ("store", "0007_repint_finding_amount"),
    ]

    operations: list[migrations.operations.base.Operation] = []
