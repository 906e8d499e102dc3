"""Settings for feelmove, read from the environment.

Every variable is optional in development (DEBUG=1). With DEBUG off the site refuses to start
without a SECRET_KEY and switches on the production security settings.
"""

import os
import sys
import tempfile
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "on", "yes"}
_FALSE = {"0", "false", "off", "no", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean: 1/0, true/false, on/off, yes/no (any case)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use 1/0, true/false, on/off or yes/no."
    )


def env_admins(name: str) -> list[tuple[str, str]]:
    """Comma-separated `Name <address>` or plain addresses, as Django's (name, address) pairs."""
    admins = []
    for name_part, address in getaddresses([os.environ.get(name, "")]):
        if not address:
            continue
        if "@" not in address:
            raise ImproperlyConfigured(
                f"{name}: {address!r} is not an e-mail address; write "
                "'Jana Berger <jana@example.de>, technik@example.de'."
            )
        admins.append((name_part or address, address))
    return admins


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
# Rotating the key: the new one in SECRET_KEY, the old ones here (comma-separated), so links in
# e-mails already sent (confirm, download, unsubscribe, moderate) and sessions keep working.
# Drop an old key once its links may have expired (the unsubscribe links never do; see README).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_ID = 1

INSTALLED_APPS = [
    "feelmove.apps.FeelmoveAdminConfig",  # django.contrib.admin with the author's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.redirects",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "csp",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_ckeditor_5",
    # Before django_tasks_db: core's `db_worker` (which recovers after a crash) replaces its own.
    "core",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "feelmove",
    "blog",
    "comments",
    "newsletter",
    "mydata",
    "contact",
    "twofactor",
    "demo",
    "wordpress",
]

# The page cache (core/pagecache.py) sits inside GZip and ConditionalGet (they compress other
# responses and answer 304s for all) and outside CSP, sessions and CSRF: it stores responses with
# every header and cookie set, and answers a hit without the middleware below it.
# The old WordPress addresses (wordpress/middleware.py) are answered outside the page cache: a
# `/?p=123` never reaches it, and a 404 becomes a 301 only after the flatpages had their turn.
MIDDLEWARE = [
    # Answers /healthz itself (no HTTPS redirect, any Host), before anything checks the request.
    "feelmove.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "wordpress.middleware.OldAddressRedirectMiddleware",
    "core.pagecache.PageCacheMiddleware",
    "feelmove.middleware.SiteCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "feelmove.middleware.AdminInputGuard",
    "axes.middleware.AxesMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]

ROOT_URLCONF = "feelmove.urls"
WSGI_APPLICATION = "feelmove.wsgi.application"

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
                "csp.context_processors.nonce",
                "feelmove.context_processors.site",
            ],
        },
    },
]

# Databases: SQLite by default, PostgreSQL (or anything dj-database-url knows) via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the start of
    # a transaction, so a second writer waits (up to the timeout) instead of failing half-way.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }
    # Tests use a file, not shared in-memory SQLite, so that threads really contend for the
    # write lock as they do in production; one file per test process.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("SQLITE_TEST_NAME")
        or str(Path(tempfile.gettempdir()) / f"feelmove-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# How many gunicorn processes serve the site on this machine: gunicorn reads it as its number
# of workers (deploy/gunicorn.conf.py too), and `check --deploy` wants Redis when it is above 1.
WEB_CONCURRENCY = int(os.environ.get("WEB_CONCURRENCY", "1"))
# A Redis that is down or hangs must not hold up a page: connections give up after REDIS_TIMEOUT
# seconds, and after a failure each process leaves Redis alone for REDIS_RETRY_AFTER seconds
# (core/cache.py, which also reuses its Redis clients). Redis on the same network answers in well
# under a millisecond.
REDIS_TIMEOUT = 0.3
REDIS_RETRY_AFTER = 10
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "feelmove"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
                "retry_after": REDIS_RETRY_AFTER,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "feelmove",
        }
    }

# Parts of pages that are the same for everyone (the sidebar, an article, its comments), kept by
# each process for the renders the page cache does not serve (core/fragments.py).
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "feelmove-fragments",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

