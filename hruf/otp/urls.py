from django.urls import path

from . import views

urlpatterns = [
    path("", views.two_factor, name="two_factor"),
    path("setup/", views.two_factor_setup, name="two_factor_setup"),
    path("verify/", views.two_factor_verify, name="two_factor_verify"),
    path("disable/", views.two_factor_disable, name="two_factor_disable"),
]
