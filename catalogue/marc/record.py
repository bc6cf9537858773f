"""The in-memory MARC record used between reading, mapping and serialisation.

Lighter than ``pymarc.Record`` (the import handles hundreds of thousands of records), and
convertible to it with :meth:`MarcRecord.as_pymarc`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pymarc


@dataclass(slots=True)
class MarcField:
    """A control field (``data`` set, ``subfields`` None) or a data field."""

    tag: str
    indicators: str = "  "
    subfields: list[tuple[str, str]] | None = None
    data: str | None = None

    @property
    def is_control(self) -> bool:
        return self.subfields is None

    def get(self, code: str) -> str:
        """The first subfield ``code``, or ``""``."""
        for subfield_code, value in self.subfields or ():
            if subfield_code == code:
                return value
        return ""

    def get_all(self, code: str) -> list[str]:
        return [value for subfield_code, value in self.subfields or () if subfield_code == code]


@dataclass(slots=True)
class MarcRecord:
    leader: str
    fields: list[MarcField] = field(default_factory=list)

    def get_fields(self, *tags: str) -> Iterator[MarcField]:
        return (f for f in self.fields if f.tag in tags)

    def first(self, tag: str) -> MarcField | None:
        for f in self.fields:
            if f.tag == tag:
                return f
        return None

    def control(self, tag: str) -> str:
        found = self.first(tag)
        return (found.data or "") if found is not None and found.is_control else ""

    def subfield(self, tag: str, code: str) -> str:
        """The first ``tag$code`` of the record, or ``""``."""
        for f in self.fields:
            if f.tag == tag and f.subfields is not None:
                value = f.get(code)
                if value:
                    return value
        return ""

    def tags(self) -> set[str]:
        return {f.tag for f in self.fields}

    def as_pymarc(self) -> pymarc.Record:
        record = pymarc.Record(leader=self.leader, force_utf8=True)
        for f in self.fields:
            if f.is_control:
                record.add_field(pymarc.Field(tag=f.tag, data=f.data or ""))
            else:
                record.add_field(
                    pymarc.Field(
                        tag=f.tag,
                        indicators=pymarc.Indicators(f.indicators[0], f.indicators[1]),
                        subfields=[pymarc.Subfield(code, value) for code, value in f.subfields or ()],
                    )
                )
        return record
