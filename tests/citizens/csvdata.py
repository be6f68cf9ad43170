"""Care-system CSV exports for import tests: valid rows, and the reference data they name."""

from datetime import date

from portal.citizens.csvfile import COLUMNS
from tests.factories import make_care_group, make_district, make_provider


def make_reference_data(session):
    """Districts, providers and care groups the rows below refer to (commits)."""
    nord, syd = make_district(session, "Nordby"), make_district(session, "Sønderby")
    municipal = make_provider(session, "Demo Kommune Hjemmepleje")
    private = make_provider(session, "Omsorg Plus ApS", kind="private")
    make_care_group(session, municipal, [nord], name="Team Nordby")
    make_care_group(session, private, [nord, syd], name="Omsorg Team 1")
    session.commit()
    return {"districts": (nord, syd), "providers": (municipal, private)}


def row(n: int, **overrides) -> dict:
    """A valid row; n picks the external id, CPR serial and name."""
    born = overrides.pop("born", date(1941, 3, 24))
    values = {
        "external_id": f"CS-{n:05d}",
        "national_id": f"{born:%d%m%y}{n % 4}{n % 1000:03d}",
        "name": f"Borger Nummer{n}",
        "date_of_birth": born.isoformat(),
        "address": f"Møllevej {n}",
        "postcode": "4100",
        "city": "Demoby",
        "phone": "20 12 34 56",
        "email": f"borger{n}@example.org",
        "language": "da",
        "district": "Nordby",
        "provider": "Demo Kommune Hjemmepleje",
        "care_group": "Team Nordby",
        "emergency_alarm": "ja",
    }
    values.update(overrides)
    return values


def _cell(value: str, delimiter: str) -> str:
    if any(ch in value for ch in (delimiter, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_bytes(
    rows, *, columns=COLUMNS, delimiter=",", newline="\n", encoding="utf-8", bom=False
) -> bytes:
    """Rows (dicts) as an export: header row first, every column in `columns`."""
    lines = [delimiter.join(columns)]
    lines += [delimiter.join(_cell(str(r.get(c, "")), delimiter) for c in columns) for r in rows]
    data = (newline.join(lines) + newline).encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data
