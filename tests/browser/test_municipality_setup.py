"""Done when: a municipality sets itself up from an empty database through the pages alone.

Swedish (SE, Europe/Stockholm, Swedish by default) and Danish (DK). The only step outside the
pages is the one a server administrator does: `flask users create` for the first coordinator
and the locksmith (run here through the app's own command line, as a user would type it).
Then the coordinator fills in the municipality's texts and logo, loads districts and care
groups from CSV files in the local language, creates a provider with the form, imports
citizens with local header names and mixed national-id forms, runs a campaign over
Midsommarafton (or Kristi himmelfartsdag), sends the letters, and the citizen books a time in the
local language. axe runs on every page at desktop width and at 390 px.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from stdnum import luhn

from portal import clock, create_app
from portal.booking.calendar import days_off
from tests.browser.conftest import assert_accessible, look, submit
from tests.conftest import empty_tables, make_test_config

pytestmark = pytest.mark.browser
PASSWORD = "Setup-journey-passw0rd!"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@dataclass
class Market:
    """What differs between a Swedish and a Danish setup."""

    country: str
    tz: str
    lang: str
    browser_locale: str
    words: dict
    headers: str
    reference: dict


def _personnummer(born: date, serial: str, twelve: bool, sign: str = "-") -> str:
    short = f"{born:%y%m%d}{serial}"
    number = short + luhn.calc_check_digit(short)
    if twelve:
        return f"{born:%Y%m%d}-{number[6:]}"
    return f"{number[:6]}{sign}{number[6:]}"


def _cpr(born: date, serial: str) -> str:
    return f"{born:%d%m%y}-{serial}"


SE = Market(
    country="SE",
    tz="Europe/Stockholm",
    lang="sv",
    browser_locale="sv-SE",
    words={
        "setup": "Inställningar",
        "save_texts": "Spara texterna",
        "upload_logo": "Ladda upp logotypen",
        "preview": "Visa förhandsgranskning",
        "new_provider": "Ny utförare",
        "save": "Spara",
        "holiday": "Midsommarafton",
        "no_fitting": "Midsommarafton: ingen montering",
        "import_button": "Importera",
        "continue": "Fortsätt",
        "letters": "Brev",
        "id_column": "Personnummer",
    },
    headers="Externt id;Personnummer;Namn;Födelsedatum;Adress;Postnummer;Postort;Språk;Område;Utförare;Hemtjänstgrupp",
    reference={
        "districts": "Namn\nTumba\nTullinge\n",
        "care_groups": "Namn;Utförare;Områden;Nattpatrull\nTumba hemtjänst;Hemtjänst Botkyrka;Tumba;nej\nNattpatrullen;Hemtjänst Botkyrka;Tumba|Tullinge;ja\n",
    },
)
DK = Market(
    country="DK",
    tz="Europe/Copenhagen",
    lang="da",
    browser_locale="da-DK",
    words={
        "setup": "Opsætning",
        "save_texts": "Gem teksterne",
        "upload_logo": "Upload logoet",
        "preview": "Vis forhåndsvisning",
        "new_provider": "Ny leverandør",
        "save": "Gem",
        "holiday": "Kristi himmelfartsdag",
        "no_fitting": "Kristi himmelfartsdag: ingen montering",
        "import_button": "Importér",
        "continue": "Fortsæt",
        "letters": "Breve",
        "id_column": "CPR-nummer",
    },
    headers="Borger-id;CPR-nummer;Navn;Fødselsdato;Adresse;Postnummer;By;Sprog;Distrikt;Leverandør;Plejegruppe",
    reference={
        "districts": "Navn\nNordby\nSønderby\n",
        "care_groups": "Navn;Leverandør;Distrikter;Nattevagt\nTeam Nordby;Hjemmeplejen Demoby;Nordby;nej\nNattevagten;Hjemmeplejen Demoby;Nordby|Sønderby;ja\n",
    },
)


def _next_day_off(market: Market) -> date:
    """The next Midsommarafton (SE) or Ascension Day (DK) at least three weeks away."""
    today = clock.now().date()
    for year in (today.year, today.year + 1, today.year + 2):
        for day, name in sorted(days_off(market.country, year).items()):
            wanted = ("Midsommarafton",) if market.country == "SE" else ("Ascension Day",)
            if name in wanted and day > today + timedelta(days=21) and day.weekday() < 5:
                return day
    raise AssertionError("no day off found")


@pytest.fixture(scope="module", params=[SE, DK], ids=["sweden", "denmark"])
def market_app(request, app, tmp_path_factory):
    """A live app for the market on the suite's database, CSRF on, as production runs it."""
    market = request.param
    config = make_test_config(
        app.config["SQLALCHEMY_DATABASE_URI"],
        str(tmp_path_factory.mktemp(f"instance-{market.country}")),
        WTF_CSRF_ENABLED=True,
        TESTING=False,
        COUNTRY=market.country,
        TIMEZONE=market.tz,
        BABEL_DEFAULT_LOCALE=market.lang,
        LETTER_INLINE_BELOW=20,
    )
    return market, create_app(config)


