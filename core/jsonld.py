"""JSON-LD blocks (schema.org data for search engines) that are safe inside a page."""

import json

from django.utils.safestring import SafeString, mark_safe

# As Django's json_script: the data cannot close its <script> element or open a comment.
SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    """The data for a <script type="application/ld+json"> block (never executed)."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(SCRIPT_SAFE))  # noqa: S308
