"""What the register tells the features above it when a citizen's home changes or care ends.

Sent by `changes` (an approved request, or a change registered from the care system); the
locksmith feature connects in its init_app and makes the relocation or removal job. Receivers
run in the sender's session and transaction: what they write is committed, or rolled back,
together with the change itself.
"""

from blinker import Namespace

_signals = Namespace()

# sender: the session; kwargs: citizen (Citizen, still carrying the OLD address: the register
# changes on the moving day), from_address (str, the old one-line address where the unit is
# now), to_address (str, the new one-line address), on (date, the moving day), now (datetime),
# actor (Actor). Sent when the move is approved, so the job can be planned before the day; the
# unit moves with the citizen to a home inside the municipality.
citizen_relocating = _signals.signal("citizen-relocating")

# sender: the session; kwargs: citizen (Citizen), reason ("moved_away" | "care_ended" |
# "deceased" | "opted_out"), on (date, the effective day), estate_contact (str | None, for a
# death), now, actor. The door is to be restored and the unit removed.
citizen_leaving = _signals.signal("citizen-leaving")
