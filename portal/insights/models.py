"""Indexes the insight pages need on tables other features own (no tables of its own).

Every chart is bounded by a period; these let the database find the period's rows without
reading a whole table: lock events by time (denied openings, bulletin confirmations) and
shift keys by the time they were issued.
"""

from sqlalchemy import Index

from portal.access.models_events import LockEvent
from portal.access.models_keys import ShiftKey

LOCK_EVENT_TIME = Index("ix_lock_event_time", LockEvent.time)
SHIFT_KEY_ISSUED = Index("ix_shift_key_issued_at", ShiftKey.issued_at)
