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
from follow.models import Follower, FollowRequest, Frequency, Notice, Subscription

logger = logging.getLogger(__name__)

CONFIRM_SALT = "follow.confirm"
CONFIRM_DAYS = 7
MAIL_ERRORS = (smtplib.SMTPException, OSError, TimeoutError)
DAY = 86400


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def address_key(email: str) -> str:
    return ratelimit.hashed_key("follow-confirmations", email.strip().lower())


def send(message: EmailMessage, *, what: str) -> bool:
    try:
        message.send()
    except MAIL_ERRORS as error:
        # What and which, never the address.
        logger.warning("follow: %s not sent: %s", what, type(error).__name__)
        return False
    return True


def request_follow(*, email: str, language: str, **followed) -> FollowRequest | None:
    """Keep the request and email its confirmation link, in the language of the page it was
    made on; the answer never says whether the address already follows anything. At most a
    few emails per address a day."""
    if not ratelimit.take(
        address_key(email), limit=settings.FOLLOW_CONFIRMATIONS_PER_ADDRESS_PER_DAY, seconds=DAY
    ):
        logger.info("follow: confirmation withheld, too many for one address today")
        return None
    request = FollowRequest(email=email, language=language, **followed)
    request.full_clean()
    request.save()
    from follow.tasks import send_confirmation

    transaction.on_commit(lambda: send_confirmation.enqueue(request_id=request.pk))
    return request


def send_confirmation_email(*, request: FollowRequest) -> bool:
    """The confirmation link, in the request's language, to the page in that language."""
    token = signing.dumps(request.pk, salt=CONFIRM_SALT)
    with translation.override(request.language):
        context = {
            "request": request,
            "confirm_url": absolute(reverse("follow:confirm", args=[token])),
            "days": CONFIRM_DAYS,
        }
        message = EmailMessage(
            subject=_("Confirm you want COPE's emails"),
            body=render_to_string("follow/email/confirm.txt", context),
            to=[request.email],
        )
    return send(message, what=f"confirmation for request {request.pk}")


def pending_request(token: str) -> FollowRequest | None:
    """The request a confirmation link names, if its signature holds and it is 7 days young."""
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT, max_age=timedelta(days=CONFIRM_DAYS))
    except signing.BadSignature:
        return None
    return (
        FollowRequest.objects.filter(pk=pk)
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


def purge_follow_requests(*, now=None) -> int:
    """Delete the requests whose confirmation link has expired."""
    before = (now or timezone.now()) - timedelta(days=CONFIRM_DAYS)
    deleted = FollowRequest.objects.filter(created_at__lt=before).delete()[0]
    return deleted


def message_for(subscription: Subscription, notices: list[Notice], *, digest: bool):
    """The email telling of `notices`, in the follower's language, with links to the pages in
    it (the one-click unsubscribe link too)."""
    with translation.override(subscription.follower.language):
        unsubscribe_url = absolute(reverse("follow:unsubscribe", args=[subscription.token]))
        context = {
            "subscription": subscription,
            "notices": notices,
            "page_url": absolute(subscription.page_url),
            "manage_url": absolute(reverse("follow:manage", args=[subscription.follower.token])),
            "unsubscribe_url": unsubscribe_url,
            "site_url": settings.SITE_URL.rstrip("/"),
        }
        if digest:
            subject = ngettext(
                "This week at COPE: %(count)s update(s) on %(description)s",
                "This week at COPE: %(count)s update(s) on %(description)s",
                len(notices),
            ) % {"count": len(notices), "description": subscription.description}
        else:
            subject = notices[0].subject
        body = render_to_string("follow/email/notices.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        to=[subscription.follower.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def deliver(*, subscription: Subscription, digest: bool = False) -> int:
    """Send what the subscription has not been told: one email per notice, or one digest.

    The watermark moves only past what was sent, so SMTP down loses nothing and a retry
    sends nothing twice. Returns how many emails went out.
    """
    pending = list(subscription.pending_notices())
    if not pending:
        return 0
    batches = [pending] if digest else [[notice] for notice in pending]
    sent = 0
    for batch in batches:
        message = message_for(subscription, batch, digest=digest)
        if not send(message, what=f"notice to subscription {subscription.pk}"):
            break
        sent += 1
        Subscription.objects.filter(pk=subscription.pk).update(
            last_notice_id=batch[-1].pk, last_sent_at=timezone.now()
        )
        subscription.last_notice_id = batch[-1].pk
    return sent


def announce(*, notice: Notice) -> int:
    """Tell every subscription that wants each change of it; digests wait for their day."""
    subscriptions = (
        Subscription.objects.told_of(notice)
        .filter(frequency=Frequency.EACH, last_notice_id__lt=notice.pk)
        .select_related("follower", "recommendation", "precinct", "program")
    )
    return sum(deliver(subscription=s) for s in subscriptions.iterator(chunk_size=500))


def send_digests(*, now=None, digests: bool = True) -> int:
    """The weekly digests (nothing to a subscription with nothing new), and a retry of any
    per-change email that could not be sent before."""
    now = now or timezone.now()
    week_ago = now - timedelta(days=6, hours=12)  # cron's weekly run may come a little early
    sent = 0
    subscriptions = Subscription.objects.select_related(
        "follower", "recommendation", "precinct", "program"
    )
    for subscription in subscriptions.iterator(chunk_size=500):
        if subscription.frequency == Frequency.WEEKLY:
            if not digests or (subscription.last_sent_at and subscription.last_sent_at > week_ago):
                continue
            sent += deliver(subscription=subscription, digest=True)
        else:
            sent += deliver(subscription=subscription)
    return sent
