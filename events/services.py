"""Writes on events that carry a rule."""

from django.db import transaction
from modeltranslation.translator import translator

from events.models import Event

SLUG_MAX = Event._meta.get_field("slug").max_length


def free_copy_slug(slug: str) -> str:
    base = f"{slug[: SLUG_MAX - 10]}-copy"
    taken = set(Event.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def duplicate_event(*, event: Event) -> Event:
    """A copy for a recurring event: a new slug (so a new calendar UID), unpublished and not
    cancelled, so staff set the new date and publish it when it is right."""
    texts = {
        field.name: getattr(event, field.name)
        for fields in translator.get_options_for_model(Event).all_fields.values()
        for field in fields
    }  # the title and description in every language (events/translation.py)
    copy = Event(
        **texts,
        slug=free_copy_slug(event.slug),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        place=event.place,
        address=event.address,
        online_url=event.online_url,
        precinct=event.precinct,
        is_published=False,
        is_cancelled=False,
    )
    copy.full_clean()
    copy.save()
    copy.programs.set(event.programs.all())
    copy.recommendations.set(event.recommendations.all())
    return copy
