"""`make bench`: generate (or reuse) ten years of data in PostgreSQL, serve it with gunicorn, drive
every main page and API list with concurrent clients, each in turn with the same page on two years of data
served beside it (to show each page's cost flat in the data's age), time the enforcement sweep, and write
bench/results.md.

    python -m bench.run [--database-url postgres://...] [--years 10] [--compare-years 2] [--workers 3]
                        [--clients 4] [--requests 96] [--rounds 4]

BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/hruf_bench) names the database; the
smaller size has its own beside it (hruf_bench_2y). Each is created when missing and its data kept
between runs while the size and the month are the same.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hruf_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--years", type=int, default=10, help="how much history the data holds")
    parser.add_argument("--compare-years", type=int, default=2,
                        help="the smaller size each page is compared with (0: none)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients per page")
    parser.add_argument("--requests", type=int, default=96, help="measured requests per page, over all rounds")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds over every page")
    parser.add_argument("--regenerate", action="store_true", help="drop the data and generate it again")
    parser.add_argument("--data-only", action="store_true",
                        help="generate (or keep) the data and stop: for the restore drill on ten years of data")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.md"))
    parser.add_argument("--targets-only", metavar="JSON",
                        help="prepare the data and write the pages to fetch (with their sessions) to this file")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("The bench runs on PostgreSQL: set BENCH_DATABASE_URL to a postgres:// URL.")

    # The bench serves reads only: no broker is needed, and a shared Redis must not receive its tasks.
    os.environ.pop("REDIS_URL", None)
    os.environ.update(DJANGO_SETTINGS_MODULE="bench.settings", DATABASE_URL=args.database_url, DEBUG="false",
                      LOG_LEVEL="WARNING", HRUF_VAR_DIR=os.environ.get("BENCH_VAR_DIR", str(ROOT / "var" / "bench")))
    sys.path.insert(0, str(ROOT))
    from . import database

    # The smaller size's data and pages first, in a process of its own (Django holds one database per process);
    # its pages are then fetched in turn with this size's, from a server of its own.
    smaller = _smaller_size(args) if args.compare_years and not args.targets_only else None

    database.create_if_missing(args.database_url)
    import django

    django.setup()
    from . import generate, pages, report

    size = generate.Size(args.years)
    fresh = database.prepare(args.database_url, size.marker, regenerate=args.regenerate)
    if fresh:
        print(f"Generating {size.years} years of data (minutes; kept for the next runs)...")
        started = time.monotonic()
        generate.generate(size, log=print)
        database.mark(size.marker)
        print(f"Generated in {time.monotonic() - started:.0f}s.")
    if args.data_only:
        return
    # Generation and earlier runs' rolled-back sweeps leave dead rows behind; a production database
    # is vacuumed by autovacuum over time, so measure on a vacuumed one.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    targets = pages.targets()
    if args.targets_only:
        Path(args.targets_only).write_text(json.dumps([dataclasses.asdict(t) for t in targets]))
        return
    servers = [_gunicorn(args.workers, args.database_url, "")]
    try:
        sizes = [pages.Served(servers[0]["port"], targets, pages.version_mover(""))]
        if smaller:
            tag = f"{args.compare_years}y"
            servers.append(_gunicorn(args.workers, smaller["url"], tag))
            sizes.append(pages.Served(servers[1]["port"], smaller["targets"], pages.version_mover(tag)))
        measured, mixed = pages.drive_all(sizes, clients=args.clients, requests=args.requests, rounds=args.rounds)
    finally:
        for server in servers:
            _stop(server["proc"])
    (bare, results), *rest = measured
    # Each page's median over the same page's on the smaller size, fetched in the same rounds: no bare view
    # between them, whose own noise would move every page's figure alike.
    ages = None
    if rest:
        small = {report.page_key(r): r.median for r in rest[0][1]}
        ages = {key: r.median / small[key] for r in results if (key := report.page_key(r)) in small}
    print("Timing the enforcement sweep with 10,000 and 100,000 open actions (rolled back)...")
    from followup.management.commands.bench_sweep import time_sweeps

    sweeps = time_sweeps(sizes=[10_000, 100_000], due=200)
    last = report.LastRun(
        ratios=_last_run(f"ratios-{args.years}y", {report.page_key(r): r.median / bare.median for r in results}),
        tails=_last_run(f"tails-{args.years}y", {report.page_key(r): r.p95 / r.median for r in results}),
        ages=_last_run(f"ages-{args.years}y-{args.compare_years}y", ages) if ages else None,
    )
    text = report.markdown(bare, results, mixed, sweeps, args, ages, last)
    Path(args.output).write_text(text)
    print(text)
    print(f"Written to {args.output}")


def _commit() -> str:
    """The code measured: the commit, marked when the tree has changes beside it."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    # The report a run writes is not a change to the code it measures.
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results.md"],
                           cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return f"{head}+changes" if dirty else head


def _last_run(name: str, figures: dict[str, float]) -> dict[str, float] | None:
    """Keep this run's figures of one kind by page (`name`: a size's median / bare ratios or p95 / median, the
    ages between two sizes), and give the last run's if it measured the same code (item 0: two runs on the same
    code must agree, and report.LastRun pools them)."""
    path = ROOT / "var" / "bench" / f"{name}-last.json"
    commit = _commit()
    last = json.loads(path.read_text()) if path.exists() else {}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"commit": commit, "figures": figures}))
    same = last.get("commit") == commit and not commit.endswith("+changes")
    return last.get("figures") if same else None


def _smaller_size(args) -> dict | None:
    """The database of `--compare-years` of data beside this one, prepared (generated when missing) by this
    script in a child process, and the pages to fetch on it; None with --data-only."""
    parts = urlsplit(args.database_url)
    url = parts._replace(path=f"{parts.path}_{args.compare_years}y").geturl()
    out = ROOT / "var" / "bench" / f"targets-{args.compare_years}y.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    print(f"Preparing {args.compare_years} years of data first ({urlsplit(url).path.lstrip('/')})...")
    command = [sys.executable, "-m", "bench.run", "--database-url", url, "--years", str(args.compare_years),
               "--compare-years", "0", "--targets-only", str(out)]
    if args.regenerate:
        command.append("--regenerate")
    if args.data_only:
        command.append("--data-only")
    subprocess.run(command, cwd=ROOT, check=True)
    if args.data_only:
        return None
    from .drive import Target

    return {"url": url, "targets": [Target(**t) for t in json.loads(out.read_text())]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(workers: int, database_url: str, size: str) -> dict:
    """A server of one size's data, with caches of its own (bench.settings.caches_for)."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "hruf.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--timeout", "120", "--chdir", str(ROOT), "--log-level", "warning"],
        env={**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url, "BENCH_SIZE": size},
        cwd=ROOT, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        _stop(proc)
        sys.exit("gunicorn did not start")
    where = urlsplit(database_url)
    print(f"gunicorn: {workers} workers on 127.0.0.1:{port}, PostgreSQL at {where.hostname}{where.path}")
    return {"proc": proc, "port": port}


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
