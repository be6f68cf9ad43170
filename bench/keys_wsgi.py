"""The app gunicorn serves for keys_http.py: a temporary instance folder and SQLite database
(KEYS_BENCH_DIR), rate limits off, test secrets; nothing touches the real instance/."""

import base64
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal import create_app  # noqa: E402

KEYS = {
    "current": "b1",
    "keys": {"b1": base64.urlsafe_b64encode(b"b" * 32).decode()},
    "index_key": base64.urlsafe_b64encode(b"j" * 32).decode(),
}


def build():
    """The benchmark app."""
    folder = Path(os.environ["KEYS_BENCH_DIR"])
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "INSTANCE_PATH": str(folder / "instance"),
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdef",
            "FIELD_KEYS": KEYS,
            "RATELIMIT_ENABLED": False,
            "LOG_LEVEL": "WARNING",
        }
    )


app = build() if "KEYS_BENCH_DIR" in os.environ and "gunicorn" in sys.argv[0] else None
