from django.urls import path

from . import views

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
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
]
