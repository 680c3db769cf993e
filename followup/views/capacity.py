"""The surge board (risk against deployed capacity) and the register EOSG keeps (followup.capacity)."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hruf.figures_cache import draw_for_reader, kept_for_reader
from hruf.permissions import (
    can_keep_capacity,
    can_read_any_country,
    deployments_visible_to,
    get_visible_or_404,
    require,
)

from .. import capacity
from ..forms import DeploymentForm
from ..models import Deployment
from ..services import FollowupError, InvalidInput, StaleEdit


@login_required
def surge_board(request):
    """Kept for its reader until the data changes (hruf.figures_cache): every country they read, in one table."""
    require(can_read_any_country(request.user))
    body = kept_for_reader(request, "surge-board", [], partial(_surge_board, request))
    return render(request, "followup/surge_board.html", {"body": body})


def _surge_board(request) -> str:
    today = timezone.localdate()
    return draw_for_reader(request, "followup/_surge_board_body.html", {
        "rows": capacity.surge_board(request.user, today), "today": today, "soon_days": capacity.ENDING_SOON_DAYS,
        "keeper": can_keep_capacity(request.user),
    })


@login_required
def deployment_list(request):
    require(can_read_any_country(request.user))
    deployments = deployments_visible_to(request.user, Deployment.objects.select_related("country", "entity",
                                                                                          "requested_by"))
    return render(request, "followup/deployment_list.html", {
        "deployments": deployments, "keeper": can_keep_capacity(request.user), "today": timezone.localdate(),
    })


@login_required
def deployment_create(request):
    return _edit(request, Deployment())


@login_required
def deployment_edit(request, pk: int):
    require(can_keep_capacity(request.user))
    return _edit(request, get_visible_or_404(deployments_visible_to(request.user, Deployment.objects.all()), pk=pk))


def _edit(request, deployment: Deployment):
    require(can_keep_capacity(request.user))
    form = DeploymentForm(request.POST or None, instance=deployment,
                          initial={"lock_version": deployment.lock_version})
    if request.method == "POST" and form.is_valid():
        try:
            capacity.deployment_save(deployment=form.save(commit=False), actor=request.user,
                                     lock_version=form.cleaned_data["lock_version"])
        except InvalidInput as exc:
            for name, message in exc.errors.items():
                form.add_error(name, message)
        except (StaleEdit, FollowupError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The register is saved."))
            return redirect("followup:deployment_list")
    return render(request, "followup/deployment_form.html", {"form": form, "deployment": deployment},
                  status=400 if request.method == "POST" else 200)
