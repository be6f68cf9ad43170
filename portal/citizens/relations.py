"""How a relative is related to the citizen: declared at sign-in, shown to the coordinator."""

from flask_babel import lazy_gettext as _l

RELATIONS = (
    ("child", _l("Son or daughter")),
    ("partner", _l("Spouse or partner")),
    ("sibling", _l("Brother or sister")),
    ("grandchild", _l("Grandchild")),
    ("guardian", _l("Guardian or power of attorney")),
    ("other", _l("Other relative or friend")),
)


def relation_label(value: str | None) -> str:
    """The relation in the page's language (an unknown stored value is shown as it is)."""
    return str(dict(RELATIONS).get(value or "", value or "–"))
