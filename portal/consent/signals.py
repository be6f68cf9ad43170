"""What consent tells the features above it (locksmith, letters), without knowing them.

Receivers run in the sender's session and transaction: what they write is committed, or rolled
back, together with the decision.
"""

from blinker import Namespace

_signals = Namespace()

# sender: the session; kwargs: entrance (Entrance), windows (list of (weekday 0-6, start time,
# end time) the fitter may come, possibly empty), now (datetime), actor (Actor). The owner has
# granted consent: an entrance-unit job is to be made.
entrance_granted = _signals.signal("entrance-granted")

# sender: the session; kwargs: entrance (Entrance), on (date the consent ends), now, actor.
# Consent is withdrawn: open entrance jobs are cancelled and a removal job is made for a fitted
# unit; door rights to the entrance end on `on` (derived, not copied).
entrance_withdrawn = _signals.signal("entrance-withdrawn")
