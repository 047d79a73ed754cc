"""Writes with a rule for following by email: request, confirm, unsubscribe, tell, purge."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import ratelimit
from core.mail import StandardEmail, failure_reason, site_host
from core.mailboxes import mailbox
from follow.models import Follower, FollowRequest, Frequency, Notice, Subscription

logger = logging.getLogger(__name__)

CONFIRM_SALT = "follow.confirm"
CONFIRM_DAYS = 7
MAIL_ERRORS = (smtplib.SMTPException, OSError, TimeoutError)
DAY = 86400


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def address_key(email: str) -> str:
    """The confirmation limit counts the mailbox an address reaches, not its spelling."""
    return ratelimit.hashed_key("follow-confirmations", mailbox(email))


def send(message: EmailMessage, *, what: str) -> bool:
    try:
        message.send()
    except MAIL_ERRORS as error:
        # What and which, never the address.
        logger.warning("follow: %s not sent: %s", what, type(error).__name__)
        return False
    except Exception as error:
        logger.error("follow: %s failed: %s", what, type(error).__name__)
        return False
    return True


def within_limit(key: str, *, limit: int, seconds: int, stored) -> bool:
    """One more under `key` in the shared cache; while the cache is away, the requests stored
    in the database in the window (`stored`, a FollowRequest queryset) are counted instead."""
    counted = ratelimit.take_or_none(key, limit=limit, seconds=seconds)
    if counted is not None:
        return counted
    since = timezone.now() - timedelta(seconds=seconds)
    return stored.filter(created_at__gte=since).count() < limit


def request_follow(
    *, email: str, language: str, client: str = "", **followed
) -> FollowRequest | None:
    """Keep the request and queue its confirmation link, in the language of the page it was
    made on; the answer never says whether the address already follows anything. At most a
    few emails per mailbox a day."""
    key = address_key(email)
    if not within_limit(
        key,
        limit=settings.FOLLOW_CONFIRMATIONS_PER_ADDRESS_PER_DAY,
        seconds=DAY,
        stored=FollowRequest.objects.filter(mailbox_key=key),
    ):
        logger.info("follow: confirmation withheld, too many for one address today")
        return None
    request = FollowRequest(
        email=email, language=language, mailbox_key=key, client_key=client, **followed
    )
    request.full_clean()
    request.save()
    from follow.tasks import send_confirmation

    transaction.on_commit(lambda: send_confirmation.enqueue(request_id=request.pk))
    return request


def send_confirmation_email(*, request: FollowRequest) -> bool:
    """The confirmation link, in the request's language, to the page in that language."""
    token = signing.dumps(request.token, salt=CONFIRM_SALT)
    with translation.override(request.language):
        context = {
            "request": request,
            "confirm_url": absolute(reverse("follow:confirm", args=[token])),
            "days": CONFIRM_DAYS,
        }
        subject = _("Confirm your emails about %(description)s") % {
            "description": request.description
        }
        try:
            message = StandardEmail(
                subject=subject,
                body=render_to_string("follow/email/confirm.txt", context),
                language=request.language,
                to=[request.email],
            )
        except Exception as error:
            logger.error("follow: confirmation %s failed: %s", request.pk, type(error).__name__)
            return False
    return send(message, what=f"confirmation for request {request.pk}")


def pending_request(token: str) -> FollowRequest | None:
    """The request a confirmation link names, if its signature holds and it is 7 days young."""
    try:
        token = signing.loads(token, salt=CONFIRM_SALT, max_age=timedelta(days=CONFIRM_DAYS))
    except signing.BadSignature:
        return None
    if not isinstance(token, str):
        return None  # a link from before tokens were random: ask again
    return (
        FollowRequest.objects.filter(token=token)
        .select_related("recommendation", "precinct", "program")
        .first()
    )


@transaction.atomic
def confirm_follow(*, request: FollowRequest) -> Subscription:
    """Turn a confirmed request into a subscription (the same topic again changes only its
    frequency); it hears of what happens from now on, not of the past. The address's emails
    are in the language of its latest request."""
    follower, created = Follower.objects.get_or_create(
        email=request.email, defaults={"language": request.language}
    )
    if not created and follower.language != request.language:
        follower.language = request.language
        follower.save(update_fields=["language"])
    subscription = follower.subscriptions.filter(**request.same_topic()).first()
    if subscription is None:
        latest = Notice.objects.aggregate(latest=Max("pk"))["latest"] or 0
        subscription = Subscription(
            follower=follower, last_notice_id=latest, frequency=request.frequency
        )
        for field, value in request.same_topic().items():
            setattr(subscription, field, value)
        subscription.full_clean()
        subscription.save()
    elif subscription.frequency != request.frequency:
        subscription.frequency = request.frequency
        subscription.save(update_fields=["frequency"])
    FollowRequest.objects.filter(email=request.email, **request.same_topic()).delete()
    return subscription


@transaction.atomic
def unsubscribe(*, subscription: Subscription) -> None:
    """End a subscription by deleting it; a follower left with none is deleted too."""
    follower_id = subscription.follower_id
    subscription.delete()
    Follower.objects.filter(pk=follower_id, subscriptions__isnull=True).delete()


