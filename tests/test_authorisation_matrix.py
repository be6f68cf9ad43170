"""Every route of the foundation for every role: the expected status, and nobody sees more."""

import pytest
from sqlalchemy import func, select

from portal.accounts.models import StaffInvitation, User
from tests.factories import NOW
from tests.web.support import ROLES, client_for, make_world

STAFF = ("coordinator", "locksmith", "provider_admin", "partner_admin")
REPORT_READERS = ("coordinator", "provider_admin")


def everyone(status):
    """The same status for every role."""
    return dict.fromkeys(ROLES, status)


def only(roles, status=200, others=403, anonymous=302, **special):
    """`status` for the given roles, 403 for other signed-in roles, a sign-in redirect for
    anonymous visitors; keyword arguments override single roles."""
    expected = {role: status if role in roles else others for role in ROLES}
    expected["anonymous"] = anonymous
    expected.update(special)
    return expected


# (method, path, expected status by role). Order matters: the state-changing rows come last.
MATRIX = [
    ("GET", "/", everyone(200)),
    ("GET", "/healthz", everyone(200)),
    ("GET", "/accessibility", everyone(200)),
    ("GET", "/language/sv?next=/accessibility", everyone(303)),
    ("GET", "/language/xx", everyone(404)),
    ("GET", "/sign-in/staff", everyone(200)),
    ("GET", "/sign-in/owner", everyone(200)),
    ("GET", "/sign-in/citizen", everyone(200)),
    ("GET", "/sign-in/relative", everyone(200)),
    # Typed or bookmarked: asks first (a GET changes nothing); nobody signed in: the front page.
    ("GET", "/sign-out", {**everyone(200), "anonymous": 303}),
    # The second factor: without a password just passed, back to the sign-in page.
    ("GET", "/sign-in/second-factor", everyone(303)),
    ("GET", "/sign-in/second-factor/setup", only(STAFF, others=303, anonymous=303)),
    ("GET", "/sign-in/second-factor/recovery-codes", only(STAFF, status=303)),
    ("POST", "/sign-in/second-factor/recovery-codes", only(STAFF, status=303)),
    ("GET", "/sign-in/second-factor/recovery-codes.txt", only(STAFF, status=303)),
    # After a recovery-code sign-in only; any other session goes to its home page.
    ("GET", "/sign-in/second-factor/recovered", only(STAFF, status=303)),
    # The signed-in staff member's own account; nobody in the matrix has an app to renew.
    ("GET", "/account", only(STAFF)),
    ("GET", "/account/recovery-codes/new", only(STAFF, status=303)),
    ("POST", "/account/recovery-codes/new", only(STAFF, status=303)),
    ("GET", "/coordinator/staff-accounts", only(["coordinator"])),
    ("GET", "/account/password", only((*STAFF, "owner"))),
    ("POST", "/account/password", only((*STAFF, "owner"))),  # an empty form comes back
    # Adding a locksmith or coordinator: coordinators only (nothing filled in: the form again).
    ("POST", "/coordinator/staff-accounts", only(["coordinator"])),
    ("POST", "/coordinator/staff-accounts/999999/invitation", only([], coordinator=404)),
    # The invitation link is for anybody who has it; a wrong one (or none) is a 404.
    ("GET", "/sign-in/invitation/not-a-real-token", everyone(404)),
    ("GET", "/sign-in/invitation", everyone(404)),
    ("POST", "/sign-in/invitation", everyone(404)),
    # eID sign-in exists only when OIDC_ISSUER is set (tests/hardening/test_oidc.py).
    ("GET", "/sign-in/eid", everyone(404)),
    ("GET", "/sign-in/eid/callback", everyone(404)),
    (
        "POST",
        "/coordinator/staff-accounts/999999/second-factor/reset",
        only([], coordinator=404),
    ),
    ("GET", "/staff", only(STAFF[:3])),  # a partner admin starts at /partner/staff instead
    ("GET", "/coordinator/citizens", only(["coordinator"])),
    ("GET", "/coordinator/citizens?q=Agnes&page=2", only(["coordinator"])),
    # Staff roles other than coordinators see a citizen only when a feature rule allows it.
    (
        "GET",
        "/coordinator/citizens/{citizen}",
        only(["coordinator"], locksmith=404, provider_admin=404),
    ),
    (
        "GET",
        "/coordinator/citizens/999999",
        only([], coordinator=404, locksmith=404, provider_admin=404),
    ),
    ("GET", "/coordinator/import", only(["coordinator"])),
    # The audit log: coordinators only, bad parameters are ignored (never a 500).
    ("GET", "/coordinator/audit", only(["coordinator"])),
    ("GET", "/coordinator/audit?actor=x&before=abc&start=2026-13-40&end=x", only(["coordinator"])),
    ("POST", "/coordinator/import", only(["coordinator"])),  # no file: the form again
    ("GET", "/coordinator/import/{own_batch}", only(["coordinator"])),
    ("GET", "/coordinator/import/{other_batch}", only([], coordinator=404)),
    ("POST", "/coordinator/import/{other_batch}", only([], coordinator=404)),
    ("GET", "/coordinator/import/999999", only([], coordinator=404)),
    ("GET", "/coordinator/import/{own_batch}/result", only(["coordinator"], status=303)),
    ("GET", "/coordinator/import/{other_batch}/result", only([], coordinator=404)),
    # Setup: the reference data and the municipality's texts (coordinators only).
    ("GET", "/coordinator/setup", only(["coordinator"])),
    ("GET", "/coordinator/setup/districts", only(["coordinator"])),
    ("GET", "/coordinator/setup/providers", only(["coordinator"])),
    ("GET", "/coordinator/setup/care-groups", only(["coordinator"])),
    ("GET", "/coordinator/setup/nothing", only([], coordinator=404)),
    ("GET", "/coordinator/setup/districts/new", only(["coordinator"])),
    ("GET", "/coordinator/setup/care-groups/new", only(["coordinator"])),
    ("GET", "/coordinator/setup/districts/{district}", only(["coordinator"])),
    ("GET", "/coordinator/setup/providers/999999", only([], coordinator=404)),
    ("GET", "/coordinator/setup/texts", only(["coordinator"])),
    ("GET", "/coordinator/setup/import", only(["coordinator"])),
    ("GET", "/municipality/logo", everyone(404)),  # none uploaded
    ("POST", "/coordinator/setup/import", only(["coordinator"])),  # no file: the form again
    ("POST", "/coordinator/setup/texts", only(["coordinator"])),  # nothing filled in: the form
    ("POST", "/coordinator/setup/districts/new", only(["coordinator"])),  # no name: the form
    ("POST", "/coordinator/setup/districts/{district}", only(["coordinator"])),  # no name
    ("POST", "/coordinator/setup/import/confirm", only(["coordinator"], status=303)),
    # No file: the texts page with the error at the logo field.
    ("POST", "/coordinator/setup/logo", only(["coordinator"], status=200)),
    ("GET", "/coordinator/setup/logo", only(["coordinator"], status=303)),
    ("POST", "/coordinator/setup/districts/999999/active", only([], coordinator=404)),
    # In use by the world's citizens: refused, back to the district's page with the reasons.
    ("POST", "/coordinator/setup/districts/{district}/active", only(["coordinator"], status=303)),
    ("GET", "/citizen/", only(["citizen", "relative"])),
    ("GET", "/owner/", only(["owner"])),
    # Locksmith jobs: a locksmith sees only the jobs assigned to them (another's is a 404).
    ("GET", "/locksmith/", only(["locksmith"])),
    ("GET", "/locksmith/jobs/{own_job}/complete", only(["locksmith"])),
    ("GET", "/locksmith/jobs/{own_job}/fail", only(["locksmith"])),
    ("GET", "/locksmith/jobs/{other_job}/complete", only([], locksmith=404)),
    ("POST", "/locksmith/jobs/{other_job}/fail", only([], locksmith=404)),
    ("GET", "/locksmith/jobs/999999/complete", only([], locksmith=404)),
    ("POST", "/locksmith/jobs/{own_job}/fail", only(["locksmith"])),  # no reason: the form
    ("GET", "/coordinator/jobs", only(["coordinator"])),
    ("GET", "/coordinator/follow-up", only(["coordinator"])),
    # A job that has not failed is not followed up: the coordinator is sent back to the list.
    ("POST", "/coordinator/follow-up/{own_job}/new-job", only(["coordinator"], status=303)),
    ("POST", "/coordinator/follow-up/{own_job}/handled", only(["coordinator"], status=303)),
    ("POST", "/coordinator/follow-up/999999/handled", only([], coordinator=404)),
    (
        "GET",
        "/coordinator/jobs?status=x&kind=%3Cb%3E&locksmith=-1&day=x&page=x",
        only(["coordinator"]),
    ),
    ("GET", "/coordinator/jobs/new", only(["coordinator"])),
    ("POST", "/coordinator/jobs/new", only(["coordinator"])),  # nothing filled in: the form
    ("GET", "/coordinator/jobs/{own_job}", only(["coordinator"])),
    ("GET", "/coordinator/jobs/999999", only([], coordinator=404)),
    ("POST", "/coordinator/jobs/{own_job}/assign", only(["coordinator"])),  # the form again
    ("POST", "/coordinator/jobs/999999/cancel", only([], coordinator=404)),
    # The property register and the consent requests: coordinators only.
    ("GET", "/coordinator/owners", only(["coordinator"])),
    ("GET", "/coordinator/owners/new", only(["coordinator"])),
    ("POST", "/coordinator/owners/new", only(["coordinator"])),  # nothing filled in: the form
    ("GET", "/coordinator/owners/{owner}/edit", only(["coordinator"])),
    ("GET", "/coordinator/owners/999999/edit", only([], coordinator=404)),
    ("GET", "/coordinator/properties", only(["coordinator"])),
    (
        "GET",
        "/coordinator/properties?q=%3Cscript%3E&district=x&owner=-1&page=x",
        only(["coordinator"]),
    ),
    ("GET", "/coordinator/properties/new", only(["coordinator"])),
    ("POST", "/coordinator/properties/new", only(["coordinator"])),
    ("GET", "/coordinator/properties/{prop}", only(["coordinator"])),
    ("GET", "/coordinator/properties/999999", only([], coordinator=404)),
    ("GET", "/coordinator/properties/99999999999", everyone(404)),  # past any id
    ("GET", "/coordinator/properties/{prop}/edit", only(["coordinator"])),
    ("GET", "/coordinator/properties/{prop}/entrances/new", only(["coordinator"])),
    ("GET", "/coordinator/properties/{prop}/entrances/{entrance}/edit", only(["coordinator"])),
    (
        "GET",
        "/coordinator/properties/{prop}/entrances/{other_entrance}/edit",
        only([], coordinator=404),
    ),
    ("POST", "/coordinator/entrances/{entrance}/citizens", only(["coordinator"], status=303)),
    ("POST", "/coordinator/entrances/999999/citizens", only([], coordinator=404)),
    ("GET", "/coordinator/properties/import", only(["coordinator"])),
    ("POST", "/coordinator/properties/import", only(["coordinator"])),  # no file: the form
    ("GET", "/coordinator/properties/import/{own_batch}", only([], coordinator=404)),
    ("GET", "/coordinator/properties/import/999999/result", only([], coordinator=404)),
    ("GET", "/coordinator/consent", only(["coordinator"])),
    ("GET", "/coordinator/consent?district=%27&owner=abc", only(["coordinator"])),
    # Insights: charts for coordinators and (their own provider's visits) provider admins;
    # the battery fleet and operational health for coordinators only.
    ("GET", "/insights/", only(["coordinator", "provider_admin"])),
    ("GET", "/insights/?days=%3Cb%3E", only(["coordinator", "provider_admin"])),
    ("GET", "/insights/battery", only(["coordinator"])),
    ("GET", "/insights/battery?threshold=x&days=-1", only(["coordinator"])),
    ("GET", "/insights/health", only(["coordinator"])),
    ("POST", "/insights/battery/routes/999999/jobs", only([], coordinator=404)),
    ("POST", "/insights/battery/routes/0/jobs", only(["coordinator"], status=303)),
    ("GET", "/coordinator/consent/ask", only(["coordinator"])),
    ("POST", "/coordinator/consent/ask/preview", only(["coordinator"], status=303)),
    ("GET", "/coordinator/consent/sent?ids=999999", only([], coordinator=404)),
    ("GET", "/coordinator/consent/questions", only(["coordinator"])),
    ("GET", "/coordinator/consent/questions/999999", only([], coordinator=404)),
    ("GET", "/coordinator/letters/consent/999999.pdf", only([], coordinator=404)),
    ("POST", "/coordinator/consent/ask/send", only(["coordinator"], status=303)),
    ("POST", "/coordinator/import/{own_batch}", only(["coordinator"], status=303)),
    ("POST", "/coordinator/jobs/{other_job}/cancel", only(["coordinator"], status=303)),
    # Owners: the invitation code is for anybody; everything else only for the organisation
    # that owns the building (another organisation's entrance, decision or receipt is a 404).
    ("GET", "/owner/invitation", everyone(200)),
    ("POST", "/owner/invitation", everyone(200)),  # no code: the form again
    ("GET", "/owner/invitation/account", everyone(303)),  # no code checked yet: to step 1
    ("POST", "/owner/invitation/account", everyone(303)),
    ("GET", "/owner/colleagues", only(["owner"])),
    ("POST", "/owner/colleagues", only(["owner"])),  # nothing filled in: the form again
    ("GET", "/owner/entrances/{own_entrance}", only(["owner"])),
    ("GET", "/owner/entrances/{other_entrance}", only([], owner=404)),
    ("GET", "/owner/entrances/999999", only([], owner=404)),
    ("POST", "/owner/entrances/{other_entrance}/grant", only([], owner=404)),
    ("POST", "/owner/entrances/{other_entrance}/decline", only([], owner=404)),
    ("POST", "/owner/entrances/{other_entrance}/withdraw", only([], owner=404)),
    ("POST", "/owner/entrances/{own_entrance}/grant", only(["owner"])),  # empty: the form
    ("POST", "/owner/entrances/{own_entrance}/decline", only(["owner"])),
    ("POST", "/owner/entrances/{own_entrance}/withdraw", only(["owner"])),
    ("POST", "/owner/questions", only(["owner"])),  # empty: the page with the message
    ("GET", "/owner/all", only(["owner"])),
    ("POST", "/owner/all/grant", only(["owner"])),  # empty: the form again
    ("POST", "/owner/all/withdraw", only(["owner"])),
    ("GET", "/owner/decisions/{own_decision}", only(["owner"])),
    ("GET", "/owner/decisions/{own_decision}/receipt.pdf", only(["owner"])),
    ("GET", "/owner/decisions/{other_decision}", only([], owner=404)),
    ("GET", "/owner/decisions/{other_decision}/receipt.pdf", only([], owner=404)),
    ("GET", "/owner/all/{own_blanket}/receipt.pdf", only(["owner"])),
    ("GET", "/owner/all/{own_blanket}/withdrawal.pdf", only([], owner=404)),  # not withdrawn
    ("GET", "/owner/all/{other_blanket}/receipt.pdf", only([], owner=404)),
    ("GET", "/owner/all/{other_blanket}/withdrawal.pdf", only([], owner=404)),
    # Third-party access: coordinators approve companies, owners open their own entrances,
    # a partner admin manages only their own company's couriers and phones (never citizens).
    ("GET", "/coordinator/partners", only(["coordinator"])),
    ("GET", "/coordinator/partners/new", only(["coordinator"])),
    ("POST", "/coordinator/partners/new", only(["coordinator"])),  # nothing filled in: the form
    ("GET", "/coordinator/partners/{company}", only(["coordinator"])),
    ("GET", "/coordinator/partners/999999", only([], coordinator=404)),
    ("POST", "/coordinator/partners/{company}/admins", only(["coordinator"])),  # the form again
    ("POST", "/coordinator/partners/999999/suspend", only([], coordinator=404)),
    ("POST", "/coordinator/partners/999999/categories", only([], coordinator=404)),
    ("GET", "/owner/partners", only(["owner"])),
    ("GET", "/owner/partners/passages", only(["owner"])),
    ("GET", "/owner/partners/entrances/{own_entrance}", only(["owner"])),
    ("POST", "/owner/partners/entrances/{own_entrance}", only(["owner"], status=303)),  # none
    ("GET", "/owner/partners/entrances/{other_entrance}", only([], owner=404)),
    ("POST", "/owner/partners/entrances/{other_entrance}/close", only([], owner=404)),
    ("POST", "/owner/partners/companies/999999/block", only([], owner=404)),
    ("GET", "/partner/staff", only(["partner_admin"])),
    ("GET", "/partner/staff/new", only(["partner_admin"])),
    ("POST", "/partner/staff/new", only(["partner_admin"])),  # nothing filled in: the form
    ("GET", "/partner/staff/{own_courier}", only(["partner_admin"])),
    ("GET", "/partner/staff/{other_courier}", only([], partner_admin=404)),
    ("GET", "/partner/staff/999999", only([], partner_admin=404)),
    ("POST", "/partner/staff/{other_courier}/enrolment-code", only([], partner_admin=404)),
    ("GET", "/partner/devices/{own_device}/block", only(["partner_admin"])),
    ("GET", "/partner/devices/{other_device}/block", only([], partner_admin=404)),
    ("POST", "/partner/staff/{other_courier}/block", only([], partner_admin=404)),
    ("GET", "/provider/staff/{own_courier}", only([], coordinator=404, provider_admin=404)),
    ("POST", "/coordinator/partners/couriers/999999/unlock-pin", only([], coordinator=404)),
    ("POST", "/partner/staff/{own_courier}/enrolment-code", only(["partner_admin"])),
    (
        "POST",
        "/coordinator/partners/couriers/{own_courier}/unlock-pin",
        only(["coordinator"], status=303),
    ),
    ("POST", "/partner/devices/{own_device}/block", only(["partner_admin"], status=303)),
    ("POST", "/partner/staff/{own_courier}/block", only(["partner_admin"], status=303)),
    # Blocked just above: the partner admin may unblock their own courier, no one else's.
    ("GET", "/partner/staff/{other_courier}/unblock", only([], partner_admin=404)),
    ("POST", "/partner/staff/{other_courier}/unblock", only([], partner_admin=404)),
    ("GET", "/partner/staff/999999/unblock", only([], partner_admin=404)),
    ("GET", "/partner/staff/{own_courier}/unblock", only(["partner_admin"])),
    ("POST", "/partner/staff/{own_courier}/unblock", only(["partner_admin"], status=303)),
    ("POST", "/owner/partners/companies/{company}/block", only(["owner"], status=303)),
    ("POST", "/owner/partners/entrances/{own_entrance}/close", only(["owner"], status=303)),
    ("POST", "/coordinator/partners/{company}/categories", only(["coordinator"], status=303)),
    ("POST", "/coordinator/partners/{company}/suspend", only(["coordinator"], status=303)),
    # Reports: coordinators read every visit, provider admins their own provider's (whose
    # rows tests/reports/test_report_views.py checks); a cursor that does not parse is a 400.
    ("GET", "/reports/visits", only(REPORT_READERS)),
    ("GET", "/reports/visits?sort=x&door=%3Cb%3E&district=-1&date_from=x", only(REPORT_READERS)),
    ("GET", "/reports/visits?after=x", only([], coordinator=400, provider_admin=400)),
    ("GET", "/reports/visits.csv", only(REPORT_READERS)),
    ("GET", "/reports/visits.xlsx", only(REPORT_READERS)),
    ("GET", "/reports/billing", only(REPORT_READERS)),
    ("GET", "/reports/billing?year=%00", only(REPORT_READERS)),
    ("GET", "/reports/billing.csv", only(REPORT_READERS)),
    ("GET", "/reports/billing.xlsx", only(REPORT_READERS)),
    # Fieldwork: the lock inventory (coordinators), relocation/removal jobs (the assigned
    # locksmith only), the key cabinet (a provider admin's own; coordinators read all).
    ("GET", "/coordinator/inventory", only(["coordinator"])),
    ("GET", "/coordinator/inventory?state=%3Cb%3E&kind=x&q=%27&page=x", only(["coordinator"])),
    ("GET", "/coordinator/inventory/{unit}", only(["coordinator"])),
    ("GET", "/coordinator/inventory/new", only(["coordinator"])),
    ("POST", "/coordinator/inventory/new", only(["coordinator"])),  # nothing filled in: the form
    ("GET", "/coordinator/inventory/999999", only([], coordinator=404)),
    ("POST", "/coordinator/inventory/{unit}/fit", only([], coordinator=404)),
    ("GET", "/locksmith/jobs/{own_change_job}/restore", only(["locksmith"])),
    ("GET", "/locksmith/jobs/{other_change_job}/restore", only([], locksmith=404)),
    ("POST", "/locksmith/jobs/{other_change_job}/restore", only([], locksmith=404)),
    ("GET", "/locksmith/jobs/{own_job}/restore", only([], locksmith=404)),  # a repair
    ("POST", "/locksmith/jobs/{own_change_job}/restore", only(["locksmith"])),  # nothing: form
    ("GET", "/coordinator/jobs/{own_change_job}/photo", only([], coordinator=404)),  # none yet
    ("GET", "/key-cabinets", only(["coordinator", "provider_admin"])),
    ("GET", "/key-cabinets/new", only(["provider_admin"])),
    ("POST", "/key-cabinets/new", only(["provider_admin"])),  # nothing filled in: the form
    ("GET", "/key-cabinets/{own_cabinet}", only(["coordinator", "provider_admin"])),
    ("GET", "/key-cabinets/{other_cabinet}", only(["coordinator"], provider_admin=404)),
    ("GET", "/key-cabinets/999999", only([], coordinator=404, provider_admin=404)),
    ("GET", "/key-cabinets/{own_cabinet}/keys/new", only(["provider_admin"])),
    ("GET", "/key-cabinets/{other_cabinet}/keys/new", only([], provider_admin=404)),
    ("POST", "/key-cabinets/{own_cabinet}/keys/new", only(["provider_admin"])),  # the form
    ("GET", "/key-cabinets/keys/{own_key}", only(["coordinator", "provider_admin"])),
    ("GET", "/key-cabinets/keys/{other_key}", only(["coordinator"], provider_admin=404)),
    ("POST", "/key-cabinets/keys/{other_key}/hand_out", only([], provider_admin=404)),
    ("POST", "/key-cabinets/keys/{own_key}/steal", only([], provider_admin=404)),
    ("POST", "/key-cabinets/keys/{other_key}/move", only([], provider_admin=404)),
    ("POST", "/key-cabinets/keys/{own_key}/move", only(["provider_admin"])),  # nothing: form
    ("POST", "/key-cabinets/keys/{own_key}/hand_out", only(["provider_admin"])),  # no name
    # The hand-back for good is its own page (the old one-click POST is gone); its receipt
    # exists once the key is handed back; a coordinator corrects a mistaken one.
    ("POST", "/key-cabinets/keys/{own_key}/return_to_citizen", only([], provider_admin=404)),
    ("GET", "/key-cabinets/keys/{own_key}/hand-back", only(["provider_admin"])),
    ("GET", "/key-cabinets/keys/{other_key}/hand-back", only([], provider_admin=404)),
    ("POST", "/key-cabinets/keys/{own_key}/hand-back", only(["provider_admin"])),  # no data: form
    ("POST", "/key-cabinets/keys/{other_key}/hand-back", only([], provider_admin=404)),
    (
        "GET",
        "/key-cabinets/keys/{own_key}/receipt.pdf",
        only([], coordinator=404, provider_admin=404),
    ),
    (
        "GET",
        "/key-cabinets/keys/{other_key}/receipt.pdf",
        only([], coordinator=404, provider_admin=404),
    ),
    ("POST", "/key-cabinets/keys/{own_key}/correct", only(["coordinator"])),  # no reason: page
    ("POST", "/key-cabinets/keys/999999/correct", only([], coordinator=404)),
    ("POST", "/coordinator/inventory/{unit}/mark_defective", only(["coordinator"], status=303)),
    ("POST", "/coordinator/inventory/{unit}/scrap", only(["coordinator"], status=303)),
    # Data protection: the access export and the retention periods, coordinators only.
    ("GET", "/coordinator/data-protection/retention", only(["coordinator"])),
    ("POST", "/coordinator/data-protection/retention", only(["coordinator"])),  # empty: form
    ("POST", "/coordinator/citizens/{citizen}/data-export.json", only(["coordinator"])),
    ("POST", "/coordinator/citizens/{citizen}/data-export.pdf", only(["coordinator"])),
    ("POST", "/coordinator/citizens/999999/data-export.json", only([], coordinator=404)),
    ("POST", "/coordinator/citizens/{citizen}/data-export.xml", only([], coordinator=404)),
    ("GET", "/coordinator/citizens/{citizen}/data-export.json", everyone(405)),
    # Lifting a pause on a citizen's letter code: coordinators only (no pause: back to the page).
    ("POST", "/coordinator/citizens/{citizen}/code-pause", only(["coordinator"], status=303)),
    ("POST", "/coordinator/citizens/999999/code-pause", only([], coordinator=404)),
    ("POST", "/coordinator/import/{other_batch}/abandon", only([], coordinator=404)),
    ("POST", "/coordinator/import/{own_batch}/abandon", only(["coordinator"], status=303)),
    # The care-system API's tokens (the API itself: tests/careapi/test_careapi_feeds.py).
    ("GET", "/coordinator/care-system-api", only(["coordinator"])),
    ("POST", "/coordinator/care-system-api", only(["coordinator"])),  # nothing: the form again
    ("POST", "/coordinator/care-system-api/999999/revoke", only([], coordinator=404)),
    ("POST", "/sign-out", everyone(303)),
]


