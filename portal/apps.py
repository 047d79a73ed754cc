from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    default = True
    name = "portal"
    verbose_name = "Site"

    def ready(self):
        from django.db.models.signals import post_migrate

        from portal.roles import sync_roles

        post_migrate.connect(sync_roles, dispatch_uid="portal.sync_roles")

        from portal import checks, pagecache  # noqa: F401 (checks registers the deploy checks)

        pagecache.connect_signals()


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin, as the COPE staff site (its own sign-in form and two-factor rule)."""

    default = False
    default_site = "portal.admin_site.StaffAdminSite"
