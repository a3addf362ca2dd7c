"""Celery tasks of monitoring: thin wrappers around the services."""

from __future__ import annotations

from celery import shared_task

from monitoring import benchmarks, pso, services
from monitoring.reminders import send_due_reminders


@shared_task(acks_late=True)
def send_reminders() -> int:
    """Daily: remind coordinators of contracts that need their action (each reminder once)."""
    return send_due_reminders()


@shared_task(acks_late=True)
def purge_candidate_references() -> int:
    """Daily: blank candidate references of contracts closed longer than the retention period."""
    return services.candidate_references_purge()


@shared_task(acks_late=True)
def compute_benchmarks() -> int:
    """Nightly: recompute the benchmark across contracting authorities (replaces all cells)."""
    return benchmarks.benchmarks_compute()


@shared_task(acks_late=True)
def recheck_pso_discounts() -> int:
    """Daily: a PSO discount follows the supplier's checked certificate that covers the day."""
    return pso.pso_discounts_recheck()