@transaction.atomic
def stop_everything(*, follower: Follower) -> None:
    """End every subscription of an address, and so forget the address."""
    for subscription in follower.subscriptions.all():
        unsubscribe(subscription=subscription)


def change_frequency(*, subscription: Subscription, frequency: str) -> None:
    """Switch between an email for each change and a weekly digest; from now on, nothing
    already told is told again and nothing waiting is lost."""
    subscription.frequency = frequency
    subscription.full_clean()
    subscription.save(update_fields=["frequency"])
    if frequency == Frequency.EACH:  # what the digest was keeping goes out as one email
        waiting = [notice.pk for notice in subscription.pending_notices()]
        if waiting:
            Notice.objects.filter(pk__in=waiting).update(dispatched_at=None)
            from follow.tasks import send_notices

            transaction.on_commit(send_notices.enqueue)


def record_notice(**fields) -> Notice:
    """A change followers may be told of. It waits out the undo window (FOLLOW_NOTICE_DELAY),
    and every notice still waiting joins it, so changes made together go out as one email."""
    now = timezone.now()
    due_at = now + timedelta(seconds=settings.FOLLOW_NOTICE_DELAY)
    Notice.objects.waiting(now).update(due_at=due_at)
    notice = Notice.objects.create(due_at=due_at, **fields)

    def enqueue():
        from follow.tasks import send_notices

        send_notices.using(run_after=due_at).enqueue()

    transaction.on_commit(enqueue)
    return notice


def withdraw_notice(*, status_update) -> bool:
    """A status update retracted inside its undo window: its notice is cancelled, so nobody
    hears of it at all. False when it is too late (followers may have been told)."""
    waiting = Notice.objects.waiting().filter(status_update=status_update, dispatched_at=None)
    return waiting.delete()[0] > 0


def purge_follow_requests(*, now=None) -> int:
    """Delete the requests whose confirmation link has expired."""
    before = (now or timezone.now()) - timedelta(days=CONFIRM_DAYS)
    deleted = FollowRequest.objects.filter(created_at__lt=before).delete()[0]
    return deleted


def list_headers(unsubscribe_url: str) -> dict:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"COPE follow-by-email <follow.{site_host()}>",
    }


def shows_the_citys_english(follower: Follower, notices) -> bool:
    """Whether the email must say, once, that the city's recommendations stay in English: it
    is in another language and tells of the plan."""
    return follower.language != settings.LANGUAGE_CODE and any(
        notice.kind in {"status", "correction"} for notice in notices
    )


def notices_email(*, follower: Follower, told: list[tuple[Subscription, list[Notice]]]):
    """One email to a follower listing every change due for them (each once, oldest first),
    in their language, with links to the pages in it and a way to stop each subscription."""
    notices = sorted({n.pk: n for _s, batch in told for n in batch}.values(), key=lambda n: n.pk)
    subscriptions = [subscription for subscription, _batch in told]
    with translation.override(follower.language):
        if len(subscriptions) == 1:
            unsubscribe_url = absolute(reverse("follow:unsubscribe", args=[subscriptions[0].token]))
        else:  # one click stops every email this one came from
            unsubscribe_url = absolute(reverse("follow:unsubscribe", args=[follower.token]))
        context = {
            "follower": follower,
            "notices": notices,
            "subscriptions": [
                {
                    "subscription": subscription,
                    "page_url": absolute(subscription.page_url),
                    "unsubscribe_url": absolute(
                        reverse("follow:unsubscribe", args=[subscription.token])
                    ),
                }
                for subscription in subscriptions
            ],
            "manage_url": absolute(reverse("follow:manage", args=[follower.token])),
            "site_url": settings.SITE_URL.rstrip("/"),
            "shown_in_english": shows_the_citys_english(follower, notices),
        }
        if len(notices) == 1:
            subject = notices[0].subject
        else:
            description = (
                subscriptions[0].description
                if len(subscriptions) == 1
                else _("what you follow at COPE")
            )
            subject = ngettext(
                "%(count)s change to %(description)s",
                "%(count)s changes to %(description)s",
                len(notices),
            ) % {"count": len(notices), "description": description}
        body = render_to_string("follow/email/notices.txt", context)
    return StandardEmail(
        subject=subject,
        body=body,
        language=follower.language,
        to=[follower.email],
        headers=list_headers(unsubscribe_url),
    )


def digest_email(*, subscription: Subscription, notices: list[Notice]):
    """The weekly digest of one subscription."""
    follower = subscription.follower
    with translation.override(follower.language):
        unsubscribe_url = absolute(reverse("follow:unsubscribe", args=[subscription.token]))
        context = {
            "follower": follower,
            "notices": notices,
            "subscriptions": [
                {
                    "subscription": subscription,
                    "page_url": absolute(subscription.page_url),
                    "unsubscribe_url": unsubscribe_url,
                }
            ],
            "manage_url": absolute(reverse("follow:manage", args=[follower.token])),
            "site_url": settings.SITE_URL.rstrip("/"),
            "shown_in_english": shows_the_citys_english(follower, notices),
        }
        subject = ngettext(
            "This week at COPE: %(count)s update(s) on %(description)s",
            "This week at COPE: %(count)s update(s) on %(description)s",
            len(notices),
        ) % {"count": len(notices), "description": subscription.description}
        body = render_to_string("follow/email/notices.txt", context)
    return StandardEmail(
        subject=subject,
        body=body,
        language=follower.language,
        to=[follower.email],
        headers=list_headers(unsubscribe_url),
    )