FIELDWORK_IDS = (
    "unit",
    "own_change_job",
    "other_change_job",
    "own_cabinet",
    "other_cabinet",
    "own_key",
    "other_key",
)


def _path(template, world):
    return template.format(
        citizen=world.citizen.id,
        district=world.citizen.district_id,
        own_batch=world.own_batch.id,
        other_batch=world.other_batch.id,
        own_job=world.own_job.id,
        other_job=world.other_job.id,
        owner=world.own_property.owner_id,
        prop=world.own_property.id,
        entrance=world.own_property.entrances[0].id,
        **world.owner_ids,  # own_/other_entrance, _decision, _blanket
        company=world.company.id,
        own_courier=world.own_courier.id,
        other_courier=world.other_courier.id,
        own_device=world.own_device.id,
        other_device=world.other_device.id,
        **world.fieldwork,
    )


def _with_jobs(db, world):
    """A repair for the world's locksmith today, and one for another locksmith."""
    from portal import clock
    from portal.audit.services import SYSTEM
    from portal.locksmith.services import create_job
    from tests.factories import make_user

    today = clock.now().date()
    stranger = make_user(db, "locksmith")
    for name, smith in (("own_job", world.users["locksmith"]), ("other_job", stranger)):
        job = create_job(
            db,
            "repair",
            now=clock.now(),
            actor=SYSTEM,
            citizen_id=world.citizen.id,
            locksmith_id=smith.id,
            day=today,
        )
        setattr(world, name, job)
    _with_couriers(db, world)
    db.commit()
    return _with_fieldwork(db, world, stranger)


