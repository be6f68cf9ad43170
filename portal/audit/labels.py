"""What the audit log's codes mean, in the page's language.

A record stores its action as a stable code ("sign_in", "letters.batch_posted"): the chain's
hashes and every search depend on it, so the code never changes and is always shown beside
the label. Every code the portal records has a label here: tests/audit/test_action_labels.py
reads the codes from the source and fails on one without (a code with none would be shown as
it is).
"""

from collections.abc import Callable

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "sign_in": _l("Signed in"),
    "sign_out": _l("Signed out"),
    "sign_in_failed": _l("Sign-in failed"),
    "relative_sign_in_failed": _l("Relative's sign-in failed"),
    "sign_in_locked": _l("Sign-in locked after too many attempts"),
    "mfa_passed": _l("Second factor accepted"),
    "mfa_failed": _l("Second factor refused"),
    "mfa_enrolled": _l("Second factor set up"),
    "mfa_reset": _l("Second factor reset"),
    "password_changed": _l("Password changed"),
    "password_change_failed": _l("Password change refused: wrong current password"),
    "staff_invited": _l("Staff account added and invited"),
    "staff_reinvited": _l("New invitation sent to a staff member"),
    "staff_invitation_accepted": _l("Password chosen with an invitation"),
    "citizen.viewed": _l("Citizen's record opened"),
    "citizen.created": _l("Citizen added"),
    "citizen.code_pause_lifted": _l("Pause on the letter code lifted"),
    "letters.batch_created": _l("Letter batch created"),
    "letters.batch_posted": _l("Letter batch posted"),
    "letters.batch_cancelled": _l("Letter batch cancelled"),
    "letters.single_posted": _l("Letter posted"),
    "appointment_booked": _l("Fitting booked"),
    "appointment_moved": _l("Booking moved"),
    "appointment_cancelled": _l("Booking cancelled"),
    "device_enrolled": _l("Phone enrolled"),
    "device_blocked": _l("Phone blocked"),
    "staff_created": _l("Staff member added"),
    "staff_blocked": _l("Staff member blocked"),
    "staff_unblocked": _l("Staff member unblocked"),
    "shift_key_issued": _l("Shift key issued"),
    "shift_refused": _l("Shift key refused"),
    "lock_unit_registered": _l("Lock registered"),
    "lock_unit_removed": _l("Lock removed"),
    "settings.changed": _l("Settings changed"),
    "reminder.sent": _l("Reminder sent"),
    # Accounts and sign-in
    "code_locked": _l("Letter code locked after too many attempts"),
    "recovery_code_used": _l("Recovery code used"),
    "recovery_codes_renewed": _l("New recovery codes made"),
    "role_change": _l("Account's role changed"),
    "api_token.created": _l("Care-system token created"),
    "api_token.revoked": _l("Care-system token revoked"),
    "api_token.used": _l("Care-system token used"),
    # Citizens, import and privacy
    "import": _l("Citizens imported"),
    "import.file_deleted": _l("Import file deleted"),
    "import.details_deleted": _l("Import's skipped rows deleted"),
    "citizens.national_ids_restated": _l("National ID numbers rewritten in one form"),
    "lifecycle.skipped": _l("Citizen's status not changed (did not fit)"),
    "privacy.exported": _l("Citizen's data exported"),
    "privacy.erased": _l("Citizen's data erased"),
    "privacy.retention_changed": _l("Retention periods changed"),
    "demo_seeded": _l("Demo data added"),
    # Districts, providers and settings
    "district.created": _l("District added"),
    "district.renamed": _l("District renamed"),
    "district.deactivated": _l("District taken out of use"),
    "district.reactivated": _l("District back in use"),
    "provider.created": _l("Provider added"),
    "provider.changed": _l("Provider changed"),
    "provider.deactivated": _l("Provider taken out of use"),
    "provider.reactivated": _l("Provider back in use"),
    "provider.assigned": _l("Citizen's provider set"),
    "provider.ended": _l("Citizen's provider ended"),
    "provider.withdrawn": _l("Planned provider change taken back"),
    "care_group.created": _l("Care group added"),
    "care_group.changed": _l("Care group changed"),
    "care_group.deactivated": _l("Care group taken out of use"),
    "care_group.reactivated": _l("Care group back in use"),
    "settings.logo": _l("Logo changed"),
    # Roll-out, booking and letters
    "campaign_created": _l("Campaign created"),
    "campaign_status": _l("Campaign opened or closed"),
    "availability_saved": _l("Locksmith's hours saved"),
    "availability_removed": _l("Locksmith's hours removed"),
    "appointment_details_changed": _l("Booking details changed"),
    "letters.batch_resumed": _l("Letter batch resumed"),
    # Locksmith jobs
    "job_created": _l("Job created"),
    "job_assigned": _l("Job assigned"),
    "job_moved": _l("Job moved"),
    "job_updated": _l("Job changed"),
    "job_cancelled": _l("Job cancelled"),
    "job_followed_up": _l("Failed job followed up"),
    "job_done": _l("Job done"),
    "job_failed": _l("Job could not be done"),
    "change_job.none": _l("No job needed for the change"),
    "battery_route_jobs_created": _l("Battery change jobs created"),
    # Locks in stock
    "lock_unit.registered": _l("Lock registered and fitted"),
    "lock_unit.received": _l("Lock received into stock"),
    "lock_unit.fit": _l("Lock fitted from stock"),
    "lock_unit.move": _l("Lock moved with the citizen"),
    "lock_unit.remove": _l("Lock taken off the door"),
    "lock_unit.mark_defective": _l("Lock marked defective"),
    "lock_unit.send_to_repair": _l("Lock sent to repair"),
    "lock_unit.record_reset": _l("Lock reset recorded"),
    "lock_unit.back_to_stock": _l("Lock back in stock"),
    "lock_unit.scrap": _l("Lock scrapped"),
    "lock_events_uploaded": _l("Lock events uploaded"),
    # Staff, phones and keys
    "enrolment_code_created": _l("Phone enrolment code made"),
    "enrolment_failed": _l("Phone enrolment refused"),
    "staff_pin_locked": _l("Staff PIN locked after too many attempts"),
    "pin_unlocked": _l("Staff PIN unlocked"),
    "issuer_key_rotated": _l("Key-signing key replaced"),
    "key_cabinet.created": _l("Key cabinet added"),
    "cabinet_key.stored": _l("Key put in the key cabinet"),
    "cabinet_key.hand_out": _l("Key handed out"),
    "cabinet_key.put_back": _l("Key put back"),
    "cabinet_key.return_to_citizen": _l("Key handed back to the citizen, a relative or the estate"),
    "cabinet_key.return_corrected": _l("Mistaken key hand-back corrected"),
    "cabinet_key.move": _l("Key moved to another cabinet"),
    # Provider switches, moves and other changes
    "change.requested": _l("Change requested"),
    "change.withdrawn": _l("Change request withdrawn"),
    "change.question_asked": _l("Question about a change asked"),
    "change.question_answered": _l("Question about a change answered"),
    "change.refused": _l("Change refused"),
    "change.approved": _l("Change approved"),
    "change.applied": _l("Change put in force"),
    "change.cancelled": _l("Change cancelled"),
    "change.document_attached": _l("Document attached to a change"),
    "change.fitting_cancelled": _l("Booked fitting cancelled by a change"),
    # Property owners' consent
    "consent.owner_created": _l("Property owner added"),
    "consent.owner_changed": _l("Property owner changed"),
    "consent.property_created": _l("Property added"),
    "consent.property_changed": _l("Property changed"),
    "consent.entrance_created": _l("Entrance added"),
    "consent.entrance_changed": _l("Entrance changed"),
    "consent.behind_changed": _l("Citizens behind an entrance corrected"),
    "consent.import": _l("Properties imported"),
    "consent.requested": _l("Consent requested"),
    "consent.request_issued": _l("Consent request made"),
    "consent.reminded": _l("Owner reminded"),
    "consent.request_expired": _l("Consent request expired"),
    "consent.request_cancelled": _l("Consent request cancelled"),
    "consent.code_refused": _l("Invitation code refused"),
    "consent.owner_account_created": _l("Owner account created"),
    "consent.colleague_invited": _l("Owner's colleague invited"),
    "consent.granted": _l("Consent given"),
    "consent.declined": _l("Consent declined"),
    "consent.withdrawn": _l("Consent withdrawn"),
    "consent.blanket_granted": _l("Consent given for all properties"),
    "consent.blanket_withdrawn": _l("Consent for all properties withdrawn"),
    "consent.question": _l("Question from an owner"),
    "consent.question_answered": _l("Owner's question answered"),
    # Partners
    "partner_company_created": _l("Partner company added"),
    "partner_company_suspended": _l("Partner company suspended"),
    "partner_company_reinstated": _l("Partner company reinstated"),
    "partner_categories_set": _l("Partner's categories set"),
    "partner_admin_created": _l("Partner administrator added"),
    "partner_staff_created": _l("Partner staff member added"),
    "partner_windows_set": _l("Partner access times set for an entrance"),
    "partner_entrance_closed": _l("Entrance closed to partners"),
    "partner_blocked": _l("Partner blocked by an owner"),
    "partner_unblocked": _l("Partner let in again by an owner"),
    "partner_keys_revoked": _l("Partner's keys revoked"),
}


