"""Evidence files: attached by the country's officers to a draft's rating or to an alert, downloaded
only by those who may read them (hruf.permissions.evidence_files_visible_to); every download of a
restricted file is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from hruf.audit import audit_read_restricted
from hruf.ids import object_id
from hruf.permissions import alerts_visible_to, can_file_for, evidence_files_visible_to, get_visible_or_404, require
from hruf.post_only import post_only

from ..evidence import EvidenceRefused, attach_to_alert, attach_to_rating
from ..forms import EvidenceUploadForm
from ..models import Alert, EvidenceFile
from .editing import scan_for_filing


def _attached(request, attach, back):
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."), extra_tags="evidence-file")
        return back
    try:
        attach(form.cleaned_data["file"])
    except EvidenceRefused as exc:
        messages.error(request, _("The file was not attached: %(why)s") % {"why": exc}, extra_tags="evidence-file")
    else:
        messages.success(request, _("File attached."))
    return back


@login_required
@post_only("scans:scan_edit", "pk")
def evidence_attach_rating(request, pk: int):
    """From the scan form: a file for one of the draft's ratings (chosen in the form)."""
    scan = scan_for_filing(request.user, pk)
    draft = scan.revisions.drafts().first()
    back = redirect("scans:scan_edit", pk=scan.pk)
    rating = draft.ratings.filter(pk=object_id(request.POST.get("rating"))).first() if draft else None
    if rating is None:
        messages.error(request, _("This scan has no draft with that indicator: the file was not attached."))
        return back
    return _attached(request, lambda f: attach_to_rating(actor=request.user, rating=rating, upload=f),
                     redirect(f"{back.url}#rating-{rating.pk}"))


@login_required
@post_only("scans:alert_detail", "pk")
def evidence_attach_alert(request, pk: int):
    alert = get_visible_or_404(alerts_visible_to(request.user, Alert.objects.select_related("country")), pk=pk)
    require(can_file_for(request.user, alert.country))
    return _attached(request, lambda f: attach_to_alert(actor=request.user, alert=alert, upload=f),
                     redirect("scans:alert_detail", pk=alert.pk))


def _readable_file(request, pk: int) -> EvidenceFile:
    return get_visible_or_404(
        evidence_files_visible_to(request.user, EvidenceFile.objects.select_related("rating", "alert")), pk=pk)


@login_required
def evidence_download(request, pk: int):
    evidence = _readable_file(request, pk)
    if evidence.restricted:
        audit_read_restricted(request=request, obj=evidence, detail={"download": True, "sha256": evidence.sha256})
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name,
                            content_type=evidence.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def evidence_thumbnail(request, pk: int):
    evidence = _readable_file(request, pk)
    if not evidence.thumbnail:  # a document or a sound: nothing to show in small
        raise Http404
    response = FileResponse(evidence.thumbnail.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
