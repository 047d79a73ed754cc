from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core import ratelimit
from core.clients import client_address, client_bucket
from follow import services
from follow.forms import FollowForm
from follow.models import Follower, FollowRequest, Frequency, Subscription

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
    return ratelimit.hashed_key("follow-requests", client_bucket(client_address(request)))


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
    client = client_key(request)
    allowed = services.within_limit(
        client,
        limit=settings.FOLLOW_REQUESTS_PER_HOUR,
        seconds=HOUR,
        stored=FollowRequest.objects.filter(client_key=client),
    )
    if not allowed:
        form.is_valid()
        return follow_page(request, form, status=429, limited=True)
    if not form.is_valid():
        return follow_page(request, form, status=422)
    services.request_follow(
        email=form.cleaned_data["email"],
        language=request.LANGUAGE_CODE,
        client=client,
        **form.followed(),
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


def stopped(request, **context):
    """The answer to any link of an email whose subscription has ended: never a 404."""
    return render(request, "follow/unsubscribed.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    follower = Follower.objects.filter(token=token).first()
    if follower is None:
        return stopped(request)
    if request.method == "POST":
        changed = follower.subscriptions.filter(token=request.POST.get("subscription")).first()
        if changed is not None and request.POST.get("frequency") in Frequency.values:
            services.change_frequency(subscription=changed, frequency=request.POST["frequency"])
            return redirect(reverse("follow:manage", args=[follower.token]) + "?changed=1")
        services.stop_everything(follower=follower)
        return stopped(request, everything=True)
    subscriptions = follower.subscriptions.select_related("recommendation", "precinct", "program")
    context = {
        "follower": follower,
        "subscriptions": subscriptions,
        "confirmed": request.GET.get("confirmed") == "1",
        "changed": request.GET.get("changed") == "1",
    }
    return render(request, "follow/manage.html", context)


# RFC 8058 one-click: mail clients POST here with no cookie or token, so no CSRF check; the
# unguessable token in the address is the permission. An email covering several subscriptions
# carries the follower's token: one click stops them all.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscription = (
        Subscription.objects.filter(token=token)
        .select_related("follower", "recommendation", "precinct", "program")
        .first()
    )
    follower = None if subscription else Follower.objects.filter(token=token).first()
    if request.method == "POST":
        if subscription:
            description = subscription.description
            services.unsubscribe(subscription=subscription)
            return stopped(request, description=description)
        if follower:
            services.stop_everything(follower=follower)
            return stopped(request, everything=True)
        return stopped(request)
    if follower is not None:
        return redirect("follow:manage", follower.token)
    if subscription is None:
        return stopped(request)
    return render(request, "follow/unsubscribe.html", {"subscription": subscription})
