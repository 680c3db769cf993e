"""Redis stopped while officers submit scans and raise alerts: their work is saved at once, the
notifications wait in the outbox, and once Redis is back every one is emailed exactly once."""

import datetime as dt
import re
import time
from collections import Counter

import pytest
import redis
from django.db.models import F

from hruf.models import Notification
from hruf.tasks import notifications_redeliver_task
from scans.models import Alert, Scan

from .conftest import needs_postgres, send_task
from .services import wait_for
from .web import Browser

pytestmark = [pytest.mark.faults, needs_postgres, pytest.mark.django_db(transaction=True)]

# A submission must not hang on the broker: the publish gives up quickly (hruf/settings.py).
FAST = 5.0


def _raise_alert(browser: Browser, country, title: str):
    return browser.submit(f"/countries/{country.iso3}/alerts/new/", title=title, location="North",
                          severity="severe", description="Armed men at the camp.")


def _submit_scan(browser: Browser, country):
    """Start this period's scan from the country page, then submit it with every indicator severe."""
    started = browser.submit(f"/countries/{country.iso3}/", f"/countries/{country.iso3}/scans/start/")
    assert started.status == 302, started.text[:500]
    edit = started.headers["location"]
    fields = browser.get(edit).form("")
    for name in list(fields):  # each matrix row has a trend select (its rating radios start unchecked)
        if re.fullmatch(r"r-\d+-trend", name):
            row = name[: -len("trend")]
            fields.update({f"{row}rating": "3", f"{row}evidence": "Seen by the team.", f"{row}trend": "worsening",
                           f"{row}confidence": "high"})
    submitted = browser.request("POST", edit, {**fields, "action": "submit", "narrative": "Sharp deterioration."})
    return started, submitted


def test_submissions_succeed_while_redis_is_down_and_each_notification_is_sent_once(
    launch, redis_server, smtp, real_tasks, matrix, country_a, country_b, officer_a, officer_b, chair_a, eosg
):
    env = launch.env(REDIS_URL=redis_server.url, EMAIL_URL=smtp.url)
    web = launch.gunicorn(env)
    officers = [(Browser(web.base, officer_a), country_a), (Browser(web.base, officer_b), country_b)]

    # Before the outage: an alert whose two deliveries wait in Redis (no worker runs yet).
    assert _raise_alert(officers[0][0], country_a, "Before the outage").status == 302

    redis_server.stop()  # without persistence: the two queued deliveries are lost with it
    for browser, country in officers:
        started, submitted = _submit_scan(browser, country)
        alert = _raise_alert(browser, country, f"During the outage in {country.iso3}")
        for page in (started, submitted, alert):
            assert page.status == 302, page.text[:500]
            assert page.seconds < FAST, f"a request waited {page.seconds:.1f}s on the broker"
    assert Scan.objects.submitted().count() == 2
    assert Alert.objects.count() == 3
    # Stored in the outbox, never handed to the broker: the first alert's two, and now each severe
    # scan's risk warning (chair_a) and each alert's (chair_a, EOSG).
    assert Notification.objects.filter(email_state="pending", email_attempts=0).count() == 8

    redis_server.start()
    assert _raise_alert(officers[0][0], country_a, "After the outage").status == 302
    # The app reconnected by itself: this alert's deliveries are queued again.
    assert redis.Redis.from_url(redis_server.url).llen("celery") == 2

    launch.worker(env)
    # The redelivery sweep (beat, once a minute) leaves rows younger than 30 s to their own task;
    # these are older by the time it runs.
    Notification.objects.update(created_at=F("created_at") - dt.timedelta(minutes=1))
    send_task(notifications_redeliver_task, redis_server.url)

    def all_sent():
        rows = Notification.objects.all()
        return rows.count() == 10 and not rows.exclude(email_state="sent").exists()

    assert wait_for(all_sent, 60), list(Notification.objects.values_list("subject", "email_state", "email_error"))
    time.sleep(1)  # a duplicate delivery in flight (the sweep re-enqueued queued rows) would land now
    expected = Counter((n.recipient.email, n.subject) for n in Notification.objects.select_related("recipient"))
    assert smtp.sent() == expected
    assert set(expected.values()) == {1}
    assert sum(1 for _to, subject in expected if subject.startswith("Risk in Country")) == 2


def test_a_hung_redis_holds_a_submission_only_seconds(launch, redis_server, real_tasks, country_a, officer_a, chair_a,
                                                      eosg):
    env = launch.env(REDIS_URL=redis_server.url)
    web = launch.gunicorn(env, workers=1)
    officer = Browser(web.base, officer_a)
    assert _raise_alert(officer, country_a, "While Redis answers").status == 302  # a pooled connection now

    redis_server.freeze()
    try:
        page = _raise_alert(officer, country_a, "While Redis hangs")
    finally:
        redis_server.thaw()
    assert page.status == 302
    # One publish gives up after a few 2-second socket timeouts (about 6 s here, not for ever) and
    # the other delivery is left to the sweep without trying.
    assert page.seconds < 2 * FAST, f"the submission waited {page.seconds:.1f}s on a hung broker"
    assert Notification.objects.filter(params__title="While Redis hangs", email_state="pending").count() == 2