def _with_fieldwork(db, world, stranger):
    """A removed lock unit, a removal job for the world's locksmith and one for another,
    and a key cabinet with a key for the provider admin's provider and for another provider."""
    from portal import clock
    from portal.access import inventory
    from portal.access.lock_units import register_lock_unit
    from portal.audit.services import SYSTEM
    from portal.changes import keycabinet
    from portal.directory.models import Provider
    from portal.locksmith.services import create_job
    from tests.factories import make_citizen, make_provider
    from tests.locksmith.support import pem

    now = clock.now()
    unit = register_lock_unit(
        db,
        serial="AUTHZ-1",
        public_key_text=pem(),
        citizen_id=world.citizen.id,
        now=now,
        actor=SYSTEM,
    )
    jobs = {}
    for name, smith in (
        ("own_change_job", world.users["locksmith"]),
        ("other_change_job", stranger),
    ):
        job = create_job(
            db,
            "removal",
            now=now,
            actor=SYSTEM,
            lock_unit_id=unit.id,
            locksmith_id=smith.id,
            day=now.date(),
        )
        jobs[name] = job.id
    inventory.remove(db, unit, now=now, actor=SYSTEM)
    own_provider = world.users["provider_admin"].provider_id
    other_provider = make_provider(db).id
    keys = {}
    for name, provider_id in (("own", own_provider), ("other", other_provider)):
        cabinet = keycabinet.create_cabinet(
            db, provider_id, "Skab", "Kontor", now=now, actor=SYSTEM
        )
        citizen = make_citizen(db, provider=db.get(Provider, provider_id))
        key = keycabinet.store_key(
            db,
            cabinet,
            external_id=citizen.external_id,
            kind="day",
            tag="1",
            now=now,
            actor=SYSTEM,
            tz="Europe/Copenhagen",
        )
        keys[f"{name}_cabinet"], keys[f"{name}_key"] = cabinet.id, key.id
    db.commit()
    world.fieldwork = {"unit": unit.id, **jobs, **keys}
    return world


