"""The field API under /api/v1 (JSON, CSRF-exempt): enrol, start a shift, upload events, bulletin.

Views are thin: parse and validate the body, call one service, shape the answer. Errors are
problem+json (see `problems`). Documented in `openapi.json`, served at /api/v1/openapi.json.
"""

import json
from datetime import timedelta

from flask import Blueprint, current_app, jsonify, request, send_file
from sqlalchemy.exc import IntegrityError

from portal import clock
from portal.access import bulletins, ingest, problems, shifts, staff
from portal.access.api_input import (
    OPENAPI_PATH,
    b64url,
    b64url_decode,
    json_body,
    validated,
)
from portal.access.issuer_keys import KeyStore
from portal.access.problems import ApiProblem
from portal.extensions import db, limiter
from portal.web.safe_methods import writes_on_get

api_bp = Blueprint("access_api", __name__, url_prefix="/api/v1")
problems.register_blueprint_handlers(api_bp)
SMALL_BODY = 16 * 1024


def keystore() -> KeyStore:
    """The issuer key store of the running app."""
    return KeyStore.from_config(current_app.config, current_app.instance_path)


def policy() -> shifts.ShiftPolicy:
    """The shift rules from config."""
    cfg = current_app.config
    return shifts.ShiftPolicy(
        store=keystore(),
        tz=cfg["TIMEZONE"],
        shift_hours=float(cfg["SHIFT_HOURS"]),
        max_failures=int(cfg["PIN_MAX_FAILURES"]),
        skew=timedelta(seconds=int(cfg["REQUEST_SKEW_SECONDS"])),
    )


def _ok(body: dict, status: int = 200):
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _limit(name: str):
    return lambda: current_app.config[name]


def _shift_rate_key() -> str:
    # Per device when the body names one (a care team shares one address at 7 o'clock),
    # else per address; the body is read once and cached for the view.
    if (request.content_length or 0) <= SMALL_BODY:
        try:
            device = json.loads(request.get_data(cache=True)).get("device_id")
        except (ValueError, AttributeError, RecursionError):
            device = None
        if isinstance(device, str) and 0 < len(device) <= 64:
            return "shift-device:" + device
    return "shift-addr:" + (request.remote_addr or "?")


@api_bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return send_file(OPENAPI_PATH, mimetype="application/json", max_age=300)


ENROLMENT_PROBLEMS = {
    staff.InvalidEnrolmentCode: "invalid-enrolment-code",
    staff.InvalidDeviceKey: "invalid-device-key",
    staff.DeviceKeyInUse: "device-key-in-use",
}


@api_bp.post("/enrolments")
@limiter.limit(_limit("ENROLMENT_RATE_LIMIT"))
def enrol():
    """Bind a device key to a staff member with a one-time enrolment code."""
    body = validated(json_body(SMALL_BODY), "EnrolmentRequest")
    try:
        device = staff.enrol_device(
            db.session, body["enrolment_code"], body["public_key"], now=clock.now()
        )
    except IntegrityError:  # another request enrolled this key a moment ago
        db.session.rollback()
        raise ApiProblem("device-key-in-use") from None
    except staff.StaffError as refused:
        db.session.commit()  # the refused attempt stays audited
        raise ApiProblem(ENROLMENT_PROBLEMS[type(refused)]) from None
    db.session.commit()
    return _ok({"device_id": device.public_id, "staff_number": device.staff.staff_number}, 201)


