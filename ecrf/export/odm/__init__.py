"""`odm.xml`: CDISC ODM 1.3.2 written from export records, checked against the schema, and read back."""
