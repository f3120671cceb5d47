"""Helpers shared by the showcase services: URLs in notifications, who to notify, numbers."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from platform_core.accounts.models import AdminGrant
from platform_core.notifications.services import notify, verbatim  # noqa: F401  the one notify, for this app
from platform_core.orgs.permissions import admin_covers_unit

from ..models import Achievement


def achievement_url(achievement: Achievement) -> str:
    return f"/showcase/{achievement.pk}/"


def admins_over(unit) -> list:
    """The union admins whose scope covers `unit` (a handful of people: asked one by one)."""
    grants = AdminGrant.objects.select_related("user").filter(user__is_active=True)
    users = {grant.user_id: grant.user for grant in grants}
    return [user for user in users.values() if admin_covers_unit(user, unit)]


def required_amount(value, *, field: str) -> Decimal:
    amount = decimal_value(value, field=field)
    if amount is None:
        raise ValidationError({field: _("Give an amount.")})
    return amount


def decimal_value(value, *, field: str) -> Decimal | None:
    """An amount in yuan (None when empty): a finite, non-negative number, to the fen."""
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: _("Give an amount in yuan.")}) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise ValidationError({field: _("Give an amount in yuan, not negative.")})
    return amount.quantize(Decimal("0.01"))
