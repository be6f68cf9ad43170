"""The HTTP side of the exports: a CSV body (an iterator of text) or an XLSX file as a download."""

from flask import Response, send_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_download(body, name: str) -> Response:
    """Send CSV text chunks as the attachment `name` (ASCII)."""
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def xlsx_download(out, name: str) -> Response:
    """Send an open XLSX file as the attachment `name` (closed once sent)."""
    response = send_file(out, mimetype=XLSX, as_attachment=True, download_name=name)
    # send_file says "no-cache", which still lets the browser keep the file on disk.
    response.headers["Cache-Control"] = "no-store"
    return response
