"""GET /metrics: off unless opened, token or address list, and the figures it reports."""

from __future__ import annotations

import pytest
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async
from django.test import Client

from platform_core import metrics
from platform_core.asgi import application
from platform_core.realtime.services import emit

TOKEN = "m" * 40


async def scrape(*, client: str = "127.0.0.1", headers: list[tuple[bytes, bytes]] | None = None):
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "path": "/metrics",
        "raw_path": b"/metrics",
        "query_string": b"",
        "root_path": "",
        "scheme": "http",
        "headers": [(b"host", b"testserver"), *(headers or [])],
        "client": (client, 40000),
        "server": ("127.0.0.1", 8000),
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(timeout=10)
    body = b""
    while True:
        part = await communicator.receive_output(timeout=10)
        body += part.get("body", b"")
        if not part.get("more_body"):
            break
    return start["status"], body.decode()


def bearer(token: str) -> list[tuple[bytes, bytes]]:
    return [(b"authorization", f"Bearer {token}".encode())]


def sample(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not in the scrape")


@pytest.mark.django_db(transaction=True)
async def test_metrics_are_off_until_the_operator_opens_them(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOW_FROM = []
    status, _ = await scrape(headers=bearer(TOKEN))
    assert status == 404


@pytest.mark.django_db(transaction=True)
async def test_a_token_is_required_when_set(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOW_FROM = []
    assert (await scrape())[0] == 403
    assert (await scrape(headers=bearer("x" * 40)))[0] == 403
    status, text = await scrape(headers=bearer(TOKEN))
    assert status == 200
    assert "jbgs_realtime_open_sockets" in text
    assert "process_resident_memory_bytes" in text


@pytest.mark.django_db(transaction=True)
async def test_an_address_list_admits_its_networks_and_never_a_proxied_request(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOW_FROM = ["10.0.0.0/8", "192.168.1.7"]
    assert (await scrape(client="10.2.3.4"))[0] == 200
    assert (await scrape(client="192.168.1.7"))[0] == 200
    assert (await scrape(client="192.168.1.8"))[0] == 403
    # Through nginx every request comes from the proxy's address: never admitted by it.
    proxied = [(b"x-forwarded-for", b"203.0.113.9")]
    assert (await scrape(client="10.2.3.4", headers=proxied))[0] == 403


@pytest.mark.django_db(transaction=True)
async def test_sockets_subscriptions_and_deliveries_are_counted(settings, sockets, tcast):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOW_FROM = []
    delivered_before = metrics.EVENTS_DELIVERED._value.get()
    lag_before = sample((await scrape(headers=bearer(TOKEN)))[1], "jbgs_realtime_delivery_lag_seconds_count")
    socket = await sockets.open(tcast.member)
    topic = tcast.studio1.topic
    await socket.subscribe(topic)
    await database_sync_to_async(emit)(topic, "test.metrics", {})
    frame = await socket.receive()
    assert frame["event"] == "test.metrics"
    _, text = await scrape(headers=bearer(TOKEN))
    assert sample(text, "jbgs_realtime_open_sockets") == 1
    # Its user topic (every socket follows it) and the studio.
    assert sample(text, "jbgs_realtime_subscriptions") == 2
    assert sample(text, "jbgs_realtime_events_delivered_total") == delivered_before + 1
    assert sample(text, "jbgs_realtime_delivery_lag_seconds_count") == lag_before + 1


@pytest.mark.django_db
def test_request_latency_is_labelled_by_url_name(cast):
    def count() -> float:
        return (
            metrics.REGISTRY.get_sample_value(
                "jbgs_http_request_duration_seconds_count",
                {"view": "home:index", "method": "GET", "status": "2xx"},
            )
            or 0.0
        )

    before = count()
    assert Client().get("/").status_code == 200
    assert count() == before + 1
    Client().get("/no-such-page/")
    assert metrics.REGISTRY.get_sample_value(
        "jbgs_http_request_duration_seconds_count", {"view": "unmatched", "method": "GET", "status": "4xx"}
    )


@pytest.mark.django_db(transaction=True)
async def test_refused_frames_are_counted_by_reason(sockets, tcast):
    socket = await sockets.open(tcast.member)
    await socket.send({"type": "subscribe", "topic": "no-such-kind:1", "ref": "x"})
    answer = await socket.receive()
    assert answer["type"] == "error"
    reason = answer["code"]
    assert metrics.REGISTRY.get_sample_value("jbgs_realtime_frames_refused_total", {"reason": reason}) >= 1