# Whole pages for anonymous readers (core/pagecache.py, invalidated by core/invalidation.py).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# In development a page lives seconds, so an edited template shows at once (data changes are
# picked up at once anyway).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "5" if DEBUG else "600"))
PAGE_CACHE_ALIAS = "default"
# The generation that invalidates pages lives in Redis, or else in a small file that every
# worker on this machine reads (a folder in the temp directory named after the database).
PAGE_CACHE_STATE_ALIAS = "default" if REDIS_URL else ""
PAGE_CACHE_STATE_DIR = os.environ.get("PAGE_CACHE_STATE_DIR", "")
PAGE_CACHE_EXCLUDE_PREFIXES = ["/admin/", "/ckeditor5/", "/healthz", "/static/", "/media/"]
# Only these views' pages are stored (plus flatpages); tokenised links never are.
PAGE_CACHE_URL_NAMES = [
    "blog:*",
    "newsletter:signup",
    "newsletter:guide",
    "contact:request",
    "contact:thanks",
    "sitemap",
    "robots_txt",
]
# The query parameters each cached view reads; all others are left out of the page's key (and
# hidden from the view), so `?utm_source=...` or `?fbclid=...` never make a new cache entry.
PAGE_CACHE_QUERY_PARAMS = {
    "blog:search": ["q", "page"],
    "blog:home": ["page"],
    "blog:category": ["page"],
    "blog:tag": ["page"],
    "blog:archive_year": ["page"],
    "blog:article_detail": ["kommentare", "antwort"],
    "sitemap": ["p"],
}
# Pages each app process keeps in its own memory in front of the shared store (Redis).
PAGE_CACHE_LOCAL_ENTRIES = int(os.environ.get("PAGE_CACHE_LOCAL_ENTRIES", "200"))
# A browser's copy of a page with a form's render-time token (core/antispam.py) is revalidated
# into a fresh one after this long.
PAGE_CACHE_FORM_TIME_WINDOW = 30 * 60
# While nobody has recorded when the next scheduled article appears, pages live at most this long.
PAGE_CACHE_UNKNOWN_SCHEDULE_SECONDS = 60

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Only the author and her helpers log in, in the admin; pages that need a login (unpublished
# pages from WordPress) send there.
LOGIN_URL = "admin:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# German only: no LocaleMiddleware, so a browser's Accept-Language never switches the site.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German"))]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploads (core/storage.py): public media under MEDIA_URL, and a private storage for the guide.
# Public media are always linked on the site's own host: with S3 the proxy forwards /media/ to
# the bucket (deploy/), so no page loads anything from another host.
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# The guide's PDF with MEDIA_STORAGE=local (default: `private_media/` next to MEDIA_ROOT).
PRIVATE_MEDIA_ROOT = os.environ.get("PRIVATE_MEDIA_ROOT", "")
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local").strip().lower() or "local"
if MEDIA_STORAGE == "local":
    _MEDIA_STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "core.storage.LocalPrivateStorage"},
    }
elif MEDIA_STORAGE == "s3":
    S3_BUCKET = os.environ.get("S3_BUCKET", "")
    S3_PRIVATE_BUCKET = os.environ.get("S3_PRIVATE_BUCKET", "")
    if not S3_BUCKET or not S3_PRIVATE_BUCKET:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs S3_BUCKET (public media) and S3_PRIVATE_BUCKET (the guide PDF)."
        )
    if S3_BUCKET == S3_PRIVATE_BUCKET:
        raise ImproperlyConfigured(
            "S3_PRIVATE_BUCKET must be another bucket than S3_BUCKET: everything in S3_BUCKET is "
            "served under /media/."
        )
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL") or None
    _S3_OPTIONS = {
        "endpoint_url": S3_ENDPOINT_URL,
        "region_name": os.environ.get("S3_REGION") or None,
        # Without keys boto3 looks for credentials itself (instance role, ~/.aws, AWS_* variables).
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        # MinIO and most S3-compatible servers want the bucket in the path, not in the host name.
        "addressing_style": "path" if S3_ENDPOINT_URL else None,
    }
    _MEDIA_STORAGES = {
        "default": {
            "BACKEND": "core.storage.PublicMediaS3Storage",
            "OPTIONS": {**_S3_OPTIONS, "bucket_name": S3_BUCKET},
        },
        "private": {
            "BACKEND": "core.storage.PrivateS3Storage",
            "OPTIONS": {**_S3_OPTIONS, "bucket_name": S3_PRIVATE_BUCKET},
        },
    }
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'local' or 's3', not {MEDIA_STORAGE!r}.")
STORAGES = {
    **_MEDIA_STORAGES,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
# In development (and the browser tests) whitenoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_PERMISSIONS = 0o644
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security. Development stays on plain HTTP; production gets the full set.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the comment form reads nothing from it, but admin JS may
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG  # needs includeSubDomains; see README before enabling preload
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Behind a TLS-terminating proxy (nginx, a load balancer) that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp 4): nothing from other hosts, scripts only with the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    },
}
# The admin with CKEditor 5 also needs style="" attributes; see feelmove.middleware.
CSP_ADMIN_PATH_PREFIX = "/admin/"

