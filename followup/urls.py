from django.urls import path

from . import views
from .views import capacity as capacity_views

app_name = "followup"

urlpatterns = [
    path("mine/", views.my_actions, name="my_actions"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/close/", views.plan_close, name="plan_close"),
    path("plans/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/update/", views.action_update, name="action_update"),
    path("actions/<int:pk>/reassign/", views.action_reassign, name="action_reassign"),
    path("actions/<int:pk>/extend/", views.action_extend, name="action_extend"),
    path("actions/<int:pk>/reopen/", views.action_reopen, name="action_reopen"),
    path("actions/<int:pk>/benchmarks/new/", views.benchmark_create, name="benchmark_create"),
    path("benchmarks/<int:pk>/met/", views.benchmark_met, name="benchmark_met"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("capacity/", capacity_views.surge_board, name="surge_board"),
    path("capacity/deployments/", capacity_views.deployment_list, name="deployment_list"),
    path("capacity/deployments/new/", capacity_views.deployment_create, name="deployment_create"),
    path("capacity/deployments/<int:pk>/", capacity_views.deployment_edit, name="deployment_edit"),
    path("library/", views.template_list, name="template_list"),
    path("library/new/", views.template_create, name="template_create"),
    path("library/<int:pk>/", views.template_edit, name="template_edit"),
]
