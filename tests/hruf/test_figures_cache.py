"""The data version kept figures are filed under (hruf/figures_cache.py): every committed write to a watched
table moves it, however the write was made; a rolled-back write, a read and a quiet table's write do not."""

import pytest
from django.core.cache import caches
from django.db import connection, transaction

from followup.models import Action
from hruf import figures_cache
from hruf.models import AuditEvent, Entity, Notification
from scans.models import Alert

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("kept_pages")]


class moved:  # noqa: N801 - read as a sentence: with moved() as watch
    """Whether the block's writes moved the version. The tests run on a database that commits (no test
    transaction around them), as the app's writes do."""

    def __enter__(self):
        self.before = figures_cache.data_version()
        return self

    def __exit__(self, *exc):
        self.moved = figures_cache.data_version() != self.before


def test_a_saved_row_moves_the_version(country_a, officer_a):
    with moved() as watch:
        Alert.objects.create(country=country_a, title="t", location="l", severity="serious", description="d",
                             raised_by=officer_a)
    assert watch.moved


def test_an_update_and_a_delete_by_queryset_move_it_too(country_a, officer_a):
    alert = Alert.objects.create(country=country_a, title="t", location="l", severity="serious", description="d",
                             raised_by=officer_a)
    with moved() as watch:
        Alert.objects.filter(pk=alert.pk).update(title="changed")
    assert watch.moved
    with moved() as watch:
        Alert.objects.filter(pk=alert.pk).delete()
    assert watch.moved


def test_a_bulk_insert_moves_it():
    with moved() as watch:
        Entity.objects.bulk_create([Entity(code="X1", name="x1"), Entity(code="X2", name="x2")])
    assert watch.moved


def test_a_transaction_moves_it_once_and_only_when_it_commits(monkeypatch):
    moves = []
    monkeypatch.setattr(figures_cache, "move_version", lambda: moves.append(1) or caches["figures"].clear())
    with moved() as watch:
        with transaction.atomic():
            Entity.objects.create(code="A1", name="a")
            Entity.objects.create(code="A2", name="b")
            Entity.objects.filter(code="A1").update(name="c")
    assert moves == [1]
    assert watch.moved

    with moved() as watch:
        try:
            with transaction.atomic():
                Entity.objects.create(code="B1", name="b")
                raise RuntimeError("the write is given up")
        except RuntimeError:
            pass
    assert not watch.moved
    assert not Entity.objects.filter(code="B1").exists()


def test_reads_and_quiet_tables_leave_it(eosg):
    with moved() as watch:
        list(Action.objects.all())
        Notification.objects.create(recipient=eosg, code="test")
        AuditEvent.objects.create(actor=eosg, action=AuditEvent.Action.EXPORT)
    assert not watch.moved


def test_a_value_is_kept_until_the_version_moves():
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    assert figures_cache.kept("t", ["a"], compute) == 1
    assert figures_cache.kept("t", ["a"], compute) == 1
    assert figures_cache.kept("t", ["b"], compute) == 2  # other parts, another entry
    with moved():
        Entity.objects.create(code="C1", name="c")
    assert figures_cache.kept("t", ["a"], compute) == 3


def test_a_kept_value_expires_after_figures_cache_seconds(settings):
    settings.FIGURES_CACHE_SECONDS = 0  # Django's cache keeps nothing for 0 seconds
    computed = []
    for _ in range(2):
        figures_cache.kept("t", [], lambda: computed.append(1) or len(computed))
    assert len(computed) == 2


def test_the_watch_outlives_a_callers_own_execute_wrapper():
    """A connection opened inside someone's execute_wrapper() block (a profiler's, the bench's) gets the
    watch first in line, so the block's end removes the caller's wrapper, not the watch."""
    watch = figures_cache._watch
    assert watch in connection.execute_wrappers  # installed when the connection was made
    connection.execute_wrappers.remove(watch)
    try:
        def theirs(execute, *args):
            return execute(*args)

        with connection.execute_wrapper(theirs):
            figures_cache.watch_writes(sender=None, connection=connection)  # as connection_created does
        assert connection.execute_wrappers.count(watch) == 1 and theirs not in connection.execute_wrappers
    finally:
        if watch not in connection.execute_wrappers:
            connection.execute_wrappers.insert(0, watch)
