"""The one exception the key module raises for anything a lock or verifier refuses."""

DENIAL_REASONS = (
    "bad_signature",
    "unknown_issuer",
    "not_yet_valid",
    "expired",
    "wrong_lock",
    "revoked",
    "bad_device_proof",
    "replayed_nonce",
    "malformed",
    "lifetime_too_long",
)


class Denied(Exception):
    """A message was refused; `reason` is one of DENIAL_REASONS."""

    def __init__(self, reason: str):
        if reason not in DENIAL_REASONS:
            raise ValueError(f"unknown denial reason {reason!r}")
        super().__init__(reason)
        self.reason = reason


def malformed() -> Denied:
    """Return a fresh Denied("malformed") (raise it, with `from None` to hide parser noise)."""
    return Denied("malformed")
