"""What the app writes into an action's log on its own: stored as a code and parameters (hruf/codes.py)
and rendered in each reader's language. What a person writes into the log stays in `text`, as written."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hruf.codes import Catalogue, stored_day

from .models import ActionStatus, ActionUpdate, Deployment

ACTION_LOG = Catalogue("action log", fallback={"text": _("(an entry of the log this version cannot show)")})

CREATED = "created"
REOPENED = "reopened"
BENCHMARK_MET = "benchmark_met"
REASSIGNED = "reassigned"
DEPLOYMENT_ARRIVED = "deployment_arrived"


ACTION_LOG.add(CREATED, text=_("Action created."))
ACTION_LOG.add(REOPENED, text=_("Reopened (it was %(was)s): %(reason)s"), labels={"was": lambda v: ActionStatus(v).label})
ACTION_LOG.add(BENCHMARK_MET, text=_("Benchmark met: %(benchmark)s"))
ACTION_LOG.add(REASSIGNED, text=_("Owner %(owner)s, deadline %(date)s."), labels={"date": stored_day})
ACTION_LOG.add(DEPLOYMENT_ARRIVED, text=_("The deployment this action requested arrived on %(date)s: %(kind)s (%(entity)s)."),
               labels={"date": stored_day, "kind": lambda v: Deployment.Kind(v).label})


def log_line(update: ActionUpdate, language: str | None = None) -> str:
    """The app's words of a log entry in the reader's language; empty for an entry a person wrote."""
    return ACTION_LOG.render(update.code, update.params, "text", language=language) if update.code else ""
