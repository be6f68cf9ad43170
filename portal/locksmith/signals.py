"""What the locksmith's jobs tell the features that made them (they connect in init_app).

Receivers run in the sender's session and transaction.
"""

from blinker import Namespace

_signals = Namespace()

# sender: the session; kwargs: job (Job, now done or failed), now. Booking marks the
# appointment behind a fitting job completed or failed.
job_closed = _signals.signal("job-closed")
