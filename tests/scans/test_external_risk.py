"""External structural risk: reading the CSV, the two-step import, who may import, where it is shown,
and proof that it never moves a score or a rank."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hruf.models import AuditEvent, Country
from reviews import services as review_services
from reviews.ranking import rank_countries
from reviews.selectors import region_risks
from scans.external import ExternalImportError, external_import_preview, external_snapshot_import
from scans.models import ExternalRiskScore, ExternalRiskSnapshot, Scan, ScanRevision
from scans.periods import Period

from ..factories import CountryFactory, bulk_history, file_scan, quarters_before

pytestmark = pytest.mark.usefixtures("matrix")
Q3 = Period.parse("2026-Q3")
MEETING_DAY = dt.date(2026, 9, 25)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 9, 20, 12, tzinfo=dt.UTC), tick=False)


def _preview(text: str, encoding: str = "utf-8"):
    return external_import_preview(data=text.encode(encoding))


def _import(user, text: str, *, source="Early Warning Project", as_of=dt.date(2026, 6, 30)):
    return external_snapshot_import(
        data=text.encode(), source=source, source_url="https://example.org/sra", as_of_date=as_of,
        actor=user, original_filename="sra.csv",
    )


# --- reading the file --------------------------------------------------------------------


def test_it_reads_utf8_with_and_without_a_byte_order_mark(db):
    text = "country,risk,rank\nMali,0.25,1\nNiger,0.125,2\n"
    plain = external_import_preview(data=text.encode())
    bom = external_import_preview(data=b"\xef\xbb\xbf" + text.encode())
    for preview in (plain, bom):
        assert preview.columns == {"country": "country", "risk": "risk", "rank": "rank"}
        assert [(r.country.iso3, r.risk, r.rank) for r in preview.rows] == [
            ("MLI", Decimal("0.250000"), 1), ("NER", Decimal("0.125000"), 2)
        ]
        assert preview.can_confirm and not preview.unknown
    assert plain.sha256 == bom.sha256  # the same rows are the same file


@pytest.mark.parametrize(
    "text",
    [
        "Country Name,Probability,Rank\nMali,0.25,1\n",
        "COUNTRY,Risk_Score\nMali,25%\n",
        "country_name;probability;risk-rank\nMali;0,25;1\n",  # a French or German spreadsheet's CSV
        "Rank\tCountry\tScore\n1\tMali\t0.25\n",
        '"Country","Risk"\n"Mali","2.5e-1"\n',
    ],
)
def test_it_accepts_the_header_variants_it_documents(db, text):
    preview = _preview(text)
    assert [(r.country.iso3, r.risk) for r in preview.rows] == [("MLI", Decimal("0.25"))]
    assert not preview.errors


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("name,value\nMali,0.2\n", '"name", "value"'),
        ("country,rank\nMali,1\n", '"country", "rank"'),
        ("Mali,0.2\nNiger,0.1\n", '"Mali", "0.2"'),  # no header line at all
    ],
)
def test_it_refuses_a_bad_header_naming_the_expected_columns(db, text, found):
    with pytest.raises(ExternalImportError) as refused:
        _preview(text)
    message = str(refused.value)
    assert f"Found {found}" in message
    assert '"country" / "country name"' in message and '"risk" / "probability" / "score"' in message


def test_it_refuses_a_header_with_two_risk_columns(db):
    with pytest.raises(ExternalImportError, match='more than one risk column \\("risk", "score"\\)'):
        _preview("country,risk,score\nMali,0.1,0.2\n")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("country,risk\nCôte d'Ivoire,0.1\n".encode("latin-1"), "not UTF-8 (an unreadable byte on line 2"),
        ("country,risk\nMali,0.1\n".encode("utf-16"), "UTF-16"),
        (b"PK\x03\x04\x14\x00\x06\x00 a spreadsheet", "not a CSV text file"),
        (b"  \n", "empty"),
        (b"country,risk\n", "no rows"),
    ],
)
def test_it_refuses_other_encodings_and_empty_files_with_a_clear_message(db, data, message):
    with pytest.raises(ExternalImportError, match=message.replace("(", "\\(")):
        external_import_preview(data=data)


def test_it_reports_bad_numbers_with_their_line_numbers(db):
    text = (
        "country,risk,rank\n"
        "Mali,abc,1\n"          # line 2
        "\n"                    # line 3: blank lines are skipped but counted
        "Niger,1.5,2\n"         # line 4
        '"Burkina\nFaso",0.2,x\n'  # lines 5-6: a quoted name over two lines
        "Chad,,3\n"             # line 7
        "Congo, Dem. Rep.,0.3,4\n"  # line 8: a comma in an unquoted name
        "Senegal,NaN,5\n"       # line 9
        "Ghana,0.1,0\n"         # line 10
        "Togo,12%,6\n"          # line 11: fine
    )
    preview = _preview(text)
    assert preview.errors == [
        "Line 2: risk 'abc' is not a number.",
        "Line 4: risk '1.5' is not a probability between 0 and 1 (write percentages with a % sign).",
        "Line 5: rank 'x' is not a whole number from 1 to 100000.",
        "Line 7: no risk value.",
        "Line 8: 4 values for 3 columns (a name with a comma must be in quotes).",
        "Line 9: risk 'NaN' is not a number.",
        "Line 10: rank '0' is not a whole number from 1 to 100000.",
    ]
    assert [(r.line, r.country.iso3, r.risk) for r in preview.rows] == [(11, "TGO", Decimal("0.12"))]
    assert not preview.can_confirm


def test_it_reports_unknown_names_and_never_guesses(db):
    preview = _preview("country,risk\nFrnace,0.1\nAtlantis,0.2\nKosovo,0.3\nTaiwan,0.4\nMali,0.5\n")
    assert [r.country.iso3 for r in preview.rows] == ["MLI"]
    assert [(u.line, u.name, u.reason) for u in preview.unknown] == [
        (2, "Frnace", "no such country in the reference data"),  # a fuzzy matcher would have said France
        (3, "Atlantis", "no such country in the reference data"),
        (4, "Kosovo", "XKX is not a UN member state here"),
        (5, "Taiwan", "TWN is not a UN member state here"),
    ]
    assert preview.can_confirm  # unknown names are reported, they do not block the rest


def test_it_matches_iso3_codes_official_names_and_documented_aliases(db):
    text = (
        "country,iso3,risk\n"
        ",COD,0.3\n"                                 # the code alone
        "Ivory Coast,,0.2\n"                         # country_converter's alias
        "Republic of Mali,,0.1\n"                    # the official name
        "cd,,0.05\n"                                 # not an ISO3 code, not a name
        "Myanmar (Burma),MMR,0.4\n"                  # name and code agree
        "Niger,NGA,0.5\n"                            # name and code disagree
        "Narnia,XXX,0.6\n"                           # a code we do not have
    )
    preview = _preview(text)
    assert [(r.line, r.country.iso3, r.matched_by) for r in preview.rows] == [
        (2, "COD", "iso3"), (3, "CIV", "alias"), (4, "MLI", "name"), (6, "MMR", "iso3"),
    ]
    assert [(u.line, u.reason) for u in preview.unknown] == [
        (5, "no such country in the reference data"),
        (7, "the name says Niger but the code says Nigeria"),
        (8, "ISO3 code XXX is not a UN member state here"),
    ]


def test_a_country_named_twice_is_an_error(db):
    preview = _preview("country,risk\nMali,0.1\nNiger,0.2\nMLI,0.3\n")
    assert preview.errors == ["Line 4: Mali appears again (first on line 2)."]


def test_it_refuses_a_file_over_the_size_limit(db):
    with pytest.raises(ExternalImportError, match="larger than 1000 KB"):
        external_import_preview(data=b"country,risk\n" + b"Mali,0.1\n" * 120_000)


# --- the two-step import ------------------------------------------------------------------


def _upload(client, text, *, source="Early Warning Project", as_of="2026-06-30", data=None, name="sra.csv"):
    body = data if data is not None else text.encode()
    return client.post(
        reverse("scans:external_risk_import"),
        {"file": SimpleUploadedFile(name, body, content_type="text/csv"), "source": source,
         "source_url": "https://example.org/sra", "as_of_date": as_of, "notes": ""},
    )


def test_the_preview_writes_nothing(login, eosg):
    response = _upload(login(eosg), "country,risk,rank\nMali,0.25,1\nAtlantis,0.5,2\n")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing has been saved yet." in html and "Mali (MLI)" in html and "Atlantis" in html
    assert "Import 1 country" in html
    assert not ExternalRiskSnapshot.objects.exists() and not ExternalRiskScore.objects.exists()


def test_confirming_writes_the_snapshot_and_every_score_with_the_unknown_names(login, eosg):
    client = login(eosg)
    preview = _upload(client, "country,risk,rank\nMali,0.25,1\nNiger,0.125,2\nAtlantis,0.5,3\n")
    token = preview.context["confirm"]["token"].value()
    response = client.post(reverse("scans:external_risk_confirm"), {"token": token})
    snapshot = ExternalRiskSnapshot.objects.get()
    assert response.url == reverse("scans:external_snapshot_detail", args=[snapshot.pk])
    assert (snapshot.source, snapshot.as_of_date, snapshot.imported_by, snapshot.original_filename) == (
        "Early Warning Project", dt.date(2026, 6, 30), eosg, "sra.csv"
    )
    assert (snapshot.rows_total, snapshot.rows_matched, snapshot.rows_unknown) == (3, 2, 1)
    assert snapshot.unknown_names == [{"line": 4, "name": "Atlantis", "reason": "no such country in the reference data"}]
    assert sorted(snapshot.scores.values_list("country__iso3", "risk", "rank")) == [
        ("MLI", Decimal("0.25"), 1), ("NER", Decimal("0.125"), 2)
    ]
    detail = client.get(response.url).content.decode()
    assert "Atlantis" in detail and "1 country name was not recognised" in detail and "Niger" in detail
    listing = client.get(reverse("scans:external_snapshot_list")).content.decode()
    assert "Early Warning Project" in listing and "Atlantis" in listing

    again = client.post(reverse("scans:external_risk_confirm"), {"token": token})  # a double click
    assert again.status_code == 400 and "already imported" in again.content.decode()
    assert ExternalRiskSnapshot.objects.count() == 1 and ExternalRiskScore.objects.count() == 2


def _fail_on_third_score():
    """A real database refusal in the middle of the write: a trigger, no mock."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER fail_third BEFORE INSERT ON scans_externalriskscore WHEN NEW.rank = 3 "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION fail_third() RETURNS trigger AS $$ BEGIN IF NEW.rank = 3 THEN "
                "RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER fail_third BEFORE INSERT ON scans_externalriskscore "
                "FOR EACH ROW EXECUTE FUNCTION fail_third()"
            )


