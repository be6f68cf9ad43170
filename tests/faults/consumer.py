"""A real huey job consumer in its own process, for the fault tests (not a test module).

`python -m tests.faults.consumer DATABASE_URI INSTANCE_DIR STALE_SECONDS OFFSET_SECONDS`: the
portal's test config on that database, huey's SQLite queue in INSTANCE_DIR, letters rendered
in this process, and this process's clock moved OFFSET_SECONDS like the test process's (which
may run a year ahead with --clock-ahead), so both agree on when a heartbeat is stale.
"""

import os
import sys
from datetime import UTC, datetime, timedelta


def main(uri: str, instance: str, stale: str, offset: str) -> None:
    """Build the app and run the consumer until killed."""
    os.environ["PORTAL_INSTANCE_PATH"] = instance  # huey's queue: read when portal.jobs loads
    os.environ.pop("REDIS_URL", None)
    if float(offset):
        import time_machine

        when = datetime.now(UTC) + timedelta(seconds=float(offset))
        time_machine.travel(when, tick=True).start()

    import portal.jobs
    from portal import create_app
    from tests.conftest import make_test_config

    app = create_app(
        make_test_config(
            uri,
            instance,
            LETTER_BATCH_STALE_SECONDS=int(stale),
            LETTER_INLINE_BELOW=100000,
            LOG_LEVEL="WARNING",
        )
    )
    portal.jobs.huey.immediate = False
    portal.jobs._app = app
    consumer = portal.jobs.huey.create_consumer(workers=1, worker_type="thread", periodic=False)
    consumer.run()


if __name__ == "__main__":
    main(*sys.argv[1:5])
