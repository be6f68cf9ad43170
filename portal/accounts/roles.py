"""The staff roles' names as people read them, in the page's language, and the people behind
a stored actor ("user:7 Karin K (coordinator)") as a page shows them."""

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "coordinator": _l("Coordinator"),
    "locksmith": _l("Locksmith"),
    "provider_admin": _l("Provider admin"),
    "partner_admin": _l("Partner admin"),
}
AUTOMATIC = _l("Automatic")


def actor_name(actor_text: str | None) -> str:
    """The name part of a stored actor ("relative:4 Rita Relativ" -> "Rita Relativ"); a staff
    member's role, stored in English, in the page's language ("Karin K (Koordinator)");
    "Automatic" for the portal itself ("system portal", "system demo data"); "" for a
    citizen, who is stored without a name ("citizen:3": the page names the citizen)."""
    text = actor_text or ""
    kind = text.partition(":")[0].partition(" ")[0]
    if kind == "system":
        return str(AUTOMATIC)
    if kind == "citizen" and " " not in text:
        return ""
    name = text.partition(" ")[2] or text
    if kind == "user":
        person, bracket, role = name.rpartition(" (")
        label = ROLE_LABELS.get(role.removesuffix(")")) if role.endswith(")") else None
        if bracket and label is not None:
            return f"{person} ({label})"
    return name
