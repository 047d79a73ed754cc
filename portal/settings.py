"""Settings for the COPE portal, read from the environment.

A laptop needs no variables at all (SQLite and a file cache in ``var/``, email printed to the
console, DEBUG off). Production differs only by environment: see the README's table.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """The key for a laptop without SECRET_KEY: made once, kept in var/ readable only by us."""
    path = VAR_DIR / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",  # before the admin: it adds the Spanish fields to the admin forms
    "core",
    "portal",
    "programs",
    "precincts",
    "recommendations",
    "events",
    "follow",
    "ask",
    "django_tasks_db",  # the task queue, in the portal's own database
    "portal.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
]

MIDDLEWARE = [
    "portal.middleware.HeadWithoutBodyMiddleware",
    "portal.middleware.LanguageFromPathMiddleware",
    "portal.middleware.UnstorableCharacterMiddleware",
    "portal.middleware.SecretAddressesNotIndexedMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.RequestBodyLimitMiddleware",
    "portal.middleware.ServiceUnavailableMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "portal.compression.CompressionMiddleware",  # inside the 304 check, outside the page cache
    "portal.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "follow.middleware.WhenFollowersAreToldMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.cope",
                "core.context_processors.glossary",
            ],
            "builtins": [
                "django.templatetags.i18n",
                "core.templatetags.phone",
                "core.templatetags.translated",
            ],
        },
    }
]

# Database: SQLite in var/ unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5

# Cache: Redis when REDIS_URL is set (an outage degrades to no cache, never an error page);
# otherwise files in var/, which every gunicorn worker on the machine shares.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "cope"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Parts of templates that hold no data, only words and addresses ({% cache … using="fragments" %},
# keyed by the language and whatever else they show): kept in each process, forever (a deploy
# restarts the processes), so a page does not translate and reverse them at every render.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "cope-fragments",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 200},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English at the URLs in use since the start; Spanish under /es/ (portal.middleware.
# LanguageFromPathMiddleware: the path alone says the language, never a cookie or the browser).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Chicago")
USE_I18N = True
# Staff-entered texts get a Spanish column beside the English one (django-modeltranslation);
# an empty Spanish text shows the English one, marked lang="en" by core's `lang_attr` filter.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "es")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600  # unhashed names; hashed names are cached for a year

ADMIN_URL = os.environ.get("ADMIN_URL", "staff/").strip("/") + "/"

# The staff sign-in: django-axes locks a username (and, separately, a client address) for an
# hour after 5 failures. The client address is the socket's (or the trusted proxy's, see
# TRUSTED_PROXY_COUNT), never a header the client chooses.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own
AXES_CLIENT_IP_CALLABLE = "core.clients.client_address"
AXES_LOCKOUT_TEMPLATE = "errors/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Two-factor sign-in (TOTP, django-otp): staff who enrolled an authenticator must give a code;
# STAFF_REQUIRE_2FA=on makes it required for every staff member.
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA")
OTP_TOTP_ISSUER = "COPE staff"

# Email, through Django 6.1's MAILERS: console by default, SMTP when EMAIL_HOST is set.
# The portal's own address, for links in email (no trailing slash); its host names the
# sender, the Message-IDs and the List-Id of the portal's email unless configured otherwise.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", f"COPE <noreply@{urlsplit(SITE_URL).hostname or 'localhost'}>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_USER", ""),
                "password": os.environ.get("EMAIL_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Security headers. The policy allows no inline script or style anywhere, so no nonces are
# needed and pages stay cacheable.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Geolocation for this site only: the finder's "Use my location" button asks for it.
PERMISSIONS_POLICY = {"camera": [], "microphone": [], "geolocation": ["self"], "payment": []}

# HTTPS: on in production (HTTPS=on). The proxy's header is trusted only when named.
HTTPS = env_bool("HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if os.environ.get("PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["PROXY_SSL_HEADER"].upper().replace("-", "_"),
        "https",
    )
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"

# Request bodies: 256 KB in all, in any encoding, files included (RequestBodyLimitMiddleware);
# staff uploads in the admin (service-area CSV files up to 1 MB) get 2 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
STAFF_UPLOAD_MAX_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# Logs go to stderr; they carry no personal data (no request bodies, no form values, no query
# strings; gunicorn's access log format is in gunicorn.conf.py). LOG_FORMAT=json: one JSON
# object per line (portal.logfilters.JsonLines), gunicorn's own lines included.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT is 'plain' or 'json', not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "portal.logfilters.JsonLines"},
    },
    "filters": {
        "no_query_strings": {"()": "portal.logfilters.NoQueryStrings"},
        "no_follow_tokens": {"()": "portal.logfilters.NoFollowTokens"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["no_query_strings", "no_follow_tokens"],
        }
    },
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.security.DisallowedHost": {"level": "ERROR"},
        "django.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}

# Facts about COPE from the source documents (seed 000), used on every page.
COPE_PHONE = "+12059334175"
MAINTENANCE_MODE = env_bool("MAINTENANCE_MODE")

# /.well-known/security.txt (RFC 9116): where to report a vulnerability, e.g.
# "mailto:security@city.gov" (comma-separated); none set, no file. Its Expires is always this
# many days ahead, so the file never goes stale while the contact is configured.
SECURITY_CONTACTS = env_list("SECURITY_CONTACT")
SECURITY_TXT_DAYS = int(os.environ.get("SECURITY_TXT_DAYS", "180"))


# The licence of the tracker's open data, which the city chooses: its name, then its URL, e.g.
# OPEN_DATA_LICENSE="Creative Commons Attribution 4.0 https://creativecommons.org/licenses/by/4.0/".
# Unset, the data page says the licence is not yet decided and `check --deploy` warns.
def open_data_license(value: str) -> dict | None:
    name, _, url = value.strip().rpartition(" ")
    if not value.strip():
        return None
    if not name.strip() or not url.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            "OPEN_DATA_LICENSE must be the licence's name, then a space and its URL, e.g. "
            '"Creative Commons Attribution 4.0 https://creativecommons.org/licenses/by/4.0/".'
        )
    return {"name": name.strip(), "url": url}


OPEN_DATA_LICENSE = open_data_license(os.environ.get("OPEN_DATA_LICENSE", ""))

# The precinct finder's street-address geocoder (precincts/geocoding.py): the US Census
# Bureau's public geocoder unless GEOCODER_URL names another with the same interface.
GEOCODER = {
    "BACKEND": "precincts.geocoding.CensusGeocoder",
    "OPTIONS": {
        "url": os.environ.get(
            "GEOCODER_URL", "https://geocoding.geo.census.gov/geocoder/locations/onelineaddress"
        )
    },
}

# Background work (every email) through Django's tasks framework, on a durable queue kept in the
# portal's own database (django-tasks-db): a web request only records the task, and
# `manage.py db_worker` (beside gunicorn; several may run) sends. What fails is retried by
# `manage.py send_signup_notifications` and `send_follow_digests --retry-only` (cron).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Volunteer sign-ups.
VOLUNTEER_COORDINATOR_EMAILS = env_list("VOLUNTEER_COORDINATOR_EMAILS")
SIGNUP_RETENTION_DAYS = int(os.environ.get("SIGNUP_RETENTION_DAYS", "365"))
SIGNUPS_PER_HOUR = int(os.environ.get("SIGNUPS_PER_HOUR", "5"))  # per client address
REQUESTS_PER_HOUR = int(os.environ.get("REQUESTS_PER_HOUR", "5"))  # speaker and walk requests
# Downloads (the open-data files): bytes one client may be sent a minute before a 429. A person
# fetching every file several times stays far below; a script looping on a file is stopped.
DOWNLOAD_MB_PER_MINUTE = int(os.environ.get("DOWNLOAD_MB_PER_MINUTE", "200"))

# Following by email: confirmation emails per address a day, requests per client address an hour.
FOLLOW_CONFIRMATIONS_PER_ADDRESS_PER_DAY = int(
    os.environ.get("FOLLOW_CONFIRMATIONS_PER_ADDRESS_PER_DAY", "3")
)
FOLLOW_REQUESTS_PER_HOUR = int(os.environ.get("FOLLOW_REQUESTS_PER_HOUR", "10"))
# The undo window: notices wait this many seconds before going out; retracting an update
# inside it means followers never hear of it. Changes inside one window go out as one email.
FOLLOW_NOTICE_DELAY = int(os.environ.get("FOLLOW_NOTICE_DELAY", "600"))
# A send run that died (a worker killed mid-batch) is taken up again after this many seconds.
FOLLOW_RESUME_AFTER = int(os.environ.get("FOLLOW_RESUME_AFTER", "300"))
# How many proxies in front of the portal append to X-Forwarded-For; 0 trusts the socket only.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Anonymous pages are cached whole in the shared cache (portal/pagecache.py) and invalidated the
# moment staff change content. Browsers revalidate each visit (a 304 when nothing changed), so
# a change shows at once there too. PAGE_CACHE_SECONDS=0 turns the page cache off.
# Ten minutes also bounds how long a page that depends on the clock (upcoming events) can lag.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
BROWSER_CACHE_SECONDS = 0
