"""A finding keeps the day it was evaluated on and the facts its explanation states."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("store", "0006_merge")]

    operations = [
        migrations.AddField(
            model_name="finding",
            name="evaluated_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="finding",
            name="facts",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