def test_an_import_that_fails_midway_leaves_nothing_behind(eosg):
    _fail_on_third_score()
    with pytest.raises(DatabaseError):
        _import(eosg, "country,risk,rank\nMali,0.3,1\nNiger,0.2,2\nChad,0.1,3\n")
    assert not ExternalRiskSnapshot.objects.exists() and not ExternalRiskScore.objects.exists()


def test_an_import_is_recorded_in_the_audit_trail_with_what_it_read(eosg):
    snapshot = _import(eosg, "country,risk,rank\nMali,0.3,1\nNowhere,0.2,2\n")
    event = AuditEvent.objects.get(object_type="scans.externalrisksnapshot")
    assert (event.actor, event.action, event.object_id) == (eosg, "create", str(snapshot.pk))
    assert event.changes["source"] == [None, "Early Warning Project"]
    assert event.changes["file_sha256"] == [None, snapshot.file_sha256]
    assert event.detail == {"rows_matched": 1, "rows_unknown": 1}


def test_a_file_with_errors_is_never_imported(eosg):
    with pytest.raises(ExternalImportError, match="nothing was imported"):
        _import(eosg, "country,risk\nMali,0.3\nNiger,high\n")
    with pytest.raises(ExternalImportError, match="in the future"):
        _import(eosg, "country,risk\nMali,0.3\n", as_of=dt.date(2026, 9, 21))
    assert not ExternalRiskSnapshot.objects.exists()


