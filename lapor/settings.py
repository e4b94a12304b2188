"""Django settings for Lapor. Every value comes from the environment (see lapor.conf).

The embedded default needs nothing set: SQLite in WAL mode under var/, tasks run in
process, files on the local disk, keys generated into var/ on first run.
"""
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lapor.conf import (
    env, envbool, envchoice, envclient, envint, envlist, envnetworks, envrate, envsecret, envurl, envzone,
    fernet_key, fernet_keys, token,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("LAPOR_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)
SECRET_KEY = envsecret("SECRET_KEY", VAR_DIR, token)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
if not ALLOWED_HOSTS and not DEBUG:
    # Django would answer every request with 400 (only the probes would still pass).
    raise ImproperlyConfigured("ALLOWED_HOSTS is set but empty: name the site's host names, comma-separated")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# Personal data (NIK, phone, e-mail, birth date) is encrypted with these Fernet keys
# (comma separated): the first encrypts, every listed key decrypts. Rotate as
# docs/operations.md says: new key second everywhere, then first, then `manage.py reencrypt`.
FIELD_ENCRYPTION_KEYS = fernet_keys("FIELD_ENCRYPTION_KEY", envlist("FIELD_ENCRYPTION_KEY", []) or [
    envsecret("FIELD_ENCRYPTION_KEY", VAR_DIR, fernet_key)
])
# Keyed hash for looking personal data up without decrypting (HMAC-SHA256).
LOOKUP_HASH_KEY = envsecret("LOOKUP_HASH_KEY", VAR_DIR, token)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.twitter_oauth2",
    "allauth.mfa",
    "lapor.core",
    "lapor.ops",
    "lapor.regions",
    "lapor.workdays",
    "lapor.accounts",
    "lapor.agencies",
    "lapor.categories",
    "lapor.reports",
    "lapor.demo",
    "lapor.portal",
    "lapor.office",
    "lapor.notifications",  # background work (issue #6)
    "lapor.transparency",  # map, statistics, compliance, ratings, IKM, polls (issue #7)
    "lapor.following",  # following by e-mail, Atom feeds (issue #7)
    "lapor.disasters",  # disaster mode: banner, incident map (issue #7)
    "lapor.audit",  # the staff audit log (issue #10)
]

MIDDLEWARE = [
    "lapor.ops.metrics.RequestTimingMiddleware",
    # A body cut short by a dropped connection is refused, never taken for the whole one.
    "lapor.core.bodies.WholeBodyMiddleware",
    "lapor.ops.views.ProbesAnswerAnyHost",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lapor.core.security.PrivatePagesMiddleware",
    "lapor.ops.replicas.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff reach /kantor/ only after a second factor (TOTP) in this session (issue #4).
    "lapor.office.middleware.StaffSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A form's address opened as a page says so, not a blank 405 (lapor/ops/errors.py).
    "lapor.ops.errors.MethodNotAllowedPage",
]

ROOT_URLCONF = "lapor.urls"
WSGI_APPLICATION = "lapor.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # allauth's templates would win over ours by app order; the portal's overrides of
        # them live in their own directory, searched first.
        "DIRS": [BASE_DIR / "lapor" / "portal" / "templates_allauth"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]
# Django's renderer, with select boxes written in Python (lapor/core/renderers.py).
FORM_RENDERER = "lapor.core.renderers.Renderer"

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lapor.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 0, minimum=0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
        # the start of a transaction so two writers queue instead of failing mid-way.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # The public map's covering index (INCLUDE) is a plain index on SQLite, which Django
    # says in a warning on every start; nothing is wrong, only slower at millions of rows.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Streaming replicas (comma-separated URLs): public pages read from them, see lapor/ops/replicas.py.
for _index, _url in enumerate(envlist("DATABASE_REPLICA_URLS", [])):
    DATABASES[f"replica{_index + 1}"] = dj_database_url.parse(
        _url, conn_max_age=envint("DB_CONN_MAX_AGE", 0, minimum=0))
    DATABASES[f"replica{_index + 1}"]["TEST"] = {"MIRROR": "default"}
# Behind PgBouncer in transaction mode no cursor outlives its statement: Django's
# server-side cursors (QuerySet.iterator(), the CSV exports) must then be turned off.
if envbool("DB_DISABLE_SERVER_SIDE_CURSORS", False):
    for _alias in DATABASES:
        DATABASES[_alias]["DISABLE_SERVER_SIDE_CURSORS"] = True
DATABASE_ROUTERS = ["lapor.ops.replicas.ReplicaRouter"]
LAPOR_REPLICA_PATHS = envlist(
    "LAPOR_REPLICA_PATHS", ["/", "/laporan/", "/peta/", "/statistik/", "/kinerja/", "/opini/", "/silapat/"]
)
LAPOR_REPLICA_PIN_SECONDS = envint("LAPOR_REPLICA_PIN_SECONDS", 30, minimum=0)
# How long the public list keeps a filter's count and page ids (0: not at all). A newly
# published report appears in lists at most this late; one withdrawn leaves at once.
LAPOR_PUBLIC_LIST_CACHE_SECONDS = envint("LAPOR_PUBLIC_LIST_CACHE_SECONDS", 60, minimum=0)
METRICS_TOKEN = env("METRICS_TOKEN", "")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------
# Not repeated in the message when malformed: it may carry Redis's password.
REDIS_URL = envurl("REDIS_URL", "", schemes=("redis", "rediss", "unix"), example="redis://127.0.0.1:6379/0",
                   show_value=False)
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "lapor.core.cache.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from Redis, written to both (a signed-in page makes one query fewer).
    # Not with the local-memory cache: each process would keep its own stale copy.
    # (Django's cached_db, keeping the encrypted form in Redis: lapor/core/sessions.py.)
    SESSION_ENGINE = "lapor.core.sessions"
else:
    # The embedded default: one cache on disk for every process of this machine (the web
    # workers and the scheduler), so that rate limits and invalidations reach them all
    # (docs/decisions/0006-shared-cache-on-disk.md).
    CACHES = {"default": {
        "BACKEND": "lapor.core.cache.DiskCache",
        "LOCATION": env("LAPOR_CACHE_DIR", str(VAR_DIR / "cache")),
        "OPTIONS": {"size_limit": envint("LAPOR_CACHE_MB", 512, minimum=1) * 2**20},
    }}

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "lapor" / "locale"]
TIME_ZONE = envzone("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
# Third-party assets come from Python packages and are served as our own files: no CDN.
import xstatic.pkg.leaflet  # noqa: E402

STATICFILES_DIRS = [("leaflet", xstatic.pkg.leaflet.BASE_DIR)]
# Files browsers ask for at the site's root (/favicon.ico, whatever the page names), served
# by whitenoise when no nginx stands in front (deploy/nginx serves the same file).
WHITENOISE_ROOT = BASE_DIR / "lapor" / "core" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Attachments in S3-compatible object storage (AWS, MinIO, Ceph...) when a bucket is named;
# local files under MEDIA_ROOT otherwise. Objects are private: served through our views.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", "")
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", "") or None
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", "") or None
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = True
AWS_S3_FILE_OVERWRITE = False
STORAGES = {
    "default": {"BACKEND": "storages.backends.s3.S3Storage"}
    if AWS_STORAGE_BUCKET_NAME
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "lapor.core.storage.StaticStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Accounts (django-allauth) ------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "/akun/login/"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = envchoice("ACCOUNT_EMAIL_VERIFICATION", "mandatory", ["mandatory", "optional", "none"])
ACCOUNT_UNIQUE_EMAIL = True
# Account e-mails are from "Lapor", not from the address the site was reached at.
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Lapor] "
ACCOUNT_LOGOUT_ON_GET = False
# Sign-up asks for the reporter's identity (SPEC §6) and writes the encrypted profile.
ACCOUNT_SIGNUP_FORM_CLASS = "lapor.accounts.forms.SignupForm"
# A NIK another account holds is told by e-mail, never on the page (decision 0009).
ACCOUNT_FORMS = {"signup": "lapor.accounts.signup.SignupForm"}
SOCIALACCOUNT_FORMS = {"signup": "lapor.accounts.signup.SocialAccountSignupForm"}
# Sign-up attempts (every POST, refused ones too) per client address (LAPOR_PROXY_COUNT
# decides which address that is: lapor.accounts.adapter.AccountAdapter.get_client_ip).
LAPOR_SIGNUPS_PER_HOUR = envint("LAPOR_SIGNUPS_PER_HOUR", 30, minimum=1)
ACCOUNT_RATE_LIMITS = {"signup": f"10/m/ip,{LAPOR_SIGNUPS_PER_HOUR}/h/ip"}
ACCOUNT_ADAPTER = "lapor.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "lapor.accounts.adapter.SocialAccountAdapter"
# A first sign-in with Google, Facebook or X always shows the sign-up form, which asks for
# the same identity as a password sign-up (NIK checked against birth date and sex, SPEC §6);
# allauth's default would create the account from the provider's name and address alone.
SOCIALACCOUNT_AUTO_SIGNUP = False
# One e-mail address per account, changed by confirming the new one (keeps the encrypted
# copy in ReporterProfile simple to keep in step: docs/decisions/0002-account-email.md).
ACCOUNT_CHANGE_EMAIL = True
# Changing the address (or linking a Google, Facebook or X account) asks for the password
# again (allauth's /akun/reauthenticate/): a session left open on a shared computer must not
# move the account to another mailbox. An account with no password (social sign-in only)
# is let through by allauth, not locked out.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# The old address is told when the address changes, and the account's address when the
# password is changed, set or reset (templates_allauth/account/email/, the new address masked).
ACCOUNT_EMAIL_NOTIFICATIONS = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "lapor.accounts.adapter.MFAAdapter"  # secrets encrypted at rest
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", "Lapor")
# The code boxes ask a phone for its number keypad (lapor/accounts/mfa_forms.py).
MFA_FORMS = {"authenticate": "lapor.accounts.mfa_forms.MFAAuthenticateForm",
             "reauthenticate": "lapor.accounts.mfa_forms.MFAReauthenticateForm",
             "activate_totp": "lapor.accounts.mfa_forms.MFAActivateTOTPForm"}
# A code from the previous or next 30-second step is accepted too (RFC 6238 §5.2 allows one
# step back): a cheap phone's clock drifts, and a code typed as its step ends would fail.
MFA_TOTP_TOLERANCE = envint("MFA_TOTP_TOLERANCE", 1, minimum=0)
# Social sign-in: each provider is switched on by its client id/secret in the environment
# (GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET, FACEBOOK_…, X_…; lapor/conf.py) or configured
# as a SocialApp in the admin. Government intranets may have none.
SOCIALACCOUNT_PROVIDERS = {}
for _name, _prefix in (("google", "GOOGLE"), ("facebook", "FACEBOOK"), ("twitter_oauth2", "X")):
    _client = envclient(_prefix)
    if _client:
        SOCIALACCOUNT_PROVIDERS[_name] = {"APPS": [{"client_id": _client[0], "secret": _client[1]}]}

# --- E-mail -------------------------------------------------------------------------------
# With no SMTP host configured, mail is written to files under var/mail/ so a pilot on a
# laptop still "sends" verification mail that an operator can open.
EMAIL_HOST = env("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    # A mail server that accepts the connection and never answers must not hold a web
    # request or the scheduler for ever (Django's default is no timeout): what fails is
    # retried (notifications; account mail: lapor/accounts/mail.py).
    EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Lapor <noreply@lapor.localhost>")
# Where a citizen writes about their personal data (access, correction, erasure: UU
# 27/2022), shown on the privacy notice (/privasi/): an address the operating agency reads.
LAPOR_PRIVACY_CONTACT = env("LAPOR_PRIVACY_CONTACT", DEFAULT_FROM_EMAIL)

# --- Lapor: time limits in working days (SPEC §4) ---------------------------------------
LAPOR_DEFAULT_ZONE = envzone("LAPOR_DEFAULT_ZONE", "Asia/Jakarta")
LAPOR_VERIFY_DAYS = envint("LAPOR_VERIFY_DAYS", 3, minimum=1)
LAPOR_FIRST_ANSWER_DAYS = envint("LAPOR_FIRST_ANSWER_DAYS", 5, minimum=1)
LAPOR_AUTO_CLOSE_DAYS = envint("LAPOR_AUTO_CLOSE_DAYS", 10, minimum=1)
LAPOR_RETURN_EXPIRY_DAYS = envint("LAPOR_RETURN_EXPIRY_DAYS", 10, minimum=1)
LAPOR_REOPEN_DAYS = envint("LAPOR_REOPEN_DAYS", 10, minimum=1)
LAPOR_OUTER_LIMIT_CALENDAR_DAYS = envint("LAPOR_OUTER_LIMIT_CALENDAR_DAYS", 60, minimum=1)
# Tracking IDs: this many digits in all, the last one a Damm check digit. At most what
# Report.tracking_id holds (lapor/reports/tracking.py MAX_DIGITS); at least LAPOR!'s own 7
# (900,000 IDs): fewer fill up within a pilot, and every report would then fail to file.
LAPOR_TRACKING_ID_DIGITS = envint("LAPOR_TRACKING_ID_DIGITS", 9, minimum=7, maximum=12)

# --- Citizen portal (issue #3) ---------------------------------------------------------
# Map tiles: any XYZ tile server; without tiles (offline, blocked) the pin still works.
LAPOR_MAP_TILE_URL = env("LAPOR_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
LAPOR_MAP_ATTRIBUTION = env("LAPOR_MAP_ATTRIBUTION", "© OpenStreetMap contributors")
LAPOR_MAX_ATTACHMENT_BYTES = envint("LAPOR_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024, minimum=1)
LAPOR_MAX_ATTACHMENTS = envint("LAPOR_MAX_ATTACHMENTS", 5, minimum=0)

# --- Background work: sweep, reminders, notifications, Celery (issue #6) ----------------
# See docs/background.md. With REDIS_URL set, tasks go to Celery workers through Redis and
# `celery -A lapor beat` runs the sweep; without it, tasks run in the calling process and
# `manage.py scheduler` (started by script/start) runs the sweep.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "lapor")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is run again (tasks are idempotent)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With Redis, a task taken by a worker that is then killed goes back to the queue only after
# this many seconds (Celery's default: an hour, during which a reminder or an e-mail waits).
# Safe to shorten: every task is idempotent, none is sent with a countdown, and the longest
# (the sweep) takes seconds; one running longer than this would be run twice, not lost.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 600, minimum=60)}
CELERY_RESULT_EXPIRES = 3600
# Seconds between two sweeps (celery beat and the embedded scheduler alike).
LAPOR_SWEEP_INTERVAL = envint("LAPOR_SWEEP_INTERVAL", 60, minimum=1)
CELERY_BEAT_SCHEDULE = {
    "sweep": {"task": "lapor.sweep", "schedule": float(LAPOR_SWEEP_INTERVAL)},
    "deliver-notifications": {"task": "lapor.deliver_due_notifications", "schedule": float(LAPOR_SWEEP_INTERVAL)},
}
# Working days before a deadline at whose start the responsible desk is reminded
# (1: at 00:00 of the deadline's own working day, in the agency's zone). 0 switches it off.
LAPOR_REMINDER_DAYS_BEFORE = envint("LAPOR_REMINDER_DAYS_BEFORE", 1, minimum=0)
# Calendar days before the 60-day outer limit when handlers and supervisors are warned.
LAPOR_OUTER_LIMIT_WARNING_DAYS = envint("LAPOR_OUTER_LIMIT_WARNING_DAYS", 5, minimum=0)
# Delivery attempts before a notification is given up (visible in the admin as failed);
# the n-th retry waits LAPOR_NOTIFY_RETRY_BASE_SECONDS * 2**(n-1), at most a day.
LAPOR_NOTIFY_MAX_ATTEMPTS = envint("LAPOR_NOTIFY_MAX_ATTEMPTS", 8, minimum=1)
LAPOR_NOTIFY_RETRY_BASE_SECONDS = envint("LAPOR_NOTIFY_RETRY_BASE_SECONDS", 60, minimum=1)
# Seconds a claimed e-mail/SMS delivery is held before another worker may retry it (a worker
# that died mid-send); longer than any SMTP or HTTP timeout.
LAPOR_NOTIFY_CLAIM_SECONDS = envint("LAPOR_NOTIFY_CLAIM_SECONDS", 300, minimum=1)
# Minutes during which further news from what a citizen follows (an area, a category) is
# gathered into one e-mail after the first went out (lapor/notifications/digest.py); 0: one
# e-mail per piece of news.
LAPOR_FOLLOW_DIGEST_MINUTES = envint("LAPOR_FOLLOW_DIGEST_MINUTES", 60, minimum=0)
# Public address of the site, for links in e-mail and SMS.
LAPOR_SITE_URL = envurl("LAPOR_SITE_URL", "http://127.0.0.1:8000", schemes=("https", "http"),
                        example="https://lapor.kalselprov.go.id").rstrip("/")
# Kannel's sendsms interface for outgoing SMS. Unset: SMS are written to var/sms/outbox.log.
KANNEL_SENDSMS_URL = env("KANNEL_SENDSMS_URL", "")
KANNEL_USERNAME = env("KANNEL_USERNAME", "")
KANNEL_PASSWORD = env("KANNEL_PASSWORD", "")
KANNEL_TIMEOUT = envint("KANNEL_TIMEOUT", 10, minimum=1)
SMS_OUTBOX_PATH = VAR_DIR / "sms" / "outbox.log"
# --- end of background work -------------------------------------------------------------

# --- Transparency and evaluation (issue #7) ---------------------------------------------
# Leaflet's clustering plugin, served as our own static files next to Leaflet itself
# (STATICFILES_DIRS above); the map tiles are LAPOR_MAP_TILE_URL of the portal section.
import xstatic.pkg.leaflet_markercluster  # noqa: E402

STATICFILES_DIRS += [("leaflet-markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR)]
# Seconds the public statistics and the compliance ranking are cached (0: not cached).
LAPOR_STATS_CACHE_SECONDS = envint("LAPOR_STATS_CACHE_SECONDS", 300, minimum=0)
# The licence of the open data (the downloads, the map's data, the Atom feeds): named on
# /statistik/, sent with each file as `Link: <url>; rel="license"` and in each feed's <rights>.
LAPOR_OPEN_DATA_LICENCE = env("LAPOR_OPEN_DATA_LICENCE", "CC BY 4.0")
LAPOR_OPEN_DATA_LICENCE_URL = envurl("LAPOR_OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/",
                                     schemes=("https", "http"), example="https://creativecommons.org/licenses/by/4.0/")
# --- end of transparency ----------------------------------------------------------------

# --- SILAPAT: religious-harmony registry and early warning (issue #8) --------------------
# A module (SPEC §11): with LAPOR_SILAPAT_ENABLED=false it is not installed, has no route
# and no menu entry. See docs/silapat.md.
LAPOR_SILAPAT_ENABLED = envbool("LAPOR_SILAPAT_ENABLED", True)
if LAPOR_SILAPAT_ENABLED:
    INSTALLED_APPS += ["lapor.harmony"]
    CELERY_BEAT_SCHEDULE["silapat-check"] = {
        "task": "lapor.harmony_check_thresholds", "schedule": float(LAPOR_SWEEP_INTERVAL) * 10,
    }
# The nav link checks LAPOR_SILAPAT_ENABLED at render time (a plain module, importable
# whether or not the app is installed).
TEMPLATES[0]["OPTIONS"]["context_processors"] += ["lapor.harmony.context_processors.silapat"]
# --- end of SILAPAT -----------------------------------------------------------------------

# One line per record on stderr, as gunicorn writes its own: time (with its offset), process,
# level and logger, so that a journal or a log file says when, where and how bad.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"lines": {"format": "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s",
                             "datefmt": "%Y-%m-%d %H:%M:%S %z"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "lines"}},
    "root": {"handlers": ["console"], "level": envchoice(
        "LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], ignore_case=True)},
}

# --- Security (issue #10) -------------------------------------------------------------------
# A SECRET_KEY given in the environment marks a production deployment: HTTPS-only cookies,
# HSTS and the redirect to HTTPS are then on unless LAPOR_HTTPS=false says TLS ends
# elsewhere without forwarding the scheme. The embedded default (keys generated into var/)
# serves plain HTTP on 127.0.0.1.
LAPOR_HTTPS = envbool("LAPOR_HTTPS", bool(env("SECRET_KEY")))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("LAPOR_BEHIND_PROXY", LAPOR_HTTPS) else None
SECURE_SSL_REDIRECT = LAPOR_HTTPS
SESSION_COOKIE_SECURE = LAPOR_HTTPS
CSRF_COOKIE_SECURE = LAPOR_HTTPS
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if LAPOR_HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = LAPOR_HTTPS
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", LAPOR_HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]  # probes speak plain HTTP inside the network
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Session data encrypted at rest: allauth keeps e-mail addresses and social accounts' data
# in it during sign-up and sign-in (SPEC §5; lapor/core/sessions.py).
SESSION_SERIALIZER = "lapor.core.sessions.EncryptedJSONSerializer"
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=1)
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=0)
# Proxies in front of the web processes that append the client's address to
# X-Forwarded-For (nginx of deploy/nginx: 1). With 0 the address is REMOTE_ADDR and the
# header is ignored: trusting a header a client can write would let anyone reset their
# own rate limits and lockouts. One reading for the lockouts, the form and the API
# throttles: lapor/core/security.py `client_ip`.
LAPOR_PROXY_COUNT = envint("LAPOR_PROXY_COUNT", 1 if envbool("LAPOR_BEHIND_PROXY", LAPOR_HTTPS) else 0, minimum=0)

# Content-Security-Policy (django-csp): no inline script, no inline style, nothing from
# other origins except the map tiles. The few views that cannot live with it (the
# third-party API documentation pages) relax it for themselves only
# (lapor/core/security.py `csp_relaxed`). docs/operations.md § Security.
import datetime as _datetime  # noqa: E402
import re as _re  # noqa: E402
from urllib.parse import urlsplit as _urlsplit  # noqa: E402


def _tile_origin(url: str) -> str | None:
    """``https://{s}.tile.example.org/{z}/{x}/{y}.png`` → ``https://*.tile.example.org``;
    None for a tile server on our own origin (a relative URL)."""
    parts = _urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{_re.sub(r'{[^}]*}', '*', parts.netloc)}"


_SELF, _NONE = "'self'", "'none'"
LAPOR_MAP_TILE_ORIGIN = _tile_origin(LAPOR_MAP_TILE_URL)
# Social sign-in posts a form to us that redirects to the provider, and browsers check
# form-action on that redirect too. tests/security/test_headers.py keeps this list in step
# with the installed providers.
LAPOR_SOCIAL_SIGN_IN_ORIGINS = ["https://accounts.google.com", "https://www.facebook.com", "https://x.com"]
_CSP_DIRECTIVES = {
    "default-src": [_SELF],
    "script-src": [_SELF],
    "style-src": [_SELF],
    "img-src": [_SELF, "data:", *([LAPOR_MAP_TILE_ORIGIN] if LAPOR_MAP_TILE_ORIGIN else [])],
    "connect-src": [_SELF],
    "font-src": [_SELF],
    "object-src": [_NONE],
    "base-uri": [_SELF],
    "frame-ancestors": [_NONE],
    "form-action": [_SELF, *LAPOR_SOCIAL_SIGN_IN_ORIGINS],
}
# Extra sources per directive from the environment, e.g. LAPOR_CSP_IMG_SRC=https://a,https://b
# or LAPOR_CSP_CONNECT_SRC for a monitoring endpoint.
for _directive in list(_CSP_DIRECTIVES) + ["frame-src", "media-src", "worker-src"]:
    _extra = envlist("LAPOR_CSP_" + _directive.upper().replace("-", "_"), [])
    if _extra:
        _CSP_DIRECTIVES[_directive] = [*_CSP_DIRECTIVES.get(_directive, []), *_extra]
if env("LAPOR_CSP_REPORT_URI"):
    _CSP_DIRECTIVES["report-uri"] = [env("LAPOR_CSP_REPORT_URI")]
# Report-only: browsers report what the policy would block and block nothing (to try a
# new tile server or extra sources in production first).
LAPOR_CSP_REPORT_ONLY = envbool("LAPOR_CSP_REPORT_ONLY", False)
CONTENT_SECURITY_POLICY = None if LAPOR_CSP_REPORT_ONLY else {"DIRECTIVES": _CSP_DIRECTIVES}
CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES} if LAPOR_CSP_REPORT_ONLY else None
INSTALLED_APPS += ["csp", "axes"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")

# Account lockout (django-axes) for every password sign-in: the portal's and the staff's
# (allauth, /akun/login/), /admin/ and the API's token. Counted per typed login *and*
# address together, so a guesser cannot lock a citizen out from elsewhere; allauth's own
# rate limits (ACCOUNT_RATE_LIMITS, on by default: 5 failures per login per 5 minutes,
# 10 per address per minute) and nginx's limit_req slow down guessing across logins.
# The typed login is stored as a keyed hash, never in clear (SPEC §5).
# AxesStandaloneBackend must come first: it refuses a locked-out sign-in before any
# backend checks the password.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *AUTHENTICATION_BACKENDS]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last: turns the lockout into our page
# 0 would lock everyone out at once, or forever: refused at start.
AXES_FAILURE_LIMIT = envint("LAPOR_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = _datetime.timedelta(minutes=envint("LAPOR_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A try during the lockout does not push its end further: the page's "try again at"
# stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "lapor.core.security.axes_username"
AXES_CLIENT_IP_CALLABLE = "lapor.core.security.client_ip"
AXES_LOCKOUT_CALLABLE = "lapor.core.security.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["username", "login", "email", "password", "ip_address"]
AXES_VERBOSE = False  # no banner on every management command
# Axes' record of every sign-in (hashed login, address, browser, time) is deleted after
# this many days by the background pass (lapor/accounts/retention.py).
LAPOR_SIGNIN_RECORD_DAYS = envint("LAPOR_SIGNIN_RECORD_DAYS", 90, minimum=1)
# Axes' separate log of failed sign-ins, off by default (the lockout counters suffice);
# when on, it is kept as long as the sign-in records (docs/operations.md, Retention).
AXES_ENABLE_ACCESS_FAILURE_LOG = envbool("AXES_ENABLE_ACCESS_FAILURE_LOG", False)

# Reports per account on the web form and the API (counted in the database, so every web
# process agrees), and per phone number by SMS (docs/sms.md). 0 switches a limit off.
LAPOR_SUBMIT_PER_HOUR = envint("LAPOR_SUBMIT_PER_HOUR", 10, minimum=0)
LAPOR_SUBMIT_PER_DAY = envint("LAPOR_SUBMIT_PER_DAY", 30, minimum=0)
# An RT/RW representative files for a whole village's residents (after a flood, dozens in
# an afternoon): counted by what they filed, against these instead.
LAPOR_PROXY_SUBMIT_PER_HOUR = envint("LAPOR_PROXY_SUBMIT_PER_HOUR", 40, minimum=0)
LAPOR_PROXY_SUBMIT_PER_DAY = envint("LAPOR_PROXY_SUBMIT_PER_DAY", 150, minimum=0)
# Connected systems forwarding a whole city's reports (user names, comma-separated) are
# not limited per account (docs/api.md).
LAPOR_SUBMIT_UNLIMITED_ACCOUNTS = envlist("LAPOR_SUBMIT_UNLIMITED_ACCOUNTS", [])
LAPOR_SMS_REPORTS_PER_HOUR = envint("LAPOR_SMS_REPORTS_PER_HOUR", 5, minimum=0)
LAPOR_SMS_REPORTS_PER_DAY = envint("LAPOR_SMS_REPORTS_PER_DAY", 20, minimum=0)
LAPOR_SMS_MESSAGES_PER_HOUR = envint("LAPOR_SMS_MESSAGES_PER_HOUR", 30, minimum=0)
# Requests an Open311 client (one api_key) may file an hour; 0: no limit. A key that leaks
# cannot flood the verifiers' queue. Clients whose account is in
# LAPOR_SUBMIT_UNLIMITED_ACCOUNTS are not limited.
LAPOR_OPEN311_SUBMITS_PER_HOUR = envint("LAPOR_OPEN311_SUBMITS_PER_HOUR", 600, minimum=0)
# Taking over an account that SMS or an RT/RW created (/akun/klaim/, lapor/accounts/claims.py):
# codes sent by SMS per number and per client address an hour, how long a code holds, and
# how many wrong codes end it. Each code is an SMS the agency pays for.
LAPOR_CLAIM_CODES_PER_PHONE = envint("LAPOR_CLAIM_CODES_PER_PHONE", 3, minimum=1)
LAPOR_CLAIM_CODES_PER_ADDRESS = envint("LAPOR_CLAIM_CODES_PER_ADDRESS", 10, minimum=1)
LAPOR_CLAIM_CODE_MINUTES = envint("LAPOR_CLAIM_CODE_MINUTES", 15, minimum=1)
LAPOR_CLAIM_CODE_TRIES = envint("LAPOR_CLAIM_CODE_TRIES", 5, minimum=1)

# --- Channels: SMS, REST API, Open311, webhooks, import (issue #5) ----------------------
# See docs/sms.md, docs/api.md, docs/open311.md.
INSTALLED_APPS += [
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "lapor.sms",
    "lapor.api",
    "lapor.open311",
    "lapor.webhooks",
]
# Kannel's smsbox must send this with every incoming-SMS call, as the password of its
# get-url (https://kannel:SECRET@host/sms/kannel/?…: a header, not the logged query; docs/sms.md);
# generated into var/kannel_inbound_secret on first run when not set, except in production,
# where every web machine must hold the same one (lapor.conf.envsecret).
KANNEL_INBOUND_SECRET = envsecret("KANNEL_INBOUND_SECRET", VAR_DIR, token)
# Where Kannel's smsbox calls from (comma-separated networks); empty: anywhere, the secret
# alone decides. Read from the client's address as LAPOR_PROXY_COUNT says.
LAPOR_SMS_GATEWAY_NETWORKS = envnetworks("LAPOR_SMS_GATEWAY_NETWORKS", example="10.20.0.5/32,127.0.0.1/32")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["lapor.api.tokens.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "lapor.api.parsers.JSONParser",  # DRF's, deep nesting refused as a 400
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "lapor.api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "lapor.api.errors.exception_handler",
    # The client's address for the throttles, as lapor.core.security.client_ip reads it.
    "NUM_PROXIES": LAPOR_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "submit": envrate("LAPOR_API_SUBMIT_RATE", "30/hour"),
        "sign_in": envrate("LAPOR_API_SIGN_IN_RATE", "10/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lapor API",
    "DESCRIPTION": "REST API of Lapor for the mobile app and partner systems. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # drf-spectacular's own hook, then ours: 401 wherever a token is read, the paginators'
    # bounds, nullable references a strict OpenAPI 3.0 validator accepts (lapor/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lapor.api.schema.document_every_operation",
    ],
}
# Webhooks to connected systems: delivery attempts before giving up; the n-th retry waits
# LAPOR_WEBHOOK_RETRY_BASE_SECONDS * 2**(n-1) seconds.
LAPOR_WEBHOOK_MAX_ATTEMPTS = envint("LAPOR_WEBHOOK_MAX_ATTEMPTS", 8, minimum=1)
LAPOR_WEBHOOK_RETRY_BASE_SECONDS = envint("LAPOR_WEBHOOK_RETRY_BASE_SECONDS", 60, minimum=1)
LAPOR_WEBHOOK_TIMEOUT = envint("LAPOR_WEBHOOK_TIMEOUT", 10, minimum=1)
# Receivers on plain http:// (lapor/webhooks/models.py): allowed on the embedded default,
# refused in production (SECRET_KEY set) unless an intranet's systems have no TLS.
LAPOR_WEBHOOK_ALLOW_HTTP = envbool("LAPOR_WEBHOOK_ALLOW_HTTP", not env("SECRET_KEY"))
# Networks no receiver may be on, besides link-local (always refused: lapor/webhooks/models.py),
# e.g. "127.0.0.0/8,::1/128" where no connected system runs on the Lapor server itself.
LAPOR_WEBHOOK_REFUSED_NETWORKS = envnetworks("LAPOR_WEBHOOK_REFUSED_NETWORKS", example="127.0.0.0/8,::1/128")
CELERY_BEAT_SCHEDULE["deliver-webhooks"] = {"task": "lapor.deliver_webhooks", "schedule": float(LAPOR_SWEEP_INTERVAL)}
# --- end of channels --------------------------------------------------------------------
