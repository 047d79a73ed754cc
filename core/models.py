"""Abstract models and QuerySets the domain apps share."""

from django.db import models

PUBLISHED_HELP = "Off: only signed-in staff see the page (a preview); the public gets 404."


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Published rows and, for staff who may view this model, drafts too (a preview)."""
        opts = self.model._meta
        if (
            user.is_authenticated
            and user.is_staff
            and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        ):
            return self
        return self.published()


class Publishable(models.Model):
    """A row the public sees only once staff publish it."""

    is_published = models.BooleanField("published", default=False, help_text=PUBLISHED_HELP)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
