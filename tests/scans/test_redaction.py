"""The reader-redacted selectors (scans.selectors): ratings and alerts as each persona may read them,
and the count of restricted texts left readable, which the audit of restricted reads records."""

import datetime as dt

import pytest
from django.utils import timezone

from hruf.models import Role
from scans import services
from scans.models import Alert
from scans.periods import current_period
from scans.selectors import EvidenceReader, alerts_read_by, ratings_read_by

from ..factories import UserFactory, file_scan, grant

SECRET = "Witness Amina, phone 555"
OPEN = "Reported in the press"

# Who reads country A's restricted evidence (DOMAIN.md): its officers, its region's chairs, EOSG.
READERS = {"officer_a", "chair_a", "eosg"}
PERSONAS = ["officer_a", "officer_b", "chair_a", "chair_b", "sag", "eosg", "owner", "outsider"]


@pytest.fixture
def people(officer_a, officer_b, chair_a, chair_b, sag, eosg, owner, outsider):
    return {
        "officer_a": officer_a, "officer_b": officer_b, "chair_a": chair_a, "chair_b": chair_b, "sag": sag,
        "eosg": eosg, "owner": owner, "outsider": outsider,
    }


@pytest.fixture
def scan(matrix, country_a, officer_a):
    """A submitted scan of country A: every rating restricted, but one that is open, and one restricted blank."""
    period = current_period(country_a, timezone.localdate()).previous()
    scan = file_scan(country_a, officer_a, period, rating=2, restricted=True, evidence=SECRET, today=dt.date.today())
    first, second = scan.submitted_revision.ratings.order_by("pk")[:2]
    first.restricted, first.evidence = False, OPEN
    first.save()
    second.evidence, second.rating = "", 1
    second.save()
    return scan


def _alert(country, officer, *, evidence=SECRET, restricted=True):
    return services.alert_raise(
        country=country, actor=officer, title="Militia", location="North", severity="severe", description="d",
        evidence=evidence, evidence_restricted=restricted,
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_blanks_restricted_ratings_for_everyone_but_the_countrys_readers(scan, people, persona):
    revision = scan.submitted_revision
    read = ratings_read_by(people[persona], [revision.pk])[revision.pk]
    restricted_with_text = revision.ratings.filter(restricted=True).exclude(evidence="").count()
    assert len(read.items) == revision.ratings.count()
    texts = {r.evidence for r in read.items}
    assert OPEN in texts  # unrestricted evidence goes to everyone who reads the scan
    if persona in READERS:
        assert SECRET in texts
        assert not any(r.evidence_withheld for r in read.items)
        assert read.restricted_shown == restricted_with_text > 0
    else:
        assert SECRET not in texts
        assert {r.evidence_withheld for r in read.items if r.restricted} == {True}
        assert {r.evidence_withheld for r in read.items if not r.restricted} == {False}
        assert read.restricted_shown == 0


def test_it_counts_only_restricted_texts_that_have_words(scan, chair_a):
    revision = scan.submitted_revision
    read = ratings_read_by(chair_a, [revision.pk])[revision.pk]
    assert read.restricted_shown == len(read.items) - 2  # not the open one, not the restricted blank one
    assert all(r.restricted and r.evidence == SECRET for r in read.restricted_read)


def test_it_groups_ratings_by_revision_and_answers_for_revisions_without_any(scan, chair_a, django_assert_num_queries):
    revision = scan.submitted_revision
    with django_assert_num_queries(3):  # the reader's roles, the ratings with their indicators, their risk factors
        read = ratings_read_by(chair_a, [revision.pk, None, 0])
    assert set(read) == {revision.pk, 0}
    assert read[0].items == [] and read[0].restricted_shown == 0
    assert [r.revision_id for r in read[revision.pk].items] == [revision.pk] * revision.ratings.count()


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_blanks_restricted_alerts_for_everyone_but_the_countrys_readers(country_a, people, persona):
    officer = people["officer_a"]
    secret = _alert(country_a, officer)
    open_ = _alert(country_a, officer, evidence=OPEN, restricted=False)
    blank = _alert(country_a, officer, evidence="")
    read = alerts_read_by(people[persona], Alert.objects.select_related("country").order_by("pk"))
    assert [a.pk for a in read.items] == [secret.pk, open_.pk, blank.pk]
    by_pk = {a.pk: a for a in read.items}
    assert by_pk[open_.pk].evidence == OPEN and not by_pk[open_.pk].evidence_withheld
    if persona in READERS:
        assert by_pk[secret.pk].evidence == SECRET and not by_pk[secret.pk].evidence_withheld
        assert read.restricted_read == [by_pk[secret.pk]] and read.restricted_shown == 1
    else:
        assert by_pk[secret.pk].evidence == "" and by_pk[secret.pk].evidence_withheld
        assert by_pk[blank.pk].evidence_withheld  # the page says "withheld" whether or not there was text
        assert read.restricted_shown == 0


def test_it_reads_each_alert_by_its_own_country(country_a, country_c, officer_a, chair_a):
    officer_c = grant(UserFactory(username="officer_c"), Role.OFFICER, country=country_c)
    here, there = _alert(country_a, officer_a), _alert(country_c, officer_c)
    read = alerts_read_by(chair_a, [Alert.objects.get(pk=here.pk), Alert.objects.get(pk=there.pk)])
    assert [(a.pk, a.evidence) for a in read.items] == [(here.pk, SECRET), (there.pk, "")]
    assert read.restricted_shown == 1


def test_it_looks_up_unloaded_countries_in_one_query(country_a, country_b, officer_a, officer_b, eosg,
                                                     django_assert_num_queries):
    alerts = [_alert(country_a, officer_a), _alert(country_b, officer_b)]
    plain = list(Alert.objects.filter(pk__in=[a.pk for a in alerts]).order_by("pk"))
    with django_assert_num_queries(2):  # the reader's roles, the countries' regions
        read = alerts_read_by(eosg, plain)
    assert read.restricted_shown == 2


def test_an_audience_reads_no_restricted_text(country_a, officer_a):
    secret, open_ = _alert(country_a, officer_a), _alert(country_a, officer_a, evidence=OPEN, restricted=False)
    read = alerts_read_by(None, Alert.objects.order_by("pk"))
    assert [(a.pk, a.evidence) for a in read.items] == [(secret.pk, ""), (open_.pk, OPEN)]
    assert read.restricted_shown == 0


def test_an_export_not_asking_for_restricted_evidence_gets_none_even_for_a_reader(country_a, country_c, eosg, sag):
    asked, not_asked, sag_asked = (
        EvidenceReader(eosg, asked=True), EvidenceReader(eosg, asked=False), EvidenceReader(sag, asked=True)
    )
    a = {"country_id": country_a.pk, "region_id": country_a.region_id}
    assert asked.shows(restricted=True, **a) and not not_asked.shows(restricted=True, **a)
    assert not sag_asked.shows(restricted=True, **a)
    assert all(r.shows(restricted=False, **a) for r in (asked, not_asked, sag_asked))


def test_a_chair_reads_the_restricted_evidence_of_their_region_only(country_a, country_b, country_c, chair_a):
    reader = EvidenceReader(chair_a)
    assert reader.may_read(country_a.pk, country_a.region_id)
    assert reader.may_read(country_b.pk, country_b.region_id)
    assert not reader.may_read(country_c.pk, country_c.region_id)