def _with_owner_records(db, world):
    """A decision and a blanket consent (with receipts) for each owner organisation."""
    from portal.consent.models import BlanketConsent, ConsentDecision

    world.owner_ids = {}
    for side, prop in (("own", world.own_property), ("other", world.other_property)):
        entrance = prop.entrances[0]
        decision = ConsentDecision(
            entrance_id=entrance.id,
            owner_id=prop.owner_id,
            kind="declined",
            decided_at=NOW,
            receipt_pdf=b"%PDF-1.7",
        )
        blanket = BlanketConsent(owner_id=prop.owner_id, granted_at=NOW, receipt_pdf=b"%PDF-1.7")
        db.add_all([decision, blanket])
        db.flush()
        world.owner_ids |= {
            f"{side}_entrance": entrance.id,
            f"{side}_decision": decision.id,
            f"{side}_blanket": blanket.id,
        }
    db.commit()
    return world


def _with_couriers(db, world):
    """A courier with a phone in the partner admin's company, and one in another company."""
    from portal.access.partner_staff import create_partner_staff
    from portal.access.staff import create_enrolment_code, enrol_device
    from portal.audit.services import SYSTEM
    from portal.keys import Phone, public_key_to_pem
    from tests.factories import NOW

    for name, company in (("own", world.company), ("other", world.other_company)):
        courier, _ = create_partner_staff(
            db,
            company_id=company.id,
            staff_number=f"PB-{name}",
            first_name="Per",
            last_name=name,
            now=NOW,
            actor=SYSTEM,
        )
        code, _ = create_enrolment_code(db, courier, now=NOW, actor=SYSTEM)
        key = public_key_to_pem(Phone.generate().public_key)
        setattr(world, f"{name}_courier", courier)
        setattr(world, f"{name}_device", enrol_device(db, code, key, now=NOW))


