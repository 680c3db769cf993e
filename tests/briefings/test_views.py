"""The Briefings page, downloads, requests and print views: each pack reaches its audience and nobody else."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from briefings import services
from briefings.models import BriefingPack
from followup.models import Action, Plan
from reviews import services as reviews
from scans.periods import Period

from .conftest import AUGUST, pdf_text

LIST = reverse("briefings:pack_list")


@pytest.fixture
def packs(world, chair_a, sag, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rqr = services.pack_request(kind="rqr", actor=chair_a, meeting=world.rqr)
        sag_pack = services.pack_request(kind="sag", actor=sag, meeting=world.sag)
    monthly = services.monthly_briefing_make(actor=None, month=AUGUST)
    for pack in (rqr, sag_pack):
        pack.refresh_from_db()
    return {"rqr": rqr, "sag": sag_pack, "monthly": monthly}


def _download(pack):
    return reverse("briefings:pack_download", args=[pack.pk])


def test_each_pack_reaches_its_audience_and_nobody_else(packs, login, client, chair_a, chair_b, sag, eosg, officer_a, owner, outsider):
    # An RQR pack: whoever reads the whole published meeting (its chair, SAG, EOSG; other regions' chairs
    # only where CHAIRS_READ_OTHER_REGIONS allows it);
    # the SAG pack and the monthly briefing: SAG members and EOSG.
    audience = {
        chair_a: {"rqr"}, chair_b: set(), sag: {"rqr", "sag", "monthly"}, eosg: {"rqr", "sag", "monthly"},
        officer_a: set(), owner: set(), outsider: set(),
    }
    for user, kinds in audience.items():
        c = login(user)
        page = c.get(LIST)
        # Every chair has the briefings page (their own region's packs), even when none is theirs here.
        assert page.status_code == (200 if kinds or user == chair_b else 404), user
        for kind, pack in packs.items():
            response = c.get(_download(pack))
            assert response.status_code == (200 if kind in kinds else 404), (user, kind)
            if kind in kinds:
                assert _download(pack) in page.content.decode()
                assert response["Content-Type"] == "application/pdf"
                assert response["Content-Disposition"].startswith("attachment")
                assert pdf_text(b"".join(response.streaming_content))
    client.logout()
    for url in (LIST, _download(packs["rqr"]), reverse("briefings:meeting_print", args=[packs["rqr"].meeting_id])):
        assert client.get(url).url.startswith(reverse("login"))


def test_a_guessed_or_unfinished_download_is_404(packs, login, chair_a, sag):
    client = login(chair_a)
    assert client.get(reverse("briefings:pack_download", args=[packs["monthly"].pk + 100])).status_code == 404
    for pack in (packs["sag"], packs["monthly"]):  # someone else's pack: the same answer as none at all
        assert client.get(_download(pack)).status_code == 404
    BriefingPack.objects.filter(pk=packs["rqr"].pk).update(state="queued")
    assert client.get(_download(packs["rqr"])).status_code == 404


def test_the_meeting_page_offers_the_pdf_pack_to_its_audience(world, login, chair_a, officer_a, sag):
    rqr_url = reverse("reviews:meeting_detail", args=[world.rqr.pk])
    assert "PDF pack" in login(chair_a).get(rqr_url).content.decode()
    assert "PDF pack" not in login(officer_a).get(rqr_url).content.decode()  # reads their own country's item only
    assert "PDF pack" in login(sag).get(reverse("reviews:meeting_detail", args=[world.sag.pk])).content.decode()
    assert "PDF pack" not in login(chair_a).get(reverse("reviews:meeting_detail", args=[world.sag.pk])).content.decode()


def test_a_pack_is_requested_from_the_meeting_page_once_however_often_clicked(world, login, chair_a, django_capture_on_commit_callbacks):
    client = login(chair_a)
    data = {"kind": "rqr", "meeting": world.rqr.pk}
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post(reverse("briefings:pack_request"), data)
        client.post(reverse("briefings:pack_request"), data)
    assert first.url == LIST
    pack = BriefingPack.objects.get()
    assert (pack.kind, pack.meeting, pack.created_by, pack.state) == ("rqr", world.rqr, chair_a, "queued")
    page = client.get(LIST).content.decode()
    assert "The pack is being made" in page and "Queued" in page


def test_requests_outside_ones_audience_are_404(world, login, region_a, chair_a, chair_b, officer_a, owner, sag):
    url = reverse("briefings:pack_request")
    draft = reviews.rqr_create(actor=chair_a, region=region_a, quarter=Period.parse("2026-Q4"), date=world.rqr.date, chair=chair_a)
    refused = [
        (officer_a, {"kind": "rqr", "meeting": world.rqr.pk}),
        (owner, {"kind": "rqr", "meeting": world.rqr.pk}),
        (chair_a, {"kind": "sag", "meeting": world.sag.pk}),
        (chair_a, {"kind": "monthly", "month": "2026-08"}),
        (chair_b, {"kind": "rqr", "meeting": draft.pk}),  # another region's agenda in preparation
        (sag, {"kind": "sag", "meeting": world.rqr.pk}),  # the kind must match the meeting
        (sag, {"kind": "rqr", "meeting": "1 OR 1=1"}),
        (sag, {"kind": "weekly"}),
    ]
    for user, data in refused:
        assert login(user).post(url, data).status_code == 404, (user, data)
    response = login(chair_a).post(url, {"kind": "rqr", "meeting": draft.pk})
    assert response.url == reverse("reviews:meeting_detail", args=[draft.pk])  # its own chair: told to publish first
    bad_month = login(sag).post(url, {"kind": "monthly", "month": "2031-01"})
    assert bad_month.status_code == 400 and "Select a valid choice" in bad_month.content.decode()
    assert not BriefingPack.objects.exists()


def test_the_print_views_show_the_packs_content_to_the_same_audience(world, login, chair_a, chair_b, officer_a, sag):
    rqr_print = reverse("briefings:meeting_print", args=[world.rqr.pk])
    page = login(chair_a).get(rqr_print).content.decode()
    assert "Agenda pack: RQR Region A 2026-Q3" in page and "Militias arming in the north" in page
    assert "briefing-print.css" in page and "Quiet talks with the envoy" not in page
    assert login(officer_a).get(rqr_print).status_code == 404
    sag_print = reverse("briefings:meeting_print", args=[world.sag.pk])
    assert "Envoy to engage the authorities" in login(sag).get(sag_print).content.decode()
    assert login(chair_b).get(sag_print).status_code == 404
    monthly = reverse("briefings:monthly_print", args=["2026-08"])
    page = login(sag).get(monthly).content.decode()
    assert "Biggest movers" in page and "Militia attack on Kodo market" in page and "Deploy a human rights adviser" in page
    assert login(chair_a).get(monthly).status_code == 404
    for bad in ("2026-13", "2026-Q3", "2027-01", "x"):
        assert login(sag).get(reverse("briefings:monthly_print", args=[bad])).status_code == 404


def test_the_navigation_links_briefings_for_those_who_may_see_a_pack(world, login, chair_a, sag, officer_a, owner):
    for user, shown in ((chair_a, True), (sag, True), (officer_a, False), (owner, False)):
        assert (LIST in login(user).get(reverse("home")).content.decode()) is shown, user


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_page_costs_the_same_with_3_packs_and_60(packs, login, eosg, world):
    client = login(eosg)
    few = _queries(client, LIST)
    BriefingPack.objects.bulk_create(
        BriefingPack(kind=kind, meeting=meeting, period_start=AUGUST.start, period_end=AUGUST.end, state="done",
                     file=packs[kind].file.name, created_by=eosg)
        for _ in range(19) for kind, meeting in (("rqr", world.rqr), ("sag", world.sag), ("monthly", None))
    )
    assert _queries(client, LIST) == few == 6  # session, user, roles, packs, unread count, warnings waiting
    assert client.get(LIST).content.decode().count("/download/") == 60


def test_the_pdf_packs_content_lists_ten_open_actions_a_country_and_counts_the_rest(world, login, chair_a, owner):
    """The same selector as reviews' print pack (reviews.selectors.open_actions_by_country)."""
    plan = Plan.objects.get(title="Plan for Country A")
    Action.objects.bulk_create(
        Action(plan=plan, title=f"Later step {i:02d}", owner=owner, lead_entity=plan.actions.first().lead_entity,
               deadline=dt.date(2026, 10, 1) + dt.timedelta(days=i))
        for i in range(12)
    )
    page = login(chair_a).get(reverse("briefings:meeting_print", args=[world.rqr.pk])).content.decode()
    assert "Deploy a human rights adviser" in page and "Later step 08" in page and "Later step 09" not in page
    assert "and 3 more open actions, due later" in page  # 13 unrestricted open actions, 10 shown
    assert "Quiet talks with the envoy" not in page
