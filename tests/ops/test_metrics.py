"""GET /metrics: Prometheus text, behind METRICS_TOKEN; what operators read without SQL."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from services.outbox import queue_sms

HOP = {"sessionId": "m-1", "serviceCode": "*384*1234#", "phoneNumber": "+250788199999",
       "networkCode": "63510", "text": ""}


def _samples(body: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body)
        for s in family.samples
    }


@pytest.fixture
def metrics(world_with):  # type: ignore[no-untyped-def]
    context, client, _world = world_with(metrics_token="scrape-me")
    return context, client


def test_metrics_are_not_served_without_a_token_configured(client) -> None:
    assert client.get("/metrics").status_code == 404


def test_metrics_need_the_bearer_token(metrics) -> None:
    _context, client = metrics
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 401


def test_metrics_count_hops_callbacks_outbox_and_delivery(metrics, caplog) -> None:
    context, client = metrics
    before = _samples(client.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
                      .get_data(as_text=True))
    caplog.set_level("INFO", logger="ikimina.events")
    assert client.post("/ussd?token=test-token", data=HOP).status_code == 200
    assert client.post("/sms/inbound?token=test-token", data={}).status_code == 400
    with context.db.session() as s:
        queue_sms(s, context.settings, "+250788100001", "Inama ejo")
        queue_sms(s, context.settings, "+250788100002", "Inama ejo")
    response = client.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    after = _samples(response.get_data(as_text=True))

    def grew(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    hop_screens = [dict(k[1])["screen"] for k in after if k[0] == "ikimina_ussd_hops_total"]
    counted = {s: grew("ikimina_ussd_hops_total", screen=s) for s in hop_screens}
    assert [n for n in counted.values() if n] == [1], counted  # one hop, one screen
    screen = next(s for s, n in counted.items() if n)
    assert grew("ikimina_ussd_hop_seconds_count", screen=screen) == 1
    assert grew("ikimina_callbacks_total", endpoint="ussd.hop", status="200") == 1
    assert grew("ikimina_callbacks_total", endpoint="sms.inbound", status="400") == 1
    assert after[("ikimina_outbox_messages", (("state", "sent"),))] >= 2
    assert ("ikimina_outbox_messages", (("state", "failed"),)) in after
    assert ("ikimina_sms_delivery_rate", ()) in after
    lines = [r.getMessage() for r in caplog.records if r.name == "ikimina.events"]
    assert any(f"screen={screen}" in line and "endpoint=ussd.hop" in line for line in lines)
    assert all("token" not in line for line in lines)


def test_metrics_show_queue_depth_and_failed_jobs_per_queue(settings, redis_url) -> None:
    from rq import Queue
    from rq.job import Job
    from rq.registry import FailedJobRegistry

    from ikimina.app import create_app
    from runtime.context import Context

    context = Context.build(settings.with_(metrics_token="scrape-me", redis_url=redis_url))
    client = create_app(context=context).test_client()
    bulk = context.runner.queues["bulk"]
    bulk.enqueue("worker.jobs.outbound.sweep_outbox")
    high: Queue = context.runner.queues["high"]
    job = Job.create("worker.jobs.outbound.sweep_outbox", connection=high.connection,
                     origin=high.name)
    job.save()
    FailedJobRegistry(queue=high).add(job, exc_string="boom")
    after = _samples(client.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
                     .get_data(as_text=True))
    assert after[("ikimina_queue_depth", (("queue", "bulk"),))] == 1
    assert after[("ikimina_queue_depth", (("queue", "high"),))] == 0
    assert after[("ikimina_failed_jobs", (("queue", "high"),))] == 1
