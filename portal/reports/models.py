"""The indexes the visit report reads by; the report owns no tables of its own.

Keyset pages walk `(start, id)`: PostgreSQL keeps equal keys of a one-column index in heap
order, not by id, so the tie-break needs its own column in the index to stay a range scan.
"""

from sqlalchemy import Index

from portal.access.models_events import Visit

ARRIVAL_INDEX = Index("ix_visit_start_id", Visit.start, Visit.id)
