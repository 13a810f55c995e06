"""The sponsor's own queries in the central database: raised on merged data, sent to a site in signed query
bundles, and matched with the site's answer when its next bundle is merged.

The central tables of the sites' data (`queries`, `query_messages`) are replaced at every merge; these are not:
they are the sponsor's record of what it asked and decided. A sponsor query is matched with the site's copy by its
central id, which the site keeps in `check_key` ("sponsor:SQ-0001"), never by row number.
"""
from __future__ import annotations

from sqlalchemy import Column, Integer, Table, Text

from ecrf.merge.central.schema import metadata

sponsor_queries = Table(
    "sponsor_queries", metadata,
    Column("query_id", Text, primary_key=True),  # SQ-0001
    Column("number", Integer, nullable=False, unique=True),
    Column("installation_id", Text, nullable=False),  # the source whose subject it is about
    Column("site_code", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("scope", Text, nullable=False),  # ecrf.study.status.Scope: item, form or visit
    Column("visit", Text, nullable=False),
    Column("form", Text, nullable=False),
    Column("timepoint", Text, nullable=False),
    Column("repeat", Integer, nullable=False),
    Column("item", Text, nullable=False),
    Column("state", Text, nullable=False),  # the sponsor's side: open until it closes the query
    Column("raised_by", Text, nullable=False),  # the data manager's handle
    Column("raised_at", Text, nullable=False),
)

# The sponsor's steps of each query (raised, closed), in order: what the query bundles carry to the site.
sponsor_query_steps = Table(
    "sponsor_query_steps", metadata,
    Column("query_id", Text, primary_key=True),
    Column("step_no", Integer, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("at_utc", Text, nullable=False),
    Column("text", Text, nullable=False),
)

# Every query bundle written, per installation: its sequence grows, so a site can refuse an older one.
sponsor_query_bundles = Table(
    "sponsor_query_bundles", metadata,
    Column("installation_id", Text, primary_key=True),
    Column("sequence", Integer, primary_key=True),
    Column("file_name", Text, nullable=False),
    Column("manifest_sha256", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("queries", Integer, nullable=False),
)
