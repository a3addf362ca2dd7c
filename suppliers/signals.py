"""Signals of the registry."""

from django.dispatch import Signal

# Sent inside the transaction of a bulk import (no row triggers ran for its establishments), just
# before it commits: whoever keeps data derived from suppliers refreshes it here.
registry_bulk_loaded = Signal()
