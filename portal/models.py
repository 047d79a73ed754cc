from django.core.cache import cache
from django.db import models

SITE_SETTINGS_CACHE_KEY = "portal:site-settings"


class SiteSettings(models.Model):
    """COPE's contact details that staff keep: one row.

    The phone number is in the source documents (settings.COPE_PHONE); the email address in
    them is cut off, so it stays empty until staff enter it.
    """

    email = models.EmailField(
        "COPE email address",
        blank=True,
        help_text="Shown on program pages and the home page when filled in. "
        "The source document's address was cut off, so it starts empty.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self):
        return "COPE contact details"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(SITE_SETTINGS_CACHE_KEY)

    @classmethod
    def current(cls) -> "SiteSettings":
        settings = cache.get(SITE_SETTINGS_CACHE_KEY)
        if settings is None:
            settings = cls.objects.filter(pk=1).first() or cls(pk=1)
            cache.set(SITE_SETTINGS_CACHE_KEY, settings, 300)
        return settings
