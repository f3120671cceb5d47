"""Prometheus metrics of this process, at `GET /metrics` (the text format, prometheus_client).

Each daphne process has its own figures; Prometheus scrapes every process (docs/deployment.md
shows the scrape configuration). The endpoint is off unless the operator opens it: with
METRICS_TOKEN (or METRICS_TOKEN_FILE) a scraper sends `Authorization: Bearer <token>`; with
METRICS_ALLOW_FROM (addresses or networks, comma-separated) it must come from one of them; with
both, both apply. Otherwise /metrics answers 404, like any unknown path.

What is measured, and where:
- sockets and subscriptions open now: read from the hubs when scraped (no bookkeeping per frame);
- events delivered, their delivery lag (from the publishing process's commit to the write to this
  socket), gap fills and resyncs: realtime/hub.py;
- socket closes by code and frames refused by reason: realtime/consumers.py;
- HTTP request latency by view (the URL pattern's name, so the label set stays bounded):
  RequestMetricsMiddleware;
- the database pool: size, idle connections, requests waiting, read from psycopg's pool.
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from collections.abc import Iterable, Iterator

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.db import connections
from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)

EVENTS_DELIVERED = Counter(
    "jbgs_realtime_events_delivered",
    "Stored events written to a socket (one per subscriber).",
    registry=REGISTRY,
)
DELIVERY_LAG = Histogram(
    "jbgs_realtime_delivery_lag_seconds",
    "From the publishing process's commit to the writes to the live sockets (once per event and process).",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=REGISTRY,
)
GAP_FILLS = Counter(
    "jbgs_realtime_gap_fills",
    "Missing events read back from the database for a subscriber.",
    registry=REGISTRY,
)
RESYNCS = Counter(
    "jbgs_realtime_resyncs",
    "Subscribers told to reload (too much missing, or not stored).",
    registry=REGISTRY,
)
SOCKET_CLOSES = Counter(
    "jbgs_realtime_socket_closes", "Sockets closed, by close code.", ["code"], registry=REGISTRY
)
FRAMES_REFUSED = Counter(
    "jbgs_realtime_frames_refused",
    "Client frames answered with an error, by reason.",
    ["reason"],
    registry=REGISTRY,
)
CHAT_SEND_BATCH = Histogram(
    "jbgs_chat_send_batch_size",
    "Chat messages stored in one transaction (sent to one room at about the same time).",
    buckets=(1, 2, 4, 8, 16, 32, 64),
    registry=REGISTRY,
)
REQUEST_LATENCY = Histogram(
    "jbgs_http_request_duration_seconds",
    "HTTP requests through Django, by URL name, method and status class.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)


class _LiveStateCollector(Collector):
    """Figures read when scraped: the hubs' sockets and subscriptions, the database pool."""

    def describe(self) -> Iterator[Metric]:
        # Registering calls describe(), or else collect(), which imports the hub module: done
        # while that module is itself importing this one (the first publish of a process that
        # serves no socket), the import failed.
        return iter(())

    def collect(self) -> Iterator[Metric]:
        from platform_core.realtime.hub import all_hubs

        sockets: set[object] = set()
        subscriptions = 0
        for hub in all_hubs():
            for subs in tuple(hub.local.values()):
                subscriptions += len(subs)
                sockets.update(sub.connection for sub in tuple(subs))
        yield GaugeMetricFamily("jbgs_realtime_open_sockets", "Sockets open in this process.", len(sockets))
        yield GaugeMetricFamily(
            "jbgs_realtime_subscriptions", "Topic subscriptions of this process's sockets.", subscriptions
        )
        pool = getattr(connections["default"], "pool", None)
        if pool is not None:
            stats = pool.get_stats()
            yield GaugeMetricFamily(
                "jbgs_db_pool_size", "Connections the pool holds.", stats.get("pool_size", 0)
            )
            yield GaugeMetricFamily(
                "jbgs_db_pool_max_size", "The pool's bound (DB_POOL_MAX_SIZE).", stats.get("pool_max", 0)
            )
            yield GaugeMetricFamily(
                "jbgs_db_pool_available", "Idle connections in the pool.", stats.get("pool_available", 0)
            )
            yield GaugeMetricFamily(
                "jbgs_db_pool_waiting", "Requests waiting for a connection.", stats.get("requests_waiting", 0)
            )


REGISTRY.register(_LiveStateCollector())


def observe_delivery(published_at: float | None, sockets: int = 1) -> None:
    """One event written to `sockets` local sockets; its lag is observed once per process (a
    histogram sample per socket cost a sixth of the fan-out at 20,000 deliveries a second)."""
    EVENTS_DELIVERED.inc(sockets)
    if published_at is not None:
        DELIVERY_LAG.observe(max(0.0, time.time() - published_at))


# Access ----------------------------------------------------------------------------------------


def _networks(entries: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def scrape_allowed(
    client_address: str | None, authorization: str | None, *, proxied: bool = False
) -> bool | None:
    """True to answer, False to refuse (403), None when metrics are off (404).

    `proxied`: the request came through the reverse proxy (it carries X-Forwarded-For). Its
    address is then the proxy's, which an allow-list of local addresses would admit: such a
    request is never admitted by its address. Scrapers ask each process directly.
    """
    token: str = settings.METRICS_TOKEN
    allowed_from: list[str] = settings.METRICS_ALLOW_FROM
    if not token and not allowed_from:
        return None
    if token:
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            return False
    if allowed_from:
        if proxied:
            return False
        try:
            address = ipaddress.ip_address(client_address or "")
        except ValueError:
            return False
        if not any(address in network for network in _networks(allowed_from)):
            return False
    return True


def exposition() -> tuple[bytes, bytes]:
    """(content type, body) of a scrape."""
    return CONTENT_TYPE_LATEST.encode(), generate_latest(REGISTRY)


# HTTP request latency ----------------------------------------------------------------------------


class RequestMetricsMiddleware:
    """Times each request through Django and labels it with its URL name (bounded cardinality)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self._acall(request)
        started = time.perf_counter()
        response = self.get_response(request)
        self._observe(request, response, started)
        return response

    async def _acall(self, request):
        started = time.perf_counter()
        response = await self.get_response(request)
        self._observe(request, response, started)
        return response

    @staticmethod
    def _observe(request, response, started: float) -> None:
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match is not None and match.view_name else "unmatched"
        method = request.method if request.method in _METHODS else "other"
        REQUEST_LATENCY.labels(view, method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
