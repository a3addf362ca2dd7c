"""Factories for follow-ups, agreements and realisations (the catalogues' are in ``tests.catalogue.factories``).

Agreements and realisations inherit contract and organisation from their parent, so cross-tenant
data is only built when a test asks for it.
"""

import datetime


def agreement_for(contract, block, *, description="Twee leerwerkplekken", by=None, bonuses=(), **quantities):
    """Store an agreement through the service, so its planned value is computed as in the app."""
    from monitoring.models import Agreement
    from monitoring.services import agreement_save

    agreement = Agreement(contract=contract, block=block, description=description, **quantities)
    return agreement_save(agreement=agreement, bonuses=bonuses, by=by)


def realisation_for(contract, *, block=None, agreement=None, by=None, bonuses=(), uploads=(), **fields):
    """Store a submitted realisation through the service (value computed as in the app)."""
    from monitoring.models import Realisation
    from monitoring.services import realisation_save

    fields.setdefault("period_start", datetime.date(2026, 1, 1))
    fields.setdefault("period_end", datetime.date(2026, 6, 30))
    realisation = Realisation(
        contract=contract, agreement=agreement, block=block or agreement.block, **fields
    )
    return realisation_save(realisation=realisation, bonuses=bonuses, uploads=uploads, by=by)
