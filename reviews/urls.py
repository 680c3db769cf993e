from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/print/", views.meeting_print, name="meeting_print"),
    path("<int:pk>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/publish/", views.agenda_publish, name="agenda_publish"),
    path("<int:pk>/advance/", views.meeting_advance, name="meeting_advance"),
    path("<int:pk>/take/", views.sag_take, name="sag_take"),
    path("<int:pk>/items/<int:item_pk>/remove/", views.agenda_remove, name="agenda_remove"),
    path("<int:pk>/items/<int:item_pk>/move/", views.agenda_move, name="agenda_move"),
    path("<int:pk>/agenda/order/", views.agenda_reorder, name="agenda_reorder"),
    path("<int:pk>/items/<int:item_pk>/record/", views.item_record, name="item_record"),
    path("<int:pk>/items/<int:item_pk>/confirm-enhanced/", views.enhanced_confirm, name="enhanced_confirm"),
    path("<int:pk>/warnings/<int:warning_pk>/defer/", views.warning_defer, name="warning_defer"),
    path("<int:pk>/items/<int:item_pk>/decline-enhanced/", views.enhanced_decline, name="enhanced_decline"),
    path("sag/candidates/", views.sag_candidates, name="sag_candidates"),
    path("alerts/<int:pk>/flag/", views.alert_flag, name="alert_flag"),
]
