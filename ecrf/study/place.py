"""Where a lock, a signature or a query sits in a subject's record, and which places overlap: the subject as a
whole (no visit, no form), a visit (no form), or one form instance (a log entry has no visit but a repeat)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ecrf.study.status import Scope


class FormPlace(Protocol):
    """Anything that names a form instance (the services' FormRef, an export record)."""

    @property
    def visit(self) -> str: ...
    @property
    def form(self) -> str: ...
    @property
    def timepoint(self) -> str: ...
    @property
    def repeat(self) -> int: ...


@dataclass(frozen=True, order=True)
class Place:
    """A place in one subject's record; log entries have visit '' and repeat 1, 2, ..."""

    visit: str = ""
    form: str = ""
    timepoint: str = ""
    repeat: int = 0

    @classmethod
    def of_ref(cls, ref: FormPlace) -> Place:
        return cls(ref.visit, ref.form, ref.timepoint, ref.repeat)

    @property
    def scope(self) -> Scope:
        if self.form:
            return Scope.FORM
        return Scope.VISIT if self.visit else Scope.SUBJECT

    def contains(self, other: Place) -> bool:
        """Whether `other` lies inside this place (a place contains itself)."""
        if self.scope is Scope.SUBJECT:
            return True
        if self.scope is Scope.VISIT:
            return other.visit == self.visit
        return other == self

    def overlaps(self, other: Place) -> bool:
        return self.contains(other) or other.contains(self)


    def __str__(self) -> str:
        if self.scope is Scope.SUBJECT:
            return "the whole subject"
        if self.scope is Scope.VISIT:
            return f"visit {self.visit}"
        where = f"{self.visit}/{self.form}" if self.visit else f"{self.form} #{self.repeat}"
        return where + (f"/{self.timepoint}" if self.timepoint else "")
