"""Personal letter codes: 11 random characters plus an ISO 7064 check character."""

import re
import secrets

from stdnum.iso7064 import mod_37_36

# No 0/O, 1/I/L or U: nothing an elderly reader can confuse; 30 symbols make the hybrid
# ISO 7064 system catch every single wrong character and almost every swapped pair.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
CODE_PURPOSE = "letter_code"  # keyring purpose of the encrypted code and its blind index
_STRIP = re.compile(r"[\s\-–—.]+")


class MalformedCode(ValueError):
    """The text cannot be a letter code (wrong length, characters or check character)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def generate(rng=None) -> str:
    """A new normalised 12-character code."""
    rng = rng or secrets.SystemRandom()
    body = "".join(rng.choice(ALPHABET) for _ in range(LENGTH - 1))
    return body + mod_37_36.calc_check_digit(body, alphabet=ALPHABET)


def compact(text: str | None) -> str:
    """Upper-case text without spaces, dashes or dots (no checks): one key per typed code."""
    return _STRIP.sub("", text or "").upper()


def normalise(text: str) -> str:
    """Upper-case, drop spaces and dashes; raise MalformedCode unless it is a valid code."""
    code = compact(text)
    if len(code) != LENGTH:
        raise MalformedCode("length")
    if any(ch not in ALPHABET for ch in code):
        raise MalformedCode("characters")
    if mod_37_36.checksum(code, alphabet=ALPHABET) != 1:
        raise MalformedCode("check")
    return code


def grouped(code: str) -> str:
    """XXXX-XXXX-XXXX, as printed in the letter."""
    return "-".join(code[i : i + 4] for i in range(0, LENGTH, 4))


def shown(text: str) -> str:
    """A code as the letter prints it (with dashes) when it is valid; otherwise as typed."""
    try:
        return grouped(normalise(text))
    except MalformedCode:
        return text
