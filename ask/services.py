"""Writes with a rule for requests: submit, notify, move through the queue, purge. The same
rules as volunteer sign-ups (programs.services), whose mail helpers they use."""

import secrets
from datetime import datetime, time, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext

from ask.models import (
    Registration,
    RegistrationState,
    Request,
    RequestKind,
    RequestLanguage,
    RequestState,
    RequestStateChange,
)
from core.mail import StandardEmail
from core.phone import display as display_phone
from programs.services import REFERENCE_ALPHABET, Unsendable, notify_once, send

TRANSITIONS = {
    RequestState.NEW: {RequestState.CONTACTED, RequestState.SCHEDULED, RequestState.DECLINED},
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
    publish = fields.pop("consent_to_publish", False)
    for _ in range(5):
        try:
            with transaction.atomic():
                request = Request(
                    reference=new_reference(),
                    kind=kind,
                    accepted_privacy_notice=accepted,
                    consented_to_publish=publish,
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

    def confirmation():
        with translation.override(request.language):
            return StandardEmail(
                subject=gettext("We have your request to COPE (%(reference)s)")
                % {"reference": request.reference},
                body=render_to_string("ask/email/confirmation.txt", email_context(request)),
                language=request.language,
                to=[request.email],
            )

    def notice():
        with translation.override(settings.LANGUAGE_CODE):
            return StandardEmail(
                subject=f"New request {request.reference}: {request.get_kind_display()}",
                body=render_to_string("ask/email/staff_notice.txt", email_context(request)),
                language=settings.LANGUAGE_CODE,
                to=settings.VOLUNTEER_COORDINATOR_EMAILS,
            )

    notify_once(request, confirmation=confirmation, notice=notice, notice_field="staff_notified_at")
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


# Classes with seats: registrations, the waiting list, cancelling, reminders


class RegistrationClosed(ValueError):
    """The class takes no registrations (no seats, cancelled, or over)."""


def lock_event(event):
    """The class's row, locked until the transaction ends: seats are counted and taken under
    it, so concurrent registrations for the last seat give it to exactly one (PostgreSQL's row
    lock; SQLite serialises every write anyway)."""
    from events.models import Event

    return Event.objects.select_for_update().get(pk=event.pk)


def register(*, event, language=RequestLanguage.ENGLISH, **fields) -> Registration:
    """A seat while there is one, else a place on the waiting list; emailed once committed."""
    accepted = fields.pop("accept_privacy_notice")
    for _ in range(5):
        try:
            with transaction.atomic():
                event = lock_event(event)
                if not event.takes_registrations:
                    raise RegistrationClosed(event.slug)
                seated = event.registrations.seated().count()
                registration = Registration(
                    reference=new_reference(),
                    token=secrets.token_urlsafe(32),
                    event=event,
                    state=RegistrationState.SEATED
                    if seated < event.capacity
                    else RegistrationState.WAITING,
                    state_changed_at=timezone.now(),
                    accepted_privacy_notice=accepted,
                    language=language,
                    **fields,
                )
                registration.full_clean(exclude=["reference", "token"])
                registration.save()
                break
        except IntegrityError:
            continue  # a reference collided: draw another
    else:
        raise RuntimeError("could not draw a free registration reference")
    queue_registration_email(registration, "confirmation")
    return registration


def queue_registration_email(registration, what: str) -> None:
    from ask.tasks import send_registration_email

    transaction.on_commit(
        lambda: send_registration_email.enqueue(registration_id=registration.pk, what=what)
    )


def cancel_registration(*, registration: Registration) -> Registration | None:
    """Cancel a seat or a place on the waiting list; a seat freed goes to the first person
    waiting, who is emailed. Returns the registration promoted, if any. Safe to repeat."""
    with transaction.atomic():
        lock_event(registration.event)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.state == RegistrationState.CANCELLED:
            return None
        freed = registration.state == RegistrationState.SEATED
        registration.state = RegistrationState.CANCELLED
        registration.state_changed_at = timezone.now()
        registration.save(update_fields=["state", "state_changed_at", "updated_at"])
        promoted = None
        if freed and registration.event.takes_registrations:
            promoted = (
                Registration.objects.filter(event=registration.event_id).waiting_in_order().first()
            )
            if promoted is not None:
                promoted.state = RegistrationState.SEATED
                promoted.state_changed_at = timezone.now()
                promoted.save(update_fields=["state", "state_changed_at", "updated_at"])
                queue_registration_email(promoted, "promotion")
    return promoted


REGISTRATION_EMAILS = {
    # what: the field recording that it went out
    "confirmation": "confirmation_sent_at",
    "promotion": "promotion_sent_at",
    "reminder": "reminder_sent_at",
}


def registration_subject(registration, what: str) -> str:
    title = registration.event.title
    if what == "reminder":
        return gettext("Reminder: %(title)s is tomorrow") % {"title": title}
    if what == "promotion":
        return gettext("A seat is yours: %(title)s") % {"title": title}
    if registration.state == RegistrationState.WAITING:
        return gettext("You are on the waiting list: %(title)s") % {"title": title}
    return gettext("Your seat is booked: %(title)s") % {"title": title}


def send_registration_email(*, registration: Registration, what: str) -> bool:
    """Email the person about their registration, in the language of the form they used;
    True once sent (or already sent). Never twice; the log holds the reference only."""
    field = REGISTRATION_EMAILS[what]
    if getattr(registration, field) is not None:
        return True
    with translation.override(registration.language):
        context = {
            "registration": registration,
            "event": registration.event,
            "when": registration.event.when,
            "waiting": registration.state == RegistrationState.WAITING,
            "what": what,
            "cancel_link": settings.SITE_URL + registration.get_cancel_url(),
            "cope_phone": display_phone(settings.COPE_PHONE),
        }
        message = StandardEmail(
            subject=registration_subject(registration, what),
            body=render_to_string("ask/email/registration.txt", context),
            language=registration.language,
            to=[registration.email],
        )
    try:
        sent = send(message, reference=registration.reference, what=what)
    except Unsendable as error:
        Registration.objects.filter(pk=registration.pk).update(notification_error=str(error))
        return False
    if sent:
        Registration.objects.filter(pk=registration.pk).update(**{field: timezone.now()})
    return sent


def send_reminders(*, day) -> int:
    """Remind everyone with a seat in a class starting on `day` (Birmingham time), once."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    due = (
        Registration.objects.seated()
        .filter(
            reminder_sent_at__isnull=True,
            event__is_cancelled=False,
            event__starts_at__gte=start,
            event__starts_at__lt=start + timedelta(days=1),
        )
        .select_related("event")
    )
    return sum(send_registration_email(registration=r, what="reminder") for r in due)


def purge_registrations(*, days: int) -> int:
    """Delete registrations of classes over, or cancelled, for longer than `days`."""
    before = timezone.now() - timedelta(days=days)
    deleted, _ = Registration.objects.due_for_purge(before=before).delete()
    return deleted


class NotPublishable(ValueError):
    """The requester did not agree that its date, time and place be published."""


def event_title(request: Request) -> str:
    """A public title with nothing personal: the kind, and for a walk the streets it covers."""
    if request.kind == RequestKind.WALK:
        return f"Community walk: {request.place}"
    if request.kind == RequestKind.MEETING:
        return f"Meeting with officers: {request.place}"
    return "COPE speaker"


@transaction.atomic
def schedule_as_event(*, request: Request, starts_at, ends_at, title: str, by):
    """Schedule a request and publish it as an event in one step: the date, time and place
    only (never the requester's name, group or contact), and only with their consent."""
    from events.models import Event

    request = Request.objects.select_for_update().get(pk=request.pk)
    if not request.consented_to_publish:
        raise NotPublishable(f"{request.reference}: the requester did not agree to publishing.")
    if request.event_id:
        raise InvalidTransition(f"{request.reference} is already a public event.")
    if request.state != RequestState.SCHEDULED:
        request = change_request_state(request=request, state=RequestState.SCHEDULED, by=by)
    walk = request.kind in (RequestKind.WALK, RequestKind.MEETING)
    event = Event(
        title=title,
        slug=slugify(f"{title[:60]} {timezone.localtime(starts_at):%Y-%m-%d}")
        + f"-{request.reference[2:].lower()}",
        starts_at=starts_at,
        ends_at=ends_at,
        place=request.place if walk else ("Online" if request.online else ""),
        address="" if walk or request.online else request.place,
        precinct=request.precinct,
        is_published=True,
    )
    event.full_clean()
    event.save()
    if request.program_id:
        event.programs.add(request.program_id)
    Request.objects.filter(pk=request.pk).update(event=event)
    return event


class DecisionText(NamedTuple):
    language: str
    subject: str
    body: str


def compose_decision_email(*, template, request: Request, event_link: str | None = None):
    """What the decision email from `template` says to `request`'s requester: in the language
    of the form they used (in English while the template has no full translation), with only
    the named placeholders replaced. The one composition the email and the staff's preview
    share; `event_link` stands in for a public event the request does not have yet."""
    translated = all(getattr(template, f"{f}_{request.language}") for f in ["subject", "body"])
    language = request.language if translated else settings.LANGUAGE_CODE
    with translation.override(language):
        subject, body = template.subject, template.body
        if request.event_id:
            event_link = settings.SITE_URL + request.event.get_absolute_url()
    values = {
        "{name}": request.contact_name,
        "{reference}": request.reference,
        "{event}": event_link or "",
    }
    for placeholder, value in values.items():
        subject, body = subject.replace(placeholder, value), body.replace(placeholder, value)
    return DecisionText(language, subject, body)


def send_decision_email(*, request: Request) -> bool:
    """Email the requester the decision, from the template staff keep for its state; False if
    not sent."""
    from ask.models import RequestDecisionEmail

    template = RequestDecisionEmail.objects.filter(state=request.state).first()
    if not (template and request.email):
        return False
    language, subject, body = compose_decision_email(template=template, request=request)
    message = StandardEmail(subject=subject, body=body, language=language, to=[request.email])
    try:
        return send(message, reference=request.reference, what="decision")
    except Unsendable as error:
        Request.objects.filter(pk=request.pk).update(notification_error=str(error))
        return False
