"""ISO 2709 at the byte level: split a stored record into fields, build one back.

The export handles tens of thousands of records per second, so it works on the UTF-8 bytes
of ``Record.marc`` directly instead of building pymarc objects: a field is ``(tag, body)``
where ``body`` is the field data without its terminator (indicators, then ``0x1F`` +
code + value for each subfield). Every file produced is still read back by pymarc and
yaz-marcdump in the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

FIELD_TERMINATOR = b"\x1e"
RECORD_TERMINATOR = b"\x1d"
SUBFIELD_DELIMITER = b"\x1f"
MAX_RECORD_LENGTH = 99_999
MAX_FIELD_LENGTH = 9_999  # with its terminator

Field = tuple[bytes, bytes]


class RecordTooLarge(ValueError):
    """The record cannot be written in ISO 2709 (over 99 999 bytes, or a field over 9 999)."""


def split_record(data: bytes) -> tuple[bytes, list[Field]]:
    """``(leader, fields)`` of one ISO 2709 record as stored by the portal.

    Stored records have their data in directory order, so the data is simply split at the
    field terminators; when the counts disagree the directory's offsets are used.
    """
    leader = data[:24]
    base = int(data[12:17])
    directory = data[24 : base - 1]
    tags = [directory[offset : offset + 3] for offset in range(0, len(directory) - 11, 12)]
    bodies = data[base:].rstrip(RECORD_TERMINATOR).split(FIELD_TERMINATOR)
    if bodies and bodies[-1] == b"":
        bodies.pop()
    if len(bodies) == len(tags):
        return leader, list(zip(tags, bodies, strict=True))
    fields: list[Field] = []
    for offset in range(0, len(directory) - 11, 12):
        length = int(directory[offset + 3 : offset + 7])
        start = base + int(directory[offset + 7 : offset + 12])
        body = data[start : start + length]
        if body[-1:] == FIELD_TERMINATOR:
            body = body[:-1]
        fields.append((directory[offset : offset + 3], body))
    return leader, fields


def subfields(body: bytes) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """``(indicators, [(code, value), …])`` of a data field body."""
    parts = body.split(SUBFIELD_DELIMITER)
    return parts[0][:2].ljust(2), [(part[:1], part[1:]) for part in parts[1:] if part]


def data_field(indicators: bytes, pairs: Iterable[tuple[bytes, bytes]]) -> bytes:
    """The body of a data field; subfields with an empty value are left out."""
    return indicators + b"".join([SUBFIELD_DELIMITER + code + value for code, value in pairs if value])


def build_record(leader: bytes, fields: Sequence[Field]) -> bytes:
    """The ISO 2709 bytes of ``fields`` with ``leader`` (lengths and base address computed).

    Raises ``RecordTooLarge`` when a field or the record exceeds what ISO 2709 can express.
    """
    directory = bytearray()
    position = 0
    for tag, body in fields:
        length = len(body) + 1
        if length > MAX_FIELD_LENGTH:
            raise RecordTooLarge(f"field {tag.decode('ascii', 'replace')} has {length} bytes")
        directory += b"%s%04d%05d" % (tag, length, position)
        position += length
    base = 24 + len(directory) + 1
    total = base + position + 1
    if total > MAX_RECORD_LENGTH:
        raise RecordTooLarge(f"record has {total} bytes")
    head = b"%05d%s%05d%s" % (total, leader[5:12], base, leader[17:24])
    return b"".join(
        (
            head,
            directory,
            FIELD_TERMINATOR,
            FIELD_TERMINATOR.join(body for _, body in fields),
            FIELD_TERMINATOR,
            RECORD_TERMINATOR,
        )
    )
