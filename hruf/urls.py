from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django_otp.admin import OTPAdminSite
from drf_spectacular.views import SpectacularAPIView

from followup.views.home import home

from . import audit_views, operations_views, views
from .api_docs import RedocView, SwaggerView
from .health import health
from .metrics import metrics
from .sign_in import SignInForm

# Staff reach the admin only from a session that passed the second step (hruf/otp).
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", home, name="home"),
    path("health/", health, name="health"),
    path("offline-worker.js", views.offline_worker, name="offline_worker"),
    path("metrics", metrics, name="metrics"),
    path("operations/", operations_views.operations, name="operations"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", include("hruf.otp.urls")),
    # Django's own views: the new password goes through AUTH_PASSWORD_VALIDATORS.
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_mark_read, name="inbox_mark_read"),
    path("inbox/preferences/", views.preferences, name="preferences"),
    path("accounts/held-form/discard/", views.held_post_discard, name="held_post_discard"),
    path("audit/", audit_views.audit_list, name="audit_list"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/", views.language_set, name="language_set"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("hruf.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("exports/", include("exports.urls")),
    path("briefings/", include("briefings.urls")),
    path("reviews/", include("reviews.urls")),
    path("followup/", include("followup.urls")),
    path("", include("scans.urls")),
]
