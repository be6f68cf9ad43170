"""How the register's search compares letters: one folding for the search document (written
with each citizen) and for the words typed, so the ways of typing a Nordic or German letter
find each other.

A letter and the ways of typing it without it are one: ä, æ, a and ae; ö, ø, o and oe; å, a and
aa; ü, u and ue. So "Marta", "Maerta" and "Märta" find each other, as do "Muller", "Mueller"
and "Müller", "Sorensen", "Soerensen" and "Sørensen", "Ase", "Aase" and "Åse". Other accents go
(é -> e), and case goes.

Two forms of a text (`forms`):
- `short`: each such letter as its one plain letter (ø -> o, å -> a, ü -> u), the rest as typed;
- `collapsed` (`fold`): the short form with every ae, oe, aa and ue made one letter too (a, o,
  a, u), again until none is left ("Aaes" -> "as").
A typed word is folded to the collapsed form and found in either form of a field: the
collapsed form finds the spellings of a letter in each other, the short form keeps the letters
typed as they are, so "el" (a part of a word that starts inside a pair) still finds "Michael",
whose collapsed form is "michal". The search document holds both forms of each field, but the
short form only where it differs (a field with ae, oe, aa or ue), so most fields are one line.
The folded text is what the indexes hold (portal.citizens.search).

Where a pair is not one letter ("Michael", "Manuel", "Israel") the collapsed form still treats
it as one, so "Michal" finds "Michael" too: a near spelling, never an unrelated name. A word
typed as only a pair ("ae", "aa") is its one letter, as "ä" or "å" typed alone would be.
"""

import re
import unicodedata

# After lower-casing, before accents are stripped (NFKD would make å an a and ø has no parts).
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "ö": "o",
        "æ": "a",
        "ä": "a",
        "å": "a",
        "ü": "u",
        "ß": "ss",
        "œ": "oe",
        "đ": "d",
        "ł": "l",
    }
)
# The ways of typing those letters with two plain ones, each made its one plain letter.
_PAIRS = re.compile("ae|oe|aa|ue")
FIELDS = ("name", "address", "city", "postcode", "external_id")


def short(text: str) -> str:
    """`text` lower case, Nordic and German letters as one plain letter, other accents gone."""
    text = unicodedata.normalize("NFC", text or "").lower().translate(_LETTERS)
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    )
    return unicodedata.normalize("NFC", stripped)


def fold(text: str) -> str:
    """`text` as the search compares a typed word: `short`, then ae, oe, aa and ue as a, o, a
    and u until none is left (Sørensen, Soerensen, Sörensen -> "sorensen")."""
    text = short(text)
    while True:
        text, count = _PAIRS.subn(lambda m: m.group()[0], text)
        if not count:
            return text


def forms(text: str) -> list[str]:
    """The forms a typed word is looked for in: the collapsed one and, when it differs, the
    short one."""
    collapsed, plain = fold(text), short(text)
    return [collapsed] if collapsed == plain else [collapsed, plain]


def holds(text: str, word: str) -> bool:
    """True when the typed `word` is in `text` as the search compares them."""
    folded = fold(word)
    return any(folded in form for form in forms(text))


def search_document(values) -> str:
    """The search document of a citizen (any object or mapping with FIELDS): each field's forms,
    one per line, so a typed word (which has no whitespace) never spans two fields."""
    get = values.get if isinstance(values, dict) else lambda f: getattr(values, f)
    return "\n".join(form for f in FIELDS for form in forms(str(get(f) or "")))
