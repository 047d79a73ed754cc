from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core import ratelimit
from core.clients import client_address
from follow import services
from follow.forms import FollowForm
from follow.models import Follower, Subscription

HOUR = 3600


def follow_page(request, form, *, status=200, limited=False):
    response = render(
        request, "follow/follow.html", {"form": form, "limited": limited}, status=status
    )
    if limited:
        response["Retry-After"] = str(HOUR)
    if request.method == "POST":
        add_never_cache_headers(response)
    return response


def client_key(request) -> str:
    return ratelimit.hashed_key("follow-requests", client_address(request))


# Exempt from CSRF so the small form can sit on cached public pages: a forged post can only
# ask for a confirmation email, which anyone can ask for anyway, and both rate limits hold.
# The page itself is cached like any other; only the answers to a post are never kept.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def follow(request):
    """What can be followed, and the form; POST sends a confirmation link, then redirects."""
    if request.method != "POST":
        initial = FollowForm(request.GET)
        initial.is_valid()
        values = {
            name: request.GET[name]
            for name in ("topic", "recommendation", "precinct", "program", "frequency")
            if name in request.GET and name not in initial.errors
        }
        return follow_page(request, FollowForm(initial=values))

    form = FollowForm(request.POST)
    allowed = settings.FOLLOW_REQUESTS_PER_HOUR
    if not ratelimit.take(client_key(request), limit=allowed, seconds=HOUR):
        form.is_valid()
        return follow_page(request, form, status=429, limited=True)
    if not form.is_valid():
        return follow_page(request, form, status=422)
    services.request_follow(
        email=form.cleaned_data["email"], language=request.LANGUAGE_CODE, **form.followed()
    )
    return redirect("follow:sent")


@require_GET
def sent(request):
    """The same answer for every address: new, already following, or unknown."""
    return render(request, "follow/sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    follow_request = services.pending_request(token)
    if follow_request is None:
        return render(request, "follow/expired.html", status=404)
    if request.method == "POST":
        subscription = services.confirm_follow(request=follow_request)
        return redirect(
            reverse("follow:manage", args=[subscription.follower.token]) + "?confirmed=1"
        )
    return render(request, "follow/confirm.html", {"follow_request": follow_request})


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    follower = get_object_or_404(Follower, token=token)
    if request.method == "POST":
        for subscription in follower.subscriptions.all():
            services.unsubscribe(subscription=subscription)
        return render(request, "follow/unsubscribed.html", {"everything": True})
    subscriptions = follower.subscriptions.select_related("recommendation", "precinct", "program")
    context = {
        "follower": follower,
        "subscriptions": subscriptions,
        "confirmed": request.GET.get("confirmed") == "1",
    }
    return render(request, "follow/manage.html", context)


# RFC 8058 one-click: mail clients POST here with no cookie or token, so no CSRF check; the
# unguessable token in the address is the permission.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscription = (
        Subscription.objects.filter(token=token)
        .select_related("follower", "recommendation", "precinct", "program")
        .first()
    )
    if request.method == "POST":
        description = subscription.description if subscription else None
        if subscription:
            services.unsubscribe(subscription=subscription)
        return render(request, "follow/unsubscribed.html", {"description": description})
    if subscription is None:
        raise Http404
    return render(request, "follow/unsubscribe.html", {"subscription": subscription})
