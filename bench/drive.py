"""Concurrent clients over plain HTTP: each page is fetched by several threads at once, and its
latencies, throughput and query count (the X-Bench-Queries header) are kept."""

from __future__ import annotations

import http.client
import math
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from .middleware import QUERIES_HEADER, SERVER_TIME_HEADER, SQL_TIME_HEADER, TEMPLATE_TIME_HEADER

# The goals of issues 7 and 17: the median at most this many times the bare view's.
GOALS = {"floor": 1.5, "detail": 3, "list": 4, "agenda": 6, "dashboard": 6}


@dataclass
class Target:
    name: str
    kind: str  # "bare", or a key of GOALS
    role: str
    path: str
    session: str  # the session cookie of the person it is fetched as


@dataclass
class Result:
    target: Target
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    queries: Counter = field(default_factory=Counter)
    sql_ms: list[float] = field(default_factory=list)
    template_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    wall: float = 0.0
    alone: list[float] = field(default_factory=list)  # latencies with no other request in flight
    after_write: list[float] = field(default_factory=list)  # the first fetch after the data version moved
    rounds: list[float] = field(default_factory=list)  # the busy median of each interleaved round

    @property
    def median(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def alone_median(self) -> float:
        return statistics.median(self.alone)

    @property
    def sql_median(self) -> float:
        return statistics.median(self.sql_ms) if self.sql_ms else 0.0

    @property
    def shares(self) -> tuple[float, float, float]:
        """What share of the server's time went to SQL, to templates (beyond their own SQL) and to the rest
        (Python: views, forms, serializers, middleware), over every busy request."""
        total = sum(self.server_ms)
        if not total:
            return 0.0, 0.0, 0.0
        sql, template = sum(self.sql_ms) / total, sum(self.template_ms) / total
        return sql, template, max(0.0, 1 - sql - template)

    @property
    def spread(self) -> float:
        """How far apart the rounds' medians are, as a share of the median: how far to trust a verdict."""
        return (max(self.rounds) - min(self.rounds)) / self.median if len(self.rounds) > 1 else 0.0

    @property
    def kilobytes(self) -> float:
        return statistics.median(self.sizes) / 1024 if self.sizes else 0.0

    def add(self, other: Result) -> None:
        self.latencies += other.latencies
        self.statuses += other.statuses
        self.queries += other.queries
        self.sql_ms += other.sql_ms
        self.template_ms += other.template_ms
        self.server_ms += other.server_ms
        self.sizes += other.sizes
        self.wall += other.wall
        self.alone += other.alone
        self.after_write += other.after_write
        self.rounds += other.rounds

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    @property
    def query_range(self) -> str:
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}-{high}"

    @property
    def ok(self) -> bool:
        return set(self.statuses) == {200}


@dataclass
class Fetched:
    status: int
    seconds: float
    queries: int | None
    sql_ms: float
    template_ms: float
    server_ms: float
    size: int  # bytes on the wire (gzipped, as browsers ask)


def fetch(port: int, target: Target, timeout: float = 120) -> Fetched:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", target.path, headers={"Cookie": f"sessionid={target.session}", "Accept-Language": "en",
                                                 "Accept-Encoding": "gzip"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    queries = response.getheader(QUERIES_HEADER)
    return Fetched(response.status, time.perf_counter() - started, int(queries) if queries else None,
                   float(response.getheader(SQL_TIME_HEADER) or 0), float(response.getheader(TEMPLATE_TIME_HEADER) or 0),
                   float(response.getheader(SERVER_TIME_HEADER) or 0), len(body))


def measure(port: int, target: Target, *, clients: int, requests: int, alone: int, warm_up: int = 3,
            write: Callable[[], None] | None = None) -> Result:
    """A few unmeasured fetches of one page, `alone` fetches one at a time (its own cost), then
    `requests` fetches spread over `clients` threads (its cost when the server is busy). Given `write` (what
    a write does to kept figures: hruf.figures_cache), the first warm-up fetch follows it and is kept apart:
    what a reader waits after a change, where the others read what it left."""
    if write:
        write()
    after_write = [fetch(port, target).seconds] if write else []
    for _ in range(warm_up - len(after_write)):
        fetch(port, target)
    result = Result(target, alone=[fetch(port, target).seconds for _ in range(alone)], after_write=after_write)
    lock = threading.Lock()
    remaining = [requests]

    def client():
        while True:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            got = fetch(port, target)
            with lock:
                result.latencies.append(got.seconds)
                result.statuses[got.status] += 1
                result.queries[got.queries] += 1
                result.sql_ms.append(got.sql_ms)
                result.template_ms.append(got.template_ms)
                result.server_ms.append(got.server_ms)
                result.sizes.append(got.size)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.wall = time.perf_counter() - started
    result.rounds = [result.median]
    return result


def mixed_throughput(port: int, targets: list[Target], *, clients: int, seconds: float) -> float:
    """Requests per second with every page in the mix, as a working day's traffic would be."""
    done = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(offset: int):
        i = offset
        while time.perf_counter() < stop_at:
            fetch(port, targets[i % len(targets)])
            i += 1
            with lock:
                done[0] += 1

    threads = [threading.Thread(target=client, args=(n * 7,)) for n in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0] / (time.perf_counter() - started)
