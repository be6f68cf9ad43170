"""What access tells the features above it, without knowing them (they connect in init_app).

Receivers run in the sender's session and transaction: what they write is committed, or
rolled back, together with what access wrote.
"""

from blinker import Namespace

_signals = Namespace()

# sender: the session; kwargs: unit (LockUnit), now. Sent for every report below the
# alert threshold; the receiver keeps it to one open battery change per lock.
battery_low = _signals.signal("battery-low")
