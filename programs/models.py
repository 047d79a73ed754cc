from django.db import models
from django.db.models import Prefetch

PARAGRAPH_HELP = "Plain text. Leave a blank line between paragraphs; HTML is shown as typed."


class ProgramKindQuerySet(models.QuerySet):
    def with_published_programs(self):
        """Kinds in order, each with its published programs in order: two queries in all."""
        return self.order_by("order").prefetch_related(
            Prefetch(
                "programs",
                queryset=Program.objects.published().order_by("order", "name"),
                to_attr="published_programs",
            )
        )


class ProgramKind(models.Model):
    """A group of programs: community policing units, volunteer, youth, educational."""

    slug = models.SlugField(unique=True, help_text="Part of the address: /programs/#<slug>.")
    name = models.CharField(max_length=100)
    introduction = models.TextField(blank=True, help_text=PARAGRAPH_HELP)
    order = models.PositiveSmallIntegerField(default=0)

    objects = ProgramKindQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        verbose_name = "program kind"

    def __str__(self):
        return self.name


class ProgramQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Program(models.Model):
    kind = models.ForeignKey(ProgramKind, on_delete=models.PROTECT, related_name="programs")
    slug = models.SlugField(
        unique=True,
        help_text="The page's address, /programs/<slug>/. It cannot change once saved: "
        "people bookmark it.",
    )
    name = models.CharField(max_length=150)
    summary = models.CharField(
        max_length=200, blank=True, help_text="One line, shown in the list of programs."
    )
    description = models.TextField(
        blank=True,
        help_text=PARAGRAPH_HELP + " Leave empty rather than guess: the page then says COPE "
        "gives the details by phone.",
    )
    audience = models.TextField("who it is for", blank=True, help_text=PARAGRAPH_HELP)
    how_to_join = models.TextField("how to take part", blank=True, help_text=PARAGRAPH_HELP)
    requirements = models.TextField(
        blank=True, help_text="What a participant needs (age, checks, time). " + PARAGRAPH_HELP
    )
    contact_by_precinct = models.BooleanField(
        "contact through the precincts",
        default=False,
        help_text="Residents reach this program by calling their neighborhood precinct.",
    )
    takes_signups = models.BooleanField(
        "takes sign-ups", default=False, help_text="Shows a Sign up button on the page."
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position within its kind.")
    is_published = models.BooleanField("published", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["kind__order", "order", "name"]
        indexes = [models.Index(fields=["is_published", "order"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("programs:detail", args=[self.slug])
