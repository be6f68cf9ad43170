"""What the locksmith's jobs tell the features that made them (they connect in init_app).

Receivers run in the sender's session and transaction.
"""

from blinker import Namespace

_signals = Namespace()

# sender: the session; kwargs: job (Job, now done or failed), now. Booking marks the
# appointment behind a fitting job completed or failed.
job_closed = _signals.signal("job-closed")

# sender: the session; kwargs: job (a removal job, now done), signed_by (str | None: who took
# the physical keys back), now, actor. The key cabinet (changes) records the keys returned.
removal_done = _signals.signal("removal-done")
