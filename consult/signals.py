"""Signals consult sends for layers above it (CONVENTIONS: a lower layer that
must react to a higher one offers a signal)."""

from django.dispatch import Signal

# Sent after consultations were written in bulk, bypassing save() (the demo
# seeder).  kwargs: case_ids — the cases whose consultations were written.
# reports/ rebuilds its aggregates on it.
consultations_bulk_loaded = Signal()
