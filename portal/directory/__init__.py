"""Directory: reference data every feature reads (districts, providers, care groups) and the
dated provider assignments that answer "which provider serves citizen C on date D".

Floor 3: imports only the floors below (extensions, clock, audit); citizens and every feature
above read from here, never the other way round.
"""
