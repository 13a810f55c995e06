"""What the subject search looks in, and why a row was found.

A subject is found by any of its numbers: the label shown, the screening number, the subject ID and the
allocation number. When the typed text is not in the label, the row would look like a wrong hit
("017" finds DEMO-015, screening number DEMO-S017), so the matrix names the number that matched."""
from __future__ import annotations

from enum import Enum

from ecrf.services.overview import SubjectRow


class MatchedBy(Enum):
    """A number of the subject other than its label that the search text was found in."""

    SCREENING_NO = "screening_no"
    SUBJECT_ID = "subject_id"
    RAND_NO = "rand_no"


def search_key(row: SubjectRow) -> str:
    """Every number a user may type to find the subject, lower-cased, in one string."""
    return "\n".join(n.casefold() for n in (row.label, row.screening_no, row.subject_id, row.rand_no) if n)


def normalise(text: str) -> str:
    """The typed text as it is compared with the keys."""
    return text.strip().casefold()


def matched_by(row: SubjectRow, text: str) -> tuple[MatchedBy, str] | None:
    """The other number `text` (normalised) was found in, when it is not in the label itself."""
    if not text or text in row.label.casefold():
        return None
    for field in MatchedBy:
        number = getattr(row, field.value)
        if number and text in number.casefold():
            return field, number
    return None