@pytest.mark.parametrize("role", ROLES)
def test_every_route_gives_the_expected_status_to_every_role(app, db, role):
    world = _with_owner_records(db, _with_jobs(db, make_world(db)))
    client = client_for(app, world, role)
    wrong = []
    for method, template, expected in MATRIX:
        response = client.open(_path(template, world), method=method)
        if response.status_code != expected[role]:
            wrong.append(f"{method} {template}: {response.status_code}, expected {expected[role]}")
        assert response.status_code != 500
    assert not wrong, f"{role}: " + "; ".join(wrong)


def _partner_route(endpoint: str) -> bool:
    prefixes = ("consent.partner_", "consent.owner_partner", "access.partner_")  # all of them
    return endpoint.startswith(prefixes) or endpoint == "access.owner_passages"


def test_the_matrix_covers_every_foundation_route(app):
    foundation = {"accounts", "citizens", "pages", "locksmith", "consent", "directory", "privacy"}
    foundation |= {"careapi", "insights"}
    fieldwork = {
        "portal.access.views_inventory",
        "portal.changes.keycabinet_views",
        "portal.changes.keycabinet_store_views",
        "portal.changes.keycabinet_handback_views",
        "portal.locksmith.views_change",
    }
    routes = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in foundation
        or rule.endpoint == "letters.consent_letter"
        or rule.endpoint.startswith("consent.owner")
        or _partner_route(rule.endpoint)
        or app.view_functions[rule.endpoint].__module__ in fieldwork
        or rule.endpoint.startswith("reports.")
    }
    adapter = app.url_map.bind("localhost")
    covered = set()
    for method, template, _ in MATRIX:
        ids = {"citizen": 1, "own_batch": 1, "other_batch": 2, "own_job": 1, "other_job": 2}
        ids |= {"owner": 1, "prop": 1, "entrance": 1}
        ids |= {
            f"{side}_{kind}": 1
            for side in ("own", "other")
            for kind in ("entrance", "decision", "blanket")
        }
        ids |= {"company": 1, "own_courier": 1, "other_courier": 2}
        ids |= {"own_device": 1, "other_device": 2}
        ids |= dict.fromkeys(FIELDWORK_IDS, 1)
        ids |= {"district": 1}
        path = template.format(**ids).split("?")[0]
        try:
            covered.add(adapter.match(path, method=method)[0])
        except Exception:  # noqa: BLE001 (404/405 rows name no endpoint)
            continue
    assert routes <= covered, f"routes missing from the matrix: {sorted(routes - covered)}"


