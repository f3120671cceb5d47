"""Recording audit entries. Every service that changes something important calls `audit_record`."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .models import AuditEntry


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    ip_address: str | None = None,
    data: dict | None = None,
) -> AuditEntry:
    payload = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        ip_address=ip_address or None,
        data=payload,
    )
