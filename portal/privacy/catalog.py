"""What the portal holds about a citizen, kind by kind: why, on what legal basis, how long.

`TABLES` names every table with a foreign key to `citizen.id`, the section of the access
export it appears in and what retention does with its rows once their kind is due ("delete",
or "unlink" for a device that outlives the citizen). The export and the retention job both read
it, and a test fails when a table that references the citizen is missing here, so a new kind of
citizen data cannot be added without saying why it is held and when it goes.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

PUBLIC_TASK = _l(
    "GDPR article 6(1)(e) (a task in the public interest: home care under the social services "
    "legislation) and article 9(2)(h) (health and social care)."
)
LEGAL_OBLIGATION = _l(
    "GDPR article 6(1)(c) and article 32 (a legal obligation to keep personal data secure, "
    "including a record of who read and changed it)."
)


@dataclass(frozen=True)
class Kind:
    """A kind of data with its retention default (days after care ended)."""

    key: str
    label: object
    default_days: int


# The order is the order of the settings page; "register" goes last and takes everything.
KINDS = (
    Kind("messages", _l("Messages (e-mail and text)"), 90),
    Kind("letters", _l("Letters"), 365),
    Kind("bookings", _l("Bookings and locksmith jobs"), 365),
    Kind("keys", _l("Physical keys in the key cabinet"), 365),
    Kind("requests", _l("Requests and changes"), 730),
    Kind("visits", _l("Visits"), 730),
    Kind("register", _l("Register data, relatives and provider history"), 1825),
)
KIND_KEYS = tuple(k.key for k in KINDS)


@dataclass(frozen=True)
class Section:
    """One part of the access export."""

    key: str
    title: object
    purpose: object
    basis: object = PUBLIC_TASK


SECTIONS = {
    s.key: s
    for s in (
        Section(
            "citizen",
            _l("Register data"),
            _l("To know who receives keyless home care, where, and how to reach them."),
        ),
        Section(
            "relative",
            _l("Relatives"),
            _l("To let the relatives the citizen chose act on their behalf."),
        ),
        Section(
            "provider_assignment",
            _l("Home-care provider history"),
            _l("To know which provider's staff may open the door on each date."),
        ),
        Section(
            "letter",
            _l("Letters"),
            _l("To inform the citizen and give them the code to sign in."),
        ),
        Section(
            "outbox_message",
            _l("Messages"),
            _l("To send confirmations and reminders by e-mail or text message."),
        ),
        Section(
            "appointment",
            _l("Bookings"),
            _l("To fit, move or remove the lock at a time that suits the citizen."),
        ),
        Section(
            "job",
            _l("Locksmith jobs"),
            _l("To send a locksmith to the door and record the work done."),
        ),
        Section(
            "lock_unit",
            _l("Locks at the door"),
            _l("To know which lock is fitted at the citizen's door."),
        ),
        Section(
            "visit",
            _l("Visits"),
            _l("To show the citizen who from home care visited and when, and to check the care."),
        ),
        Section(
            "change_request",
            _l("Requests"),
            _l("To handle the citizen's requests: a new provider, a move, the end of care."),
        ),
        Section(
            "provider_notice",
            _l("Notices to providers"),
            _l("To tell a provider that a citizen joins or leaves them."),
        ),
        Section(
            "cabinet_key",
            _l("Physical keys"),
            _l("To know which provider holds the citizen's physical keys and return them."),
        ),
        Section(
            "entrance_citizen",
            _l("Building entrances"),
            _l("To know whose door is behind a building's entrance unit."),
        ),
        Section(
            "consent",
            _l("Consent for the building's entrance"),
            _l("To open the building's entrance door, which needs the owner's consent."),
        ),
        Section(
            "audit",
            _l("Who read or changed the record"),
            _l("To prove who looked at or changed the citizen's data, when and why."),
            LEGAL_OBLIGATION,
        ),
    )
}

# table -> (retention kind, what happens to its rows when that kind is due)
TABLES = {
    "relative": ("register", "delete"),
    "provider_assignment": ("register", "delete"),
    "entrance_citizen": ("register", "delete"),
    "lock_unit": ("register", "unlink"),
    "letter": ("letters", "delete"),
    "outbox_message": ("messages", "delete"),
    "appointment": ("bookings", "delete"),
    "job": ("bookings", "delete"),
    "visit": ("visits", "delete"),
    "change_request": ("requests", "delete"),
    "provider_notice": ("requests", "delete"),
    "cabinet_key": ("keys", "delete"),
}


def citizen_tables(metadata) -> list:
    """Every table with a foreign key to citizen.id, in dependency order."""
    return [
        t
        for t in metadata.sorted_tables
        if any(fk.column.table.name == "citizen" for fk in t.foreign_keys)
    ]
