"""A sweep survives a bad row: each row is handled on its own, and one that fails is logged with
its id, counted, and left as it was for the next run, while the sweep goes on.

A sweep that stopped at its first bad row would meet that row first again on every run and never
reach the others (healthchecks pushes a failing check forward for the same reason, lest sendalerts
"end up in a crash loop"). The step for a row must commit whole or not at all (its own
transaction), so that a failed row is neither marked done nor half sent, and a later run
retries it exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextvars import ContextVar, Token
from dataclasses import asdict, dataclass
from typing import TypeVar

log = logging.getLogger(__name__)

Row = TypeVar("Row")


@dataclass
class SweepResult:
    done: int = 0  # steps taken (what the sweep is for: reminders sent, steps advanced ...)
    failed: int = 0  # rows that raised and are left for the next run

    def __add__(self, other: SweepResult) -> SweepResult:
        return SweepResult(done=self.done + other.done, failed=self.failed + other.failed)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def sweep_rows(
    sweep: str, rows: Iterable[Row], step: Callable[[Row], int], *, row_id: Callable[[Row], object] = lambda r: r
) -> SweepResult:
    """Run `step` on each row; `step` returns how many steps it took and runs in its own transaction."""
    result = SweepResult()
    for row in rows:
        written = _notified.get()
        before = written[0] if written is not None else 0
        try:
            result.done += step(row)
        except Exception:
            log.exception("%s: row %s failed and is left for the next run", sweep, row_id(row))
            result.failed += 1
            if written is not None:
                written[0] = before  # the row's notifications were rolled back with it
    return result


# Notifications written by the running beat task, for its heartbeat (hruf/heartbeats.py). notify()
# adds to it; outside a counted task it is None and nothing is counted.
_notified: ContextVar[list[int] | None] = ContextVar("sweep_notified", default=None)


def notifications_written(count: int) -> None:
    written = _notified.get()
    if written is not None:
        written[0] += count


def count_notifications_start() -> Token:
    """Start counting the notifications written in this context (a beat task starting)."""
    return _notified.set([0])


def count_notifications_stop(token: Token) -> int:
    """How many were written since the matching start; counting stops."""
    written = _notified.get()
    _notified.reset(token)
    return written[0] if written is not None else 0