def test_a_refused_upload_keeps_the_typed_source_and_date(login, eosg):
    client = login(eosg)
    response = _upload(client, "name,value\nMali,0.2\n", source="EWP typed by hand", as_of="2026-05-31")
    assert response.status_code == 400
    html = response.content.decode()
    assert "expected a country column" in html and 'value="EWP typed by hand"' in html and 'value="2026-05-31"' in html
    with_errors = _upload(client, "country,risk\nMali,lots\n", source="EWP again", as_of="2026-05-31")
    assert with_errors.status_code == 400
    html = with_errors.content.decode()
    assert "Line 2: risk &#x27;lots&#x27; is not a number." in html and 'value="EWP again"' in html
    assert "confirm" not in with_errors.context
    future = _upload(client, "country,risk\nMali,0.2\n", as_of="2026-12-31")
    assert future.status_code == 400 and "The date is in the future" in future.content.decode()
    assert not ExternalRiskSnapshot.objects.exists()


def test_a_tampered_or_stale_preview_is_refused(login, eosg, time_machine):
    client = login(eosg)
    token = _upload(client, "country,risk\nMali,0.2\n").context["confirm"]["token"].value()
    tampered = client.post(reverse("scans:external_risk_confirm"), {"token": token[:-3] + "abc"})
    assert tampered.status_code == 400 and "could not be read" in tampered.content.decode()
    time_machine.move_to(dt.datetime(2026, 9, 20, 14, tzinfo=dt.UTC), tick=False)
    client = login(eosg)  # a fresh sign-in: the old session ended while idle
    stale = client.post(reverse("scans:external_risk_confirm"), {"token": token})
    assert stale.status_code == 400 and "more than an hour old" in stale.content.decode()
    assert not ExternalRiskSnapshot.objects.exists()


