"""Abstract models and QuerySets the domain apps share."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.languages import shown_language

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

    def public_or_preview(self, user, **lookup):
        """The published row matching `lookup`, else the draft for staff who may view it.

        The user (and so the session) is read only when no published row matches: a public page
        then does not vary by cookie, and the page cache keeps it for every anonymous visitor.
        Raises DoesNotExist as ``get()`` does.
        """
        try:
            return self.published().get(**lookup)
        except self.model.DoesNotExist:
            return self.visible_to(user).get(**lookup)


class Publishable(models.Model):
    """A row the public sees only once staff publish it."""

    is_published = models.BooleanField("published", default=False, help_text=PUBLISHED_HELP)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True


class GlossaryTermQuerySet(models.QuerySet):
    def explained(self):
        """Terms whose expansion is known in some language: only these are marked up on pages.

        The columns are named: modeltranslation would read `expansion` as the page's language.
        """
        return self.filter(models.Q(expansion_en__gt="") | models.Q(expansion_es__gt=""))


class GlossaryTerm(models.Model):
    """An acronym used on the site, with its expansion when a source document gives it.

    Expansions the sources do not give are left empty for staff to fill, never guessed.
    """

    acronym = models.CharField(
        max_length=20,
        unique=True,
        help_text="As it appears in the text, in capitals: CVI, GVRS.",
    )
    expansion = models.CharField(
        max_length=200,
        blank=True,
        help_text="What it stands for. Leave empty until a source gives it: it is never guessed.",
    )

    objects = GlossaryTermQuerySet.as_manager()

    class Meta:
        ordering = ["acronym"]
        verbose_name = "glossary term"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(acronym__regex=r"^[A-Z][A-Z0-9&]{1,19}$"),
                name="glossaryterm_acronym_in_capitals",
                violation_error_message="An acronym is 2 to 20 capital letters or digits.",
            )
        ]

    def __str__(self):
        return f"{self.acronym}: {self.expansion}" if self.expansion else self.acronym

    @property
    def anchor(self) -> str:
        return self.acronym.lower()

    @property
    def english_original(self) -> str:
        """The English expansion, where the page shows a translated one: the acronym is made
        of the English words."""
        if shown_language(self, "expansion") == settings.LANGUAGE_CODE:
            return ""
        return self.expansion_en or ""


class ContentVersion(models.Model):
    """The version of one kind of content (core.downloads): a token replaced whenever that
    content changes. It lives in the database, beside the content, so a change is never
    forgotten because the shared cache was away when it was made."""

    name = models.CharField(max_length=50, primary_key=True)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "content version"

    def __str__(self):
        return f"{self.name}: {self.token}"
