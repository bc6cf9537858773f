"""UTF-8 ISO 2709, the format of ``Record.marc``: the portal's one writer (and byte-level reader).

- :func:`build_record`: the ISO 2709 bytes of a leader and fields (lengths, directory and
  base address computed); every record the portal writes goes through it.
- :func:`serialise`: a :class:`MarcRecord` (import, demo data) as stored, with leader/09 =
  ``a``, leaving out what ISO 2709 cannot hold and saying so.
- :func:`split_record`, :func:`subfields`, :func:`data_field`: a stored record taken apart
  and fields put together, for the exports.

The export handles tens of thousands of records per second, so it works on the UTF-8 bytes
directly instead of building pymarc objects: a field is ``(tag, body)`` where ``body`` is
the field data without its terminator (indicators, then ``0x1F`` + code + value for each
subfield). Every file produced is still read back by pymarc and yaz-marcdump in the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .record import MarcRecord

FIELD_TERMINATOR = b"\x1e"
RECORD_TERMINATOR = b"\x1d"
SUBFIELD_DELIMITER = b"\x1f"
MAX_RECORD_LENGTH = 99_999
MAX_FIELD_LENGTH = 9_999  # with its terminator
LEADER_LENGTH = 24
DIRECTORY_ENTRY_LENGTH = 12

Field = tuple[bytes, bytes]


class RecordTooLarge(ValueError):
    """The record cannot be written in ISO 2709 (over 99 999 bytes, or a field over 9 999)."""


def build_record(leader: bytes, fields: Sequence[Field]) -> bytes:
    """The ISO 2709 bytes of ``fields`` (3-byte tags, bodies without terminator) with ``leader``.

    The leader's positions 0-4 (record length) and 12-16 (base address) are computed; the
    others are copied from ``leader`` (24 bytes). Raises ``RecordTooLarge`` when a field or
    the record exceeds what ISO 2709 can express.
    """
    directory = bytearray()
    position = 0
    for tag, body in fields:
        length = len(body) + 1
        if length > MAX_FIELD_LENGTH:
            raise RecordTooLarge(f"field {tag.decode('ascii', 'replace')} has {length} bytes")
        directory += b"%s%04d%05d" % (tag, length, position)
        position += length
    base = LEADER_LENGTH + len(directory) + 1
    total = base + position + 1
    if total > MAX_RECORD_LENGTH:
        raise RecordTooLarge(f"record has {total} bytes")
    head = b"%05d%s%05d%s" % (total, leader[5:12], base, leader[17:24])
    if not fields:
        return head + FIELD_TERMINATOR + RECORD_TERMINATOR
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


def serialise(record: MarcRecord, *, flavour: str) -> tuple[bytes, list[str]]:
    """``(bytes, warnings)``: the record as UTF-8 ISO 2709 with leader/09 = ``a``.

    ISO 2709 cannot hold a field over 9 999 bytes or a record over 99 999 bytes: such
    fields are left out of the stored copy (from the end of the record for the latter), and
    each omission is reported in ``warnings`` (in French). The mapped portal fields are not
    affected: they come from the full record.
    """
    warnings: list[str] = []
    kept: list[tuple[str, bytes]] = []
    for f in record.fields:
        if f.subfields is None:
            body = (f.data or "").encode("utf-8")
        else:
            body = f.indicators.encode("utf-8", "replace")[:2].ljust(2) + b"".join(
                SUBFIELD_DELIMITER + (code + value).encode("utf-8") for code, value in f.subfields
            )
        if len(body) + 1 > MAX_FIELD_LENGTH:
            warnings.append(
                f"Zone {f.tag} de {len(body) + 1} octets non conservée dans la notice stockée (limite ISO 2709)."
            )
            continue
        kept.append((f.tag, body))
    # Each field takes its body, its terminator and its directory entry.
    size = LEADER_LENGTH + 1 + 1 + sum(len(body) + 1 + DIRECTORY_ENTRY_LENGTH for _, body in kept)
    dropped: list[str] = []
    while kept and size > MAX_RECORD_LENGTH:
        tag, body = kept.pop()
        size -= len(body) + 1 + DIRECTORY_ENTRY_LENGTH
        dropped.append(tag)
    if dropped:
        tags = ", ".join(sorted(set(dropped)))
        warnings.append(
            f"Notice trop longue pour ISO 2709 (99 999 octets au plus) : {len(dropped)} zone(s) de fin "
            f"({tags}) non conservée(s) dans la notice stockée ; les champs affichés viennent de la notice complète."
        )
    leader = list((record.leader + " " * LEADER_LENGTH)[:LEADER_LENGTH])
    leader[9] = "a"
    leader[10:12] = "22"
    leader[20:24] = "4500" if flavour == "marc21" else "450 "
    leader_bytes = "".join(c if " " <= c <= "~" else " " for c in leader).encode("ascii")
    fields = [(f"{tag[:3]:0>3}".encode("ascii"), body) for tag, body in kept]
    return build_record(leader_bytes, fields), warnings


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