@pytest.mark.parametrize("persona", ["officer_a", "chair_a", "sag", "owner", "outsider"])
def test_only_eosg_imports_and_reads_the_import_reports(request, login, eosg, persona):
    token = _upload(login(eosg), "country,risk\nMali,0.2\n").context["confirm"]["token"].value()
    snapshot = _import(eosg, "country,risk\nNiger,0.2\n")
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("scans:external_risk_import")).status_code == 403
    assert _upload(client, "country,risk\nMali,0.2\n").status_code == 403
    assert client.post(reverse("scans:external_risk_confirm"), {"token": token}).status_code == 403
    assert client.get(reverse("scans:external_snapshot_list")).status_code == 403
    assert client.get(reverse("scans:external_snapshot_detail", args=[snapshot.pk])).status_code == 403
    assert ExternalRiskSnapshot.objects.count() == 1
    assert "External risk" not in client.get(reverse("scans:country_list")).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("scans:external_snapshot_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- where it is shown --------------------------------------------------------------------


def test_the_country_page_shows_the_latest_external_risk_with_source_and_date(login, eosg, chair_a, country_a, country_b):
    page = login(chair_a).get(reverse("scans:country_detail", args=[country_a.iso3])).content.decode()
    assert "External structural risk (context, not part of the score)" in page
    assert "No external assessment has been imported for this country." in page
    _import(eosg, "country,risk,rank\nCountry A,0.0625,9\n", source="Old source", as_of=dt.date(2025, 6, 30))
    _import(eosg, "country,risk,rank\nCountry A,0.1234,4\n", source="EWP 2026", as_of=dt.date(2026, 6, 30))
    _import(eosg, "country,risk,rank\nCountry B,0.9,1\n", source="Newest, other country", as_of=dt.date(2026, 8, 31))
    page = login(chair_a).get(reverse("scans:country_detail", args=[country_a.iso3])).content.decode()
    assert "Estimated risk: 12.3%" in page and "rank 4" in page
    assert "As of 30 June 2026" in page and 'href="https://example.org/sra"' in page and "EWP 2026" in page
    assert "Old source" not in page and "Newest, other country" not in page


def test_the_agenda_shows_external_risk_beside_each_score(login, eosg, chair_a, region_a, country_a, country_b, officer_a):
    file_scan(country_a, officer_a, Q3, rating=3, evidence="e")
    _import(eosg, "country,risk,rank\nCountry A,0.25,7\nCountry B,0.5,3\n", source="EWP 2026", as_of=dt.date(2026, 6, 30))
    _import(eosg, "country,risk\nCountry A,0.99\n", source="Dated after the meeting", as_of=dt.date(2026, 9, 20))
    meeting = review_services.rqr_create(actor=chair_a, region=region_a, quarter=Q3, date=dt.date(2026, 9, 19), chair=chair_a)
    client = login(chair_a)
    url = reverse("reviews:meeting_detail", args=[meeting.pk])
    for state in ("preparation", "published"):
        if state == "published":
            review_services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
        html = client.get(url).content.decode()
        assert "External risk (context, not part of the score)" in html, state  # the ranked table's column
        assert "25.0%" in html and "rank 7" in html and "50.0%" in html and "rank 3" in html, state
        assert "(EWP 2026, 30 Jun 2026)" in html and "Dated after the meeting" not in html, state
        assert "External structural risk (context, not part of the score):" in html, state  # the item's note
    assert "The region as the meeting saw it" in html


def test_an_import_changes_no_score_and_no_ranking(eosg, chair_a, region_a, country_a, country_b, officer_a, officer_b):
    file_scan(country_a, officer_a, Q3, rating=3, evidence="e")
    file_scan(country_b, officer_b, Q3, rating=1)
    quiet = CountryFactory(name="Country Quiet", region=region_a)
    meeting = review_services.rqr_create(actor=chair_a, region=region_a, quarter=Q3, date=MEETING_DAY, chair=chair_a)
    jump = settings.RQR_JUMP_THRESHOLD
    before_rank = [r.as_row() for r in rank_countries(region_risks(meeting), jump_threshold=jump)]
    before_scores = list(ScanRevision.objects.order_by("pk").values_list("pk", "score", "tier"))
    # The external assessment says the opposite of the scans: the quiet country is the riskiest.
    _import(eosg, "country,risk,rank\nCountry Quiet,0.99,1\nCountry B,0.5,2\nCountry A,0.01,3\n")
    after_rank = [r.as_row() for r in rank_countries(region_risks(meeting), jump_threshold=jump)]
    assert after_rank == before_rank
    assert [r["name"] for r in after_rank] == ["Country A", "Country B", "Country Quiet"]
    assert list(ScanRevision.objects.order_by("pk").values_list("pk", "score", "tier")) == before_scores
    review_services.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    meeting.refresh_from_db()
    assert meeting.snapshot == before_rank  # the frozen record holds no external figure either
    assert Country.objects.get(pk=quiet.pk).scans.count() == 0


# --- query counts -------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _snapshot_for(eosg, countries, as_of):
    lines = "".join(f"{c.name},0.{i + 1:02d},{i + 1}\n" for i, c in enumerate(countries))
    return _import(eosg, "country,risk,rank\n" + lines + "Atlantis,0.5,99\n", as_of=as_of)


def test_pages_with_external_risk_cost_the_same_for_few_and_many(login, eosg, chair_a, chair_b, region_a, region_b, officer_a):
    few = [CountryFactory(region=region_a) for _ in range(3)]
    many = [CountryFactory(region=region_b) for _ in range(40)]
    bulk_history(few + many, quarters_before(dt.date(2026, 10, 15), 2), officer_a)
    counts = []
    for countries, chair, snapshots in ((few, chair_a, 1), (many, chair_b, 6)):
        for month in range(snapshots):
            last = _snapshot_for(eosg, countries, dt.date(2026, 1 + month, 28))
        meeting = review_services.rqr_create(actor=chair, region=countries[0].region, quarter=Q3, date=MEETING_DAY, chair=chair)
        agenda = reverse("reviews:meeting_detail", args=[meeting.pk])
        chair_client = login(chair)
        measured = [
            _queries(chair_client, reverse("scans:country_detail", args=[countries[0].iso3])),
            _queries(chair_client, agenda),
        ]
        eosg_client = login(eosg)  # the same test client, now signed in as EOSG
        measured += [
            _queries(eosg_client, reverse("scans:external_snapshot_list")),
            _queries(eosg_client, reverse("scans:external_snapshot_detail", args=[last.pk])),
        ]
        counts.append(measured)
        assert Scan.objects.filter(country=countries[0]).exists()
    assert counts[0] == counts[1] == EXTERNAL_PAGES_QUERIES


# Measured: [country page, agenda in preparation, snapshot list, snapshot detail]. The country page
# reads the external risk in its existing country query; the agenda needs one more query for it.
# The agenda in preparation also reads the open commitments to keep monitoring (reviews.selectors.risks),
# and each card's Framework of Analysis line (three: the ranked revisions' ratings, the factors, the mapping),
# and the region's map (one: the countries' codes).
EXTERNAL_PAGES_QUERIES = [9, 16, 6, 7]  # with the warning badge; the agenda with the open warnings
