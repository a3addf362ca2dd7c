#!/usr/bin/env bash
# Serve WIZZR for local use: migrate, load the demo data, start a Celery worker and Celery beat, then
# run the development server. Called by `make run` inside the embedded-database wrapper; Ctrl-C (or
# SIGTERM) stops the server, the worker and beat, and then the wrapper stops the database.
set -euo pipefail
port="${1:-8000}"
py=.venv/bin/python

# Scheduled work runs in the demo as in production, on a broker of plain files instead of Redis
# (kombu's filesystem transport; with REDIS_URL set, Redis is used instead). Links in e-mails point
# at the port this demo serves on.
export CELERY_BROKER_DIR="${CELERY_BROKER_DIR:-$PWD/var/broker}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:${port}}"
mkdir -p "$CELERY_BROKER_DIR/queue" "$CELERY_BROKER_DIR/processed" "$CELERY_BROKER_DIR/control"
find "$CELERY_BROKER_DIR/processed" -type f -name '*.msg' -delete

# One process for the set-up commands: Django starts once instead of three times. It ends by
# listing the jobs beat will queue.
$py - <<'PYTHON'
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wizzr.settings")
django.setup()
from celery.schedules import crontab
from django.conf import settings
from django.core.management import call_command

call_command("migrate", interactive=False, verbosity=0)
call_command("createcachetable")
call_command("seed_demo")


def when(schedule) -> str:
    if isinstance(schedule, int | float):
        return f"every {schedule:g} s"
    if isinstance(schedule, crontab) and len(schedule.hour) == 1 and len(schedule.minute) == 1:
        return f"daily at {min(schedule.hour):02d}:{min(schedule.minute):02d} ({settings.CELERY_TIMEZONE})"
    return str(schedule)


print("\nScheduled jobs (Celery beat):")
for entry in settings.CELERY_BEAT_SCHEDULE.values():
    print(f"  {when(entry['schedule']):<36} {entry['task']}")
PYTHON

pids=()
stop() {
    # A second Ctrl-C (or the wrapper passing the signal on) must not cut the waiting short.
    trap '' INT TERM
    trap - EXIT
    # SIGTERM: the worker finishes its task and stops its pool, beat saves its schedule, runserver
    # stops its reloaded child. Each leads its own process group (setsid), so whatever is left of
    # one (an orphaned child) goes with the group.
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait "${pids[@]}" 2>/dev/null || true
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT
start() {
    setsid "$@" &
    pids+=("$!")
}

start $py -m celery -A wizzr worker --loglevel=INFO --concurrency=1 --without-gossip --without-mingle --without-heartbeat
worker=$!
start $py -m celery -A wizzr beat --loglevel=INFO
beat=$!
echo
echo "Celery worker (pid ${worker}) and beat (pid ${beat}) run on the file broker in ${CELERY_BROKER_DIR}; e-mails are printed by the worker below."
echo "WIZZR runs on http://127.0.0.1:${port}/ — log in as adviseur@arnhem.example / ${DEMO_PASSWORD:-wizzr-demo-2026}"
echo "Virus scan of uploads: ${CLAMD_URL:-none — CLAMD_URL is not set, so uploaded files are NOT scanned (the upload forms say so)}"
echo
start $py manage.py runserver "127.0.0.1:${port}"
# Until Ctrl-C, or until one of them stops (a port in use, say): then the others stop too.
wait -n "${pids[@]}"
