"""Regional Quarterly Reviews and Senior Action Group meetings: agendas, frozen snapshots, records."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from hruf.locales import ltr
from hruf.models import Country, Entity, Region
from hruf.translated import pick
from scans.models import Alert, EarlyWarning, ScanRevision
from scans.models.warnings import NOTE_LIMIT
from scans.scoring import Tier

ITEM_RECORDS = ("snap_drivers", "snap_framework", "proposal_reasons")


def without_records(*, item: str | None = None, meeting: str | None = None) -> list[str]:
    """What a list that names meetings or agenda items leaves unread (`.defer(*...)`): their frozen records,
    a meeting's agenda and an item's figures, which would be decoded row by row for nothing. `item` and
    `meeting` are the paths to them from the listed model ("" for the model itself)."""
    fields = [f"{item}{name}" for name in ITEM_RECORDS] if item is not None else []
    return fields + ([f"{meeting}snapshot"] if meeting is not None else [])


def meeting_title(params: dict) -> str:
    """A meeting's name in the active language, from Meeting.title_params()."""
    if params["kind"] == "rqr":
        region = pick(params["region"], {code: {"name": name} for code, name in params.get("region_names", {}).items()},
                      "name")
        return _("RQR %(region)s %(quarter)s") % {"region": region, "quarter": ltr(params["quarter"])}
    return _("SAG %(date)s") % {"date": params["date"]}


class MeetingQuerySet(models.QuerySet):
    def rqr(self) -> "MeetingQuerySet":
        return self.filter(kind=Meeting.Kind.RQR)

    def sag(self) -> "MeetingQuerySet":
        return self.filter(kind=Meeting.Kind.SAG)


class Meeting(models.Model):
    class Kind(models.TextChoices):
        RQR = "rqr", _("Regional Quarterly Review")
        SAG = "sag", _("Senior Action Group")

    class State(models.TextChoices):
        PREPARATION = "preparation", _("Agenda in preparation")
        PUBLISHED = "published", _("Agenda published")
        HELD = "held", _("Held")
        CLOSED = "closed", _("Record closed")

    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("region")
    )
    quarter = models.CharField(_("quarter"), max_length=7, blank=True)
    date = models.DateField(_("date"))
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("chair")
    )
    entities = models.ManyToManyField(Entity, blank=True, related_name="+", verbose_name=_("participating entities"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("members"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PREPARATION)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # What the meeting saw: every country of the region as ranked at publication.
    snapshot = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every agenda change: a second editor's stale save is refused.
    lock_version = models.PositiveIntegerField(default=0)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "quarter"], condition=Q(kind="rqr"), name="one_rqr_per_region_quarter"
            ),
            models.CheckConstraint(
                name="meeting_scope_matches_kind",
                condition=Q(kind="rqr", region__isnull=False) & ~Q(quarter="")
                | Q(kind="sag", region__isnull=True, quarter=""),
            ),
        ]
        # The API pages meetings by keyset in this order (hruf.api.pagination.keyset).
        indexes = [models.Index(fields=["-date", "-id"], name="meeting_newest")]

    def __str__(self) -> str:
        return meeting_title(self.title_params())

    def title_params(self) -> dict:
        """What names the meeting, as plain values: a stored reason or notice renders its title
        from these in its reader's language."""
        region = self.region
        return {"kind": self.kind, "region": region.name if region else "", "quarter": self.quarter,
                "date": self.date.isoformat(),
                # The region's name in each language, so that a stored notice names it in its reader's.
                "region_names": {code: texts["name"] for code, texts in (region.translations if region else {}).items()
                                 if texts.get("name")}}

    @property
    def is_rqr(self) -> bool:
        return self.kind == self.Kind.RQR

    @property
    def in_preparation(self) -> bool:
        return self.state == self.State.PREPARATION

    @property
    def accepts_records(self) -> bool:
        return self.state in (self.State.PUBLISHED, self.State.HELD)


class Decision(models.TextChoices):
    MONITOR = "monitor", _("Keep monitoring")
    PLAN = "plan", _("Adopt a follow-up plan")
    ESCALATE = "escalate", _("Escalate to the Senior Action Group")
    ENHANCED = "enhanced", _("Recommend enhanced reporting")


# The longest reason EOSG may give for declining enhanced reporting.
DECLINE_REASON_MAX = 4000


class AgendaItemQuerySet(models.QuerySet):
    def included(self) -> "AgendaItemQuerySet":
        return self.filter(included=True)

    def escalated(self) -> "AgendaItemQuerySet":
        return self.filter(decision=Decision.ESCALATE, meeting__kind=Meeting.Kind.RQR)

    def for_sag(self) -> "AgendaItemQuerySet":
        """The cases a SAG meeting may take: those escalated by a review, and those a SAG decided to keep
        monitoring while that commitment is open (they come back to a SAG meeting)."""
        monitored = Exists(
            self.model.commitments.rel.related_model.objects.open().filter(item=OuterRef("pk"), kind="monitor")
        )
        return self.filter(
            Q(decision=Decision.ESCALATE, meeting__kind=Meeting.Kind.RQR) | Q(monitored, meeting__kind=Meeting.Kind.SAG)
        )


