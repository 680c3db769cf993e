"""What the bench fetches, and as whom: the officer, chair, SAG, owner and EOSG pages on the generated
data, and every list endpoint of the API (found in the router, so new ones are included)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import timezone
from django.utils.module_loading import import_string
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from followup.models import Action, Plan
from hruf import figures_cache
from hruf.models import Country, User
from reviews.models import Meeting
from scans.models import Alert, Scan, ScanRevision
from scans.periods import current_period
from scans.services import scan_start

from . import drive
from .settings import caches_for


def _session(user: User, *, second_factor: bool = False) -> str:
    """A signed-in session as the login would leave it (with its second factor passed for EOSG)."""
    device = None
    if second_factor:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    client = Client()
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    if device is not None:
        store = SessionStore(session_key=key)
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        store.save()
    return key


def targets() -> list[drive.Target]:
    people = {role: User.objects.get(username=name) for role, name in [
        ("officer", "bench-officer-mli"), ("chair", "bench-chair-africa"), ("sag", "bench-sag-0"),
        ("owner", "bench-owner-ohchr-0"), ("eosg", "bench-eosg-0")]}
    sessions = {role: _session(user, second_factor=role == "eosg") for role, user in people.items()}
    if not ScanRevision.objects.drafts().filter(scan__country__iso3="MLI").exists():  # submitted meanwhile
        country = Country.objects.get(iso3="MLI")
        scan_start(country=country, period=current_period(country, timezone.localdate()), actor=people["officer"])
    scan = Scan.objects.filter(country__iso3="MLI").submitted().order_by("-period_start").first()
    draft = ScanRevision.objects.drafts().get(scan__country__iso3="MLI").scan_id
    alert = Alert.objects.filter(country__region__code="africa").order_by("-raised_at").first()
    rqr = Meeting.objects.filter(kind="rqr", region__code="africa")
    recorded = rqr.filter(state=Meeting.State.CLOSED).order_by("-date").first()
    preparing = rqr.filter(state=Meeting.State.PREPARATION).first()
    sag = Meeting.objects.filter(kind="sag", state=Meeting.State.CLOSED).order_by("-date").first()
    action = Action.objects.open().filter(owner=people["owner"]).order_by("deadline").first()
    plan = Plan.objects.filter(pk=action.plan_id).first()

    pages = [
        ("officer", "empty page (base.html)", "floor", "/bench/empty-page/"),
        ("officer", "home", "list", "/"),
        ("officer", "countries", "list", "/countries/"),
        ("officer", "country timeline", "detail", "/countries/MLI/"),
        ("officer", "scan detail", "detail", f"/scans/{scan.pk}/"),
        ("officer", "scan form", "detail", f"/scans/{draft}/edit/"),
        ("officer", "alerts", "list", "/alerts/"),
        ("officer", "inbox", "list", "/inbox/"),
        ("chair", "home", "list", "/"),
        ("chair", "alert detail", "detail", f"/alerts/{alert.pk}/"),
        ("chair", "reviews list", "list", "/reviews/"),
        ("chair", "agenda (recorded)", "agenda", f"/reviews/{recorded.pk}/"),
        ("chair", "agenda (preparation)", "agenda", f"/reviews/{preparing.pk}/"),
        ("chair", "agenda pack (print)", "agenda", f"/reviews/{recorded.pk}/print/"),
        ("chair", "plans", "list", "/followup/plans/"),
        ("sag", "SAG candidates", "list", "/reviews/sag/candidates/"),
        ("sag", "SAG agenda", "agenda", f"/reviews/{sag.pk}/"),
        ("owner", "my actions", "list", "/followup/mine/"),
        ("owner", "action detail", "detail", f"/followup/actions/{action.pk}/"),
        ("owner", "plan detail", "detail", f"/followup/plans/{plan.pk}/"),
        ("eosg", "home", "list", "/"),
        ("eosg", "dashboard", "dashboard", "/followup/dashboard/"),
        ("eosg", "plans", "list", "/followup/plans/"),
        ("eosg", "inbox", "list", "/inbox/"),
    ]
    result = [drive.Target(name, kind, role, path, sessions[role]) for role, name, kind, path in pages]
    result += [drive.Target(f"API {path}", kind, "eosg", path, sessions["eosg"]) for path, kind in _api(scan)]
    return [drive.Target("bare view", "bare", "officer", "/bench/bare/", sessions["officer"]), *result]


def _api(scan: Scan) -> list[tuple[str, str]]:
    from hruf.api_urls import router

    found = [(f"/api/v1/{prefix}/", "dashboard" if prefix == "dashboard" else "list")
             for prefix, _viewset, _basename in router.registry if "(?P" not in prefix]
    if any(prefix == "scans" for prefix, _v, _b in router.registry):
        found.append((f"/api/v1/scans/{scan.pk}/", "detail"))
    return found


@dataclass(frozen=True)
class Served:
    """One size of data as served for the bench: its server's port, its pages (the bare view first, then in
    targets()' order) and how a write moves that server's data version (hruf.figures_cache)."""

    port: int
    targets: list[drive.Target]
    write: Callable[[], None]


def version_mover(size: str) -> Callable[[], None]:
    """move_version on the figures cache of the server of this size (bench.settings.caches_for)."""
    params = dict(caches_for(size)[figures_cache.CACHE])
    backend = import_string(params.pop("BACKEND"))
    cache = backend(params.pop("LOCATION", ""), params)
    return lambda: figures_cache.move_version(cache)


def drive_all(sizes: list[Served], *, clients: int, requests: int, alone: int = 20, rounds: int = 4):
    """Every page in `rounds` interleaved rounds (the bare view opening and closing each), each round a share
    of the fetches: alone and then under `clients` concurrent clients. A slow minute on a shared machine then
    falls on every page alike, not on the pages measured during it; each page's spread between rounds says how
    far to trust its verdict. Each page is fetched on every size in turn, so that its cost on ten years and on
    two is measured in the same minute, which size first alternating between rounds. Then all of the first
    size's pages mixed, for the throughput of a working day. Gives each size's bare view and pages, and that
    throughput."""
    pooled: dict[tuple[int, str, str], drive.Result] = {}  # by size, role and page: "home" is everyone's

    def take(number: int, target: drive.Target) -> drive.Result:
        served = sizes[number]
        got = drive.measure(served.port, target, clients=clients, requests=max(clients, requests // rounds),
                            alone=max(1, alone // rounds), write=served.write)
        key = (number, target.role, target.name)
        if key in pooled:
            pooled[key].add(got)
        else:
            pooled[key] = got
        return got

    def bare_views() -> None:
        for number, served in enumerate(sizes):
            take(number, served.targets[0])

    for round_number in range(1, rounds + 1):
        print(f"Round {round_number} of {rounds}")
        bare_views()
        for place in range(1, len(sizes[0].targets)):
            # Which size goes first alternates from round to round: the second fetch of a page's code runs warmer.
            order = list(enumerate(sizes))
            if (round_number + place) % 2 == 0:
                order.reverse()
            for number, served in order:
                target = served.targets[place]
                got = take(number, target)
                print(f"  {number} {target.role:8} {target.name:28} {1000 * got.alone_median:7.1f} ms alone,"
                      f" {1000 * got.median:7.1f} ms busy  {got.query_range:>5} queries"
                      f" ({got.sql_median:.1f} ms SQL)  {dict(got.statuses)}")
        bare_views()
    mixed = drive.mixed_throughput(sizes[0].port, sizes[0].targets, clients=clients, seconds=20)
    measured = [[pooled[number, t.role, t.name] for t in served.targets] for number, served in enumerate(sizes)]
    return [(pages[0], pages[1:]) for pages in measured], mixed
