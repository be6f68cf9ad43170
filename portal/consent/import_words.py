"""What the property import says it will do (the preview's button) and did (the receipt), in
words with each count's own plural: a row is an entrance, so rows are never what is counted."""

from flask_babel import gettext as _
from flask_babel import ngettext


def _properties(n: int) -> str:
    return ngettext("%(num)s property", "%(num)s properties", n)


def _entrances(n: int) -> str:
    return ngettext("%(num)s entrance", "%(num)s entrances", n)


def _both(properties: int, entrances: int) -> dict:
    return {"properties": _properties(properties), "entrances": _entrances(entrances)}


def button(plan) -> str:
    """What confirming writes, new or changed: "Import 2 properties and 3 entrances"."""
    properties = len(plan.new_properties) + len(plan.changed_properties)
    entrances = len(plan.new_entrances) + len(plan.changed_entrances)
    if properties and entrances:
        return _("Import %(properties)s and %(entrances)s", **_both(properties, entrances))
    if properties:
        return _("Import %(properties)s", properties=_properties(properties))
    return _("Import %(entrances)s", entrances=_entrances(entrances))


def receipt(counts: dict) -> list[str]:
    """The receipt's lines for an import's stored counts (`importer.commit_import`)."""
    lines = [
        ngettext("%(num)s new owner", "%(num)s new owners", counts["owners"]),
        ngettext("%(num)s new property", "%(num)s new properties", counts["properties"]),
        ngettext("%(num)s new entrance", "%(num)s new entrances", counts["entrances"]),
    ]
    if "changed_properties" in counts:
        changed = counts["changed_properties"], counts["changed_entrances"]
        lines.append(_("Changed: %(properties)s and %(entrances)s", **_both(*changed)))
    else:  # imported before properties and entrances were counted apart
        lines.append(_("Changed: %(num)s properties or entrances", num=counts["changed"]))
    lines.append(
        ngettext("%(num)s entrance unchanged", "%(num)s entrances unchanged", counts["unchanged"])
    )
    if "error_rows" in counts:
        lines.append(
            ngettext(
                "%(num)s row skipped because of errors",
                "%(num)s rows skipped because of errors",
                counts["error_rows"],
            )
        )
    else:  # imported before rows with errors were counted (it counted the errors)
        lines.append(_("Errors in skipped rows: %(num)s", num=counts["errors"]))
    return lines
