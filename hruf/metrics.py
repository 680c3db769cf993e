"""/metrics for Prometheus, served only to the configured scraper (METRICS_TOKEN as a bearer token,
or an address in METRICS_ALLOWED_IPS); everyone else gets 403, and with neither set nobody is served.

Request latency by view, database and cache figures come from django-prometheus' middleware; the
sweeps' heartbeats, the outbox and the task queue are read at scrape time by SweepsCollector.
With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (an empty folder per start), so that a
scrape sums every worker's counters instead of the one that answered.
"""

from __future__ import annotations

import hmac
import ipaddress
import os

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from .client import client_address
from .heartbeats import sweep_states
from .operations import outbox_backlog, queue_length


class SweepsCollector:
    """The figures an operator reads on /operations/, read from the database at each scrape."""

    def collect(self):
        by_sweep = {
            "hruf_sweep_last_finished_timestamp_seconds": "When the sweep last finished a run.",
            "hruf_sweep_last_duration_seconds": "How long its last run took.",
            "hruf_sweep_last_claimed_rows": "Rows its last finished run claimed (steps taken).",
            "hruf_sweep_last_notifications": "Notifications its last finished run wrote.",
            "hruf_sweep_last_failed_rows": "Rows its last finished run failed on (left for the next run).",
            "hruf_sweep_late": "1 when it has not finished within its allowed time (twice its interval).",
            "hruf_sweep_late_after_seconds": "The time it is allowed between two finished runs.",
        }
        gauges = {name: GaugeMetricFamily(name, text, labels=["sweep"]) for name, text in by_sweep.items()}
        runs = CounterMetricFamily("hruf_sweep_runs", "Runs finished.", labels=["sweep"])
        errors = CounterMetricFamily("hruf_sweep_errors", "Runs that raised.", labels=["sweep"])
        for s in sweep_states():
            beat, label = s.heartbeat, [s.name]
            if beat.last_finished_at:
                gauges["hruf_sweep_last_finished_timestamp_seconds"].add_metric(label, beat.last_finished_at.timestamp())
            if beat.last_duration_ms is not None:
                gauges["hruf_sweep_last_duration_seconds"].add_metric(label, beat.last_duration_ms / 1000)
            gauges["hruf_sweep_last_claimed_rows"].add_metric(label, beat.last_claimed)
            gauges["hruf_sweep_last_notifications"].add_metric(label, beat.last_notified)
            gauges["hruf_sweep_last_failed_rows"].add_metric(label, beat.last_failed_rows)
            gauges["hruf_sweep_late"].add_metric(label, int(s.late))
            gauges["hruf_sweep_late_after_seconds"].add_metric(label, s.allowed.total_seconds())
            runs.add_metric(label, beat.runs)
            errors.add_metric(label, beat.errors)
        yield from gauges.values()
        yield runs
        yield errors
        yield from _outbox()
        waiting = queue_length()
        if waiting is not None:
            yield GaugeMetricFamily("hruf_task_queue_length", "Tasks waiting in the queue.", value=waiting)


def _outbox():
    backlog = outbox_backlog()
    states = GaugeMetricFamily("hruf_outbox_notifications", "Emails in the outbox by state.", labels=["state"])
    for state in ("pending", "retrying", "failed"):
        states.add_metric([state], getattr(backlog, state))
    yield states
    if backlog.oldest_pending_at is not None:
        yield GaugeMetricFamily(
            "hruf_outbox_oldest_waiting_timestamp_seconds", "When the oldest email still waiting was written.",
            value=backlog.oldest_pending_at.timestamp(),
        )


_ours = CollectorRegistry()  # read at scrape time only, never on registration
_ours.register(SweepsCollector())


def scraper_allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    address = client_address(request)
    return address is not None and any(
        ipaddress.ip_address(address) in network for network in settings.METRICS_ALLOWED_IPS)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not scraper_allowed(request):
        return HttpResponse("Metrics are served to the configured scraper only.\n", status=403,
                            content_type="text/plain; charset=utf-8")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return HttpResponse(generate_latest(registry) + generate_latest(_ours), content_type=CONTENT_TYPE_LATEST)
