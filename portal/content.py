"""The site-wide content: the settings row staff keep (its email starts empty)."""

from portal.models import SiteSettings


def load() -> str:
    _, created = SiteSettings.objects.get_or_create(pk=1)
    return "site settings created" if created else "site settings already present"
