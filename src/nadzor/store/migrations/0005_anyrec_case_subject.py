"""Cases say what their subject is (a person, a unit, a facility): any rulebook opens cases."""

from django.db import migrations, models


def _screened_cases_are_about_people(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Until now every case from findings was a call-up case about one person's record.
    case = apps.get_model("store", "Case")
    case.objects.exclude(source="").update(subject_kind="person")


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0004_case_region_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="subject_kind",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.RunPython(_screened_cases_are_about_people, migrations.RunPython.noop),
    ]
