# syntax=docker/dockerfile:1
# One image for every WIZZR process: web (gunicorn), worker and beat (Celery), migrate.

# --- Front-end packages (NL Design System CSS and tokens), pinned by package-lock.json ----------
FROM node:20-bookworm-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

# --- Python dependencies, translations and static files ------------------------------------------
FROM python:3.13-slim AS build
ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements.lock ./
# requirements.lock pins what production runs, its whole tree (the test and development tools are in
# requirements-dev.lock, which the image never sees). --no-deps: install exactly the pins, nothing
# else; pip check proves the pins complete.
RUN pip install --no-deps -r requirements.lock \
    && pip check
WORKDIR /app
COPY . .
COPY --from=frontend /build/node_modules ./node_modules
# Settings need a database URL and a key to load; neither is used by these two commands.
RUN export DATABASE_URL=postgres://build@127.0.0.1/build SECRET_KEY=build-only STATIC_ROOT=/app/staticfiles \
    && python manage.py compilemessages --ignore=node_modules -v0 \
    && python manage.py collectstatic --no-input -v0

# --- Runtime ----------------------------------------------------------------------------------------
FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=wizzr.settings \
    STATIC_ROOT=/app/staticfiles \
    PRIVATE_MEDIA_ROOT=/data/private
# Pango and a font for WeasyPrint (the annual report as a PDF).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 wizzr \
    && useradd --system --uid 10001 --gid wizzr --home-dir /app --shell /usr/sbin/nologin wizzr \
    && mkdir -p /data/private \
    && chown wizzr:wizzr /data/private
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER wizzr:wizzr
VOLUME ["/data/private"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["python", "scripts/healthcheck.py"]
# Workers, threads and port come from WEB_CONCURRENCY, GUNICORN_THREADS and PORT (see .env.example).
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "--no-control-socket", "wizzr.wsgi"]
