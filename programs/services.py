"""Writes with a rule for volunteer sign-ups: submit, notify, move through the queue, purge."""

import logging
import secrets
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.mail import StandardEmail, failure_reason
from core.phone import display as display_phone
from programs.models import (
    AVAILABILITY,
    YOUTH_KIND,
    AgeBand,
    DecisionEmail,
    SignupLanguage,
    SignupState,
    SignupStateChange,
    VolunteerSignup,
)

logger = logging.getLogger(__name__)

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
MAIL_ERRORS = (smtplib.SMTPException, OSError, TimeoutError)
TRANSITIONS = {
    SignupState.NEW: {SignupState.CONTACTED, SignupState.WITHDRAWN},
    SignupState.CONTACTED: {SignupState.ACCEPTED, SignupState.DECLINED, SignupState.WITHDRAWN},
    SignupState.ACCEPTED: {SignupState.WITHDRAWN},
    SignupState.DECLINED: {SignupState.WITHDRAWN},
    SignupState.WITHDRAWN: set(),
}


class InvalidTransition(ValueError):
    pass


def new_reference() -> str:
    return "V-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def check_age_rule(*, age_band, programs) -> None:
    """People under 18 may sign up for youth programs only."""
    if age_band != AgeBand.UNDER_18:
        return
    adult_only = [program.name for program in programs if program.kind.slug != YOUTH_KIND]
    if adult_only:
        message = gettext(
            "People under 18 can sign up for youth programs only: untick %(programs)s"
        ) % {"programs": ", ".join(adult_only)}
        raise ValidationError({"programs": message})


def submit_signup(
    *, programs, availability, language=SignupLanguage.ENGLISH, **fields
) -> VolunteerSignup:
    """Save a sign-up in one transaction; its emails are sent once it is committed, in
    `language` (the language of the form the volunteer used) for theirs."""
    check_age_rule(age_band=fields.get("age_band"), programs=programs)
    for _ in range(5):
        try:
            with transaction.atomic():
                signup = VolunteerSignup(
                    reference=new_reference(),
                    accepted_privacy_notice=fields.pop("accept_privacy_notice"),
                    consented_to_contact=fields.pop("consent_to_contact"),
                    language=language,
                    **{name: name in availability for name, _ in AVAILABILITY},
                    **fields,
                )
                signup.full_clean(exclude=["reference"])
                signup.save()
                signup.programs.set(programs)
                break
        except IntegrityError:
            continue  # a reference collided: draw another
    else:
        raise RuntimeError("could not draw a free sign-up reference")

    from programs.tasks import send_signup_notifications

    transaction.on_commit(lambda: send_signup_notifications.enqueue(signup_id=signup.pk))
    return signup


class Unsendable(Exception):
    """A message that can never be built or sent as it is (not an outage): retrying is futile."""


def send(message: EmailMessage, *, reference: str, what: str) -> bool:
    """True once sent; False when mail is down (retry later). Raises Unsendable, with the
    reason, for a message that cannot be built or sent at all. One message's failure never
    stops another's."""
    try:
        message.send()
    except MAIL_ERRORS as error:
        # The reference only: never the address or the name.
        logger.warning("email %s for %s not sent: %s", what, reference, type(error).__name__)
        return False
    except Exception as error:
        logger.error("email %s for %s cannot be sent: %s", what, reference, type(error).__name__)
        raise Unsendable(f"{what}: {failure_reason(error, message)}"[:200]) from error
    return True


def notify_once(record, *, confirmation, notice, notice_field: str) -> None:
    """Send what has not gone out yet about `record` (a sign-up, a request): the person's
    confirmation (`confirmation()` builds it; only when they gave an email address) and the
    staff notice (`notice()`; stamped in `notice_field`, and counted as done when nobody is set
    to receive it). Each sent is stamped, a reason is kept for one that can never be sent, and
    the attempt is counted; the other is tried whatever became of the first."""
    now = timezone.now()
    if record.email and record.confirmation_sent_at is None:
        message = confirmation()
        try:
            if send(message, reference=record.reference, what="confirmation"):
                record.confirmation_sent_at = now
        except Unsendable as error:
            record.notification_error = str(error)
    if getattr(record, notice_field) is None:
        message = notice()
        try:
            if not message.to or send(message, reference=record.reference, what="notice"):
                setattr(record, notice_field, now)
        except Unsendable as error:
            record.notification_error = str(error)
    record.notification_attempts += 1
    record.save(
        update_fields=[
            "confirmation_sent_at",
            notice_field,
            "notification_attempts",
            "notification_error",
        ]
    )


