"""How the register's search compares letters: one folding for the search document (written
with each citizen) and for the words typed, so Nordic spellings and accents find each other.

ø, ö and o are one letter; æ and ä are "ae"; å and aa are one ("Åge" finds "Aage" and back);
other accents go (é -> e, ü -> u); case goes. The folded text is what the indexes hold.
"""

import unicodedata

# After lower-casing, before accents are stripped (NFKD would make å an a and ø has no parts).
_LETTERS = str.maketrans(
    {"ø": "o", "ö": "o", "æ": "ae", "ä": "ae", "å": "aa", "ß": "ss", "œ": "oe", "đ": "d", "ł": "l"}
)
FIELDS = ("name", "address", "city", "postcode", "external_id")


def fold(text: str) -> str:
    """`text` as the search compares it: lower case, Nordic letters and accents folded."""
    text = unicodedata.normalize("NFC", text or "").lower().translate(_LETTERS)
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    )
    return unicodedata.normalize("NFC", stripped)


def search_document(values) -> str:
    """The search document of a citizen (any object or mapping with FIELDS): each field folded,
    one per line, so a typed word (which has no whitespace) never spans two fields."""
    get = values.get if isinstance(values, dict) else lambda f: getattr(values, f)
    return "\n".join(fold(str(get(f) or "")) for f in FIELDS)
