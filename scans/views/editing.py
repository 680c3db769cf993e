"""Filing a scan: start, edit the draft, save, submit, amend."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from hruf.audit import audit_read_restricted
from hruf.ids import object_id
from hruf.permissions import can_file_for, countries_visible_to, get_visible_or_404, require, scans_visible_to
from hruf.post_only import post_only

from .. import services
from ..forms import EvidenceUploadForm, RatingForm, RatingFormSet, ScanForm, StartScanForm
from ..models import Rating, Scan, ScanRevision
from ..periods import Period
from ..selectors import evidence_files_by, ordered_ratings, previous_submitted, ratings_read_by


def scan_for_filing(user, pk: int) -> Scan:
    scan = get_visible_or_404(scans_visible_to(user, Scan.objects.select_related("country__region")), pk=pk)
    require(can_file_for(user, scan.country))
    return scan


@login_required
@post_only("scans:country_detail", "iso3")
def scan_start(request, iso3: str):
    country = get_visible_or_404(countries_visible_to(request.user), iso3=iso3.upper())
    require(can_file_for(request.user, country))
    form = StartScanForm(request.POST)
    today = timezone.localdate()
    try:
        if not form.is_valid():
            raise services.ScanError(" ".join(form.errors["period"]))
        period = Period.parse(form.cleaned_data["period"])
        scan = services.scan_start(country=country, period=period, actor=request.user, today=today)
    except services.ScanExists as exc:
        link = reverse("scans:scan_edit" if not exc.scan.is_submitted else "scans:scan_detail", args=[exc.scan.pk])
        messages.warning(request, format_html('{} <a href="{}">{}</a>', str(exc), link, _("Open it.")))
        return redirect("scans:country_detail", iso3=country.iso3)
    except (services.ScanError, ValueError) as exc:
        messages.error(request, str(exc))
        return redirect("scans:country_detail", iso3=country.iso3)
    messages.success(request, _("Scan for %(period)s started from the last scan's ratings.") % {"period": scan.period})
    return redirect("scans:scan_edit", pk=scan.pk)


@dataclass
class MatrixRow:
    form: RatingForm
    rating: Rating
    previous: Rating | None

    @property
    def changed(self) -> bool:
        if self.previous is None:
            return False
        value = self.form["rating"].value()
        return str(value if value is not None else "") != str(
            self.previous.rating if self.previous.rating is not None else ""
        )


def _baseline(scan: Scan, revision: ScanRevision) -> dict[str, Rating]:
    """What the officer compares against: the scan being amended, or the last scan before this one."""
    source = scan.submitted_revision if revision.is_amendment else previous_submitted(scan)
    if source is None:
        return {}
    return {r.key: r for r in ordered_ratings([source.pk])}


def _initial(revision: ScanRevision, ratings: list[Rating]) -> tuple[dict, list[dict]]:
    form_initial = {
        "lock_version": revision.lock_version,
        "narrative": revision.narrative,
        "language": revision.language or get_language(),
        "amendment_reason": revision.amendment_reason,
    }
    rows = [
        {
            "rating_id": r.pk,
            "rating": r.rating,
            "trend": r.trend,
            "evidence": r.evidence,
            "confidence": r.confidence,
            "restricted": r.restricted,
        }
        for r in ratings
    ]
    return form_initial, rows


@login_required
def scan_edit(request, pk: int):
    scan = scan_for_filing(request.user, pk)
    revision = scan.revisions.drafts().select_related("matrix_version").first()
    if revision is None and request.method == "POST":
        # Submitted meanwhile (another tab, a colleague): show what was typed so it can be copied.
        messages.error(request, _("This scan was submitted meanwhile; your changes were not saved. "
                                  "Copy what you need below, then amend the scan."))
        posted = [v for k, v in request.POST.items() if k.endswith("evidence") or k == "narrative"]
        return render(request, "scans/scan_conflict.html", {"scan": scan, "posted": [v for v in posted if v.strip()]},
                      status=409)
    if revision is None:
        messages.info(request, _("This scan has been submitted. To change it, amend it."))
        return redirect("scans:scan_detail", pk=scan.pk)
    # Only the country's officers file, and they read its restricted evidence: nothing is blanked here.
    read = ratings_read_by(request.user, [revision.pk])[revision.pk]
    ratings = {r.pk: r for r in read.items}

    if request.method == "POST":
        form = ScanForm(request.POST)
        formset = RatingFormSet(request.POST, prefix="r")
        response = _handle_post(request, scan, revision, form, formset, ratings)
        if response is not None:
            return response
    else:
        form_initial, rows_initial = _initial(revision, list(ratings.values()))
        if read.restricted_shown:  # the form holds the draft's evidence, restricted rows included
            audit_read_restricted(request=request, obj=scan,
                                  detail={"revision": revision.number, "ratings": read.restricted_shown, "page": "form"})
        form = ScanForm(initial=form_initial)
        formset = RatingFormSet(initial=rows_initial, prefix="r")

    baseline = _baseline(scan, revision)
    rows = []
    for row_form in formset:
        rating = ratings.get(object_id(row_form["rating_id"].value()))
        if rating is None:  # a tampered or outdated row: _handle_post has reported it
            continue
        rows.append(MatrixRow(form=row_form, rating=rating, previous=baseline.get(rating.key)))
    attached = evidence_files_by(request.user, ratings=[r.rating for r in rows])
    for row in rows:
        row.rating.evidence_files = attached.get(("rating", row.rating.pk), [])
    return render(
        request,
        "scans/scan_form.html",
        {
            "scan": scan,
            "revision": revision,
            "form": form,
            "formset": formset,
            "matrix_rows": [r for r in rows if r.rating.indicator_id],
            "case_rows": [r for r in rows if r.rating.case_indicator_id],
            "has_baseline": bool(baseline),
            "carried_count": sum(1 for r in rows if r.rating.evidence_from),
            "due_date": scan.period_obj.due_date,
            "upload_form": EvidenceUploadForm(),
            "evidence_max_mb": settings.EVIDENCE_MAX_MB,
        },
        status=400 if request.method == "POST" else 200,
    )


def _tell_submitted(request, revision) -> None:
    messages.success(request, _("Scan submitted. Score %(score)s, tier %(tier)s.") % {
        "score": revision.score, "tier": revision.get_tier_display()})
    carried = revision.ratings.exclude(evidence_from="").count()
    if carried:
        messages.info(request, ngettext(
            "%(n)s rating was submitted with evidence carried unchanged from an earlier period.",
            "%(n)s ratings were submitted with evidence carried unchanged from an earlier period.", carried,
        ) % {"n": carried})


def _handle_post(request, scan, revision, form, formset, ratings):
    """Save or submit. Returns a redirect on success, None to re-render with what was typed."""
    if not (form.is_valid() and formset.is_valid()):
        messages.error(request, _("Some fields could not be accepted; nothing was saved. See the marked fields."))
        return None
    data = {f.cleaned_data["rating_id"]: f.data_for_service() for f in formset}
    kwargs = {
        "revision": revision,
        "actor": request.user,
        "lock_version": form.cleaned_data["lock_version"],
        "ratings": data,
        "narrative": form.cleaned_data["narrative"],
        "amendment_reason": form.cleaned_data["amendment_reason"],
        "language": form.cleaned_data["language"],
    }
    try:
        if request.POST.get("action") == "submit":
            services.scan_submit(**kwargs)
            _tell_submitted(request, revision)
            return redirect("scans:scan_detail", pk=scan.pk)
        services.scan_save_draft(**kwargs)
        messages.success(request, _("Draft saved at %(time)s.") % {"time": timezone.localtime().strftime("%H:%M")})
        return redirect("scans:scan_edit", pk=scan.pk)
    except services.IndicatorsAdded as exc:
        messages.warning(request, str(exc))
        return redirect("scans:scan_edit", pk=scan.pk)
    except services.ScanIncomplete as exc:
        # Keep what was typed even if the officer walks away now: save it as the draft.
        try:
            services.scan_save_draft(**kwargs)
        except (services.ScanError, services.StaleEdit) as save_exc:
            messages.error(request, str(save_exc))
            return None
        form.data = form.data.copy()
        form.data["lock_version"] = str(revision.lock_version)
        for row_form in formset:
            for field, message in exc.rating_errors.get(row_form.cleaned_data["rating_id"], {}).items():
                row_form.add_error(field, message)
        for field, message in exc.form_errors.items():
            form.add_error(field, message)
        messages.error(request, _("%(problem)s Your entries were kept and saved as a draft.") % {"problem": exc})
    except (services.ScanError, services.StaleEdit) as exc:
        messages.error(request, str(exc))
    return None


@login_required
@post_only("scans:scan_detail", "pk")
def scan_amend(request, pk: int):
    scan = scan_for_filing(request.user, pk)
    try:
        services.scan_amend(scan=scan, actor=request.user)
    except services.ScanError as exc:
        messages.error(request, str(exc))
        return redirect("scans:scan_detail", pk=scan.pk)
    messages.info(request, _("Amendment opened. Change what needs changing and give the reason before submitting."))
    return redirect("scans:scan_edit", pk=scan.pk)