@pytest.fixture
def market_server(market_app):
    import threading

    from werkzeug.serving import make_server

    market, live = market_app
    server = make_server("127.0.0.1", 0, live, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield market, live, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    empty_tables(live)


@pytest.fixture
def letter_worker(market_app, monkeypatch):
    """The job consumer's part: a queued letter batch is rendered in a thread, as the worker
    process (`make run`) would."""
    import threading

    from portal.extensions import db as _db
    from portal.letters import jobs
    from portal.letters.batch import run_batch

    _market, live = market_app
    threads = []

    def consume(batch_id: int) -> None:
        with live.app_context():
            run_batch(
                _db.session,
                batch_id,
                config=live.config,
                keyring=live.extensions["keyring"],
                processes=0,
            )
            _db.session.remove()

    def enqueue(batch_id: int) -> None:
        thread = threading.Thread(target=consume, args=(batch_id,), daemon=True)
        threads.append(thread)
        thread.start()

    monkeypatch.setattr(jobs, "enqueue_batch", enqueue)
    yield
    for thread in threads:
        thread.join(timeout=60)


@pytest.fixture
def chromium(_browser):
    """The suite's one chromium (tests/browser/conftest.py)."""
    return _browser


def check(page, what):
    """axe at desktop width and on a 390 px phone; the page keeps the size it had."""
    size = page.viewport_size
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page, what)
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, what + " (390 px)")
    page.set_viewport_size(size)


def flask_command(live, *args, password=PASSWORD):
    """Run `flask ...` against the live app, as an administrator would on the server."""
    result = CliRunner().invoke(
        live.cli,
        list(args),
        input=f"{password}\n{password}\n",
        obj=ScriptInfo(create_app=lambda: live),
    )
    assert result.exit_code == 0, result.output
    return result.output


def upload(page, selector, name, text):
    page.set_input_files(selector, {"name": name, "mimeType": "text/csv", "buffer": text.encode()})


