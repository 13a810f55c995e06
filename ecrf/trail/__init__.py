"""The audit trail as evidence, with no database: the hash chain, personal keys, seals and the replay of
values. The site (`ecrf.store`, `ecrf.services`) and the bundle verifier (`ecrf.export.verify`) run the
same checks over the same records, so a bundle proves exactly what the site's own check proves."""
