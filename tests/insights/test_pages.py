"""The insight pages through the test client: who sees what, the SVG is well-formed with a
title and desc, the table beside each chart says what the data says, and bad input is ignored."""

import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from portal.locksmith.models import Job
from tests.conftest import isolated_client
from tests.helpers import sign_in_staff
from tests.insights.support import utc
from tests.web.support import english_client

SVG = "{http://www.w3.org/2000/svg}"


def client_of(app, user):
    client = english_client(app)
    sign_in_staff(client, user)
    return client


def svgs(html: str) -> dict[str, ET.Element]:
    """Every inline SVG of a page, parsed, by the id of its title."""
    found = {}
    for text in re.findall(r"<svg [^>]*class=\"insight-chart\".*?</svg>", html, re.S):
        root = ET.fromstring(text)
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and title.text.strip() and desc is not None and desc.text.strip()
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert "style" not in text and "<script" not in text
        found[title.get("id")] = root
    return found


def table_after(html: str, caption: str) -> list[list[str]]:
    """The body rows of the table with this caption, as cell texts."""
    start = html.index(f"<caption>{caption}")
    body = html[start : html.index("</tbody>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)[1:]  # skip the header row
    return [
        [re.sub(r"<.*?>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
        for r in rows
    ]


def bar_heights(svg: ET.Element) -> list[float]:
    return [float(r.get("height")) for r in svg.iter(f"{SVG}rect")]


def test_the_coordinator_sees_every_chart_with_its_numbers(app, world):
    html = client_of(app, world.users["coordinator"]).get("/insights/").get_data(as_text=True)
    charts = svgs(html)
    assert set(charts) == {
        "visits-title",
        "hours-title",
        "window-title",
        f"progress-{world.north.id}-title",
        f"progress-{world.south.id}-title",
        "battery-title",
    }
    rows = table_after(html, "Visits per day: the numbers")
    assert len(rows) == 30
    counts = {day: n for day, n in rows if n != "0"}
    assert counts == {"25 Oct": "1", "17 Nov": "1", "18 Nov": "1", "23 Nov": "2"}
    heights = bar_heights(charts["visits-title"])
    assert len(heights) == 30 and [h > 0 for h in heights] == [n != "0" for _d, n in rows]
    # The tallest bar is the day with two visits, the others half its height.
    assert max(heights) == heights[-1] == 2 * heights[0]
    hours = table_after(html, "Time at the citizen per week: the numbers")
    # A length of time, as the billing report writes it (1.5 read as 1 h 30 min, not 1 h 50).
    assert hours[-1] == ["Week 48", "1 h 30 min"] and hours[0] == ["Week 43", "0 h 30 min"]
    window = table_after(html, "Share of visits outside the planned window: the numbers")
    assert window[-1] == ["Week 48", "2", "1", "50%", "0"]
    assert window[0] == ["Week 43", "1", "0", "–", "1"]
    assert "no planned visit times" in html


def test_a_provider_admin_sees_only_their_own_visits_and_no_fleet(app, world):
    html = client_of(app, world.users["admin_b"]).get("/insights/").get_data(as_text=True)
    assert set(svgs(html)) == {"visits-title", "hours-title", "window-title"}
    counts = {d: n for d, n in table_after(html, "Visits per day: the numbers") if n != "0"}
    assert counts == {"17 Nov": "1", "18 Nov": "1"}
    assert "Battery levels" not in html and "Roll-out" not in html
    for path in ("/insights/battery", "/insights/health"):
        assert client_of(app, world.users["admin_b"]).get(path).status_code == 403


def test_a_provider_admin_without_a_provider_sees_no_visits(app, db, world):
    from tests.factories import make_user

    lonely = make_user(db, "provider_admin")
    db.commit()
    html = client_of(app, lonely).get("/insights/").get_data(as_text=True)
    assert {n for _d, n in table_after(html, "Visits per day: the numbers")} == {"0"}


@pytest.mark.parametrize(
    "query",
    [
        "days=abc",
        "days=0",
        "days=-5",
        "days=367",
        "days=99999999999999999999",
        "days=%00",
        "days=²",
        "days=" + "9" * 300,
        "days=30&days=2",
    ],
)
def test_bad_periods_fall_back_to_thirty_days(app, world, query):
    response = client_of(app, world.users["coordinator"]).get(f"/insights/?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert len(table_after(html, "Visits per day: the numbers")) == 30
    # ... and say so, next to the field and in a summary, unless the first value was good.
    said = "Enter a number of days from 1 to 366. The last 30 days are shown instead."
    if query.startswith("days=30"):
        assert said not in html and 'aria-invalid="true"' not in html
    else:
        assert html.count(said) == 2 and 'href="#days"' in html
        assert 'aria-invalid="true"' in html and 'aria-describedby="days-hint days-error"' in html
        assert "<title>Error:" in html


@pytest.mark.parametrize("path", ["/insights/", "/insights/health"])
def test_a_refused_period_keeps_what_was_typed(app, world, path):
    html = client_of(app, world.users["coordinator"]).get(f"{path}?days=400").get_data(as_text=True)
    assert 'id="days-error"' in html and 'value="400"' in html
    assert "The last 30 days are shown instead." in html


@pytest.mark.parametrize(
    ("lang", "text"), [("da", "Skriv et antal dage"), ("sv", "Ange ett antal dagar")]
)
def test_a_refused_period_is_said_in_danish_and_swedish(app, world, lang, text):
    client = client_of(app, world.users["coordinator"])
    client.get(f"/language/{lang}")
    assert text in client.get("/insights/?days=0").get_data(as_text=True)


def test_a_chosen_period_is_kept(app, world):
    html = (
        client_of(app, world.users["coordinator"]).get("/insights/?days=7").get_data(as_text=True)
    )
    rows = table_after(html, "Visits per day: the numbers")
    assert [r[0] for r in rows][0] == "17 Nov" and len(rows) == 7
    assert 'value="7"' in html


def test_the_battery_page_makes_a_routes_jobs_once(app, db, world):
    world.north_unit.battery, world.north_unit.battery_at = 12, utc(2026, 11, 22)
    db.commit()
    client = client_of(app, world.users["coordinator"])
    html = client.get("/insights/battery").get_data(as_text=True)
    assert "North" in html and "12 %" in html
    assert f"/insights/battery/routes/{world.north.id}/jobs" in html
    response = client.post(
        f"/insights/battery/routes/{world.north.id}/jobs", data={"threshold": "30"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/insights/battery?threshold=30")
    client.post(f"/insights/battery/routes/{world.north.id}/jobs", data={"threshold": "30"})
    assert len(db.scalars(select(Job).where(Job.kind == "battery")).all()) == 1
    page = client.get("/insights/battery?threshold=30").get_data(as_text=True)
    assert "0 battery changes created. 1 unit had one open already." in page
    assert "Every unit on this route has a battery change open." in page


@pytest.mark.parametrize(
    "path",
    ["/insights/battery/routes/99999999999/jobs", "/insights/battery/routes/abc/jobs"],
)
def test_hostile_route_ids_are_not_found(app, world, path):
    assert client_of(app, world.users["coordinator"]).post(path).status_code == 404


THRESHOLD_SAID = "Enter a percentage from 1 to 100. Units below 30 % are shown instead."
DAYS_SAID = (
    "Enter a number of days from 1 to 366. Units silent for 14 days or more are shown instead."
)


@pytest.mark.parametrize(
    ("threshold", "days"),
    [("abc", "abc"), ("0", "0"), ("101", "367"), ("<script>", "<script>"), ("\x00", "-1")],
)
def test_a_bad_threshold_falls_back_to_the_setting(app, world, threshold, days):
    response = client_of(app, world.users["coordinator"]).get(
        "/insights/battery", query_string={"threshold": threshold, "days": days}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Routes: units below 30 %" in html and "Units silent for 14 days or more" in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>")[0]
    # ... and says so, next to each field and in a summary, instead of falling back silently.
    assert html.count(THRESHOLD_SAID) == 2 and html.count(DAYS_SAID) == 2
    assert 'href="#threshold"' in html and 'href="#days"' in html
    assert 'aria-describedby="threshold-hint threshold-error" aria-invalid="true"' in html
    assert 'aria-describedby="days-hint days-error" aria-invalid="true"' in html
    assert "<title>Error:" in html


@pytest.mark.parametrize("htmx", [False, True])
def test_a_refused_threshold_and_days_keep_what_was_typed(app, world, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    client = client_of(app, world.users["coordinator"])
    html = client.get("/insights/battery?threshold=150&days=400", headers=headers).get_data(
        as_text=True
    )
    field = 'id="threshold" name="threshold" type="number" min="1" max="100" inputmode="numeric"'
    assert f'{field} value="150"' in html
    assert (
        'id="days" name="days" type="number" min="1" max="366" inputmode="numeric" value="400"'
        in html
    )
    assert THRESHOLD_SAID in html and DAYS_SAID in html


def test_one_refused_value_names_only_that_one(app, world):
    client = client_of(app, world.users["coordinator"])
    html = client.get("/insights/battery?threshold=25&days=x").get_data(as_text=True)
    assert DAYS_SAID in html and "Enter a percentage" not in html and 'value="25"' in html
    html = client.get("/insights/battery?threshold=25&days=1").get_data(as_text=True)
    assert "error-summary" not in html and 'aria-invalid="true"' not in html
    assert "Units silent for 1 day or more" in html


def test_one_silent_day_refused_reads_in_the_singular(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "SILENT_UNIT_DAYS", 1)
    client = client_of(app, world.users["coordinator"])
    html = client.get("/insights/battery?days=0").get_data(as_text=True)
    assert "Units silent for 1 day or more are shown instead." in html


@pytest.mark.parametrize(
    ("lang", "threshold", "days"),
    [
        ("da", "Skriv en procent fra 1 til 100.", "Skriv et antal dage fra 1 til 366. Enheder"),
        (
            "sv",
            "Ange en procentsats från 1 till 100.",
            "Ange ett antal dagar från 1 till 366. Enheter",
        ),
    ],
)
def test_a_refused_threshold_and_days_in_danish_and_swedish(app, world, lang, threshold, days):
    client = client_of(app, world.users["coordinator"])
    client.get(f"/language/{lang}")
    html = client.get("/insights/battery?threshold=0&days=0").get_data(as_text=True)
    assert threshold in html and days in html


def test_the_silent_units_list_takes_its_days_from_the_query(app, db, world):
    world.south_unit.battery_at = utc(2026, 11, 13)  # ten days ago
    world.north_unit.battery_at = utc(2026, 11, 22)
    db.commit()
    client = client_of(app, world.users["coordinator"])
    assert world.south_unit.serial not in client.get("/insights/battery").get_data(as_text=True)
    html = client.get("/insights/battery?days=7").get_data(as_text=True)
    assert world.south_unit.serial in html and world.north_unit.serial not in html


def test_the_health_page_shows_keys_denials_and_the_bulletin(app, world):
    html = client_of(app, world.users["coordinator"]).get("/insights/health").get_data(as_text=True)
    assert set(svgs(html)) == {"keys-title"}
    rows = {
        d: n for d, n in table_after(html, "Shift keys issued per day: the numbers") if n != "0"
    }
    assert rows == {"17 Nov": "1", "18 Nov": "1", "22 Nov": "1", "23 Nov": "1"}
    assert "No lock refused an opening in the period." in html
    assert "No bulletin has been published yet." in html


def test_the_health_page_names_reasons_and_the_spread_of_the_newest_bulletin(app, db, world):
    from tests.insights.support import make_event, make_key, publish_bulletin

    publish_bulletin(db, 4, utc(2026, 11, 22, 12), entries=2)
    key = world.keys["a_day"]
    newer = make_key(
        db, world.staff_a, key.device, utc(2026, 11, 22, 13), utc(2026, 11, 22, 20), seq=4
    )
    make_event(db, world.north_unit, utc(2026, 11, 22, 14), key=newer, member=world.staff_a)
    make_event(db, world.south_unit, utc(2026, 11, 21), result="wrong_lock", action=None)
    db.commit()
    html = client_of(app, world.users["coordinator"]).get("/insights/health").get_data(as_text=True)
    assert "Key not for this lock" in html
    assert "1 of 2 fitted locks (50%)" in html
    assert 'max="2" value="1"' in html
    assert "Number 4, published" in html


def test_the_charts_speak_danish(app, world):
    client = isolated_client(app)
    sign_in_staff(client, world.users["coordinator"])
    html = client.get("/insights/").get_data(as_text=True)
    assert "Besøg pr. dag: tallene" in html and "Uge 48" in html
    assert '<td class="numeric">1 t 30 min</td>' in html  # hours as a length of time
