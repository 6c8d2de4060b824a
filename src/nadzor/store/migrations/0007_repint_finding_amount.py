"""Findings carry the sum they concern (a rulebook's reporting measure), for reports."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0006_merge"),
    ]

    operations = [
        migrations.AddField(
            model_name="finding",
            name="amount",
            field=models.BigIntegerField(blank=True, null=True),
        ),
    ]
