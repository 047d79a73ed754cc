from django.apps import AppConfig


def events_changed(sender, **kwargs):
    """Any event saved or deleted: the calendar's Last-Modified moves (core.downloads' version
    of "events" keeps when, a deletion included)."""
    from core import downloads

    downloads.content_changed("events")


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events and news"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        for signal in (post_save, post_delete):
            signal.connect(
                events_changed, sender="events.Event", dispatch_uid=f"events-calendar-{signal}"
            )
