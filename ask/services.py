"""Writes with a rule for requests: submit, notify, move through the queue, purge. The same
rules as volunteer sign-ups (programs.services), whose mail helpers they use."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from ask.models import (
    Request,
    RequestLanguage,
    RequestState,
    RequestStateChange,
)
from core.mail import StandardEmail
from core.phone import display as display_phone
from programs.services import REFERENCE_ALPHABET, Unsendable, send

TRANSITIONS = {
    RequestState.NEW: {RequestState.CONTACTED, RequestState.DECLINED},
    RequestState.CONTACTED: {RequestState.SCHEDULED, RequestState.DECLINED},
    RequestState.SCHEDULED: {RequestState.DONE, RequestState.DECLINED},
    RequestState.DECLINED: set(),
    RequestState.DONE: set(),
}


class InvalidTransition(ValueError):
    pass


def new_reference() -> str:
    return "R-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def submit_request(*, kind, language=RequestLanguage.ENGLISH, **fields) -> Request:
    """Save a request in one transaction (all of it or nothing); its emails are sent by the
    task queue once it is committed, in `language` for the requester's."""
    accepted = fields.pop("accept_privacy_notice")
    for _ in range(5):
        try:
            with transaction.atomic():
                request = Request(
                    reference=new_reference(),
                    kind=kind,
                    accepted_privacy_notice=accepted,
                    language=language,
                    **fields,
                )
                request.full_clean(exclude=["reference"])
                request.save()
                break
        except IntegrityError:
            continue  # a reference collided: draw another
    else:
        raise RuntimeError("could not draw a free request reference")

    from ask.tasks import send_request_notifications

    transaction.on_commit(lambda: send_request_notifications.enqueue(request_id=request.pk))
    return request


def email_context(request: Request) -> dict:
    """What the emails show, in the active language."""
    return {
        "request": request,
        "kind": request.get_kind_display(),
        "program": request.program.name if request.program_id else "",
        "precinct": request.precinct.name if request.precinct_id else "",
        "language": request.get_language_display(),
        "cope_phone": display_phone(settings.COPE_PHONE),
        "admin_link": settings.SITE_URL + request.get_admin_url(),
    }


def notify_request(*, request: Request) -> bool:
    """Send what has not gone out yet; True once everything has. Safe to call again.

    The requester's email is in the language of the form they used; the staff notice is in
    English and holds the reference, the kind, the precinct and the language only.
    """
    now = timezone.now()
    if request.email and request.confirmation_sent_at is None:
        with translation.override(request.language):
            confirmation = StandardEmail(
                subject=gettext("We have your request to COPE (%(reference)s)")
                % {"reference": request.reference},
                body=render_to_string("ask/email/confirmation.txt", email_context(request)),
                language=request.language,
                to=[request.email],
            )
        try:
            if send(confirmation, reference=request.reference, what="confirmation"):
                request.confirmation_sent_at = now
        except Unsendable as error:
            request.notification_error = str(error)
    if request.staff_notified_at is None:
        recipients = settings.VOLUNTEER_COORDINATOR_EMAILS
        with translation.override(settings.LANGUAGE_CODE):
            notice = StandardEmail(
                subject=f"New request {request.reference}: {request.get_kind_display()}",
                body=render_to_string("ask/email/staff_notice.txt", email_context(request)),
                language=settings.LANGUAGE_CODE,
                to=recipients,
            )
        try:
            if not recipients or send(notice, reference=request.reference, what="notice"):
                request.staff_notified_at = now
        except Unsendable as error:
            request.notification_error = str(error)
    request.notification_attempts += 1
    request.save(
        update_fields=[
            "confirmation_sent_at",
            "staff_notified_at",
            "notification_attempts",
            "notification_error",
        ]
    )
    return request.is_notified


@transaction.atomic
def change_request_state(*, request: Request, state: str, by) -> Request:
    """Move a request along New → Contacted → Scheduled → Done (Declined from any open one)."""
    request = Request.objects.select_for_update().get(pk=request.pk)
    if state not in TRANSITIONS[request.state]:
        raise InvalidTransition(
            f"{request.reference} is {request.get_state_display()}: it cannot become "
            f"{RequestState(state).label}."
        )
    RequestStateChange.objects.create(
        request=request, from_state=request.state, to_state=state, changed_by=by
    )
    request.state = state
    request.state_changed_at = timezone.now()
    request.save(update_fields=["state", "state_changed_at", "updated_at"])
    return request


PURGE_BATCH = 500


def purge_requests(*, days: int, batch_size: int = PURGE_BATCH) -> int:
    """Delete requests closed (declined, done), or left new and untouched, for longer than
    `days`: the sign-ups' rule and period. A batch at a time, each in its own transaction."""
    before = timezone.now() - timedelta(days=days)
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                Request.objects.due_for_purge(before=before)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                return deleted
            RequestStateChange.objects.filter(request_id__in=ids).delete()
            Request.objects.filter(pk__in=ids).delete()
            deleted += len(ids)
