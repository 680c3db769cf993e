from django.urls import path

from . import views

app_name = "briefings"

urlpatterns = [
    path("", views.pack_list, name="pack_list"),
    path("request/", views.pack_request, name="pack_request"),
    path("<int:pk>/download/", views.pack_download, name="pack_download"),
    path("meetings/<int:pk>/print/", views.meeting_print, name="meeting_print"),
    path("monthly/<str:month>/print/", views.monthly_print, name="monthly_print"),
]
