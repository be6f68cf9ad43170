"""Gunicorn settings shared by `make run` and the HTTP benchmarks (command-line flags win)."""

import gc

# A request that makes a PDF may wait for the web process's PDF worker and then for the layout,
# each for at most PDF_RENDER_TIMEOUT (30 s by default; portal/documents/pool.py): gunicorn must
# not kill the worker before the page that says "took too long" is sent (its default is 30 s).
timeout = 90


def post_worker_init(worker):
    """Move everything the app built at start-up out of the garbage collector's sight.

    Templates, mappers, compiled SQL and locale data live as long as the worker. Frozen, they
    are no longer scanned by every full collection (shorter pauses, so a lower p99) and their
    memory pages stay shared with the master instead of being copied by the collector.
    """
    gc.collect()
    gc.freeze()


def on_starting(server):
    """Tell the app how many processes serve, so production can insist on shared rate limits."""
    import os

    os.environ.setdefault("PORTAL_PROCESSES", str(server.cfg.workers))


def _redacting_logger():
    from gunicorn.glogging import Logger

    from portal.web.redact import redact

    class RedactingLogger(Logger):
        """The access log without letter codes (the QR link carries one in its query)."""

        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            return {name: redact(value) for name, value in atoms.items()}

    return RedactingLogger


logger_class = _redacting_logger()
