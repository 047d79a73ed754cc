"""The portal's addresses: English where they have always been, Spanish under /es/.

Pages are in `i18n_patterns` without a prefix for English, so every English address in use
keeps working; the files (open data, calendars, contact cards) have one address whatever the
language of the page that links to them, as do the staff admin and the service endpoints.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from core import views as core_views
from events import urls as events_urls
from portal import views
from portal.sitemaps import SITEMAPS
from precincts import urls as precincts_urls
from recommendations import urls as recommendations_urls

files = [
    path("safety-plan/openapi.json", views.openapi_json, name="openapi"),
    path("safety-plan/", include(recommendations_urls.files)),
    path("", include(events_urls.files)),
    path("precincts/", include(precincts_urls.files)),
]

urlpatterns = [
    path("", include((files, "files"))),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("data.json", views.data_json, name="data_json"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(settings.ADMIN_URL, admin.site.urls),
    *i18n_patterns(
        path("", views.home, name="home"),
        path("accessibility/", views.accessibility, name="accessibility"),
        path("privacy/", views.privacy, name="privacy"),
        path("", include("programs.urls")),
        path("precincts/", include("precincts.urls")),
        path("safety-plan/", include("recommendations.urls")),
        path("glossary/", core_views.glossary, name="glossary"),
        path("", include("events.urls")),
        path("follow/", include("follow.urls")),
        path("", include("ask.urls")),
        prefix_default_language=False,
    ),
]

handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
