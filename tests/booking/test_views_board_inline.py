"""The board after the browser review: phone bookings beyond the first 20 names, inline cancel
with a count and a status message, focus markers, and a day choice that never sends the token."""

import re
from datetime import timedelta

from sqlalchemy import select

from portal.booking import services
from portal.booking.models import Appointment
from tests.booking.support import make_world, options
from tests.factories import NOW, make_citizen, make_district, make_user
from tests.helpers import sign_in_staff

HTMX = {"HX-Request": "true"}
DETAILS = {"opener": "home_care", "call_phone": "20 12 34 56", "interpreter": "no"}


def _setup(db, client, **kw):
    world = make_world(db, **{"citizens": 3, "locksmiths": 2, **kw})
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, coordinator)
    return world


def _book(db, world, index=0, slot_index=0):
    slot = world.slots(db)[slot_index]
    return services.book_slot(db, world.citizens[index].id, slot.id, now=NOW, cutoff=timedelta(0))


def _forms(html: str, method: str) -> list[str]:
    return re.findall(rf'<form method="{method}".*?</form>', html, re.S)


def test_phone_booking_accepts_a_citizen_the_first_page_did_not_show(db, client, clock):
    world = _setup(db, client, citizens=25)
    slot = world.slots(db)[0]
    url = f"/coordinator/slots/{slot.id}/book"
    shown = options(client.get(url).get_data(as_text=True), "citizen")
    assert len(shown) == 20
    hidden = next(c for c in world.citizens if str(c.id) not in shown)
    hidden.name = "Zakarias Zimmermann"
    db.commit()
    # What the live search found; the page was loaded with another search (or none).
    found = client.get(f"{url}?q={hidden.name}", headers=HTMX).get_data(as_text=True)
    assert options(found, "citizen") == [str(hidden.id)]
    response = client.post(
        f"{url}?q={world.citizens[0].name}", data=DETAILS | {"citizen": str(hidden.id)}
    )
    assert response.status_code == 303
    booked = db.scalar(select(Appointment))
    assert booked.citizen_id == hidden.id and booked.slot_id == slot.id


def test_phone_booking_form_does_not_carry_the_search_in_its_action(db, client, clock):
    world = _setup(db, client)
    slot = world.slots(db)[0]
    url = f"/coordinator/slots/{slot.id}/book"
    page = client.get(f"{url}?q={world.citizens[1].name}").get_data(as_text=True)
    (post,) = [f for f in _forms(page, "post") if "/book" in f]
    assert f'action="{url}"' in post
    assert options(post, "citizen") == [str(world.citizens[1].id)]


def test_phone_booking_without_javascript_keeps_the_search_after_an_error(db, client, clock):
    world = _setup(db, client, citizens=25)
    slot = world.slots(db)[0]
    url = f"/coordinator/slots/{slot.id}/book"
    wanted = world.citizens[-1]
    wanted.name = "Zakarias Zimmermann"
    db.commit()
    page = client.get(f"{url}?q={wanted.name}").get_data(as_text=True)
    assert options(page, "citizen") == [str(wanted.id)]
    # The search travels in the form; a typo in the phone number re-shows the same list.
    again = client.post(
        url, data=DETAILS | {"citizen": str(wanted.id), "q": wanted.name, "call_phone": "12"}
    )
    body = again.get_data(as_text=True)
    assert again.status_code == 200 and db.scalar(select(Appointment)) is None
    assert options(body, "citizen") == [str(wanted.id)] and f'value="{wanted.name}"' in body
    assert re.search(rf'value="{wanted.id}" class="form-radio"\s+checked', body)
    done = client.post(url, data=DETAILS | {"citizen": str(wanted.id), "q": wanted.name})
    assert done.status_code == 303
    assert db.scalar(select(Appointment)).citizen_id == wanted.id


def test_phone_booking_refuses_citizens_of_other_districts_and_booked_ones(db, client, clock):
    world = _setup(db, client)
    elsewhere = make_citizen(db, district=make_district(db))
    db.commit()
    _book(db, world, 0, 0)
    url = f"/coordinator/slots/{world.slots(db)[3].id}/book"
    for person in (elsewhere, world.citizens[0]):
        page = client.post(url, data=DETAILS | {"citizen": str(person.id)})
        assert page.status_code == 200 and "Vælg en af de viste borgere" in page.get_data(True)
    for junk in ("abc", "²", "9" * 30, ""):
        assert client.post(url, data=DETAILS | {"citizen": junk}).status_code == 200
    assert (
        db.scalar(select(Appointment).where(Appointment.slot_id != world.slots(db)[0].id)) is None
    )