def action_label(code: str | None):
    """The label of an action code, or None when it has none (show the code)."""
    return ACTION_LABELS.get(code or "")


RELATIVE = _l("Relative")
# Features register how to name the people a record mentions by id ("citizen:7"): citizens
# registers "citizen", so the log shows names while this package stays below that feature.
NAMERS: dict[str, Callable] = {}


def register_namer(kind: str, names: Callable) -> None:
    """Let `names(session, ids) -> {id: name}` name the `kind` of actor the log mentions."""
    NAMERS[kind] = names


def _kind_and_id(text: str | None) -> tuple[str, int | None]:
    kind, _, rest = (text or "").partition(":")
    kind = kind.partition(" ")[0]
    ident = rest.partition(" ")[0]
    return kind, int(ident) if ident.isdigit() else None


def names_for(session, records) -> dict[str, str]:
    """The names of the people the records name only by id, as actor or on whose behalf
    ("citizen:7" -> "Anna Jensen"): one query per kind of person for the whole page."""
    wanted: dict[str, set[int]] = {}
    for r in records:
        for text in (r.actor, r.on_behalf_of):
            kind, ident = _kind_and_id(text)
            if kind in NAMERS and ident is not None:
                wanted.setdefault(kind, set()).add(ident)
    return {
        f"{kind}:{ident}": name
        for kind, ids in wanted.items()
        for ident, name in NAMERS[kind](session, sorted(ids)).items()
        if name
    }


def who_label(actor: str | None, name: str, names: dict | None = None):
    """Who acted, for the log's "Who" column: the name (actor_name), a relative's with
    "(Relative)" as staff have their role; a citizen, who is stored without one ("citizen:7"),
    by the name found in `names` (names_for), else "Citizen no. 7" (the code stays beside it)."""
    kind, number = _kind_and_id(actor)
    if not name and kind == "citizen" and number is not None:
        found = (names or {}).get(f"citizen:{number}")
        return found or _l("Citizen no. %(number)s", number=number)
    if name and kind == "relative":
        return f"{name} ({RELATIVE})"
    return name or actor or ""
