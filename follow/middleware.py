"""Tell the staff member who made a change when followers will hear of it, and how to stop it.

The notices are recorded by signal receivers, far from the request; this middleware gathers
those recorded while it handles a request and adds one message for the admin page that follows
(any staff page: the change list, an import, a bulk action).
"""

import contextvars

from django.contrib import messages
from django.utils import timezone

recorded = contextvars.ContextVar("follow_notices_recorded", default=None)


def remember_notice(notice) -> None:
    notices = recorded.get()
    if notices is not None:
        notices.append(notice)


class WhenFollowersAreToldMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        notices = []
        token = recorded.set(notices)
        try:
            response = self.get_response(request)
        finally:
            recorded.reset(token)
        user = getattr(request, "user", None)
        if notices and user is not None and user.is_staff:
            messages.info(request, told_when(notices))
        return response


def told_when(notices) -> str:
    due_at = max(notice.due_at for notice in notices)
    minutes = max(1, round((due_at - timezone.now()).total_seconds() / 60))
    at = timezone.localtime(due_at).strftime("%H:%M %Z")
    told = (
        f"Followers will be emailed about this at {at} (in about {minutes} minutes), one email "
        "each with every change made until then."
    )
    if any(notice.status_update_id for notice in notices):
        told += (
            " To stop it, retract the update before then: nobody is told of a change retracted "
            "in time."
        )
    return told
