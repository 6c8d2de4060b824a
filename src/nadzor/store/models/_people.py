"""Identity and health details, kept apart from case facts and shown only to roles that need them."""

from __future__ import annotations

from django.db import models

from nadzor.store.models._cases import Case
from nadzor.store.models._users import User

#: The fields of a person that are personal data, in the order of the model.
PERSONAL_FIELDS = ("full_name", "birth_date", "contact", "health_notes", "notes")


class Person(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="people")
    full_name = models.CharField(max_length=300, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    contact = models.TextField(blank=True)
    health_notes = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        db_table = "nadzor_person"
