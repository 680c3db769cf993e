"""What the template library has learnt: how often each template was used, the share of its actions
done on time, and the median change of the country's score over the plans that used it and closed.
Three queries for the whole library, whatever its history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from scans.clock import nearest_rank

from .models import Action, ActionStatus, ActionTemplate, Plan
from .models.plans import on_time_q, open_q


def template_deadline(template: ActionTemplate, adopted: dt.date) -> dt.date | None:
    """A new action's deadline from the template's default duration (None: chosen each time)."""
    if template.default_duration_days is None:
        return None
    return adopted + dt.timedelta(days=template.default_duration_days)


@dataclass(frozen=True)
class TemplateStats:
    template: ActionTemplate
    actions: int  # drafted from it
    plans: int  # that drafted at least one action from it
    done_on_time: int
    due: int  # done, or still open past the first deadline it was given: those that could be on time
    closed_plans: int  # closed with a score at adoption and at closing
    median_score_change: int | None  # nearest-rank, closing minus adoption

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.done_on_time / self.due) if self.due else None


def template_stats(templates: QuerySet[ActionTemplate], today: dt.date) -> list[TemplateStats]:
    """Each template's figures as of a day, in the queryset's order."""
    chosen = list(templates)
    ids = [t.pk for t in chosen]
    counts = {
        row["template"]: row
        for row in Action.objects.filter(template__in=ids).with_timeliness().values("template").annotate(
            actions=Count("pk"),
            plans=Count("plan", distinct=True),
            on_time=Count("pk", filter=on_time_q()),
            due=Count("pk", filter=Q(status=ActionStatus.DONE) | (open_q() & Q(first_deadline__lt=today))),
        ).order_by()
    }
    changes: dict[int, list[int]] = defaultdict(list)
    closed = (Plan.objects.filter(closed_at__isnull=False, adoption_score__isnull=False, closing_score__isnull=False,
                                  actions__template__in=ids)
              .values_list("actions__template", "pk", "adoption_score", "closing_score").distinct())
    for template_id, _plan, before, after in closed:
        changes[template_id].append(after - before)
    stats = []
    for t in chosen:
        row = counts.get(t.pk, {})
        deltas = sorted(changes[t.pk])
        median = nearest_rank(deltas, 50)
        stats.append(TemplateStats(
            template=t, actions=row.get("actions", 0), plans=row.get("plans", 0),
            done_on_time=row.get("on_time", 0), due=row.get("due", 0), closed_plans=len(deltas),
            median_score_change=None if median is None else int(median),
        ))
    return stats
