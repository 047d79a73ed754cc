"""Load the COPE content derived from the source documents, app by app.

Each app that has content keeps its loader in ``<app>/content.py`` as ``load() -> str``.
Loading is idempotent and never overwrites what staff edited.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "Load the COPE content from the source documents (safe to run again)."

    def handle(self, *args, **options):
        loaded = False
        for config in apps.get_app_configs():
            if not module_has_submodule(config.module, "content"):
                continue
            content = import_module(f"{config.name}.content")
            with transaction.atomic():
                summary = content.load()
            self.stdout.write(f"{config.verbose_name}: {summary}")
            loaded = True
        if not loaded:
            self.stdout.write("No content to load yet.")
