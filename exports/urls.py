from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.export_page, name="export_page"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
]
