"""Pages and figures kept until the data changes: the EOSG dashboard's figures (page and API), shared by every
EOSG reader, and the pages read most, each kept for its one reader (kept_for_reader).

A kept figure is filed under the data version it was computed at. Every write to a watched table moves the
version once its transaction commits, however it was made: a service's save, a queryset's update(), a bulk
insert, the admin, a data migration, a Celery sweep. The write is seen where Django executes it (an execute
wrapper on every database connection, installed by HrufConfig.ready), so no write path has to remember to
invalidate, and the first read after a write computes afresh. Moving it after the commit, not before, means
no reader can file figures read before the write under the version that follows it.

What changes with no write at all (a deadline passing, a warning ageing into the response gap) and a write
made outside Django (psql) are bounded by FIGURES_CACHE_SECONDS: the sweeps that chase those deadlines run
every five minutes to every hour, and the page says when its figures were computed.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe

from .kept_gzip import KeptHtml
from .permissions import reader_key

T = TypeVar("T")

CACHE = "figures"
VERSION_KEY = "data-version"
WATCHED_APPS = ("hruf", "scans", "reviews", "followup")
# Written while people read, and never part of a figure: moving the version on them would empty the cache
# for nothing (a token's last use, the audit trail, notifications, the sweeps' heartbeats and alarm).
QUIET_MODELS = frozenset({"hruf.ApiToken", "hruf.AuditEvent", "hruf.Notification", "hruf.SweepAlarm",
                          "hruf.SweepHeartbeat"})
# A sign-in stamps the user's last login, which no figure shows: every sign-in would otherwise empty the cache.
_QUIET_WRITE = re.compile(r'\s*UPDATE\s+"hruf_user"\s+SET\s+"last_login"\s*=\s*%s\s+WHERE', re.IGNORECASE)
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


@cache
def watched_tables() -> frozenset[str]:
    return frozenset(
        model._meta.db_table
        for label in WATCHED_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model._meta.label not in QUIET_MODELS
    )


def data_version() -> str:
    version = caches[CACHE].get(VERSION_KEY)
    if version is None:
        caches[CACHE].add(VERSION_KEY, uuid.uuid4().hex, None)
        version = caches[CACHE].get(VERSION_KEY, "")
    return version


def move_version(cache: BaseCache | None = None) -> None:
    """A new data version in `cache` (by default the app's figures cache; the bench moves another server's)."""
    # A fresh token, never a counter: a counter lost with an evicted key would count up to old entries' keys.
    (caches[CACHE] if cache is None else cache).set(VERSION_KEY, uuid.uuid4().hex, None)


def kept(name: str, parts: Iterable[Any], compute: Callable[[], T]) -> T:
    """`compute()`'s value, kept under `name`, the data version and `parts` (whatever else it depends on:
    filters, language, time zone, the day)."""
    raw = repr((data_version(), *parts)).encode()
    key = f"{name}:{hashlib.sha256(raw).hexdigest()}"
    value = caches[CACHE].get(key)
    if value is None:
        value = compute()
        caches[CACHE].set(key, value, settings.FIGURES_CACHE_SECONDS)
    return value


@cache
def csrf_placeholder() -> str:
    """What kept HTML holds in place of its forms' CSRF token; the reader's own token is put in on each request
    (with_csrf), so a token is never kept nor shown to anyone else. Derived from the secret key, so that no
    text a person types can be taken for it (and given the reader's token)."""
    return "hruf-csrf-" + salted_hmac("hruf.figures_cache.csrf_placeholder", "kept").hexdigest()[:32]


def with_csrf(html: str, request) -> SafeString:
    return mark_safe(html.replace(csrf_placeholder(), get_token(request)))  # noqa: S308 - rendered by a template


def kept_for_reader(request, name: str, parts: Iterable[Any], draw: Callable[[], str], *,
                    afresh: bool = False) -> SafeString:
    """A page's content as `draw()` renders it (draw_for_reader), kept for this reader alone, for its query
    string, in their language, time zone and day, until the data changes; its forms given the reader's own
    CSRF token, and its compression kept with it (hruf.kept_gzip, through `request.kept_html`). Drawn afresh
    around a refused form (`afresh`) or a refusal to show beside its field (an error message)."""
    if afresh or any(m.level >= messages.ERROR for m in messages.get_messages(request)):
        return with_csrf(draw(), request)
    body = kept(name, (reader_key(request.user), sorted(request.GET.lists()), translation.get_language(),
                       timezone.get_current_timezone_name(), timezone.localdate(), *parts),
                lambda: KeptHtml.of(draw(), split_at=csrf_placeholder()))
    request.kept_html = body
    return body.html(get_token(request))


def draw_for_reader(request, template: str, context: dict) -> str:
    """`template` rendered to be kept: the CSRF placeholder for its forms' token, the request's messages for
    its fields' refusals."""
    return render_to_string(template, {**context, "csrf_token": csrf_placeholder(), "messages": messages.get_messages(request)})


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    write = _WRITE.match(sql) if isinstance(sql, str) else None
    if write and write.group(1) in watched_tables() and not _QUIET_WRITE.match(sql):
        connection = context["connection"]
        # Once per transaction: a rolled-back savepoint takes its callbacks, and this check, with it.
        if not (connection.in_atomic_block or connection.get_autocommit()):
            move_version()  # a transaction managed by hand: its commit cannot be waited for
        elif not any(func is move_version for _ids, func, _robust in connection.run_on_commit):
            transaction.on_commit(move_version, using=connection.alias)
    return result


def watch_writes(sender, connection, **kwargs) -> None:
    """connection_created: watch this connection's writes. First in line, so that a caller's own
    execute_wrapper() block, which pops the last wrapper when it ends, never takes this one away."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)