@api_bp.post("/shifts")
@limiter.limit(_limit("SHIFT_RATE_LIMIT"), key_func=_shift_rate_key)
@limiter.limit(_limit("SHIFT_ADDRESS_RATE_LIMIT"))
def start_shift():
    """Start a shift: a device-signed request with staff number and PIN; a shift key back."""
    body = validated(json_body(SMALL_BODY), "ShiftRequest")
    signature = b64url_decode(body["signature"])
    if signature is None or len(signature) != 64:
        raise ApiProblem(
            "invalid-request", errors=[{"field": "signature", "message": "has the wrong format"}]
        )
    req = shifts.ShiftRequest(
        staff_number=body["staff_number"],
        pin=body["pin"],
        device_id=body["device_id"],
        timestamp=body["timestamp"],
        nonce=body["nonce"],
        shift_end=body.get("shift_end"),
        signature=signature,
        signed_bytes=shifts.canonical_bytes(body),
    )
    try:
        issued = shifts.start_shift(db.session, req, policy(), now=clock.now())
    except shifts.ShiftRefused as refused:
        db.session.commit()  # the refusal (and a PIN failure count) stays
        raise ApiProblem(refused.problem, refused.detail, refused.status, **refused.extra) from None
    db.session.commit()
    return _ok(shift_answer(issued), 201)


def shift_answer(issued: shifts.IssuedShift) -> dict:
    """The JSON a phone gets for a new shift."""
    return {
        "shift_id": issued.record.cti,
        "shift_key": b64url(issued.shift_key),
        "not_before": issued.record.not_before.isoformat().replace("+00:00", "Z"),
        "expires_at": issued.record.expires_at.isoformat().replace("+00:00", "Z"),
        "locks": [lock_summary(u) for u in issued.locks],
        "bulletin": b64url(issued.bulletin.data),
        "bulletin_seq": issued.bulletin.seq,
        "time_beacon": b64url(issued.beacon),
        "token": issued.token,
    }


def lock_summary(unit) -> dict:
    """What the phone shows for a door: its lock id, kind and where it is (no names)."""
    if unit.citizen is not None:
        c = unit.citizen
        address = f"{c.address}, {c.postcode} {c.city}"
    else:
        e = unit.entrance
        address = f"{e.property.address}, {e.property.postcode} {e.property.city} ({e.label})"
    return {"lock_id": unit.lock_id, "kind": unit.kind, "address": address}


def _bearer_shift():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem("invalid-token")
    shift = shifts.shift_for_token(db.session, token.strip(), now=clock.now())
    if shift is None:
        raise ApiProblem("invalid-token")
    return shift


@api_bp.post("/events")
@limiter.limit(_limit("EVENTS_RATE_LIMIT"))
def upload_events():
    """Upload signed lock events; each is verified against its lock's registered key."""
    shift = _bearer_shift()
    max_events = int(current_app.config["API_MAX_EVENTS"])
    body = validated(json_body(max_events * 3000 + 1024), "EventsRequest")
    raw = [b64url_decode(item) for item in body["events"]]
    result = ingest.ingest(
        db.session,
        raw,
        now=clock.now(),
        shift=shift,
        actor=shift.staff.actor,
        threshold=int(current_app.config["BATTERY_ALERT_PERCENT"]),
    )
    db.session.commit()
    return _ok(
        {"accepted": result.accepted, "duplicates": result.duplicates, "rejected": result.rejected}
    )


@api_bp.get("/bulletin")
@writes_on_get  # the first request of the day publishes the day's bulletin
def bulletin():
    """The current signed revocation bulletin (204 when the phone has it already)."""
    since_text = request.args.get("since", "0")
    if not since_text.isascii() or not since_text.isdigit() or len(since_text) > 15:
        raise ApiProblem(
            "invalid-request",
            errors=[{"field": "since", "message": "must be a non-negative integer"}],
        )
    current = bulletins.ensure_published(db.session, keystore(), now=clock.now())
    db.session.commit()  # the first bulletin, when this request published it
    if current.seq <= int(since_text):
        response = current_app.response_class(status=204)
        response.headers.remove("Content-Type")
        response.headers["Cache-Control"] = "no-store"
        return response
    return _ok(
        {
            "seq": current.seq,
            "issued_at": current.issued_at.isoformat().replace("+00:00", "Z"),
            "entries": current.entry_count,
            "bulletin": b64url(current.data),
        }
    )
