"""Who may read a complainant's identity besides a supervisor: whether a supervisor linked
the complaint to its case, and an investigator's request and its approval.

Complaints linked before this change are marked as linked by a supervisor when the last
`complaint.link` entry of their history was made by a supervisor; the others need a
supervisor's approval before an investigator reads the identity.
"""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _mark_supervisor_links(apps: Any, schema_editor: Any) -> None:
    complaint_model = apps.get_model("store", "Complaint")
    audit_model = apps.get_model("store", "AuditEntry")
    user_model = apps.get_model("store", "User")
    supervisors = set(
        user_model.objects.filter(role="supervisor").values_list("username", flat=True)
    )
    supervisors.add("system")  # the local operator acts as a supervisor
    last: dict[str, str] = {}
    links = audit_model.objects.filter(action="complaint.link", subject__startswith="complaint:")
    for subject, actor in links.order_by("seq").values_list("subject", "actor").iterator():
        last[subject] = actor
    linked = complaint_model.objects.filter(case__isnull=False).values_list("pk", flat=True)
    marked = [pk for pk in linked if last.get(f"complaint:{pk}") in supervisors]
    for start in range(0, len(marked), 500):
        complaint_model.objects.filter(pk__in=marked[start : start + 500]).update(
            linked_by_supervisor=True
        )


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0006_merge"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="identity_granted_to",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="complaint",
            name="identity_request_reason",
            field=models.TextField(blank=True, db_default="", default=""),
        ),
        migrations.AddField(
            model_name="complaint",
            name="identity_requested_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="complaint",
            name="linked_by_supervisor",
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.RunPython(_mark_supervisor_links, migrations.RunPython.noop),
    ]
