#!/usr/bin/env bash
# Serve WIZZR for local use: migrate, load the demo data, then run the development server.
# Called by `make run` inside the embedded-database wrapper; Ctrl-C stops the server and the database.
set -euo pipefail
port="${1:-8000}"
py=.venv/bin/python
$py manage.py migrate --no-input -v0
$py manage.py createcachetable
$py manage.py seed_demo
echo
echo "WIZZR runs on http://127.0.0.1:${port}/ — log in as adviseur@arnhem.example / ${DEMO_PASSWORD:-wizzr-demo-2026}"
echo
exec $py manage.py runserver "127.0.0.1:${port}"
