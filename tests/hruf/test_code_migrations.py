"""The data migrations that turned stored prose into codes keep every old row readable as it was."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("hruf", "0005_audit_event"), ("followup", "0004_dashboard_indexes")]


def _migrate(targets=None):
    """To `targets`, or back to the latest of every app (what BEFORE unapplied, later apps' too)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    """Every app's newest migration, past the code migrations under test: going back to BEFORE
    unapplies the later ones too, and the tests that run next must find the schema whole again."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_notifications_and_event_details_written_as_prose_read_as_they_were(officer_a):
    old = _migrate(BEFORE)
    try:
        old.get_model("hruf", "Notification").objects.create(
            recipient_id=officer_a.pk, subject="Alerte urgente : pays A", body="Texte d'origine"
        )
        old.get_model("followup", "EnforcementEvent").objects.create(kind="digest", key="k", detail="étape 2")
    finally:
        _migrate()

    from followup.models import EnforcementEvent
    from hruf.models import Notification

    n = Notification.objects.get()
    assert (n.code, n.render(language="en")) == ("legacy", ("Alerte urgente : pays A", "Texte d'origine"))
    assert EnforcementEvent.objects.get().render_detail(language="en") == "étape 2"


def test_backup_codes_stored_as_given_become_digests_that_still_sign_in(officer_a):
    from hruf.otp.services import backup_code_digest, second_factor_check

    old = _migrate([("hruf", "0009_api_tokens"), ("otp_static", "0003_add_timestamps")])
    try:
        device = old.get_model("otp_static", "StaticDevice").objects.create(user_id=officer_a.pk, name="Backup codes",
                                                                          confirmed=True)
        old.get_model("otp_static", "StaticToken").objects.create(device=device, token="abcd2345")
    finally:
        _migrate()

    from django_otp.plugins.otp_static.models import StaticToken

    assert list(StaticToken.objects.values_list("token", flat=True)) == [backup_code_digest("abcd2345")]
    assert second_factor_check(actor=officer_a, code="ABCD 2345").device is not None
    assert not StaticToken.objects.exists()  # used once
