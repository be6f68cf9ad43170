"""What third-party access tells access (which holds the keys), without knowing it.

Receivers run in the sender's session and transaction.
"""

from blinker import Namespace

_signals = Namespace()

# sender: the session; kwargs: reason (str), now, actor, and what narrowed: company_id (every
# key of that company), entrance_ids (keys naming those entrances' units), owner_id (keys
# naming any unit of that owner's entrances); given together they narrow each other. Access
# revokes the affected partner keys in the next bulletin, at once.
partner_access_narrowed = _signals.signal("partner-access-narrowed")
