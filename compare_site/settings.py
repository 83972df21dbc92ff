"""Settings for compare_site.

Every deploy-time difference comes from the environment (or a ``.env`` file
beside ``manage.py``) through django-environ. The defaults fail closed: DEBUG
is off unless set, and there is no default SECRET_KEY. ``make run`` sets both
for local use; see ``.env.example`` for every variable.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Export SECRET_KEY (or put it in .env); "
        "`make run` generates one for local use."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Where the admin lives, e.g. "staff-7f3a/". Keep the trailing slash.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # search on PostgreSQL (SearchVectorField, trigrams); inert on SQLite
    "reversion",
    "axes",
    "django_tasks_db",
    # Ours, top layer first (see .importlinter): each imports only those below it.
    "api",
    "comparisons",
    "search",
    "articles",
    "frameworks",
    "editorial",
    "pagecache",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "compare_site.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "compare_site.middleware.OpenDataMiddleware",
    "compare_site.middleware.BoundedQueryMiddleware",
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "compare_site.urls"
WSGI_APPLICATION = "compare_site.wsgi.application"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]

# SQLite by default, in WAL mode with immediate transactions and a busy
# timeout so that concurrent writers queue instead of failing with
# "database is locked". PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Room for a page of every framework in both encodings (Django's default is 300 entries).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://compare-site?max_entries=2000")}

# Public pages are served from CACHES[PAGE_CACHE_ALIAS] until content changes
# (see pagecache/). With a process-local cache the workers share the content
# generation through PAGE_CACHE_STAMP, a small file; keep it on local disk.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=not DEBUG)  # off in `make run`: template edits show
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=24 * 3600)
PAGE_CACHE_CONTENT_APPS = ["frameworks", "articles"]
# Models of those apps that no reader page shows: collection bookkeeping and the review queue.
PAGE_CACHE_IGNORED_MODELS = [
    "frameworks.CollectionRun",
    "frameworks.CollectionRun_frameworks",
    "frameworks.CollectionResult",
    "frameworks.SourceState",
    "frameworks.SourceLimit",
    "frameworks.ReviewItem",
]
PAGE_CACHE_STAMP = Path(env.str("PAGE_CACHE_STAMP", default=str(BASE_DIR / ".content-generation")))

# Background work: Django's tasks framework, queued in the site's own database
# (django-tasks-db), carried out by `make worker` (manage.py db_worker).
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

# Collectors (frameworks/collectors/): the public APIs' base URLs (tests point them at a
# local fake server), optional credentials, and how patiently to call them.
GITHUB_API_URL = env.str("GITHUB_API_URL", default="https://api.github.com")
PYPI_URL = env.str("PYPI_URL", default="https://pypi.org")
PYPISTATS_URL = env.str("PYPISTATS_URL", default="https://pypistats.org")
STACKEXCHANGE_API_URL = env.str("STACKEXCHANGE_API_URL", default="https://api.stackexchange.com")
GITHUB_TOKEN = env.str("GITHUB_TOKEN", default="")
STACKEXCHANGE_KEY = env.str("STACKEXCHANGE_KEY", default="")
COLLECTOR_TIMEOUT = env.float("COLLECTOR_TIMEOUT", default=10.0)
COLLECTOR_RETRIES = env.int("COLLECTOR_RETRIES", default=2)

# Bounds on the query string of public pages (compare_site.middleware.BoundedQueryMiddleware);
# the admin's search has its own (editorial.admin_search).
PUBLIC_QUERY_MAX_LENGTH = 2000
PUBLIC_QUERY_MAX_PARAMS = 30
PUBLIC_QUERY_MAX_VALUE = 200

# The open data API (api/, compare_site.middleware.OpenDataMiddleware): requests per client address
# per window, counted in this cache (Redis when CACHE_URL names one, so every app server shares them).
# 0 turns the limit off.
API_PREFIX = "/api/"
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=60)
API_RATE_WINDOW = env.int("API_RATE_WINDOW", default=60)
API_RATE_LIMIT_CACHE = "default"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))

STORAGES = {
    "default": {"BACKEND": "editorial.storage.AtomicFileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SITE_NAME = "compare_site"

# Editors: a current figure older than this many days is flagged as stale.
STALE_FIGURE_DAYS = env.int("STALE_FIGURE_DAYS", default=180)
# How long a signed draft-preview link shared with a reviewer stays valid.
PREVIEW_LINK_MAX_AGE = env.int("PREVIEW_LINK_MAX_AGE", default=7 * 24 * 3600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Scanners send forged Host headers all day: each gets its 400, not a logged traceback.
    "loggers": {"django.security.DisallowedHost": {"handlers": [], "propagate": False}},
}

# --- Security -----------------------------------------------------------------
# Production-safe defaults whenever DEBUG is off. Plain-HTTP local use
# (`make serve` on http://127.0.0.1, the test suite) turns SECURE_SSL_REDIRECT
# off through the environment; everything else stays as in production.
from django.utils.csp import CSP  # noqa: E402

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe app servers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# The site runs behind a TLS proxy that sets X-Forwarded-Proto (and strips it
# from clients); gunicorn listens on loopback only, so nothing else can forge it.
if env.bool("TRUST_X_FORWARDED_PROTO", default=True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)

# No inline script or style anywhere; the admin's own data blocks are
# type="application/json" and need no nonce. A nonce appears in the header
# only on pages that use one ({% csp_nonce_attr %}), never on public pages,
# so cached public pages all carry the same policy.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
# Uploads served from a CDN (an absolute MEDIA_URL) are allowed by that origin only.
if MEDIA_URL.startswith(("https://", "//")):
    SECURE_CSP["img-src"].append("/".join(MEDIA_URL.split("/", 3)[:3]))
# Cross-Origin-Resource-Policy: Django has no setting for it.
CROSS_ORIGIN_RESOURCE_POLICY = env.str("CROSS_ORIGIN_RESOURCE_POLICY", default="same-origin")
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# Admin login throttling (django-axes): a username is locked for an hour
# after AXES_FAILURE_LIMIT failures from one address.
AUTHENTICATION_BACKENDS = [
    "compare_site.auth_backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Unlock with `manage.py axes_reset_username <name>`; the admin stays free of axes' log tables.
AXES_ENABLE_ADMIN = False
# Lock by the client's address as the proxy reports it (last X-Forwarded-For hop).
TRUST_X_FORWARDED_FOR = env.bool("TRUST_X_FORWARDED_FOR", default=env.bool("TRUST_X_FORWARDED_PROTO", default=True))
AXES_CLIENT_IP_CALLABLE = "compare_site.auth_backends.client_ip"
AXES_LOCKOUT_CALLABLE = "compare_site.health.login_locked_out"
AXES_VERBOSE = False

# Uploads (see editorial/images.py).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
UPLOAD_MAX_PIXELS = env.int("UPLOAD_MAX_PIXELS", default=16_000_000)
FILE_UPLOAD_PERMISSIONS = 0o644

# Where `manage.py backup` writes when not given --output.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(BASE_DIR / "backups")))
