"""Query bundles: the sponsor's queries, signed, on their way back to one site installation."""
