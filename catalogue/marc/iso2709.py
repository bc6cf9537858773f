"""UTF-8 ISO 2709 serialisation of a :class:`MarcRecord` (what ``Record.marc`` stores)."""

from __future__ import annotations

from .record import MarcRecord

MAX_RECORD_LENGTH = 99_999
MAX_FIELD_LENGTH = 9_999


class RecordTooLong(ValueError):
    pass


def serialise(record: MarcRecord, *, flavour: str) -> tuple[bytes, list[str]]:
    """``(bytes, warnings)``: the record as UTF-8 ISO 2709 with leader/09 = ``a``.

    ISO 2709 cannot hold a field over 9 999 bytes or a record over 99 999 bytes: such
    fields are left out of the stored copy (from the end of the record for the latter), and
    each omission is reported in ``warnings`` (in French). The mapped portal fields are not
    affected: they come from the full record.
    """
    warnings: list[str] = []
    bodies: list[tuple[str, bytes]] = []
    for f in record.fields:
        if f.subfields is None:
            body = (f.data or "").encode("utf-8") + b"\x1e"
        else:
            body = (
                f.indicators.encode("utf-8", "replace")[:2].ljust(2)
                + b"".join(b"\x1f" + (code + value).encode("utf-8") for code, value in f.subfields)
                + b"\x1e"
            )
        if len(body) > MAX_FIELD_LENGTH:
            warnings.append(
                f"Zone {f.tag} de {len(body)} octets non conservée dans la notice stockée (limite ISO 2709)."
            )
            continue
        bodies.append((f.tag, body))
    data_length = sum(len(body) for _, body in bodies)
    dropped: list[str] = []
    while bodies and 24 + 12 * len(bodies) + 1 + data_length + 1 > MAX_RECORD_LENGTH:
        tag, body = bodies.pop()
        data_length -= len(body)
        dropped.append(tag)
    if dropped:
        tags = ", ".join(sorted(set(dropped)))
        warnings.append(
            f"Notice trop longue pour ISO 2709 (99 999 octets au plus) : {len(dropped)} zone(s) de fin "
            f"({tags}) non conservée(s) dans la notice stockée ; les champs affichés viennent de la notice complète."
        )
    directory = bytearray()
    position = 0
    for tag, body in bodies:
        directory += f"{tag[:3]:0>3}{len(body):04d}{position:05d}".encode("ascii")
        position += len(body)
    base = 24 + len(directory) + 1
    length = base + position + 1
    leader = list((record.leader + " " * 24)[:24])
    leader[0:5] = f"{length:05d}"
    leader[9] = "a"
    leader[10:12] = "22"
    leader[12:17] = f"{base:05d}"
    leader[20:24] = "4500" if flavour == "marc21" else "450 "
    leader_bytes = "".join(c if " " <= c <= "~" else " " for c in leader).encode("ascii")
    data = leader_bytes + bytes(directory) + b"\x1e" + b"".join(body for _, body in bodies) + b"\x1d"
    return data, warnings
