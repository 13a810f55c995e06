"""Export bundles: the writers (CSV, CDISC ODM, PDFs), the manifest and its signature, and the verifier.

Pure with respect to the site database: the services layer reads the database into the records of
`ecrf.export.records` and hands them to `ecrf.export.bundle.writer`; `ecrf.export.verify.bundle` needs only the zip.
"""
