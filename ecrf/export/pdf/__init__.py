"""The bundle PDFs: a signed casebook per subject and the annotated blank CRF (reportlab, pyHanko)."""
