# Madoguchi production image: gunicorn (web), Celery worker and Celery beat
# all run from this one image; docker-compose.yml picks the command.

# --- 1. Front-end assets: the pinned npm packages, copied to static/vendor --
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/vendor-assets.mjs scripts/
RUN npm run vendor

# --- 2. The application -------------------------------------------------
FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    MADOGUCHI_DATA_DIR=/app/data

RUN groupadd --system --gid 1000 madoguchi \
    && useradd --system --uid 1000 --gid madoguchi --home-dir /app --shell /usr/sbin/nologin madoguchi

# WeasyPrint (documents/: the PDFs handed to the client) needs Pango, and the
# Noto fonts of every script of the language table, which it embeds through
# fontconfig: CJK, Devanagari, Thai, Khmer, Myanmar, Sinhala, Bengali, Arabic/Urdu.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
       fonts-noto-core fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=madoguchi:madoguchi . .
COPY --from=assets --chown=madoguchi:madoguchi /src/static/vendor static/vendor

# Static files are part of the image (hashed names, compressed, served by
# WhiteNoise); the .mo catalogues are committed, so no gettext is needed.
# The key below exists only for this build step.
RUN SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput \
    && mkdir -p /app/data/media \
    && chown -R madoguchi:madoguchi /app/data /app/staticfiles

USER madoguchi
EXPOSE 8000
# The web command; the worker and beat services override it.
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
