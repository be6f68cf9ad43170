"""Pulling visits and request statuses: tokens and scopes, provider-bound tokens, and cursor
pages that are complete and free of duplicates while new records keep arriving."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.access.models_events import Visit
from portal.audit.models import AuditRecord
from portal.careapi import tokens
from portal.careapi.models import ApiToken
from tests.access.support import citizen_in, make_lock, make_staff, make_visits, make_world
from tests.careapi.support import COORDINATOR, PROBLEM, call, make_token
from tests.factories import NOW


def _visits(db, world, provider_team, count, start=NOW):
    citizen = citizen_in(db, world)
    unit, key = make_lock(db, citizen)
    member = make_staff(db, [provider_team])
    make_visits(db, unit, key, member, count=count, start=start)
    db.commit()
    return member


def _pull_all(client, secret, path="/visits", limit=2, cursor=None, on_page=None):
    seen, pages = [], 0
    while True:
        query = f"{path}?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        page = call(client, "GET", query, secret)
        assert page.status_code == 200, page.json
        seen += page.json["items"]
        cursor, pages = page.json["next_cursor"], pages + 1
        if on_page:
            on_page(pages)
        if not page.json["has_more"]:
            return seen, cursor


def test_visits_page_by_cursor_completely_and_once_while_new_ones_arrive(db, client, clock):
    world = make_world(db)
    _visits(db, world, world.team_north, 5)
    _, secret = make_token(db, ["visits:read"], now=NOW)
    # Between pages, another upload adds visits; they come later in the same pull or the next.
    added = []

    def more(page):
        if page == 1:
            added.append(_visits(db, world, world.team_south, 3, start=NOW + timedelta(hours=1)))

    seen, cursor = _pull_all(client, secret, on_page=more)
    ids = [item["id"] for item in seen]
    assert len(ids) == len(set(ids)) == db.scalar(select(func.count(Visit.id))) == 8
    assert ids == sorted(ids)
    # Nothing new: the last cursor gives an empty page and hands itself back.
    again = call(client, "GET", f"/visits?cursor={cursor}", secret)
    assert again.json == {"items": [], "next_cursor": cursor, "has_more": False}
    _visits(db, world, world.team_north, 1, start=NOW + timedelta(hours=2))
    later = call(client, "GET", f"/visits?cursor={cursor}", secret)
    assert len(later.json["items"]) == 1 and later.json["items"][0]["id"] > ids[-1]
    item = later.json["items"][0]
    assert set(item) == {"id", "citizen", "staff_number", "provider_id", "door", "start", "end"}
    assert item["door"] == "door" and item["start"].endswith("Z")


def test_a_provider_bound_token_never_sees_another_providers_visits(db, client, clock):
    world = make_world(db)
    ours = _visits(db, world, world.team_north, 3)
    _visits(db, world, world.private_team, 4)
    _, secret = make_token(db, ["visits:read"], provider=world.municipal, now=NOW)
    seen, _ = _pull_all(client, secret, limit=1)
    assert len(seen) == 3
    assert {item["staff_number"] for item in seen} == {ours.staff_number}
    assert {item["provider_id"] for item in seen} == {world.municipal.id}
    _, everyone = make_token(db, ["visits:read"], now=NOW)
    assert len(_pull_all(client, everyone, limit=500)[0]) == 7


def test_tokens_wrong_scope_revoked_expired_or_forged_see_nothing(db, client, clock):
    world = make_world(db)
    _visits(db, world, world.team_north, 1)
    token, secret = make_token(db, ["requests:read"], now=NOW)
    wrong = call(client, "GET", "/visits", secret)
    assert wrong.status_code == 403 and wrong.json["type"] == PROBLEM + "insufficient-scope"
    assert call(client, "POST", "/citizens/X/care-ended", secret, {}).status_code == 403
    assert call(client, "GET", "/requests", secret).status_code == 200
    short, short_secret = make_token(
        db, ["visits:read"], expires_at=NOW + timedelta(days=1), now=NOW
    )
    assert call(client, "GET", "/visits", short_secret).status_code == 200
    clock.advance(timedelta(days=1))
    expired = call(client, "GET", "/visits", short_secret)
    assert expired.status_code == 401 and expired.json["type"] == PROBLEM + "invalid-token"
    assert expired.headers["WWW-Authenticate"].startswith("Bearer")
    live, live_secret = make_token(db, ["visits:read"], now=NOW)
    tokens.revoke(db, db.get(ApiToken, live.id), now=NOW, actor=COORDINATOR)
    db.commit()
    assert call(client, "GET", "/visits", live_secret).status_code == 401
    forged = live_secret[:-4] + ("AAAA" if not live_secret.endswith("AAAA") else "BBBB")
    for bad in (forged, "kc_", "", "kc_zzzzzzzz_x", "x" * 5000):
        assert call(client, "GET", "/visits", bad).status_code == 401, bad[:20]


def test_each_use_is_audited_and_sets_the_last_used_time(db, client, clock):
    token, secret = make_token(db, ["visits:read"], now=NOW)
    assert token.last_used_at is None
    clock.advance(timedelta(minutes=5))
    call(client, "GET", "/visits", secret)
    call(client, "GET", "/requests", secret)  # refused: no scope, still audited
    db.expire_all()
    assert db.get(ApiToken, token.id).last_used_at == NOW + timedelta(minutes=5)
    uses = (
        db.execute(
            select(AuditRecord.data)
            .where(AuditRecord.action == "api_token.used", AuditRecord.object_id == str(token.id))
            .order_by(AuditRecord.seq)
        )
        .scalars()
        .all()
    )
    assert [(u["path"], u["status"]) for u in uses] == [
        ("/api/v1/care/visits", 200),
        ("/api/v1/care/requests", 403),
    ]


def test_request_statuses_page_and_read_one_by_reference(db, client, clock):
    from tests.changes.support import fitted_citizen, make_town

    town = make_town(db)
    citizens = [fitted_citizen(db, town) for _ in range(3)]
    db.commit()
    _, secret = make_token(db, ["citizens:write", "requests:read"], now=NOW)
    refs = []
    for c in citizens:
        made = call(
            client,
            "POST",
            f"/citizens/{c.external_id}/care-ended",
            secret,
            {"effective_on": "2026-12-01"},
        )
        refs.append(made.json["reference"])
    seen, _ = _pull_all(client, secret, path="/requests", limit=2)
    assert [i["reference"] for i in seen] == refs
    assert {i["status"] for i in seen} == {"approved"}
    one = call(client, "GET", f"/requests/{refs[1]}", secret)
    assert one.status_code == 200 and one.json["citizen"] == citizens[1].external_id
    assert call(client, "GET", "/requests/NOPE-123", secret).status_code == 404


def test_cursors_from_another_list_or_tampered_are_refused(db, client, clock):
    _, secret = make_token(db, ["visits:read", "requests:read"], now=NOW)
    cursor = call(client, "GET", "/requests", secret).json["next_cursor"]
    for bad in (cursor, cursor[:-2], "not-a-cursor", "%00", "x" * 300):
        response = call(client, "GET", f"/visits?cursor={bad}", secret)
        assert response.status_code == 400, bad
        assert response.json["type"] == PROBLEM + "invalid-cursor"
    for limit in ("0", "501", "-1", "abc", "1e3", "9" * 30):
        response = call(client, "GET", f"/visits?limit={limit}", secret)
        assert response.status_code == 400 and response.json["type"] == PROBLEM + "invalid-request"


def test_the_rate_limit_counts_per_token(app, db, client, clock, monkeypatch):
    monkeypatch.setitem(app.config, "CAREAPI_RATE_LIMIT", "3 per minute")
    _, busy = make_token(db, ["visits:read"], now=NOW)
    _, calm = make_token(db, ["visits:read"], now=NOW, name="Other")
    statuses = [call(client, "GET", "/visits", busy).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = call(client, "GET", "/visits", busy)
    assert limited.json["type"] == PROBLEM + "rate-limited"
    assert limited.mimetype == "application/problem+json"
    assert call(client, "GET", "/visits", calm).status_code == 200


def test_a_provider_bound_token_sees_only_its_own_citizens_requests(db, client, clock):
    from tests.changes.support import fitted_citizen, make_town
    from tests.factories import make_citizen

    town = make_town(db)
    ours = fitted_citizen(db, town)
    theirs = make_citizen(db, district=town.north, provider=town.omsorg)
    db.commit()
    _, writer = make_token(db, ["citizens:write"], now=NOW)
    refs = {}
    for c in (ours, theirs):
        made = call(
            client,
            "POST",
            f"/citizens/{c.external_id}/care-ended",
            writer,
            {"effective_on": "2026-12-01"},
        )
        refs[c.external_id] = made.json["reference"]
    _, bound = make_token(db, ["requests:read"], provider=town.hjem, now=NOW)
    seen, _ = _pull_all(client, bound, path="/requests")
    assert [i["citizen"] for i in seen] == [ours.external_id]
    assert call(client, "GET", f"/requests/{refs[theirs.external_id]}", bound).status_code == 404
    assert call(client, "GET", f"/requests/{refs[ours.external_id]}", bound).status_code == 200
