from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Site"

    def ready(self):
        from django.db.models.signals import post_migrate

        from portal.roles import sync_roles

        post_migrate.connect(sync_roles, dispatch_uid="portal.sync_roles")
