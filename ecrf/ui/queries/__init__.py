"""Queries in the app: the inbox page, the thread dialog (answer, close, cancel, re-open), raising a query from
the form editor's item menu, and the query panel and item markers of the form editor."""
