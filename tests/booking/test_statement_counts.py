"""The citizen's two hot requests stay at the statements the README promises."""

from tests.booking.support import make_world, walk_to_check
from tests.helpers import sign_in_citizen, statements


def test_choose_a_time_reads_three_times_and_booking_writes_eight(app, client, db):
    world = make_world(db, locksmiths=2)
    citizen = world.citizens[0]
    citizen.email = None  # with an email address the outbox row is one statement more
    db.commit()
    sign_in_citizen(client, citizen)
    walk_to_check(client)
    with statements(app) as seen:
        assert client.get("/citizen/booking/time").status_code == 200
    # the citizen, whether care is ending (a death reported: portal.citizens.closures) and the
    # free times (a citizen who may book has no open booking: the status says)
    assert seen == ["SELECT"] * 3, seen
    client.post("/citizen/booking/time", data={"time": client_time(client)})
    with statements(app) as seen:
        response = client.post("/citizen/booking/check")
    assert response.status_code == 303 and "done=booked" in response.headers["Location"]
    # the citizen, the free slots at that time, whether care is ending, the citizen's status and
    # the appointment (one flush), the locksmith's fitting job, and the audit chain's head,
    # record and new tip
    expected = ["SELECT", "SELECT", "SELECT", "UPDATE", "INSERT", "INSERT", "UPDATE", "INSERT"]
    expected.append("UPDATE")
    assert seen == expected, seen


def client_time(client) -> str:
    from tests.booking.support import options

    return options(client.get("/citizen/booking/time").get_data(as_text=True), "time")[0]
