"""URLs for the health check, audit log, notifications and API tokens."""

from django.urls import path

from champion.core import account_views, views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.audit_log, name="audit-log"),
    path("notifications/", account_views.notifications, name="notifications"),
    path(
        "notifications/settings/",
        account_views.notification_settings,
        name="notification-settings",
    ),
    path("notifications/read/", account_views.notifications_read, name="notifications-read"),
    path("notifications/<int:pk>/", account_views.notification_open, name="notification"),
    path("tokens/", account_views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", account_views.token_revoke, name="token-revoke"),
]
