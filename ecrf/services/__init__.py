"""Use cases: the one door for writes. Every call checks the user's role, runs in one transaction and
writes its audit events in that same transaction."""
