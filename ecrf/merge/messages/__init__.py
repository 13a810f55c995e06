"""The sponsor side's error catalogues, one file per part (registered together by `ecrf.merge.errors`)."""
