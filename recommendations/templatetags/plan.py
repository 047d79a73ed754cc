"""The plan's status badge, written once per status and language rather than by a template
included once per row (a page of the history or of the change log shows 25 to 100 of them)."""

import functools

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from recommendations.models import status_labels

register = template.Library()


@functools.lru_cache(maxsize=64)
def badge(language: str | None, status: str) -> SafeString:
    """`<span class="status status-…">label</span>`; no status reads "No status published"."""
    label = status_labels(language).get(status, status)
    return format_html('<span class="status status-{}">{}</span>', status or "none", label)


@register.simple_tag
def status_badge(status) -> SafeString:
    """`{% status_badge update.status %}`, in the page's language."""
    return badge(get_language(), status or "")