def test_anonymous_visitors_are_sent_to_the_right_sign_in_page(client, db):
    world = make_world(db)
    staff = client.get(f"/coordinator/citizens/{world.citizen.id}")
    assert staff.location.startswith("/sign-in/staff?next=/coordinator/citizens/")
    citizen = client.get("/citizen/")
    assert citizen.location.startswith("/sign-in/citizen?next=/citizen/")


@pytest.mark.parametrize("role", ["citizen", "relative"])
def test_a_citizen_sees_only_their_own_data(app, db, role):
    world = make_world(db)
    client = client_for(app, world, role)
    page = client.get("/citizen/").get_data(as_text=True)
    assert "Agnes Egen" in page and "Egenvej 1" in page
    assert "Bodil Fremmed" not in page and "Fremmedvej" not in page
    # Staff pages about any citizen stay closed, whoever it is about.
    for citizen in (world.citizen, world.other_citizen):
        assert client.get(f"/coordinator/citizens/{citizen.id}").status_code == 403


def test_owners_see_only_their_own_organisations_buildings(app, db):
    world = make_world(db)
    page = client_for(app, world, "owner").get("/owner/").get_data(as_text=True)
    assert world.own_property.address in page and "Egen Bolig" in page
    assert world.other_property.address not in page and "Anden A/S" not in page


