"""Staff accounts: Django's user with one nadzor role, and API tokens kept as hashes."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from nadzor.store.models._choices import ROLE_CHOICES


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "nadzor_user"


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored (the token itself has 256 random bits)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        db_table = "nadzor_api_token"
