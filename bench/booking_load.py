"""A small pure-Python HTTP client for booking_bench.py: cookies, CSRF tokens, timed requests."""

import http.client
import re
import time
from urllib.parse import urlencode

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def radio_values(html: str, name: str) -> list[str]:
    """The values of the radio buttons called `name`."""
    return re.findall(rf'name="{name}" value="([^"]*)"', html)


class Client:
    """One browser-like session (a cookie jar) against 127.0.0.1:port."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, method: str, path: str, form: dict | None = None):
        """(status, milliseconds, body text, Location header); remembers cookies and CSRF."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode({**form, "csrf_token": self.token}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        spent = (time.perf_counter() - started) * 1000
        conn.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        found = TOKEN.search(text)
        if found:
            self.token = found.group(1)
        return response.status, spent, text, response.getheader("Location") or ""


def percentile(samples: list[float], q: float) -> float:
    """The q-quantile (nearest rank) of the samples."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]
