"""Paging of every API list: `limit` (1 to API_MAX_PAGE_SIZE, default PAGE_SIZE) and `offset`.

A value that is not a plain decimal number in range is a 400 naming the parameter, rather than
DRF's silent fallback to the default (a client asking for `limit=100000` learns the maximum instead
of wondering where the rest went) and rather than a database overflow (a 500) for a huge number.
"""

from __future__ import annotations

import re

from django.conf import settings
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

# Far beyond any table here, yet within a 32-bit integer for every database.
MAX_OFFSET = 2**31 - 1

_DECIMAL = re.compile(r"[0-9]{1,10}")


def _bounded_int(raw: str, name: str, minimum: int, maximum: int) -> int:
    value = int(raw) if _DECIMAL.fullmatch(raw) else None
    if value is None or not minimum <= value <= maximum:
        raise ValidationError({name: [f"Give a whole number from {minimum} to {maximum}."]})
    return value


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    # Read at each request, not frozen at import, so the setting can change under tests.
    @property
    def max_limit(self) -> int:  # type: ignore[override]
        return settings.API_MAX_PAGE_SIZE

    def get_limit(self, request) -> int | None:
        raw = request.query_params.get(self.limit_query_param)
        if raw is None:
            return self.default_limit
        return _bounded_int(raw, self.limit_query_param, 1, self.max_limit)

    def get_offset(self, request) -> int:
        raw = request.query_params.get(self.offset_query_param)
        if raw is None:
            return 0
        return _bounded_int(raw, self.offset_query_param, 0, MAX_OFFSET)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit, "default": self.default_limit},
            self.offset_query_param: {"minimum": 0, "maximum": MAX_OFFSET, "default": 0},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
