"""Geometry of the progress bar chart, drawn as inline SVG by the template (no inline styles)."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

SERIES = (
    ("letters_sent", _l("Letters sent"), "#4f5b66"),
    ("booked", _l("Booked"), "#0059b3"),
    ("fitted", _l("Fitted"), "#358000"),
    ("failed", _l("Failed"), "#b51d09"),
    ("not_booked", _l("Not booked"), "#767676"),
)
LABEL_WIDTH = 150
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_HEADING = 26
GROUP_GAP = 14


@dataclass
class Bar:
    """One bar with its label and value text."""

    label: str
    value: int
    colour: str
    y: int
    width: int


@dataclass
class Group:
    """One district's bars."""

    name: str
    y: int
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Chart:
    """Everything the SVG template needs."""

    width: int
    height: int
    bar_x: int
    groups: list[Group]


def progress_chart(rows, width: int = 720) -> Chart:
    """Grouped horizontal bars per district, scaled to the largest count."""
    top = max([getattr(r, key) for r in rows for key, _l_, _c in SERIES] + [1])
    room = width - LABEL_WIDTH - 60
    groups, y = [], 0
    for row in rows:
        group = Group(row.district.name, y + 18)
        y += GROUP_HEADING
        for key, label, colour in SERIES:
            value = getattr(row, key)
            group.bars.append(Bar(str(label), value, colour, y, round(room * value / top)))
            y += BAR_HEIGHT + BAR_GAP
        groups.append(group)
        y += GROUP_GAP
    return Chart(width, max(y, 40), LABEL_WIDTH, groups)