def notify_signup(*, signup: VolunteerSignup) -> bool:
    """Send what has not gone out yet; True once everything has. Safe to call again.

    The volunteer's email is in the language of the form they used (stored with the sign-up:
    this may run long after their request); the coordinators' notice is in English, the staff's.
    """

    def confirmation():
        with translation.override(signup.language):
            return StandardEmail(
                subject=gettext("We have your COPE volunteer sign-up (%(reference)s)")
                % {"reference": signup.reference},
                body=render_to_string("programs/email/confirmation.txt", email_context(signup)),
                language=signup.language,
                to=[signup.email],
            )

    def notice():
        with translation.override(settings.LANGUAGE_CODE):
            return StandardEmail(
                subject=f"New volunteer sign-up {signup.reference}",
                body=render_to_string(
                    "programs/email/coordinator_notice.txt", email_context(signup)
                ),
                language=settings.LANGUAGE_CODE,
                to=settings.VOLUNTEER_COORDINATOR_EMAILS,
            )

    notify_once(
        signup,
        confirmation=confirmation,
        notice=notice,
        notice_field="coordinators_notified_at",
    )
    return signup.is_notified


def email_context(signup: VolunteerSignup) -> dict:
    """What the sign-up emails show, in the active language (the programs' names too)."""
    return {
        "signup": signup,
        "programs": [p.name for p in signup.programs.all()],
        "language": signup.get_language_display(),
        "cope_phone": display_phone(settings.COPE_PHONE),
        "admin_link": settings.SITE_URL
        + reverse("admin:programs_volunteersignup_change", args=[signup.pk]),
    }


@transaction.atomic
def change_signup_state(*, signup: VolunteerSignup, state: str, by) -> VolunteerSignup:
    """Move a sign-up along New → Contacted → Accepted/Declined (Withdrawn from any)."""
    signup = VolunteerSignup.objects.select_for_update().get(pk=signup.pk)
    if state not in TRANSITIONS[signup.state]:
        raise InvalidTransition(
            f"{signup.reference} is {signup.get_state_display()}: it cannot become "
            f"{SignupState(state).label}."
        )
    SignupStateChange.objects.create(
        signup=signup, from_state=signup.state, to_state=state, changed_by=by
    )
    signup.state = state
    signup.state_changed_at = timezone.now()
    signup.save(update_fields=["state", "state_changed_at", "updated_at"])
    return signup


def send_decision_email(*, signup: VolunteerSignup) -> bool:
    """Email the volunteer the decision, from the template staff keep, in the language of the
    form they used (all in English while the template has no full translation); False if not
    sent.

    Only the named placeholders are replaced (no str.format: a template cannot reach
    attributes).
    """
    template = DecisionEmail.objects.filter(state=signup.state).first()
    if not (template and signup.email):
        return False
    translated = all(getattr(template, f"{f}_{signup.language}") for f in ["subject", "body"])
    language = signup.language if translated else settings.LANGUAGE_CODE
    with translation.override(language):
        values = {
            "{name}": signup.full_name,
            "{reference}": signup.reference,
            "{programs}": ", ".join(p.name for p in signup.programs.all()),
        }
        subject, body = template.subject, template.body
    for placeholder, value in values.items():
        subject, body = subject.replace(placeholder, value), body.replace(placeholder, value)
    message = StandardEmail(subject=subject, body=body, language=language, to=[signup.email])
    try:
        return send(message, reference=signup.reference, what="decision")
    except Unsendable as error:
        VolunteerSignup.objects.filter(pk=signup.pk).update(notification_error=str(error))
        return False


PURGE_BATCH = 500


def purge_signups(*, days: int, batch_size: int = PURGE_BATCH) -> int:
    """Delete sign-ups closed, or left new and untouched, for longer than `days`.

    A batch at a time, each in its own transaction with the same few queries (the ids, then a
    DELETE of their state changes, their programs and themselves), so a backlog of years costs
    queries in proportion to the batches, never to the rows, and never holds long locks. Sign-ups
    are on no public page, so no cache has to hear of it: the rows go without model signals.
    """
    before = timezone.now() - timedelta(days=days)
    through = VolunteerSignup.programs.through
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                VolunteerSignup.objects.due_for_purge(before=before)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                return deleted
            SignupStateChange.objects.filter(signup_id__in=ids)._raw_delete(DEFAULT_DB_ALIAS)
            through.objects.filter(volunteersignup_id__in=ids)._raw_delete(DEFAULT_DB_ALIAS)
            deleted += VolunteerSignup.objects.filter(pk__in=ids)._raw_delete(DEFAULT_DB_ALIAS)
