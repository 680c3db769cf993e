"""bench/results.md: the machine, the data, each page against the bare view, and the sweep timings."""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import statistics
from dataclasses import dataclass

import django
from django.conf import settings
from django.db import connection

from followup.models import Action, ActionUpdate, Benchmark, EnforcementEvent, Plan
from hruf.models import Country, Notification, User
from reviews.models import AgendaItem, Meeting
from scans.models import Alert, Rating, Scan, ScanRevision

from .drive import GOALS, Result


def _machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    mem_kb = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores (load average {load} when the report was written: "
        "the machine is shared, so absolute times are noisy; the ratios are measured in the same run)",
        f"- RAM: {mem_kb / 1024 / 1024:.1f} GiB",
        f"- PostgreSQL {pg} on the same machine; Python {platform.python_version()}, Django {django.get_version()}",
        f"- Cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]} {settings.CACHES['default'].get('LOCATION', '')}",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
    ]


def _data() -> str:
    counts = [("countries", Country.objects), ("users", User.objects), ("scans", Scan.objects),
              ("scan revisions", ScanRevision.objects), ("ratings", Rating.objects), ("alerts", Alert.objects),
              ("meetings", Meeting.objects), ("agenda items", AgendaItem.objects), ("plans", Plan.objects),
              ("actions", Action.objects), ("open actions", Action.objects.open()),
              ("benchmarks", Benchmark.objects), ("action updates", ActionUpdate.objects),
              ("enforcement events", EnforcementEvent.objects), ("notifications", Notification.objects)]
    return ", ".join(f"{name} {rows.count():,}" for name, rows in counts)


# Flat in the data's age: a page's median / bare ratio on the larger size at most this many times its ratio on
# the smaller.
AGE_GOAL = 1.2
# A page meets its goal when its p95 is also at most this many times its median.
P95_GOAL = 2


@dataclass(frozen=True)
class LastRun:
    """The last run's figures by page ("role name"), each None when that run measured other code (bench/run.py):
    a page's spread between rounds can be as wide as a goal's margin, so the verdicts pool two runs on the same
    code."""

    ratios: dict[str, float] | None = None  # median / bare
    tails: dict[str, float] | None = None  # p95 / median
    ages: dict[str, float] | None = None  # median / the same page's median on the smaller size


def page_key(r: Result) -> str:
    return f"{r.target.role} {r.target.name}"


def _runs(key: str, now: float | None, before: dict[str, float] | None) -> list[float]:
    """A page's figure of one kind in this run, then in the last run on the same code."""
    if now is None:
        return []
    return [now] + ([before[key]] if before and key in before else [])


def _pooled(runs: list[float]) -> float | None:
    """The runs' geometric mean: a slow minute in one run weighs no more than a fast one in the other."""
    return math.prod(runs) ** (1 / len(runs)) if runs else None


def _both(runs: list[float]) -> str:
    """` (a and b)` when two runs are pooled, for the reader to see each."""
    return f" ({' and '.join(f'{x:.2f}' for x in runs)})" if len(runs) > 1 else ""


# Pages that read nothing that grows with the years (reference data only): how far their ratio between the sizes
# strays from 1 is this run's noise, against which another page's growth is read.
CONTROLS = {("eosg", "API /api/v1/regions/"), ("eosg", "API /api/v1/matrix/")}


def _growth(age: float, noise: list[float]) -> str:
    """Read against the controls' widest stray from 1, either way: a control at 0.82 says the run's figures move by
    a factor of 1.22 with no growth at all."""
    if noise and age <= max(max(a, 1 / a) for a in noise):
        return (f"within this run's noise: the pages that read no data that grows with the years (the regions and "
                f"matrix APIs) measured {min(noise):.2f} to {max(noise):.2f} between the sizes")
    return "its cost grows with the data's age"


@dataclass(frozen=True)
class Figures:
    """One page's figures in this run, each with the last run's on the same code when there is one."""

    ratios: list[float]  # median / bare
    tails: list[float]  # p95 / median
    ages: list[float]  # median / median on the smaller size

    @classmethod
    def of(cls, r: Result, bare: Result, ages: dict[str, float] | None, last: LastRun) -> Figures:
        key = page_key(r)
        return cls(ratios=_runs(key, r.median / bare.median, last.ratios),
                   tails=_runs(key, r.p95 / r.median, last.tails),
                   ages=_runs(key, (ages or {}).get(key), last.ages))

    def met(self, goal: float | None) -> bool | None:
        """The goal checked on the pooled figures: the median's ratio within it, the p95 within P95_GOAL medians."""
        return None if goal is None else _pooled(self.ratios) <= goal and _pooled(self.tails) <= P95_GOAL


