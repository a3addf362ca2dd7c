"""Celery tasks of the supplier portal: thin wrappers around the services."""

from __future__ import annotations

from celery import shared_task

from portal.lasting import lasting_outcomes_run
from portal.services import reporting_cycle_run


@shared_task(acks_late=True)
def run_reporting_cycle() -> dict:
    """Daily: open reporting periods, mark late ones, remind suppliers and coordinators (each once)."""
    return reporting_cycle_run()


@shared_task(acks_late=True)
def request_lasting_outcomes() -> dict:
    """Daily: ask whether the people placed are still at work 6 and 12 months on, remind once when late."""
    return lasting_outcomes_run()
