"""URL map: the public desk at the root, the staff workspace under /staff/, the API under /api/v1/."""

from __future__ import annotations

from django.urls import include, path, re_path

from nadzor.web.api import api
from nadzor.web.errors import api_not_found

urlpatterns = [
    path("", include(("nadzor.web.public.urls", "public"))),
    path("staff/", include(("nadzor.web.staff.urls", "staff"))),
    path("check", include(("nadzor.web.check.urls", "check"))),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),
]

handler403 = "nadzor.web.errors.forbidden"
handler404 = "nadzor.web.errors.not_found"
handler500 = "nadzor.web.errors.server_error"
