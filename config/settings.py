"""Madoguchi settings: one base, switched by environment variables.

Every value that differs between a laptop, CI and a municipal server is read
from the environment (twelve-factor).  See README.md "Configuration".
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("MADOGUCHI_DATA_DIR", BASE_DIR / "data"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
# pytest-django imports settings before any conftest runs, hence the module check.
TESTING = env_bool("MADOGUCHI_TESTING", "pytest" in sys.modules)

_DEV_SECRET = "dev-only-insecure-secret-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET if (DEBUG or TESTING) else "")
if not SECRET_KEY and env_bool("MADOGUCHI_OFFLINE_COMMAND"):
    # manage.py makemigrations/makemessages…: nothing is signed, a throwaway key will do.
    import secrets

    SECRET_KEY = secrets.token_urlsafe(50)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so that it patches it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # allauth.mfa's WebAuthn key list loads humanize (without it that page is a 500).
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # A person's list of their own sessions, to end the others (issue 12 point 9).
    "allauth.usersessions",
    "accounts",
    "core",
    "municipalities",
    "notifications",
    "consult",
    "interpreters",
    "reports",
    # What the desk hands the client (language card, slips, letters): above consult and interpreters.
    "documents",
    # Synthetic data and benchmarks (seed_demo, bench_cases): the top layer, never imported by the product.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Control characters (NUL…) out of every GET/POST parameter, before any view reads them.
    "core.middleware.InputSanitizingMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Nothing a signed-in person sees is kept in a (shared counter PC's) cache.
    "core.middleware.NoStoreForSignedInMiddleware",
    # Deny by default: every view needs a signed-in user unless it is marked
    # with @login_not_required (sign-in, password reset, health, language).
    # core's subclass also keeps a form sent after the session expired (core/drafts.py).
    "core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Absolute session timeout and MFA before any page with personal data (accounts/middleware.py).
    "accounts.middleware.SessionPolicyMiddleware",
    "core.middleware.UserLanguageMiddleware",
    "core.middleware.AuditContextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# Django's renderer with its common widget templates written in Python: the
# same markup, a fraction of the CPU on every form (core/form_rendering.py).
FORM_RENDERER = "core.form_rendering.FastWidgetRenderer"

# --- Database: PostgreSQL everywhere -------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/madoguchi"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Madoguchi runs on PostgreSQL only (DATABASE_URL=postgres://…).")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, sessions, rate limits, Celery broker ------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ReusingRedisCache",  # one client per pool (core/cache.py)
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "madoguchi"),
        }
    }
else:
    # No Redis (the one-command embedded run): a real, shared cache in
    # PostgreSQL, so allauth's rate limits still count across processes.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "madoguchi_cache",
        }
    }

# --- Sessions (issue 13: no database write per request) ---------------
# With Redis: sessions are read from Redis and the row is written when the
# session changes, else at most every SESSION_DB_REFRESH_SECONDS
# (core/sessions.py); the idle timeout is Redis's TTL.  Without Redis: rows.
SESSION_ENGINE = "core.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_DB_REFRESH_SECONDS = int(os.environ.get("SESSION_DB_REFRESH_SECONDS", "60"))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout, not absolute
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The page warns this long before the idle timeout, with a one-click extension.
SESSION_WARNING_SECONDS = int(os.environ.get("SESSION_WARNING_SECONDS", "300"))
# A form sent after the session expired is kept (encrypted) this long for its owner.
DRAFT_TTL_SECONDS = int(os.environ.get("DRAFT_TTL_SECONDS", str(30 * 60)))

# --- Auth ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "accounts.adapter.StaffAccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.StaffLoginForm"}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
# The reset form never mails an address that has no account (no mail relay for strangers).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
# The client address behind the TLS reverse proxy (sign-in rate limits and the
# audit trail; core.middleware.client_address).  0 = no proxy is trusted and
# X-Forwarded-For is ignored, so a forged header from a direct caller changes
# nothing.  Set TRUSTED_PROXY_COUNT to the number of proxies you run (the
# address is then the one that many entries from the right of
# X-Forwarded-For), or TRUSTED_CLIENT_IP_HEADER to a header only your proxy
# sets (e.g. X-Real-IP) — and make sure nobody reaches the app around it.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Madoguchi"
# Staff e-mail addresses are assigned by administrators, not self-declared,
# so an authenticator can be set up before the address has been "verified".
MFA_ALLOW_UNVERIFIED_EMAIL = True

# --- MFA, re-authentication and session limits (issue 12 points 8 and 9) ----
# Roles whose holders must have signed in with a second factor (TOTP, a
# security key/passkey, or a recovery code) before any page with personal
# data: administrators and coordinators always (an empty or partial value
# cannot take them out); add others with MFA_REQUIRED_ROLES, comma-separated
# (counter_staff, partner_clerk, statistics_viewer).  Django superusers and
# is_staff users (the admin site) are always required too.  accounts/mfa.py.
MFA_ALWAYS_REQUIRED_ROLES = ("administrator", "coordinator")
MFA_REQUIRED_ROLES = sorted({*MFA_ALWAYS_REQUIRED_ROLES, *env_list("MFA_REQUIRED_ROLES")})
# One 30-second step either side: a phone's clock a little off, or a code
# typed as it changes, still works; a used code is refused within its window.
MFA_TOTP_TOLERANCE = 1
# Re-enter the password (or a second factor) before changing the e-mail
# address, the password or an authenticator, and before exporting personal
# data; a re-authentication counts for ACCOUNT_REAUTHENTICATION_TIMEOUT s.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
MFA_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# A session ends this long after sign-in whatever the activity (beside the
# idle timeout SESSION_IDLE_SECONDS); works with any session engine (the
# sign-in time is kept in the session itself).
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", str(12 * 3600)))
# allauth.usersessions records each session at sign-in (the list at
# /accounts/sessions/); no write per request.
USERSESSIONS_TRACK_ACTIVITY = False
MFA_ADAPTER = "accounts.adapter.StaffMFAAdapter"
MFA_FORMS = {"activate_totp": "accounts.forms.StaffActivateTOTPForm"}
USERSESSIONS_ADAPTER = "accounts.adapter.StaffUserSessionsAdapter"

# --- Languages and time ----------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
MODELTRANSLATION_DEFAULT_LANGUAGE = "ja"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ja", "en")
# MADOGUCHI_LOCALE_DIR lets scripts/check_translations.py run makemessages into a copy.
LOCALE_PATHS = [Path(os.environ.get("MADOGUCHI_LOCALE_DIR", BASE_DIR / "locale"))]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
# One date format per language (core/dates.py); Django's defaults follow it.
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True
LANGUAGE_COOKIE_SECURE = not DEBUG and not TESTING
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files: everything served by the app (closed network, no CDN) ---
STATIC_URL = "/static/"
# collectstatic writes here (the Docker image: at build time).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": DATA_DIR / "media"}},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- Security --------------------------------------------------------------
# Scripts and styles only from the app itself; no inline script anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Large enough for the longest form (notes of NOTE_MAX_LENGTH characters,
# 3 bytes each in UTF-8, URL-encoded): an over-long note gets a form error
# that keeps the text, never the bare 400 of this limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if not DEBUG and not TESTING:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # A load balancer probes /healthz over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# --- E-mail ---------------------------------------------------------------
# Django 6.1 configures mail through MAILERS (the EMAIL_* settings are
# deprecated); the environment variables keep their usual names.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {},
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": int(os.environ.get("EMAIL_TIMEOUT", "20")),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "madoguchi@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # No broker server (the one-command embedded run): kombu's filesystem
    # transport in the data folder.  Due times live in PostgreSQL anyway.
    # config/celery.py creates the folders.
    _broker_dir = DATA_DIR / "broker"
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://localhost//")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Several installations may share one Redis: each then names its own queue.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# The periodic schedule lives in code (config/celery.py); due times live in
# tables.  Beat's heartbeat runs every HEARTBEAT_INTERVAL_SECONDS; one older
# than HEALTHZ_BEAT_MAX_AGE_SECONDS makes /healthz fail.
HEARTBEAT_INTERVAL_SECONDS = float(os.environ.get("HEARTBEAT_INTERVAL_SECONDS", "60"))
HEALTHZ_BEAT_MAX_AGE_SECONDS = int(os.environ.get("HEALTHZ_BEAT_MAX_AGE_SECONDS", "180"))

# --- Office hours for notifications (DESIGN §6) ----------------------------
OFFICE_HOURS = (os.environ.get("OFFICE_HOURS_START", "08:30"), os.environ.get("OFFICE_HOURS_END", "17:15"))
# Beat wakes the notifications tick this often; it claims due rows
# (notifications/services.py).  A claim older than the lease belongs to a
# worker that died: the sweep makes it due again.
NOTIFICATIONS_TICK_SECONDS = float(os.environ.get("NOTIFICATIONS_TICK_SECONDS", "60"))
# E-mails wait for office hours (DESIGN §6); a site (or a benchmark) may
# send around the clock with NOTIFICATIONS_OFFICE_HOURS_ONLY=0.
NOTIFICATIONS_OFFICE_HOURS_ONLY = env_bool("NOTIFICATIONS_OFFICE_HOURS_ONLY", True)
NOTIFICATIONS_CLAIM_LEASE_SECONDS = int(os.environ.get("NOTIFICATIONS_CLAIM_LEASE_SECONDS", "600"))
# Follow-ups: the form's default due date, and when an overdue one is
# escalated to the desk's coordinators — both in business days.
FOLLOW_UP_DEFAULT_BUSINESS_DAYS = int(os.environ.get("FOLLOW_UP_DEFAULT_BUSINESS_DAYS", "5"))
FOLLOW_UP_ESCALATION_BUSINESS_DAYS = int(os.environ.get("FOLLOW_UP_ESCALATION_BUSINESS_DAYS", "2"))
# Hand-offs: an unanswered one reminds the receiving desk after this many
# business days, and escalates to the sender and the hub's coordinators
# after HANDOFF_ESCALATION_BUSINESS_DAYS more.
HANDOFF_UNANSWERED_BUSINESS_DAYS = int(os.environ.get("HANDOFF_UNANSWERED_BUSINESS_DAYS", "2"))
HANDOFF_ESCALATION_BUSINESS_DAYS = int(os.environ.get("HANDOFF_ESCALATION_BUSINESS_DAYS", "2"))
# Links in e-mails point here (the portal as staff reach it).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# --- Interpreters (DESIGN §5) ------------------------------------------------
# Minutes kept free before and after every on-site job (travel); the
# database's no-double-booking constraint includes them.
INTERPRETER_TRAVEL_BUFFER_MINUTES = int(os.environ.get("INTERPRETER_TRAVEL_BUFFER_MINUTES", "30"))

# --- Retention (issue 12 point 11, core/retention.py, docs/decisions/0016) ---
# Years kept per record class, counted from the end of the fiscal year the
# record belongs to; municipal 文書管理規程 use 1, 3, 5, 10 or 30.
RETENTION_YEARS = {
    "consultation_records": int(os.environ.get("RETENTION_YEARS_CONSULTATION_RECORDS", "5")),
    "interpreter_bookings": int(os.environ.get("RETENTION_YEARS_INTERPRETER_BOOKINGS", "5")),
    "audit_trail": int(os.environ.get("RETENTION_YEARS_AUDIT_TRAIL", "5")),
    "exports": int(os.environ.get("RETENTION_YEARS_EXPORTS", "1")),
}
for _key, _years in RETENTION_YEARS.items():
    if _years not in (1, 3, 5, 10, 30):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"RETENTION_YEARS_{_key.upper()} must be 1, 3, 5, 10 or 30, not {_years}.")

# --- Logging: no personal data in application logs --------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

DEMO_PASSWORD_DEFAULT = "madoguchi-demo-2026"
# The one published TOTP secret (base32) of the demo users whose role
# requires MFA (seed_demo; `make run` prints it).  Demo data only: anyone can
# compute its codes, so it must never protect a real account.
DEMO_TOTP_SECRET = "MADOGUCHIDEMOTOTPSECRETFORDEMO23"

# --- Read replica (issue 13 point 4; core/dbrouting.py, docs/decisions/0019) --
# Reports, the statistics dashboard and export files read from a streaming
# replica when DATABASE_REPLICA_URL is set; writes and everything else use
# DATABASE_URL.  The replica gets the primary's connection options (pool,
# persistent connections) with its own address.  Someone who just wrote is
# kept on the primary for READ_YOUR_WRITES_SECONDS (longer than the
# replica's usual lag; the /healthz of a site with a replica should watch it).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    _replica = dj_database_url.parse(DATABASE_REPLICA_URL)
    DATABASES["replica"] = {
        **DATABASES["default"],
        **{key: _replica[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")},
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        # Tests: the replica alias reads the test database itself.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["core.dbrouting.PrimaryReplicaRouter"]
DATABASE_REPLICA_NAMESPACES = ("reports",)
READ_YOUR_WRITES_SECONDS = int(os.environ.get("READ_YOUR_WRITES_SECONDS", "15"))
# pgbouncer in transaction mode (docker-compose.yml) cannot keep a server-side
# cursor between transactions: .iterator() then fetches in chunks client-side.
if env_bool("DB_BEHIND_PGBOUNCER"):
    for _alias in DATABASES.values():
        _alias["DISABLE_SERVER_SIDE_CURSORS"] = True
MIDDLEWARE.append("core.dbrouting.ReplicaReadsMiddleware")
