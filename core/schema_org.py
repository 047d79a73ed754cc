"""schema.org data for search engines and assistants, as JSON-LD, and the organizer every page
names (COPE, in the page's language).

A `<script type="application/ld+json">` block is data, never run: the Content Security Policy
(script-src 'self') does not apply to it, so it needs no nonce."""

import json

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

# As Django's json_script: the data cannot close its <script> element or open a comment.
SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    """The data for a <script type="application/ld+json"> block (never executed)."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(SCRIPT_SAFE))  # noqa: S308


def cope() -> dict:
    return {
        "@type": "GovernmentOrganization",
        "name": gettext("COPE Division, Birmingham Police Department"),
        "url": settings.SITE_URL + "/",
        "telephone": settings.COPE_PHONE,
    }
