"""The template library: what each preventive action has achieved (EOSG and chairs), kept by EOSG."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hruf.permissions import can_edit_library, can_view_library, require

from .. import services
from ..forms import TemplateBenchmarkFormSet, TemplateForm, benchmarks_within_duration
from ..library import template_stats
from ..models import ActionTemplate


@login_required
def template_list(request):
    require(can_view_library(request.user))
    templates = (ActionTemplate.objects.select_related("default_lead").annotate(benchmark_count=Count("benchmarks"))
                 .order_by("-active", "title"))
    return render(request, "followup/template_list.html", {
        "stats": template_stats(templates, timezone.localdate()), "editor": can_edit_library(request.user),
    })


@login_required
def template_create(request):
    return _edit(request, ActionTemplate())


@login_required
def template_edit(request, pk: int):
    return _edit(request, get_object_or_404(ActionTemplate, pk=pk))


def _edit(request, template: ActionTemplate):
    require(can_edit_library(request.user))
    form = TemplateForm(request.POST or None, instance=template)
    benchmarks = TemplateBenchmarkFormSet(request.POST or None, instance=template, prefix="b")
    if request.method == "POST" and form.is_valid() and benchmarks.is_valid() and benchmarks_within_duration(form, benchmarks):
        try:
            saved, still_used = services.template_save(form=form, benchmarks=benchmarks, actor=request.user)
        except services.FollowupError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Template saved."))
            if still_used:
                messages.info(request, ngettext(
                    "Retired: %(n)s open plan drafted from it keeps it.",
                    "Retired: %(n)s open plans drafted from it keep it.", still_used) % {"n": still_used})
            return redirect("followup:template_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "followup/template_form.html", {"form": form, "benchmarks": benchmarks, "template": template},
                  status=status)