# django-axes: lock an account and IP after repeated failed admin logins, with a cool-off.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# The same client address as rate limits and comment IPs (PROXY_COUNT), not the proxy's.
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_ip"
AXES_VERBOSE = False
# Failed attempts are stored with the form's fields: never with a password or a log-in code.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]

# The second factor for staff log-ins (twofactor/): a code by e-mail in a new browser, or an
# authenticator app. On in production; off in development and tests unless switched on.
ADMIN_2FA = env_bool("ADMIN_2FA", not DEBUG)
OTP_TOTP_ISSUER = "feelmove"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed to the console in development.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent_emails"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "feelmove <hallo@feelmove.de>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
AUTHOR_EMAIL = os.environ.get("AUTHOR_EMAIL", "autorin@feelmove.de")
# A transactional e-mail that fails is tried again after these waits (seconds: 1, 5 and 30
# minutes, 2 and 6 hours), then shown to the author as failed (core/mail.py).
EMAIL_RETRY_DELAYS = [60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600]

# Background jobs (django-tasks): run at once in development and tests, by `db_worker` in
# production.
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if DEBUG else "database")
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be 'immediate' or 'database', not {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

RATE_LIMITS = env_bool("RATE_LIMITS", True)

# /healthz answers 503 when a runnable background task has waited longer than this (seconds):
# the worker is down or far behind.
HEALTHZ_QUEUE_MAX_AGE = int(os.environ.get("HEALTHZ_QUEUE_MAX_AGE", "900"))

# Comments (see comments/moderation.py): auto-approve people approved before (off by default),
# hold comments with this many links, at most this many comments per IP and minute.
COMMENTS_AUTO_APPROVE_KNOWN = env_bool("COMMENTS_AUTO_APPROVE_KNOWN", False)
COMMENTS_LINK_LIMIT = 2
COMMENTS_RATE_LIMIT = 5
COMMENTS_RATE_PERIOD = 60
# What erasing an address (the reader's own "Meine Daten" page, the admin, erase_personal_data)
# does to her comments until the author chooses in the admin (comments.CommentSettings):
# "anonymise" keeps the text under the name "Anonym"; "delete" removes them (a comment that
# others answered stays as an empty "deleted" note, so replies keep their place).
COMMENTS_ON_ERASE = os.environ.get("COMMENTS_ON_ERASE", "anonymise").strip().lower()
if COMMENTS_ON_ERASE not in {"anonymise", "delete"}:
    raise ImproperlyConfigured(
        f"COMMENTS_ON_ERASE must be 'anonymise' or 'delete', not {COMMENTS_ON_ERASE!r}."
    )

# Consultation requests (contact/): at most this many per IP and hour; a request closed longer
# ago than CONTACT_RETENTION_DAYS (about six months) is deleted by the daily job.
CONTACT_RATE_LIMIT = 5
CONTACT_RATE_PERIOD = 60 * 60
CONTACT_RETENTION_DAYS = int(os.environ.get("CONTACT_RETENTION_DAYS", "183"))
# Top-level comment threads per comment page (?kommentare=N), each with all its replies.
COMMENTS_PER_PAGE = int(os.environ.get("COMMENTS_PER_PAGE", "50"))

# The site's own details, used in the footer, in e-mails and in the Impressum.
SITE_NAME = "feelmove"
SITE_TAGLINE = _("Movement, fascia and a relaxed back")
SOCIAL_LINKS = {
    "instagram": os.environ.get("INSTAGRAM_URL", "https://www.instagram.com/feelmove.de/"),
    "facebook": os.environ.get("FACEBOOK_URL", "https://www.facebook.com/feelmove.de/"),
}
IMPRESSUM_TEXT = os.environ.get(
    "IMPRESSUM_TEXT",
    "feelmove · Jana Berger · Lindenstraße 12 · 10969 Berlin · hallo@feelmove.de",
)

# CKEditor 5: the toolbar the author needs, nothing more. Uploads go through blog.uploads
# (checked, cleaned, size-limited) into the public media storage; the "PDF" toolbar button comes
# from blog/static/blog/admin/editor-file-link.js, as the bundled build has no file upload plugin.
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "jpg", "png", "gif", "webp", "pdf"]
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "staff"
CKEDITOR_5_MAX_FILE_SIZE = 10  # MB, for images and PDFs alike
CKEDITOR_5_CONFIGS = {
    "default": {
        "language": "de",
        # The editing area's name for screen readers (CKEditor's own German one is half English).
        "label": _("Text"),
        "toolbar": {
            "items": [
                "heading", "|", "bold", "italic", "link", "|",
                "bulletedList", "numberedList", "blockQuote", "|",
                "insertImage", "|", "undo", "redo",
            ],
            "shouldNotGroupWhenFull": True,
        },
        # The bundled build carries many plugins; these would produce markup the sanitiser drops
        # (styles, embeds, fonts), so the author does not get them in the first place.
        "removePlugins": [
            "Alignment", "Code", "CodeBlock", "Font", "FullPage", "GeneralHtmlSupport",
            "Highlight", "HtmlEmbed", "ImageResize", "IndentBlock", "ListProperties", "Markdown",
            "MediaEmbed", "Mention", "PageBreak", "SourceEditing", "Strikethrough", "Style",
            "Subscript", "Superscript", "TableCellProperties", "TableProperties", "TodoList",
            "Underline",
        ],
        "heading": {
            "options": [
                {"model": "paragraph", "title": _("Paragraph"), "class": "ck-heading_paragraph"},
                {"model": "heading2", "view": "h2", "title": _("Heading"),
                 "class": "ck-heading_heading2"},
                {"model": "heading3", "view": "h3", "title": _("Subheading"),
                 "class": "ck-heading_heading3"},
                {"model": "heading4", "view": "h4", "title": _("Minor heading"),
                 "class": "ck-heading_heading4"},
            ]
        },
        # The link dialog's switches. Each sets only what the sanitiser keeps (blog.sanitize);
        # it adds the rel tokens itself, so that the editor recognises a link again by its
        # target or class whatever rel it carries.
        "link": {
            "defaultProtocol": "https://",
            "decorators": {
                "openInNewTab": {
                    "mode": "manual",
                    "label": _("Open in a new tab"),
                    "attributes": {"target": "_blank"},
                },
                # A link to the consultation page (/kontakt/) drawn as a button.
                "ctaButton": {
                    "mode": "manual",
                    "label": _("Conversation button (link to /kontakt/)"),
                    "classes": ["cta-button"],
                },
                # Paid and affiliate links: rel="sponsored noopener" and the note "(Werbung)".
                "paidLink": {
                    "mode": "manual",
                    "label": _("Advertising link (affiliate, product)"),
                    "classes": ["sponsored"],
                },
            },
        },
        "image": {
            "toolbar": ["imageTextAlternative", "toggleImageCaption"],
            # Upload only: an image linked from another host would break the public CSP.
            "insert": {"integrations": ["upload"], "type": "block"},
            "upload": {"types": ["jpeg", "png", "gif", "webp"]},
        },
    },
}  # fmt: skip

# Logging goes to stdout (journald, a container's log): readable lines, or JSON for a log
# collector with LOG_FORMAT=json (the same shape as gunicorn's lines, see deploy/).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'text' or 'json', not {LOG_FORMAT!r}.")

# Server errors mailed to ADMINS: "Jana Berger <jana@feelmove.de>, technik@example.de".
ADMINS = env_admins("ADMINS")
# Error reports (mails, the 500 page with DEBUG) leave out what visitors sent; see feelmove.errors.
DEFAULT_EXCEPTION_REPORTER_FILTER = "feelmove.errors.PrivateExceptionReporterFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "feelmove.logformat.JsonFormatter"},
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": sys.stdout, "formatter": LOG_FORMAT},
        "mail_admins": {
            "class": "feelmove.errors.ThrottledAdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "django.request": {
            "handlers": ["stdout", "mail_admins"],
            "level": "WARNING",
            "propagate": False,
        },
    },
}

# Error reporting to Sentry, only with SENTRY_DSN; no personal data is sent (feelmove.errors).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from feelmove.errors import sentry_init

    sentry_init(dsn=SENTRY_DSN, environment="development" if DEBUG else "production")

# How many trusted reverse proxies stand in front of gunicorn (each appends to X-Forwarded-For).
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
