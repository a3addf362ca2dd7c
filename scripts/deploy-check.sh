#!/usr/bin/env bash
# Django's deployment checklist (`check --deploy`) against the production settings: DEBUG off, a
# long random SECRET_KEY, an SMTP mailer, a real host name, a virus scanner. Any warning fails.
# Needs a database (DATABASE_URL; `make deploy-check` runs it on the embedded development server).
set -euo pipefail
cd "$(dirname "$0")/.."
unset WIZZR_TESTING WIZZR_REQUIRE_MFA SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS
export DJANGO_SETTINGS_MODULE=wizzr.settings
export DEBUG=0
export SECRET_KEY="${SECRET_KEY:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-wizzr.example.org}"
export CSRF_TRUSTED_ORIGINS="${CSRF_TRUSTED_ORIGINS:-https://wizzr.example.org}"
export SITE_URL="${SITE_URL:-https://wizzr.example.org}"
export SMTP_HOST="${SMTP_HOST:-smtp.example.org}"
export CLAMD_URL="${CLAMD_URL:-tcp://clamav:3310}"
exec .venv/bin/python manage.py check --deploy --fail-level WARNING
