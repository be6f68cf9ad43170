"""Web plumbing shared by every feature: htmx, errors, authorisation, security headers."""
