"""The merged data set (`ecrf merged export`): CSV files as a site writes them with a site column, one ODM 1.3.2
file for the study, SAS transport files for the statisticians, and a manifest of SHA-256 sums.

Everything is made from the central database alone (and the study definition for the data dictionary and
the XPT types), in a fixed order, with no clock read: the same merged data gives byte-identical files on
SQLite and PostgreSQL (docs/merge-outputs.md).
"""
