"""The consent terms an owner signs, in their language, and the hash that pins the text.

A grant carries the SHA-256 of the exact text shown on the page; the service recomputes the
text for that language and refuses a grant whose hash differs (the text changed meanwhile,
or the page was tampered with). Change TERMS_VERSION with the wording.
"""

import hashlib

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

TERMS_VERSION = "2026-12"
LANGUAGES = ("da", "sv", "en")


def terms_paragraphs(lang: str, municipality: str, notice_days: int) -> list[str]:
    """The terms as paragraphs, in `lang` (da, sv or en)."""
    with force_locale(lang if lang in LANGUAGES else "da"):
        return [
            _(
                "%(municipality)s pays for fitting the entrance unit, and for its service and "
                "maintenance.",
                municipality=municipality,
            ),
            _(
                "The unit is fitted without cabling and without damage. On request, the door is "
                "restored to how it was, at no cost to the owner."
            ),
            _("The unit does not affect the building's insurance."),
            _(
                "The unit opens only for home-care staff who have an errand in the building, "
                "and only during their shift."
            ),
            _("Every passage through the door is logged."),
            ngettext(
                "The owner may withdraw the consent at any time with %(num)s day's notice.",
                "The owner may withdraw the consent at any time with %(num)s days' notice.",
                int(notice_days),
            ),
        ]


def terms_text(lang: str, municipality: str, notice_days: int) -> str:
    """The exact terms text for a language, as shown on the page and hashed."""
    return "\n\n".join(terms_paragraphs(lang, municipality, notice_days))


def terms_hash(text: str) -> str:
    """SHA-256 of the text (UTF-8), hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def confirmation_phrase(lang: str) -> str:
    """What a signer types to confirm, in `lang` (compared without regard to case)."""
    with force_locale(lang if lang in LANGUAGES else "da"):
        return _("I GIVE CONSENT")


def phrase_matches(typed: str, lang: str) -> bool:
    """True when the typed confirmation is the phrase (case and extra spaces do not matter)."""
    return " ".join((typed or "").split()).casefold() == confirmation_phrase(lang).casefold()