def test_an_owner_without_an_organisation_sees_an_empty_page(client, db):
    from tests.factories import make_user
    from tests.helpers import sign_in_staff

    world = make_world(db)
    lonely = make_user(db, "owner")
    db.commit()
    sign_in_staff(client, lonely)
    response = client.get("/owner/")
    assert response.status_code == 200
    assert world.own_property.address not in response.get_data(as_text=True)


def test_a_coordinator_cannot_preview_another_coordinators_import(app, db):
    world = make_world(db)
    client = client_for(app, world, "coordinator")
    assert client.get(f"/coordinator/import/{world.other_batch.id}").status_code == 404
    assert client.post(f"/coordinator/import/{world.other_batch.id}").status_code == 404
    db.refresh(world.other_batch)
    assert world.other_batch.status == "previewed"


@pytest.mark.parametrize("role", ROLES)
def test_only_a_coordinator_may_add_a_staff_account(app, db, role):
    """A complete, valid form adds an account (and queues its invitation) for a coordinator
    only; every other role, and anybody not signed in, changes nothing."""
    world = make_world(db)
    before = db.scalar(select(func.count(User.id)))
    client = client_for(app, world, role)
    form = {"name": "Ny Smed", "email": "ny.smed@kommune.example", "role": "coordinator"}
    response = client.post("/coordinator/staff-accounts", data={**form, "language": "da"})
    added = db.scalar(select(func.count(User.id))) - before
    if role == "coordinator":
        assert (response.status_code, added) == (303, 1)
    else:
        assert response.status_code in (302, 403) and added == 0
        assert db.scalar(select(func.count(StaffInvitation.id))) == 0
    locksmith = world.users["locksmith"]
    again = client.post(f"/coordinator/staff-accounts/{locksmith.id}/invitation")
    assert again.status_code == (
        303 if role == "coordinator" else 403 if role != "anonymous" else 302
    )
