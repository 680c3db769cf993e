from django.urls import path

from . import views
from .views import evidence as evidence_views
from .views import external as external_views
from .views import warnings as warning_views

app_name = "scans"

urlpatterns = [
    path("countries/", views.country_list, name="country_list"),
    path("countries/<str:iso3>/", views.country_detail, name="country_detail"),
    path("countries/<str:iso3>/scans/start/", views.scan_start, name="scan_start"),
    path("countries/<str:iso3>/case-indicators/", views.case_indicator_add, name="case_indicator_add"),
    path("countries/<str:iso3>/alerts/new/", views.alert_create, name="alert_create"),
    path("scans/<int:pk>/", views.scan_detail, name="scan_detail"),
    path("scans/<int:pk>/edit/", views.scan_edit, name="scan_edit"),
    path("scans/<int:pk>/amend/", views.scan_amend, name="scan_amend"),
    path("scans/<int:pk>/evidence/", evidence_views.evidence_attach_rating, name="evidence_attach_rating"),
    path("alerts/<int:pk>/evidence/", evidence_views.evidence_attach_alert, name="evidence_attach_alert"),
    path("evidence/<int:pk>/", evidence_views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/thumbnail/", evidence_views.evidence_thumbnail, name="evidence_thumbnail"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("warnings/", warning_views.warning_list, name="warning_list"),
    path("warnings/<int:pk>/", warning_views.warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/acknowledge/", warning_views.warning_acknowledge_view, name="warning_acknowledge"),
    path("external-risk/", external_views.external_snapshot_list, name="external_snapshot_list"),
    path("external-risk/import/", external_views.external_risk_import, name="external_risk_import"),
    path("external-risk/import/confirm/", external_views.external_risk_confirm, name="external_risk_confirm"),
    path("external-risk/<int:pk>/", external_views.external_snapshot_detail, name="external_snapshot_detail"),
]
