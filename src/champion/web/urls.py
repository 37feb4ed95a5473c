"""The site's URLs: each app mounts its own."""

from django.contrib import admin
from django.urls import include, path

from champion.web.api import api_urls

admin.site.site_header = "PI Champion operations"

urlpatterns = [
    path("", include("champion.home.urls")),
    path("", include("champion.core.urls")),
    path("", include("champion.accounts.urls")),
    path("", include("champion.measures.urls")),
    path("api/v1/", api_urls()),
    path("improve/ideas/", include("champion.improvement.ideas.urls")),
    path("improve/", include("champion.improvement.urls")),
    path("", include("champion.learning.urls")),
    path("", include("champion.leadership.urls")),
    path("", include("champion.actions.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "champion.core.errors.forbidden"
handler404 = "champion.core.errors.not_found"