def _row(r: Result, bare: Result, figures: Figures) -> tuple[str, bool | None]:
    goal = GOALS.get(r.target.kind)
    ratio, p95_ratio = r.median / bare.median, r.p95 / bare.median
    age = _pooled(figures.ages)
    flat = "" if age is None else f"{age:.2f}{_both(figures.ages)}" + ("" if age <= AGE_GOAL else " **no**")
    met = figures.met(goal)
    verdict = "" if met is None else ("yes" if met else "**no**")
    status = "" if r.ok else f" (HTTP {', '.join(str(s) for s in sorted(r.statuses))})"
    sql, template, rest = r.shares
    return (f"| {r.target.name}{status} | {r.target.role} | {r.target.kind} | {r.query_range} | "
            f"{r.sql_median:.1f} | {sql:.0%} / {template:.0%} / {rest:.0%} | {r.kilobytes:.1f} | "
            f"{1000 * r.alone_median:.1f} | {r.alone_median / bare.alone_median:.1f}x | "
            f"{1000 * r.median:.1f} | {1000 * r.p95:.1f} | {ratio:.1f}x | {p95_ratio:.1f}x | {r.spread:.0%} | "
            f"{'' if goal is None else f'<= {goal}x'} | {verdict} | {flat} | {r.throughput:.1f} |"), met


# Two runs on the same code agree when each page's ratio moves by at most this share between them.
AGREEMENT = 0.15


def _agreement(bare: Result, results: list[Result], previous: dict[str, float] | None) -> list[str]:
    """How far each page's median / bare ratio moved since the last run on the same code."""
    if previous is None:
        return ["The last run measured other code (or none was kept): run `make bench` again on this code to see "
                "whether two runs agree."]
    moves = sorted(((r.median / bare.median) / previous[key] - 1, key) for r in results
                   if (key := page_key(r)) in previous)
    within = [m for m, _ in moves if abs(m) <= AGREEMENT]
    worst = sorted(moves, key=lambda m: -abs(m[0]))[:5]
    return [f"{len(within)} of {len(moves)} pages' median / bare ratios are within {AGREEMENT:.0%} of the last run "
            f"on the same code; the largest moves: " + ", ".join(f"{key} {move:+.0%}" for move, key in worst) + "."]


# Why a page that misses its goal is drawn as it is: what its profile shows and what would take it further.
REASONS = {
    ("officer", "empty page (base.html)"): (
        "base.html itself: the navigation for the reader's roles, the menu of six languages, the skip link and the "
        "footer are most of it (templates about 57%); the session and the user are read from the database on every "
        "request, on purpose, so that a sign-out or a deactivation holds through a cache outage"),
    ("officer", "scan detail"): (
        "drawn for each request, not kept: it shows restricted evidence to those who may read it and each showing "
        "is written to the audit trail as it happens (hruf.audit.audit_read_restricted); its queries read the "
        "revision, its rated indicators, their evidence files, the lens and the warnings, and its template the "
        "ratings' table"),
    ("chair", "alert detail"): (
        "drawn for each request, not kept: each showing of restricted evidence is written to the audit trail as "
        "it happens (hruf.audit.audit_read_restricted)"),
    ("officer", "scan form"): (
        "a draft being typed into is drawn for each request (a kept form could be older than the draft just saved); "
        "it renders Django's widget templates for every rated indicator (about 260 template renders a request, "
        "templates half its time): its rating rows need writing without per-widget templates"),
    ("officer", "inbox"): (
        "drawn for each request: the notifications it lists are written by the sweeps and marked read by their "
        "reader, writes that leave the data version alone (hruf.figures_cache.QUIET_MODELS) so as not to empty every "
        "kept page; its templates render each notification's text from its code (hruf.codes)"),
    ("eosg", "inbox"): "as the officer's inbox",
    ("officer", "country timeline"): (
        "kept (hruf.figures_cache): what it costs beyond the empty page is the country read through the reader's "
        "scope, with its external risk, outside the kept part (the title, and a 404 for a country out of scope)"),
    ("owner", "action detail"): (
        "kept: beyond the empty page, the reader's scope is checked and the action fetched on every request, in "
        "two small queries (hruf.permissions.get_in_scope_or_404), so that a page is never shown to someone "
        "whose access ended"),
    ("owner", "plan detail"): "kept, as an action's page: the scope check and the plan's fetch stay per request",
}
API_REASON = (
    "the API's answers are drawn for each request (only the dashboard's figures and the surge board, one answer read "
    "again and again, are kept): most of their time is Django REST framework's serializers, pagination and renderer "
    "(the rest of Python). An API client pages through a list by cursor and filter, each request a different one, "
    "so an answer kept as the pages are would seldom be read again; what would take them further is serializing "
    "rows without DRF's per-field machinery, not done here")


