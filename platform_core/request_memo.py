"""Answers computed once per read-only request: the same permission question asked by several
parts of one page (the challenge page asked "may this user post for the unit?" four times).

`RequestMemoMiddleware` opens a memo for GET and HEAD requests only, so a request that writes
(and may change the answer half-way, e.g. granting a role then checking it) never reads a stale
one; outside a request (services called by tests, consumers, periodic jobs) `memoized` computes
every time. The memo lives in a context variable: each request has its own, whichever thread or
task serves it, and it is dropped when the response is made.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")
_memo: ContextVar[dict[Hashable, object] | None] = ContextVar("request_memo", default=None)
READ_ONLY_METHODS = frozenset({"GET", "HEAD"})


def memoized(key: Hashable, compute: Callable[[], T]) -> T:
    """compute() once per read-only request for `key`; every time elsewhere."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[return-value]


class RequestMemoMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READ_ONLY_METHODS:
            return self.get_response(request)
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
