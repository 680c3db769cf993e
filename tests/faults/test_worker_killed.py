"""A worker killed with SIGKILL in the middle of delivering notifications: after the next run of the
redelivery sweep every email has gone out once, none lost and none twice. (A worker killed in the
middle of a sweep is tests/followup/test_concurrency.py.)"""

import datetime as dt
import time
from collections import Counter

import pytest
from django.conf import settings
from django.db.models import F

from hruf.models import Notification
from hruf.tasks import deliver_notification, notifications_redeliver_task

from .conftest import needs_postgres, send_task
from .services import wait_for
from .smtp import SmtpSink

pytestmark = [pytest.mark.faults, needs_postgres, pytest.mark.django_db(transaction=True)]
COUNT, KILLED_AT = 12, 5


def test_a_worker_killed_mid_delivery_loses_no_email_and_sends_none_twice(launch, redis_server, real_tasks,
                                                                          officer_a, chair_a, eosg):
    # The outbox as notify() leaves it: rows written, one delivery task queued per row.
    people = [officer_a, chair_a, eosg]
    Notification.objects.bulk_create(
        Notification(recipient=people[i % 3], code="legacy", params={"subject": f"Warning {i}", "body": ""},
                     email_state="pending") for i in range(COUNT)
    )
    for pk in Notification.objects.order_by("pk").values_list("pk", flat=True):
        send_task(deliver_notification, redis_server.url, pk)

    # The mail server takes the first messages, then stalls on the fifth: the worker is caught
    # in the middle of that delivery, its row claimed, its email not accepted.
    smtp = SmtpSink(stall_at=KILLED_AT)
    try:
        env = launch.env(REDIS_URL=redis_server.url, EMAIL_URL=smtp.url)
        worker = launch.worker(env, name="doomed")
        assert smtp.stalled.wait(60), launch.logs()
        worker.kill()

        states = Counter(Notification.objects.values_list("email_state", flat=True))
        assert states == {"sent": KILLED_AT - 1, "sending": 1, "pending": COUNT - KILLED_AT}
        assert sum(smtp.sent().values()) == KILLED_AT - 1

        # The next run. The sweep frees a claim only when it is older than the claim timeout (a live
        # worker may still be sending): move the clock of the rows on past it rather than wait.
        later = dt.timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS + 60)
        Notification.objects.update(created_at=F("created_at") - later)
        Notification.objects.filter(email_state="sending").update(email_claimed_at=F("email_claimed_at") - later)
        launch.worker(env, name="next")  # also takes the deliveries still queued: those find rows claimed
        send_task(notifications_redeliver_task, redis_server.url)

        assert wait_for(lambda: not Notification.objects.exclude(email_state="sent").exists(), 60), launch.logs()
        time.sleep(1)  # a second delivery of a row would land now
        expected = Counter((n.recipient.email, n.subject) for n in Notification.objects.select_related("recipient"))
        assert smtp.sent() == expected and set(expected.values()) == {1}
        # The killed delivery was tried twice (claimed, then retried); none of the others more than once.
        attempts = Counter(Notification.objects.values_list("email_attempts", flat=True))
        assert attempts == {1: COUNT - 1, 2: 1}
    finally:
        smtp.close()
