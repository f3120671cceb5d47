"""Reading the audit trail. Who may read which object's trail is decided by the object's app."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from .models import AuditEntry


def audit_trail_of(target: models.Model, *, limit: int = 20) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")[:limit]
