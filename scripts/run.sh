#!/usr/bin/env bash
# Serve WIZZR for local use: migrate, load the demo data, then run the development server.
# Called by `make run` inside the embedded-database wrapper; Ctrl-C stops the server and the database.
set -euo pipefail
port="${1:-8000}"
py=.venv/bin/python
# One process for the three set-up commands: Django starts once instead of three times.
$py - <<'PYTHON'
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wizzr.settings")
django.setup()
from django.core.management import call_command

call_command("migrate", interactive=False, verbosity=0)
call_command("createcachetable")
call_command("seed_demo")
PYTHON
echo
echo "WIZZR runs on http://127.0.0.1:${port}/ — log in as adviseur@arnhem.example / ${DEMO_PASSWORD:-wizzr-demo-2026}"
echo
exec $py manage.py runserver "127.0.0.1:${port}"