# A page whose first fetch after a write costs this many times its usual one keeps what it computed.
KEPT_AFTER = 1.5


def _reason(r: Result) -> str:
    if r.target.path.startswith("/api/"):
        return API_REASON
    return REASONS.get((r.target.role, r.target.name), "")


def _after_write(bare: Result, results: list[Result]) -> list[str]:
    """What the first reader after a write waits on the pages that keep their figures (hruf.figures_cache)."""
    rows = [
        f"| {r.target.name} | {r.target.role} | {1000 * statistics.median(r.after_write):.1f} | "
        f"{statistics.median(r.after_write) / bare.alone_median:.1f}x | {1000 * r.alone_median:.1f} | "
        f"{r.alone_median / bare.alone_median:.1f}x |"
        for r in results if r.after_write and statistics.median(r.after_write) > KEPT_AFTER * r.alone_median
    ]
    if not rows:
        return ["No page's first fetch after a write costs more than its others."]
    return ["| page | as | first after a write ms | / bare alone | then, alone ms | / bare alone |",
            "|---|---|---|---|---|---|", *rows]


def markdown(bare: Result, results: list[Result], mixed: float, sweeps, args, ages: dict[str, float] | None,
             last: LastRun) -> str:
    figures = {page_key(r): Figures.of(r, bare, ages, last) for r in results}
    noise = [age for r in results if (r.target.role, r.target.name) in CONTROLS
             and (age := _pooled(figures[page_key(r)].ages)) is not None]
    years = f"{args.years}y / {args.compare_years}y" if args.compare_years else "by age"
    head = ("| page | as | kind | queries | SQL ms | SQL / template / rest | KB | alone ms | alone / bare | median ms "
            f"| p95 ms | median / bare | p95 / bare | spread | goal | met | {years} | req/s |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    html = [r for r in results if not r.target.path.startswith("/api/")]
    api = [r for r in results if r.target.path.startswith("/api/")]
    rows_html, rows_api, short = [], [], []
    for group, rows in ((html, rows_html), (api, rows_api)):
        for r in group:
            line, met = _row(r, bare, figures[page_key(r)])
            rows.append(line)
            age = _pooled(figures[page_key(r)].ages)
            if age is not None and age > AGE_GOAL:
                short.append(f"- {r.target.name} ({r.target.role}): {age:.2f} times its ratio on {args.compare_years} "
                             f"years of data against a goal of {AGE_GOAL}: " + _growth(age, noise))
            if met is False or not r.ok:
                # Where the time goes: the database (a query or an index to fix), the templates (rows
                # rendered) or the rest of Python.
                sql, template, rest = r.shares
                page = figures[page_key(r)]
                tail = _pooled(page.tails)
                short.append(f"- {r.target.name} ({r.target.role}): median {r.median / bare.median:.1f}x the bare view"
                             + (f" ({_pooled(page.ratios):.1f}x over two runs: "
                                + " and ".join(f"{x:.1f}x" for x in page.ratios) + ")"
                                if len(page.ratios) > 1 else "")
                             + f" (alone {r.alone_median / bare.alone_median:.1f}x, spread {r.spread:.0%}) against a "
                             f"goal of {GOALS.get(r.target.kind, '-')}x; of its server time SQL {sql:.0%}, templates "
                             f"{template:.0%}, the rest of Python {rest:.0%}"
                             + (f"; p95 {tail:.1f} times the median (goal {P95_GOAL}){_both(page.tails)}"
                                if tail > P95_GOAL else "")
                             + ("" if r.ok else f"; answered {dict(r.statuses)}")
                             + (f". Why: {reason}" if (reason := _reason(r)) else ""))
    base = sweeps[0][1] or 1e-9
    sweep_rows = "\n".join(f"| {size:,} | 200 | {o:.3f} s | {m:.3f} s | {o / base:.2f} |" for size, o, m in sweeps)
    return "\n".join([
        "# Benchmark results",
        "",
        f"`make bench` (bench/run.py): {args.years} years of generated data in PostgreSQL, served by gunicorn "
        f"({args.workers} sync workers, production settings plus a query counter and a bare view, bench/settings.py); "
        f"every page in {args.rounds} interleaved rounds (the bare view opening and closing each, so a slow minute on "
        "the shared machine falls on every page alike), each round fetching a page after 3 warm-up requests "
        f"alone (one request at a time: its own cost) and then under {args.clients} concurrent clients, "
        f"{args.requests} busy requests per page in all (median, p95, throughput: the goals are checked on these, "
        f"a page meeting its goal when its median / bare is within it and its p95 at most {P95_GOAL} times its median); "
        "spread is how far apart the rounds' medians are, as a share of the median. Latencies are measured by the client (connection, request, full gzipped response). Ratios "
        "divide by the median of a bare Django view (`HttpResponse('ok')` behind the same middleware, as the same "
        "signed-in officer) measured the same way before and after the pages in the same run; the empty page "
        "(base.html with no content, kind floor) shows what any page costs before its own content. SQL ms is the "
        "median time the page's queries took in the server during the concurrent run; SQL / template / rest splits "
        "the page's server time between its queries, its templates (beyond the SQL they run) and the rest of "
        "Python (headers from bench/middleware.py); KB its gzipped size. "
        f"{years} divides the page's median by the same page's median on {args.compare_years} years of data, served "
        "beside it by a server of its own and fetched in the same rounds, each page on one size and then on the "
        "other, which first alternating between rounds (the second fetch runs warmer), so that no bare view comes "
        "between them (its own noise would move every page's figure alike) "
        "(bench.generate.Size: the scans, meetings, alerts, actions "
        f"and notifications grow with the years): at most {AGE_GOAL} when the page's cost is flat in the data's age. "
        "When the last run measured the same code, the figure is the geometric mean of the two runs' and each run's "
        "follows in brackets, and the goals (met) are checked on the two runs' geometric means of median / bare and "
        "p95 / median too: a page's spread between rounds can be as wide as the goal's margin, and a p95 of one run "
        "is its fifth-slowest request, so one run's verdict near the goal can flip (run `make bench` twice on the "
        "same code).",
        "",
        "## Two runs",
        *_agreement(bare, results, last.ratios),
        "",
        "## Machine",
        *_machine(),
        "",
        "## Data",
        _data() + ".",
        "",
        "## Pages",
        f"Bare view: alone {1000 * bare.alone_median:.1f} ms; with {args.clients} clients median "
        f"{1000 * bare.median:.1f} ms, p95 {1000 * bare.p95:.1f} ms; {bare.query_range} queries, "
        f"{bare.throughput:.1f} req/s. All pages mixed: {mixed:.1f} req/s with {args.clients} clients.",
        "",
        head, *rows_html,
        "",
        "## API (as EOSG, who sees everything)",
        head, *rows_api,
        "",
        "## After a write",
        "Before each round of each page the bench moves the data version, as any write does (hruf/figures_cache.py), "
        "and times the first fetch apart. The pages below keep what they computed until the next write: the first "
        f"reader after a write waits for it (median over the rounds), the others read it (pages whose first fetch "
        f"costs more than {KEPT_AFTER}x their others).",
        "",
        *_after_write(bare, results),
        "",
        "## Enforcement sweep",
        "Open actions added on top of the generated data (rolled back), of which 200 are due; what the data "
        "already owed is swept first, untimed (`python manage.py bench_sweep` alone does the same).",
        "",
        "| open actions added | due | overdue sweep | reminder sweep | overdue vs first |",
        "|---|---|---|---|---|",
        sweep_rows,
        "",
        "## What falls short",
        *(short or ["- Nothing: every page meets its goal."]),
        "",
    ])