def test_inline_cancel_updates_the_count_and_says_so(db, client, clock):
    world = _setup(db, client)
    first = _book(db, world, 0, 0)
    _book(db, world, 1, 2)
    day = first.slot.local_date.isoformat()
    board = client.get(f"/coordinator/schedule?campaign={world.campaign.id}&day={day}")
    board = board.get_data(as_text=True)
    smith = first.slot.locksmith_id
    count = re.search(rf'<p class="form-hint" id="booked-count-{smith}">([^<]*)</p>', board)
    assert count and count.group(1).startswith("2 af ")
    assert '<div id="board-status" role="status"></div>' in board
    swapped = client.post(f"/coordinator/appointments/{first.id}/cancel", headers=HTMX)
    body = swapped.get_data(as_text=True)
    assert swapped.status_code == 200
    oob = re.search(
        rf'<p class="form-hint" id="booked-count-{smith}" hx-swap-oob="true">'
        r"([^<]*)</p>",
        body,
    )
    assert oob and oob.group(1) == count.group(1).replace("2 af ", "1 af ", 1)
    status = re.search(
        r'<div id="board-status" hx-swap-oob="innerHTML">(.*?)</div>\s*$', body, re.S
    )
    assert status and world.citizens[0].name in status.group(1) and "er aflyst" in body
    # The freed entry takes the focus (portal.js moves it to [data-focus-on-load]).
    entry = body.split(f'id="entry-{first.slot_id}"')[1].split("</li>")[0]
    assert "data-focus-on-load" in entry


def test_inline_actions_mark_where_focus_goes(db, client, clock):
    world = _setup(db, client)
    booked = _book(db, world)
    move = client.get(f"/coordinator/appointments/{booked.id}/move", headers=HTMX)
    assert re.search(r"<select [^>]*data-focus-on-load", move.get_data(as_text=True))
    cancel = client.get(f"/coordinator/appointments/{booked.id}/cancel", headers=HTMX)
    assert re.search(r'<p tabindex="-1" data-focus-on-load>', cancel.get_data(as_text=True))
    day = client.get(f"/coordinator/schedule?campaign={world.campaign.id}", headers=HTMX)
    assert 'id="board-day-heading" tabindex="-1" data-focus-on-load' in day.get_data(as_text=True)
    # A whole page does not move the focus by itself.
    for url in (
        f"/coordinator/appointments/{booked.id}/move",
        f"/coordinator/appointments/{booked.id}/cancel",
        f"/coordinator/schedule?campaign={world.campaign.id}",
    ):
        assert "data-focus-on-load" not in client.get(url).get_data(as_text=True)


def test_choosing_another_day_to_move_to_never_sends_the_csrf_token(
    app, db, client, monkeypatch, clock
):
    world = _setup(db, client)
    booked = _book(db, world)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    url = f"/coordinator/appointments/{booked.id}/move"
    for headers in ({}, HTMX):
        html = client.get(url, headers=headers).get_data(as_text=True)
        (day_form,) = _forms(html, "get")
        assert "csrf" not in day_form.lower() and 'name="day"' in day_form
        assert re.findall(r'name="([^"]+)"', day_form) == ["day"]
        assert "formmethod" not in html
        (post,) = [f for f in _forms(html, "post") if url in f]
        assert f'name="move{booked.id}-csrf_token"' in post and 'type="hidden" name="day"' in post
    days = re.findall(r'<option value="([0-9-]+)"', html)
    later = client.get(f"{url}?day={days[1]}", headers=HTMX).get_data(as_text=True)
    assert f'<option value="{days[1]}" selected>' in later
    assert f'name="day" value="{days[1]}"' in later and options(later, f"move{booked.id}-slot")


def test_move_posts_the_chosen_day_with_the_slot(db, client, clock):
    world = _setup(db, client)
    booked = _book(db, world)
    url = f"/coordinator/appointments/{booked.id}/move"
    html = client.get(url).get_data(as_text=True)
    days = re.findall(r'<option value="([0-9-]+)"', html)
    later = client.get(f"{url}?day={days[2]}").get_data(as_text=True)
    target = options(later, f"move{booked.id}-slot")[0]
    done = client.post(url, data={"day": days[2], f"move{booked.id}-slot": target})
    assert done.status_code == 303
    db.expire_all()
    moved = db.get(Appointment, booked.id)
    assert moved.slot_id == int(target) and moved.slot.local_date.isoformat() == days[2]


def test_board_links_have_clean_accessible_names(db, client, clock):
    world = _setup(db, client)
    booked = _book(db, world)
    page = client.get(
        f"/coordinator/schedule?campaign={world.campaign.id}"
        f"&day={booked.slot.local_date.isoformat()}"
    ).get_data(as_text=True)
    name = world.citizens[0].name
    assert f'aria-label="Flyt: {name}"' in page and f'aria-label="Aflys: {name}"' in page
    assert 'class="sr-only">,' not in page and " , " not in page
