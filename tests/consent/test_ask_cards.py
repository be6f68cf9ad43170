"""The coordinator's "ask owners" page: one checkbox per property, labelled with the property,
inside one table whose rows CSS turns into cards on a phone (portal.css, .table--cards).

Before, the rows were there twice (a table for wide screens and a card list for phones, one copy
hidden by CSS), each copy with its own checkbox of the same name and value: with JavaScript off a
box ticked in one layout and unticked in the other after the window was resized was still sent,
and a screen reader or a form audit met every control twice."""

from html.parser import HTMLParser

from tests.consent.test_register_pages import coordinator  # noqa: F401 (fixture)
from tests.factories import make_district, make_owner, make_property


class _Controls(HTMLParser):
    """The form controls of a page, the labels' text by their `for`, and each cell's data-title."""

    def __init__(self):
        super().__init__()
        self.inputs, self.labels, self.titles = [], {}, []
        self._label = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea", "button"):
            self.inputs.append((tag, attrs))
        elif tag == "label":
            self._label = attrs.get("for")
            self.labels[self._label] = ""
        elif tag == "td" and "data-title" in attrs:
            self.titles.append(attrs["data-title"])

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None

    def handle_data(self, data):
        if self._label is not None:
            self.labels[self._label] += data


def test_each_property_has_exactly_one_checkbox_labelled_with_it(coordinator, db):  # noqa: F811
    district = make_district(db)
    paper = make_owner(db, name="Papir A/S", email=None)
    props = [make_property(db, owner=paper, district=district, address=f"Vej {n}") for n in (1, 2)]
    db.commit()
    page = coordinator.get("/coordinator/consent/ask").get_data(as_text=True)
    found = _Controls()
    found.feed(page)
    boxes = [a for tag, a in found.inputs if tag == "input" and a.get("type") == "checkbox"]
    assert sorted(b["value"] for b in boxes) == sorted(str(p.id) for p in props)
    assert {b["name"] for b in boxes} == {"properties"}
    for prop in props:
        (box,) = [b for b in boxes if b["value"] == str(prop.id)]
        assert found.labels[box["id"]].strip() == f"Ask about {prop.address}"
    ids = [a["id"] for _, a in found.inputs if "id" in a]
    assert len(ids) == len(set(ids))
    assert "data-twin" not in page and "narrow-only" not in page
    # Each row carries what its card shows beside the value on a phone.
    assert found.titles == ["Owner", "Entrances", "Citizens waiting"] * 2
    assert page.count("No email: letter only") == 2
