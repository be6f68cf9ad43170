"""The HTTP side of the exports: a CSV body (an iterator of text) or an XLSX file as a download.

File names are in the reader's language ("besøg-2026-12-05.csv"): `filename` holds an ASCII
spelling for old clients ("besoeg-..."), `filename*` the real one (RFC 6266, RFC 8187).
"""

import unicodedata
from urllib.parse import quote

from flask import Response, send_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Letters NFKD does not take apart, spelt as Danish and Swedish write them without them.
_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "Æ": "Ae", "Ø": "Oe", "ß": "ss"})


def ascii_name(name: str) -> str:
    """The file name in ASCII letters only: "besøg" becomes "besoeg", "besök" "besok"."""
    plain = unicodedata.normalize("NFKD", name.translate(_ASCII))
    plain = plain.encode("ascii", "ignore").decode()
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in plain)


def disposition(name: str) -> str:
    """The Content-Disposition of an attachment called `name`."""
    plain = ascii_name(name)
    if plain == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def csv_download(body, name: str) -> Response:
    """Send CSV text chunks as the attachment `name`."""
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": disposition(name)})


def xlsx_download(out, name: str) -> Response:
    """Send an open XLSX file as the attachment `name` (closed once sent)."""
    response = send_file(out, mimetype=XLSX, as_attachment=True, download_name=name)
    response.headers["Content-Disposition"] = disposition(name)
    # send_file says "no-cache", which still lets the browser keep the file on disk.
    response.headers["Cache-Control"] = "no-store"
    return response