class AgendaItem(models.Model):
    """A country on a meeting's agenda: the chair's selection, its frozen snapshot, and its record.

    An RQR agenda holds each country once. A SAG agenda holds each case it takes as an item of its
    own (an escalated RQR item, a flagged alert), so two cases of one country keep their links and
    get a decision each; a case is on at most one SAG agenda."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting"))
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="agenda_items", verbose_name=_("country"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    included = models.BooleanField(_("on the agenda"), default=True)
    proposal_reasons = models.JSONField(_("why the app proposed it"), default=list, blank=True)
    chair_reason = models.TextField(_("chair's reason"), max_length=2000, blank=True)
    # On a SAG agenda: where the case came from.
    source_item = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="sag_items",
        verbose_name=_("escalated from"),
    )
    source_alert = models.ForeignKey(
        Alert, null=True, blank=True, on_delete=models.PROTECT, related_name="sag_items", verbose_name=_("urgent alert")
    )
    # The warnings this item answers (set at publication, or when the SAG takes a case), and the
    # warning an escalation of this item raised for the SAG.
    warnings = models.ManyToManyField(EarlyWarning, blank=True, related_name="agenda_items", verbose_name=_("warnings"))
    escalation_warning = models.OneToOneField(
        EarlyWarning, null=True, blank=True, on_delete=models.PROTECT, related_name="escalated_item"
    )

    # Frozen at publication, so the record stays true if a scan is amended later.
    snap_revision = models.ForeignKey(ScanRevision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    snap_score = models.PositiveSmallIntegerField(null=True, blank=True)
    snap_tier = models.CharField(max_length=10, choices=Tier.choices, blank=True)
    snap_change = models.SmallIntegerField(null=True, blank=True)
    snap_worsening = models.PositiveSmallIntegerField(null=True, blank=True)
    snap_alerts = models.PositiveSmallIntegerField(null=True, blank=True)
    snap_missing = models.BooleanField(default=False)
    snap_drivers = models.JSONField(default=list, blank=True)
    # The Framework of Analysis lens of the frozen revision (scans.framework.LensSummary): each factor's level.
    snap_framework = models.JSONField(default=dict, blank=True)

    summary = models.TextField(_("summary of the discussion"), max_length=10000, blank=True)
    agreed_tier = models.CharField(_("agreed risk level"), max_length=10, choices=Tier.choices, blank=True)
    agreed_tier_reason = models.TextField(_("why the agreed level differs"), max_length=2000, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), max_length=4000, blank=True)
    dissent = models.TextField(_("notes of disagreement"), max_length=4000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    enhanced_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enhanced_confirmed_at = models.DateTimeField(null=True, blank=True)
    # EOSG's answer to a recommendation of enhanced reporting: confirmed or declined, once.
    enhanced_declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enhanced_declined_at = models.DateTimeField(null=True, blank=True)
    enhanced_decline_reason = models.TextField(
        _("why enhanced reporting was declined"), max_length=DECLINE_REASON_MAX, blank=True
    )
    lock_version = models.PositiveIntegerField(default=0)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "-included", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            # A country added by hand (every RQR item) appears once; the cases a SAG takes do not count.
            models.UniqueConstraint(
                fields=["meeting", "country"], condition=Q(source_item__isnull=True, source_alert__isnull=True),
                name="one_item_per_country",
            ),
            models.UniqueConstraint(
                fields=["source_item"], condition=Q(source_item__isnull=False), name="one_sag_item_per_source_item"
            ),
            models.UniqueConstraint(
                fields=["source_alert"], condition=Q(source_alert__isnull=False), name="one_sag_item_per_source_alert"
            ),
            models.CheckConstraint(
                condition=Q(enhanced_confirmed_at__isnull=True) | Q(enhanced_declined_at__isnull=True),
                name="enhanced_reporting_confirmed_or_declined",
            ),
        ]
        indexes = [models.Index(fields=["decision"], name="agenda_item_decision")]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.country}"

    @property
    def is_recorded(self) -> bool:
        return bool(self.decision)

    @property
    def enhanced_awaits_eosg(self) -> bool:
        """A recommendation of enhanced reporting that EOSG has neither confirmed nor declined."""
        return self.decision == Decision.ENHANCED and not self.enhanced_confirmed_at and not self.enhanced_declined_at

    @property
    def is_case(self) -> bool:
        """Taken by a SAG from an escalation or an alert (one of possibly several of its country)."""
        return self.source_item_id is not None or self.source_alert_id is not None

class WarningDeferral(models.Model):
    """An open warning a review did not take, with the chair's reason: it rolls forward to the
    region's next review, where it is proposed again."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="deferrals", verbose_name=_("meeting"))
    warning = models.ForeignKey(EarlyWarning, on_delete=models.PROTECT, related_name="deferrals", verbose_name=_("warning"))
    reason = models.TextField(_("why it waits for the next review"), max_length=NOTE_LIMIT)
    deferred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    deferred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deferred_at", "id"]
        verbose_name = _("deferred warning")
        verbose_name_plural = _("deferred warnings")
        constraints = [models.UniqueConstraint(fields=["meeting", "warning"], name="one_deferral_per_meeting_warning")]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.warning}"
