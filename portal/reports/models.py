"""The indexes the visit report reads by; the report owns no tables of its own.

Keyset pages walk `(start, id)`: PostgreSQL keeps equal keys of a one-column index in heap
order, not by id, so the tie-break needs its own column in the index to stay a range scan. A district's
or a provider's list walks its own `(district or provider, start, id)` index, so a page deep in
one district costs the same whether the district holds a third or a fiftieth of all visits.
"""

from sqlalchemy import Index

from portal.access.models_events import Visit

ARRIVAL_INDEX = Index("ix_visit_start_id", Visit.start, Visit.id)
DISTRICT_INDEX = Index("ix_visit_district_start_id", Visit.district_id, Visit.start, Visit.id)
PROVIDER_INDEX = Index("ix_visit_provider_start_id", Visit.provider_id, Visit.start, Visit.id)
