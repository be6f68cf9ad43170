"""Consent's tables: the property register and the consent flow (two modules, one import)."""

from portal.consent.decision_models import (  # noqa: F401
    CHANNELS,
    BlanketConsent,
    ConsentDecision,
    ConsentQuestion,
    ConsentRequest,
    DecisionKind,
    EventKind,
    FitterWindow,
    PropertyEvent,
    RequestStatus,
    SignedMixin,
    consent_request_property,
)
from portal.consent.owner_models import OwnerInvitation  # noqa: F401
from portal.consent.partner_models import (  # noqa: F401  (third-party access)
    CompanyStatus,
    PartnerApproval,
    PartnerBlock,
    PartnerCategory,
    PartnerCompany,
    PartnerWindow,
)
from portal.consent.register_models import (  # noqa: F401
    LANGUAGES,
    PENDING_STATUSES,
    ConsentStatus,
    DoorPhone,
    Entrance,
    EntranceCitizen,
    EntranceKind,
    OwnerOrganisation,
    PowerSource,
    Property,
)
