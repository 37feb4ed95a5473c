"""The site's URLs: each app mounts its own."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "PI Champion operations"

urlpatterns = [
    path("", include("champion.core.urls")),
    path("", include("champion.accounts.urls")),
    path("", include("champion.learning.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "champion.core.errors.forbidden"
handler404 = "champion.core.errors.not_found"
