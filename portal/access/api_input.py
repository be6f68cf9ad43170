"""Request bodies of the field API: strict JSON in, checked against the OpenAPI file's schemas.

The schemas in `openapi.json` are the one source of truth: this module validates with the
small subset of JSON Schema they use (object, string, integer, array; required,
additionalProperties false, lengths, ECMA-262 patterns without flags, ranges, item counts).
"""

import base64
import binascii
import json
import re
from functools import cache
from pathlib import Path

from flask import request

from portal.access.problems import ApiProblem

OPENAPI_PATH = Path(__file__).with_name("openapi.json")
_B64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")


@cache
def openapi_document() -> dict:
    """The parsed OpenAPI document (read once per process)."""
    return json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))


def schema(name: str) -> dict:
    """A named schema from components.schemas."""
    return openapi_document()["components"]["schemas"][name]


class _Duplicate(ValueError):
    pass


def _pairs(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(key)  # two parsers could pick different values: refuse
        out[key] = value
    return out


def _no_constants(name):
    raise ValueError(f"{name} is not JSON")


def json_body(max_bytes: int) -> dict:
    """The request body as a JSON object, or an ApiProblem (415, 413, 400)."""
    mimetype = request.mimetype or ""
    if mimetype != "application/json" and not (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    ):
        raise ApiProblem("unsupported-media-type")
    if request.content_length is not None and request.content_length > max_bytes:
        raise ApiProblem("payload-too-large", f"at most {max_bytes} bytes")
    request.max_content_length = max_bytes
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw, object_pairs_hook=_pairs, parse_constant=_no_constants)
    except _Duplicate as exc:
        raise ApiProblem("malformed-json", f"member {str(exc)[:40]!r} appears twice") from None
    except (ValueError, RecursionError):
        raise ApiProblem("malformed-json") from None
    if not isinstance(body, dict):
        raise ApiProblem("invalid-request", "the body must be a JSON object")
    return body


def _type_ok(value, kind: str) -> bool:
    if kind == "integer":
        return type(value) is int
    if kind == "string":
        return type(value) is str
    if kind == "array":
        return type(value) is list
    if kind == "object":
        return type(value) is dict
    return False


@cache
def _regex(pattern: str) -> re.Pattern:
    # The file's patterns are anchored with ^...$; fullmatch avoids Python's "$ before \n".
    return re.compile(pattern.removeprefix("^").removesuffix("$"))


def errors(value, spec: dict, where: str = "") -> list[dict]:
    """JSON Schema (subset) errors as [{"field", "message"}]."""
    if "$ref" in spec:
        spec = schema(spec["$ref"].rsplit("/", 1)[1])
    kind = spec.get("type")
    if kind and not _type_ok(value, kind):
        return [{"field": where or "(body)", "message": f"must be {kind}"}]
    found: list[dict] = []
    if kind == "object":
        props = spec.get("properties", {})
        for name in spec.get("required", []):
            if name not in value:
                found.append({"field": name, "message": "is required"})
        for name, item in value.items():
            if name in props:
                found += errors(item, props[name], name)
            elif spec.get("additionalProperties") is False:
                found.append({"field": name[:40], "message": "is not allowed"})
    elif kind == "string":
        if len(value) < spec.get("minLength", 0) or len(value) > spec.get("maxLength", 1 << 30):
            found.append({"field": where, "message": "has the wrong length"})
        elif "pattern" in spec and not _regex(spec["pattern"]).fullmatch(value):
            found.append({"field": where, "message": "has the wrong format"})
    elif kind == "integer":
        if value < spec.get("minimum", -(1 << 63)) or value > spec.get("maximum", 1 << 63):
            found.append({"field": where, "message": "is out of range"})
    elif kind == "array":
        if len(value) < spec.get("minItems", 0) or len(value) > spec.get("maxItems", 1 << 30):
            found.append({"field": where, "message": "has the wrong number of items"})
        elif "items" in spec:
            for i, item in enumerate(value):
                found += errors(item, spec["items"], f"{where}[{i}]")
                if len(found) > 20:
                    break
    return found[:20]


def validated(body: dict, schema_name: str) -> dict:
    """The body if it matches the named schema, else ApiProblem("invalid-request")."""
    problems = errors(body, schema(schema_name))
    if problems:
        raise ApiProblem("invalid-request", errors=problems)
    return body


def b64url_decode(text: str) -> bytes | None:
    """Strict base64url (padding optional); None when it is not."""
    if type(text) is not str or not _B64URL.fullmatch(text):
        return None
    stripped = text.rstrip("=")
    if len(stripped) % 4 == 1:
        return None
    try:
        return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except (binascii.Error, ValueError):
        return None


def b64url(data: bytes) -> str:
    """Base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
