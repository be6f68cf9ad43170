"""The client's address behind reverse proxies (`TRUSTED_PROXIES`).

With proxies trusted, werkzeug's ProxyFix takes the address from X-Forwarded-For. With none
(the default) and a proxy in front all the same, every client has the proxy's address: the
rate limits and the sign-in throttle then count everybody as one client (about 20 wrong staff
passwords from anyone pause every staff sign-in). Nothing can tell a forged header from a real
proxy's, so the portal does not guess: it says so in the log, once per process.
"""

import logging

from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger(__name__)


class ProxyWarning:
    """WSGI middleware: the first request with X-Forwarded-For logs a warning, then nothing."""

    def __init__(self, app):
        self.app, self.warned = app, False

    def __call__(self, environ, start_response):
        if not self.warned and "HTTP_X_FORWARDED_FOR" in environ:
            self.warned = True
            log.warning(
                "A request came through a proxy (X-Forwarded-For) but PORTAL_TRUSTED_PROXIES "
                "is 0: every client has the proxy's address, so rate limits and the sign-in "
                "throttle count all clients as one. Set it to the number of proxies in front."
            )
        return self.app(environ, start_response)


def behind_proxies(wsgi_app, proxies: int):
    """The app as the configured number of proxies in front of it require."""
    if proxies:
        return ProxyFix(wsgi_app, x_for=proxies, x_proto=proxies)
    return ProxyWarning(wsgi_app)