def test_a_municipality_sets_itself_up_and_a_citizen_books(market_server, letter_worker, chromium):
    market, live, base = market_server
    w = market.words
    flask_command(
        live,
        "users",
        "create",
        "koordinator@kommun.example",
        "Kim Koordinator",
        "--role",
        "coordinator",
    )
    flask_command(
        live, "users", "create", "las@smed.example", "Lasse Låssmed", "--role", "locksmith"
    )

    context = chromium.new_context(
        locale=market.browser_locale, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(20000)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto(base + "/sign-in/staff")
    page.fill("#email", "koordinator@kommun.example")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/coordinator/**")

    # The checklist first: everything is missing.
    page.get_by_role("link", name=w["setup"], exact=True).first.click()
    page.wait_for_url("**/coordinator/setup")
    check(page, "checklist, empty")

    # The municipality's texts and logo.
    page.goto(base + "/coordinator/setup/texts")
    name = "Botkyrka kommun" if market.country == "SE" else "Demoby Kommune Nord"
    page.fill("#name", name)
    page.fill("#phone", "08-530 610 00" if market.country == "SE" else "70 20 30 40")
    page.fill("#email", "hemtjanst@kommun.example")
    page.fill("#sender_address", "Munkhättevägen 45, 147 85 Tumba")
    page.fill("#portal_url", "https://nyckelfri.kommun.example")
    page.fill("#signature_name", "Eva Lind")
    for lang in ("da", "sv", "en"):
        page.fill(f"#hours_{lang}", f"mån–fre 9–15 ({lang})")
        page.fill(f"#signature_title_{lang}", f"Chef ({lang})")
    check(page, "texts form")
    page.get_by_role("button", name=w["save_texts"]).click()
    page.wait_for_url("**/coordinator/setup")
    page.goto(base + "/coordinator/setup/texts")
    page.set_input_files("#logo", {"name": "logo.png", "mimeType": "image/png", "buffer": PNG})
    page.get_by_role("button", name=w["upload_logo"]).click()
    page.wait_for_url("**/coordinator/setup")
    assert name in page.title()

    # Reference data: districts from a file, the provider with the form, care groups from a file.
    page.goto(base + "/coordinator/setup/import")
    page.locator("#kind-0").check()
    upload(page, "#file", "omraden.csv", market.reference["districts"])
    submit(page, page.get_by_role("button", name=w["preview"]))
    check(page, "reference import preview")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/coordinator/setup/districts")
    check(page, "districts")

    page.goto(base + "/coordinator/setup/providers/new")
    provider = "Hemtjänst Botkyrka" if market.country == "SE" else "Hjemmeplejen Demoby"
    page.fill("#name", provider)
    page.locator("#kind-0").check()
    check(page, "new provider")
    page.get_by_role("button", name=w["save"], exact=True).click()
    page.wait_for_url("**/coordinator/setup/providers")

    page.goto(base + "/coordinator/setup/import")
    page.locator("#kind-2").check()
    upload(page, "#file", "grupper.csv", market.reference["care_groups"])
    page.get_by_role("button", name=w["preview"]).click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/coordinator/setup/care-groups")
    check(page, "care groups")

    page.goto(base + "/coordinator/setup")
    look(page, "setup_checklist")
    assert page.locator(".alert-success").count() == 1, "the checklist is not complete"
    check(page, "checklist, done")
    assert not page.get_by_text("flask users create").count()  # the locksmith exists

    # Citizens with local header names; one person twice in two written forms.
    first_district = market.reference["districts"].split("\n")[1]
    group = market.reference["care_groups"].split("\n")[1].split(";")[0]
    born = [date(1942, 9, 23), date(1938, 4, 12), date(1921, 1, 5)]
    if market.country == "SE":
        ids = [
            _personnummer(born[0], "456", twelve=False),
            _personnummer(born[1], "123", twelve=True),
            _personnummer(born[2], "987", twelve=True),
            _personnummer(born[0], "456", twelve=True),  # the first person again
        ]
    else:
        ids = [
            _cpr(born[0], "1234"),
            _cpr(born[1], "4321").replace("-", ""),
            _cpr(born[2], "2345"),
            _cpr(born[0], "1234").replace("-", ""),
        ]
    names = ["Astrid Andersson", "Bertil Berg", "Cecilia Carlsson", "Astrid Igen"]
    rows = [market.headers]
    for n, (pid, name_, dob) in enumerate(zip(ids, names, [*born, born[0]], strict=True), start=1):
        rows.append(
            f"K{n};{pid};{name_};{dob.isoformat()};Storgatan {n};147 30;Tumba;{market.lang};"
            f"{first_district};{provider};{group}"
        )
    page.goto(base + "/coordinator/import")
    upload(page, "#file", "brukare.csv", "\n".join(rows) + "\n")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/coordinator/import/\d+$"))
    check(page, "citizen import preview")
    assert page.locator("ul.portal-counts strong").all_inner_texts() == ["3", "0", "0", "1"]
    assert page.locator(".portal-row-errors strong").first.inner_text() == market.words["id_column"]
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/result$"))
    check(page, "import result")

    # A campaign over the day off, with the locksmith's availability.
    holiday = _next_day_off(market)
    monday = holiday - timedelta(days=holiday.weekday())
    page.goto(base + "/coordinator/campaigns/new")
    page.fill("#name", f"{first_district} {holiday.year}")
    page.select_option("#district", label=first_district)
    page.fill("#starts_on", monday.isoformat())
    page.fill("#ends_on", (monday + timedelta(days=11)).isoformat())
    page.fill("#day_start", "08:00")
    page.fill("#day_end", "12:00")
    page.locator("#open_now").check()
    check(page, "new campaign")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/coordinator/campaigns/\d+$"))
    campaign_url = page.url
    assert page.get_by_text(w["holiday"]).count() >= 1
    check(page, "campaign with its days off")
    page.goto(campaign_url + "/availability/new")
    page.select_option("#locksmith", label="Lasse Låssmed")
    page.fill("#day_start", "08:00")
    page.fill("#day_end", "12:00")
    check(page, "availability")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(campaign_url)
    campaign_id = campaign_url.rsplit("/", 1)[1]
    page.goto(f"{base}/coordinator/schedule?campaign={campaign_id}&day={holiday.isoformat()}")
    assert page.get_by_text(w["no_fitting"]).is_visible()
    check(page, "schedule on the day off")

    # The letters: made, then posted.
    page.goto(base + "/coordinator/letters")
    page.select_option("#scope", index=1)
    page.locator("#letter-choice form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/coordinator/letters/batches/\d+$"))
    mark = page.locator("#mark-posted a")
    mark.wait_for(timeout=60000)
    check(page, "letter batch")
    mark.click()  # htmx asks in place before anything is recorded
    posted = page.locator("#mark-posted form[action$='/posted'] button[type=submit]")
    posted.wait_for()
    submit(page, posted)

    # The citizen's code, read from their letter as the coordinator sees it.
    page.goto(base + "/coordinator/citizens")
    page.get_by_role("link", name=names[0]).click()
    page.wait_for_url(re.compile(r".*/coordinator/citizens/\d+$"))
    citizen_id = page.url.rsplit("/", 1)[1]
    page.goto(f"{base}/coordinator/letters/preview/{citizen_id}")
    code = page.locator(".code").first.inner_text().strip()
    assert name in page.content() and "Eva Lind" in page.content()
    assert "Mette Holm" not in page.content()
    assert page.locator("img.logo").get_attribute("src").startswith("data:image/png;base64,")
    context.close()

    # The citizen signs in, typing the date of birth in one box, and books in the local language.
    citizen_context = chromium.new_context(
        locale=market.browser_locale, viewport={"width": 390, "height": 844}
    )
    citizen_context.set_default_timeout(20000)
    phone = citizen_context.new_page()
    phone.on("pageerror", lambda e: problems.append(str(e)))
    phone.goto(base + "/sign-in/citizen")
    check(phone, "citizen sign-in")
    phone.fill("#code", code)
    first_box = "#year" if market.lang == "sv" else "#day"
    phone.fill(first_box, born[0].isoformat() if market.lang == "sv" else f"{born[0]:%d-%m-%Y}")
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/citizen/")
    check(phone, "citizen home")
    phone.goto(base + "/citizen/booking")
    check(phone, "booking start")
    phone.locator("main a.button, main button[type=submit]").first.click()
    phone.wait_for_url("**/citizen/booking/day*")
    check(phone, "days")
    assert holiday.isoformat() not in [
        v for v in phone.locator("input[name=day]").evaluate_all("els => els.map(e => e.value)")
    ]
    phone.locator("input[name=day]").first.check()
    phone.get_by_role("button", name=w["continue"]).click()
    phone.wait_for_url("**/citizen/booking/time")
    check(phone, "times")
    phone.locator("input[name=time]").first.check()
    phone.get_by_role("button", name=w["continue"]).click()
    phone.wait_for_url("**/citizen/booking/details")
    check(phone, "details")
    phone.locator("#opener-0").check()
    phone.locator("#interpreter-0").check()
    phone.fill("#call_phone", "070-123 45 67" if market.country == "SE" else "20 12 34 56")
    phone.get_by_role("button", name=w["continue"]).click()
    phone.wait_for_url("**/citizen/booking/check")
    check(phone, "check")
    phone.locator("main form button[type=submit]").last.click()
    phone.wait_for_url(re.compile(r".*/citizen/booking/\d+(\?.*)?$"))
    check(phone, "booking confirmation")
    look(phone, f"setup_confirmation_{market.country}")
    assert phone.locator("html").get_attribute("lang") == market.lang
    citizen_context.close()
    assert not problems, problems
