"""Path converters: an address segment the view can use only if it has the right form.

A segment of any other form (a NUL, a space, a quote) is a 404 at the URL resolver, before a
view or the database sees it.
"""


class TokenConverter:
    """A token of the follow links: URL-safe base64 (secrets.token_urlsafe) or a signed value
    (django.core.signing: base64 parts joined by colons)."""

    regex = r"[A-Za-z0-9_:-]{1,200}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