class Outcome:
    SENT, NOTHING, RETRY, FAILED, BUSY = "sent", "nothing", "retry", "failed", "busy"


def build_and_send(build, *, follower: Follower, what: str) -> str:
    """Build and send one email. SMTP trouble leaves it to be retried; a message that cannot
    be built or sent at all is recorded against the follower, with its reason, and given up,
    so it never stops the others. The log names the row, never the address."""
    message = None
    try:
        message = build()
        message.send()
    except MAIL_ERRORS as error:
        logger.warning("follow: %s not sent, to retry: %s", what, type(error).__name__)
        return Outcome.RETRY
    except Exception as error:  # one bad message must not stop the batch
        logger.error("follow: %s failed: %s", what, type(error).__name__)
        reason = failure_reason(error, message or EmailMessage(to=[follower.email]))
        Follower.objects.filter(pk=follower.pk).update(failed_at=timezone.now(), failure=reason)
        return Outcome.FAILED
    return Outcome.SENT


def tell_follower(*, follower_id: int, up_to: int) -> str:
    """Send one follower one email of every change due for them (notices up to `up_to`), then
    record it against each subscription it covered, so a rerun never sends it again.

    The follower's row is locked while sending: a second worker skips it rather than wait.
    """
    with transaction.atomic():
        follower = Follower.objects.select_for_update(skip_locked=True).filter(pk=follower_id)
        follower = follower.first()
        if follower is None:
            return Outcome.BUSY
        subscriptions = follower.subscriptions.filter(frequency=Frequency.EACH).select_related(
            "recommendation", "precinct", "program"
        )
        told = [(s, list(s.pending_notices(up_to=up_to))) for s in subscriptions]
        told = [(s, batch) for s, batch in told if batch]
        if not told:
            return Outcome.NOTHING
        outcome = build_and_send(
            lambda: notices_email(follower=follower, told=told),
            follower=follower,
            what=f"notices to follower {follower.pk}",
        )
        if outcome != Outcome.RETRY:
            Subscription.objects.filter(
                pk__in=[s.pk for s, _batch in told], last_notice_id__lt=up_to
            ).update(last_notice_id=up_to, last_sent_at=timezone.now())
    return outcome


def send_due_notices(*, now=None) -> int:
    """Every notice past its undo window, to every follower who wants each change: one email
    per follower. Notices are marked dispatched once nobody is left to tell (an email that
    could not be sent for now keeps them open, for the next run). Returns the emails sent."""
    now = now or timezone.now()
    due = list(Notice.objects.due(now).filter(dispatched_at__isnull=True).order_by("pk"))
    if not due:
        return 0
    up_to = due[-1].pk
    follower_ids = set()
    for notice in due:
        follower_ids.update(
            Subscription.objects.told_of(notice)
            .filter(frequency=Frequency.EACH, last_notice_id__lt=notice.pk)
            .values_list("follower_id", flat=True)
        )
    outcomes = [tell_follower(follower_id=pk, up_to=up_to) for pk in sorted(follower_ids)]
    if Outcome.RETRY not in outcomes and Outcome.BUSY not in outcomes:
        Notice.objects.filter(pk__in=[n.pk for n in due]).update(dispatched_at=timezone.now())
    return outcomes.count(Outcome.SENT)


def send_digest(*, subscription: Subscription) -> str:
    """A weekly subscription's digest of what it has not been told (nothing when nothing)."""
    pending = list(subscription.pending_notices())
    if not pending:
        return Outcome.NOTHING
    outcome = build_and_send(
        lambda: digest_email(subscription=subscription, notices=pending),
        follower=subscription.follower,
        what=f"digest to subscription {subscription.pk}",
    )
    if outcome != Outcome.RETRY:
        Subscription.objects.filter(pk=subscription.pk).update(
            last_notice_id=pending[-1].pk, last_sent_at=timezone.now()
        )
    return outcome


def send_digests(*, now=None, digests: bool = True) -> int:
    """The weekly digests (nothing to a subscription with nothing new), and a retry of any
    per-change email that could not be sent before. A failure is one follower's, never the
    run's."""
    now = now or timezone.now()
    week_ago = now - timedelta(days=6, hours=12)  # cron's weekly run may come a little early
    sent = send_due_notices(now=now)
    if not digests:
        return sent
    subscriptions = Subscription.objects.filter(frequency=Frequency.WEEKLY).select_related(
        "follower", "recommendation", "precinct", "program"
    )
    for subscription in subscriptions.iterator(chunk_size=500):
        if subscription.last_sent_at and subscription.last_sent_at > week_ago:
            continue
        sent += send_digest(subscription=subscription) == Outcome.SENT
    return sent
