"""The audit log append-only in the database; the rate limiters' shared cache table; API
tokens with an expiry."""

from typing import Any

from django.db import migrations, models


def _append_only(apps: Any, schema_editor: Any) -> None:
    from nadzor.store._append_only import install

    install(schema_editor.connection)


def _writable(apps: Any, schema_editor: Any) -> None:
    from nadzor.store._append_only import remove

    remove(schema_editor.connection)


def _cache_table(apps: Any, schema_editor: Any) -> None:
    from nadzor.store._cache import create_cache_table

    create_cache_table(schema_editor.connection)


def _drop_cache_table(apps: Any, schema_editor: Any) -> None:
    from nadzor.store._append_only import CACHE_TABLE

    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0004_case_region_index"),
    ]

    operations = [
        migrations.RunPython(_append_only, _writable),
        migrations.RunPython(_cache_table, _drop_cache_table),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
