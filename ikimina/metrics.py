"""`GET /metrics`: Prometheus text format, behind `METRICS_TOKEN` (Authorization: Bearer).

Counted as requests are served (per process; with gunicorn, `PROMETHEUS_MULTIPROC_DIR` makes
every worker's counts add up): USSD hops and their latency by screen, Africa's Talking
callbacks by endpoint and status. Read from the shared state at each scrape: outbox rows by
state, the delivery rate of the last 7 days, RQ queue depth and failed jobs per queue.
Each callback is also logged as one line (endpoint, status, screen, milliseconds; never the
form, so never a PIN or a token).
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Iterator
from datetime import timedelta

from flask import Flask, Response, abort, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select

from ikimina.callbacks import CALLBACK_BLUEPRINTS
from models import OutboundSms, SmsStatus, utcnow
from runtime.context import Context
from runtime.runners import QUEUES

log = logging.getLogger("ikimina.events")
#: The text format `generate_latest` writes, which every Prometheus version reads.
TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8"

#: The counters of this process (aggregated across processes in multiprocess mode).
REGISTRY = CollectorRegistry()
HOPS = Counter("ikimina_ussd_hops", "USSD hops answered, by screen shown", ["screen"],
               registry=REGISTRY)
HOP_SECONDS = Histogram(
    "ikimina_ussd_hop_seconds", "Time to answer a USSD hop, by screen shown", ["screen"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5), registry=REGISTRY,
)
CALLBACKS = Counter("ikimina_callbacks", "Africa's Talking callbacks, by endpoint and HTTP status",
                    ["endpoint", "status"], registry=REGISTRY)
#: What "handed to the network" means for the delivery rate (as on the console's dashboard).
HANDED_OVER = (SmsStatus.SENT, SmsStatus.DELIVERED, SmsStatus.FAILED)


class StateCollector:
    """Gauges read from PostgreSQL/SQLite and Redis at each scrape."""

    def __init__(self, context: Context) -> None:
        self.context = context

    def collect(self) -> Iterator[GaugeMetricFamily]:
        outbox = GaugeMetricFamily("ikimina_outbox_messages", "Outbox rows by state",
                                   labels=["state"])
        week = utcnow() - timedelta(days=7)
        with self.context.db.session() as session:
            counts = dict(session.execute(
                select(OutboundSms.status, func.count()).group_by(OutboundSms.status)).all())
            recent = dict(session.execute(
                select(OutboundSms.status, func.count())
                .where(OutboundSms.created_at >= week).group_by(OutboundSms.status)).all())
        for state in SmsStatus:
            outbox.add_metric([state.value], counts.get(state, 0))
        yield outbox
        handed = sum(recent.get(s, 0) for s in HANDED_OVER)
        yield GaugeMetricFamily(
            "ikimina_sms_delivery_rate",
            "Delivered / handed to the network (sent, delivered, failed), SMS of the last 7 days",
            value=recent.get(SmsStatus.DELIVERED, 0) / handed if handed else 0.0,
        )
        yield from self._queues()

    def _queues(self) -> Iterator[GaugeMetricFamily]:
        depth = GaugeMetricFamily("ikimina_queue_depth", "Jobs waiting per RQ queue",
                                  labels=["queue"])
        failed = GaugeMetricFamily("ikimina_failed_jobs", "Jobs in RQ's failed registry per queue",
                                   labels=["queue"])
        queues = getattr(self.context.runner, "queues", None)
        if queues:  # RQ (REDIS_URL set); in process, nothing waits in a queue
            from rq.registry import FailedJobRegistry

            for name in QUEUES:
                queue = queues[name]
                depth.add_metric([name], queue.count)
                failed.add_metric([name], FailedJobRegistry(queue=queue).count)
        yield depth
        yield failed


def install(app: Flask, context: Context) -> None:
    """Count and log every callback, and serve /metrics when METRICS_TOKEN is set."""
    state = CollectorRegistry()
    state.register(StateCollector(context))  # type: ignore[arg-type]

    @app.before_request
    def _start() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response: Response) -> Response:
        if request.blueprint not in CALLBACK_BLUEPRINTS or "metrics_started" not in g:
            return response
        seconds = time.perf_counter() - g.metrics_started
        endpoint = request.endpoint or request.path
        CALLBACKS.labels(endpoint, str(response.status_code)).inc()
        screen = g.get("ussd_screen")
        if screen:
            HOPS.labels(screen).inc()
            HOP_SECONDS.labels(screen).observe(seconds)
        log.info("callback endpoint=%s status=%s%s ms=%.1f", endpoint, response.status_code,
                 f" screen={screen}" if screen else "", seconds * 1000)
        return response

    @app.get("/metrics")
    def metrics() -> Response:
        token = context.settings.metrics_token
        if not token:
            abort(404)
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            abort(401)
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            counted = CollectorRegistry()
            MultiProcessCollector(counted)
        else:
            counted = REGISTRY
        body = generate_latest(counted) + generate_latest(state)
        response = Response(body)
        response.headers["Content-Type"] = TEXT_FORMAT
        return response
