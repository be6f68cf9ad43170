"""Bounded CBOR decoding: size limits, a well-formedness pre-scan, and cbor2 behind both.

Everything that arrives over the air passes `decode` (size check, then `scan`, then cbor2).
`scan` walks the item heads without building objects, so nothing from cbor2's semantic-tag
decoders (datetimes, decimals, regexes, MIME, shared references) ever runs on untrusted
bytes: tags are refused except the ones the caller allows at the very top. Nesting depth is
bounded by cbor2's own `max_depth` (5.9 has it, in the C extension too), which stops before
it builds anything deeper than MAX_DEPTH. Payloads whose signature has already been verified
against a trusted key go through `decode_trusted`, which skips the scan (the issuer made
them) but keeps the size, depth and trailing-byte checks; that keeps the lock's hot path lean.

The limits are module constants read at call time, so a deployment (or a test) can change
them in one place.
"""

from io import BytesIO

import cbor2

from .errors import malformed

MAX_KEY_SIZE = 16 * 1024
MAX_BULLETIN_SIZE = 64 * 1024
MAX_BEACON_SIZE = 1024
MAX_EVENT_SIZE = 2048
MAX_CHALLENGE_SIZE = 256
MAX_HEADER_SIZE = 512
# An answer carries a key and optionally a bulletin and a beacon, plus a small envelope.
MAX_ANSWER_SIZE = MAX_KEY_SIZE + MAX_BULLETIN_SIZE + MAX_BEACON_SIZE + 512
# Deepest legitimate structure: claims map > cnf map > COSE_Key map (and bulletin entries).
MAX_DEPTH = 8


def scan(data: bytes, limit: int, top_tags: frozenset[int] = frozenset()) -> None:
    """Raise Denied("malformed") unless `data` is one well-formed, definite-length CBOR item."""
    if type(data) is not bytes or not 0 < len(data) <= limit:
        raise malformed()
    n = len(data)
    pos = 0
    # Items still to read. Every item takes at least one byte, so the loop ends within
    # len(data) rounds even when a header declares a huge count. Depth is left to cbor2's
    # max_depth, which stops at MAX_DEPTH before it builds anything deeper.
    todo = 1
    at_top = True
    while todo:
        todo -= 1
        if pos >= n:
            raise malformed()
        initial = data[pos]
        pos += 1
        info = initial & 31
        if info < 24:
            arg = info
        elif info < 28:
            size = 1 << (info - 24)
            arg = int.from_bytes(data[pos : pos + size], "big")
            pos += size
            if pos > n:
                raise malformed()
        else:
            # 28-30 are reserved; 31 is indefinite length or a stray break: none in our formats.
            raise malformed()
        major = initial >> 5
        if major == 6:
            if not (at_top and arg in top_tags):
                raise malformed()
            todo += 1
            continue
        at_top = False
        if major == 2 or major == 3:
            pos += arg
            if pos > n:
                raise malformed()
        elif major == 4:
            todo += arg
        elif major == 5:
            todo += 2 * arg
        elif major == 7 and info == 24 and arg < 32:
            raise malformed()  # two-byte simple values below 32 are not well-formed
    if pos != n:
        raise malformed()  # trailing bytes would let two parsers see different messages


def decode(data: bytes, limit: int, top_tags: frozenset[int] = frozenset()) -> object:
    """Scan, then decode untrusted bytes; any problem is Denied("malformed")."""
    if type(data) is bytearray or type(data) is memoryview:
        data = bytes(data)  # BLE stacks hand over buffers; the rest of the module wants bytes
    scan(data, limit, top_tags)
    return _loads(data)


def decode_trusted(data: bytes, limit: int) -> object:
    """Decode bytes whose signature a trusted key has just verified (no pre-scan)."""
    if type(data) is not bytes or not 0 < len(data) <= limit:
        raise malformed()
    return _loads(data)


def _loads(data: bytes) -> object:
    fp = BytesIO(data)
    try:
        value = cbor2.CBORDecoder(fp, max_depth=MAX_DEPTH).decode()
    except Exception:
        # cbor2 raises its own errors but also ValueError, decimal and recursion errors from
        # its semantic decoders; to a lock every one of them means the same thing.
        raise malformed() from None
    if fp.tell() != len(data):
        raise malformed()
    return value


def bstr_head(length: int) -> bytes:
    """Return the CBOR head of a byte string of `length` bytes (major type 2)."""
    if length < 24:
        return bytes((0x40 | length,))
    if length < 0x100:
        return bytes((0x58, length))
    if length < 0x10000:
        return b"\x59" + length.to_bytes(2, "big")
    return b"\x5a" + length.to_bytes(4, "big")


def is_uint(value: object, bits: int = 64) -> bool:
    """True for a plain int (not bool) in [0, 2**bits)."""
    return type(value) is int and 0 <= value < (1 << bits)
