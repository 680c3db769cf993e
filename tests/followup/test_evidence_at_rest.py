"""Evidence encrypted at rest: a dump of the database and a copy of the files folder hold no evidence text
or file content in clear; the keys rotate; the migration encrypts what was stored before it."""

import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory

from followup.models import ActionUpdate, Benchmark
from hruf import held_post
from hruf.backups import _pg_env
from hruf.encryption import EvidenceKeyMissing
from scans.evidence import attach_to_alert
from scans.models import Alert, EvidenceFile, Rating

from ..evidence_fixtures import pdf_upload
from ..factories import file_scan, quarters_before

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "Amina-of-the-river-camp"  # a source's name, as an officer would type it
OPEN_TEXT = "Shelling-near-the-bridge"  # an alert's title: not evidence, stored in clear


def _dump() -> str:
    """The database as a dump gives it: pg_dump on PostgreSQL, SQLite's own dump otherwise."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return subprocess.run(["pg_dump", "--data-only", db["NAME"]], env=_pg_env(db), check=True,
                              capture_output=True, text=True).stdout
    connection.ensure_connection()
    return "\n".join(connection.connection.iterdump())


def _stored_bytes() -> bytes:
    """Every evidence file and thumbnail as the storage holds it on disk."""
    storage = EvidenceFile._meta.get_field("file").storage
    names = [n for row in EvidenceFile.objects.values_list("file", "thumbnail") for n in row if n]
    return b"".join(Path(storage.path(name)).read_bytes() for name in names)


@pytest.fixture
def evidence_everywhere(evidence_store, matrix, country_a, officer_a, make_plan, owner):
    """The secret typed into every place evidence goes: ratings (restricted and open), an alert, an
    uploaded file's name and content, a benchmark and an action's log."""
    scan = file_scan(country_a, officer_a, quarters_before(dt.date(2026, 1, 1), 1)[0], rating=2, restricted=True,
                     evidence=f"{SECRET} saw it")
    alert = Alert.objects.create(country=country_a, title=OPEN_TEXT, location="North", severity="severe",
                                 description="d", raised_by=officer_a, evidence=f"{SECRET} told us")
    body = pdf_upload().read() + f"% {SECRET}\n".encode()
    attach_to_alert(actor=officer_a, alert=alert,
                    upload=SimpleUploadedFile(f"{SECRET}.pdf", body, content_type="application/pdf"))
    action = make_plan(dt.date(2026, 6, 1), dt.date(2026, 1, 1))
    Benchmark.objects.create(action=action, description="Met", due_date=dt.date(2026, 3, 1), evidence=f"{SECRET} met")
    ActionUpdate.objects.create(action=action, author=owner, text="progress", evidence=f"{SECRET} again")
    return scan, alert


def test_a_database_dump_and_the_files_hold_no_evidence_in_clear(evidence_everywhere):
    scan, alert = evidence_everywhere
    dump = _dump()
    assert OPEN_TEXT in dump  # the dump is a real one: what is not evidence reads in it
    assert SECRET not in dump
    stored = _stored_bytes()
    assert stored and SECRET.encode() not in stored and b"%PDF" not in stored

    # ... while every reader still gets the text and the file as written.
    rating = Rating.objects.filter(revision__scan=scan).first()
    assert rating.evidence == f"{SECRET} saw it"
    assert list(Rating.objects.filter(pk=rating.pk).values_list("evidence", flat=True)) == [f"{SECRET} saw it"]
    evidence = EvidenceFile.objects.get(alert=alert)
    assert evidence.name == f"{SECRET}.pdf"
    with evidence.file.open("rb") as opened:
        assert opened.read().startswith(b"%PDF") and SECRET.encode() in evidence.file.open("rb").read()
    assert Benchmark.objects.get().evidence == f"{SECRET} met"
    assert ActionUpdate.objects.get(text="progress").evidence == f"{SECRET} again"


def test_an_empty_text_stays_empty_so_has_evidence_still_reads_in_sql(evidence_everywhere):
    _scan, alert = evidence_everywhere
    Alert.objects.filter(pk=alert.pk).update(evidence="")
    assert Alert.objects.filter(pk=alert.pk, evidence="").count() == 1
    assert Alert.objects.filter(pk=alert.pk).exclude(evidence="").count() == 0


def test_rotation_moves_every_text_and_file_to_the_new_key(evidence_everywhere, settings):
    scan, alert = evidence_everywhere
    before = EvidenceFile.objects.get(alert=alert)
    old = settings.EVIDENCE_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.EVIDENCE_KEYS = [new, old]
    out = io.StringIO()
    call_command("rotate_evidence_keys", stdout=out)
    # The ratings' evidence, the alert's, the file's name, the benchmark's and the log's.
    texts = Rating.objects.filter(revision__scan=scan).count() + 4
    assert out.getvalue().strip() == f"Rewritten under the first of EVIDENCE_KEYS: {texts} texts, 1 files."

    settings.EVIDENCE_KEYS = [new]  # the old key removed: everything still opens
    assert Rating.objects.filter(revision__scan=scan).first().evidence == f"{SECRET} saw it"
    assert Alert.objects.get(pk=alert.pk).evidence == f"{SECRET} told us"
    evidence = EvidenceFile.objects.get(alert=alert)
    assert evidence.file.name != before.file.name and SECRET.encode() in evidence.file.open("rb").read()
    assert not evidence.file.storage.exists(before.file.name)  # the file written before rotation is gone

    settings.EVIDENCE_KEYS = [old]  # and the old key alone opens nothing any more
    with pytest.raises(EvidenceKeyMissing):
        Alert.objects.get(pk=alert.pk)


def test_a_rotation_never_overwrites_an_edit_made_while_it_ran(evidence_everywhere, settings):
    from hruf.encryption import rewrite_column

    _scan, alert = evidence_everywhere

    def edit_meanwhile(token):  # the officer saves new evidence between the rotation's read and write
        Alert.objects.filter(pk=alert.pk).update(evidence="Corrected by the officer")
        return token

    rewrite_column(connection, Alert._meta.db_table, "evidence", edit_meanwhile)
    assert Alert.objects.get(pk=alert.pk).evidence == "Corrected by the officer"


def test_a_key_that_is_not_a_fernet_key_is_a_check_error(settings):
    from hruf.checks import evidence_keys_are_keys

    settings.EVIDENCE_KEYS = ["not-a-key"]
    assert [e.id for e in evidence_keys_are_keys(None)] == ["hruf.E001"]
    settings.EVIDENCE_KEYS = [Fernet.generate_key().decode()]
    assert evidence_keys_are_keys(None) == []


def test_a_form_held_at_the_idle_sign_out_is_encrypted_in_the_session(officer_a):
    request = RequestFactory().post("/scans/1/edit/", {"rating-1-evidence": SECRET})
    request.session = {}
    assert held_post.hold(request, user_id=officer_a.pk)
    assert SECRET not in str(request.session)
    request.user = officer_a
    assert held_post.held_for(request)["data"] == {"rating-1-evidence": [SECRET]}


def test_the_migration_encrypts_what_was_stored_in_clear(evidence_everywhere):
    from django.db.migrations.executor import MigrationExecutor

    _scan, alert = evidence_everywhere
    executor = MigrationExecutor(connection)
    before = [("scans", "0009_evidence_files"), ("followup", "0008_template_library")]
    executor.migrate(before)  # undone first: the texts and the file are back in clear
    try:
        assert _stored_bytes().startswith(b"%PDF") and SECRET in _dump()
        old = executor.loader.project_state(before).apps
        old.get_model("scans", "Alert").objects.filter(pk=alert.pk).update(evidence="Written in clear")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    dump = _dump()
    assert "Written in clear" not in dump and SECRET not in dump
    assert Alert.objects.get(pk=alert.pk).evidence == "Written in clear"
    evidence = EvidenceFile.objects.get(alert=alert)
    assert evidence.name == f"{SECRET}.pdf" and SECRET.encode() in evidence.file.open("rb").read()
    assert b"%PDF" not in _stored_bytes()
