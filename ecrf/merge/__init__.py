"""The sponsor's side: a trust registry of site certificates, the verified merge of every site's bundles into one
central database (a SQLite file or PostgreSQL, through SQLAlchemy), the merged data set and report, and query
bundles back to the sites. No Qt; imports the export (to verify bundles), the trail and the study, never the store.
"""
