from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core import views as core_views
from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("", include("programs.urls")),
    path("precincts/", include("precincts.urls")),
    path("safety-plan/", include("recommendations.urls")),
    path("glossary/", core_views.glossary, name="glossary"),
    path("", include("events.urls")),
    path("follow/", include("follow.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
