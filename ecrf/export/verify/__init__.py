"""`ecrf verify`: a bundle checked from its bytes alone, with a hostile-zip reader and the trust source."""
