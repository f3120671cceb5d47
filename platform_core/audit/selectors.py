"""Reading the audit trail. Who may read which object's trail is decided by the object's app."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from .labels import visible_to
from .models import AuditEntry


def audit_trail_of(target: models.Model, *, viewer, limit: int = 20) -> QuerySet[AuditEntry]:
    """The latest entries about `target` that `viewer` may read (sealed actions: superusers only)."""
    entries = AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
    return visible_to(viewer, entries).select_related("actor")[:limit]
