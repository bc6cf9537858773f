"""Streaming MARC files record by record, in constant memory.

ISO 2709 files are cut on the record terminator (0x1D), as yaz does, rather than trusted
for their leader length: a truncated record, a ``\\n`` between records, an oversize record
whose length says 99999, or a wrong directory then only costs that record. Bytes without a
terminator over ``MAX_RECORD_SIZE`` are skipped as they are read (one error for them), so
that reading stays linear in the file size and bounded in memory. Each record's
structure is parsed tolerantly (fields are found by the field terminators when the
directory is wrong). MARCXML is read with ``iterparse`` and the elements are freed as soon
as read; it works with or without the MARC 21 slim namespace.

Nothing is decoded here: ISO 2709 fields stay bytes (see ``detection``), except that
MARCXML is already text.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .record import MarcField, MarcRecord

RECORD_TERMINATOR = 0x1D
FIELD_TERMINATOR = 0x1E
SUBFIELD_DELIMITER = 0x1F
_JUNK_BETWEEN_RECORDS = b"\r\n\t \x00\x1a"
CHUNK_SIZE = 1 << 20
# Bytes without a record terminator beyond this are not a record (the longest real ones, whose
# leader says 99999, hold about 1 MiB): they are skipped up to the next terminator, so that
# a file that lost its terminators is read in linear time and bounded memory.
MAX_RECORD_SIZE = 4 * CHUNK_SIZE
# The longest record a leader can state (five digits).
MAX_LEADER_LENGTH = 99_999


class MarcStructureError(ValueError):
    """A record whose bytes cannot be made into fields (message in French)."""


@dataclass(slots=True)
class RawRecord:
    """One ISO 2709 record: leader (text) and fields still as bytes (tag, body)."""

    leader: str
    fields: list[tuple[str, bytes]]
    # The original bytes when they are already a well-formed ISO 2709 record (directory in
    # order, lengths and base address right): they can then be stored as they are.
    data: bytes | None = None


@dataclass(frozen=True, slots=True)
class Unterminated:
    """A run of bytes longer than ``MAX_RECORD_SIZE`` without a record terminator: it is not
    kept, only its ``length`` (its terminator included); ``at_end`` when the file ends in it."""

    length: int
    at_end: bool

    def message(self, offset: int) -> str:
        """Why the run is rejected, in French, with where it lies (``offset``: its first byte)."""
        size = _megabytes(self.length)
        limit = _megabytes(MAX_RECORD_SIZE)
        if self.at_end:
            return (
                f"Fin de notice (caractère 0x1D) absente : les {size} de la fin du fichier, à partir de "
                f"l'octet {offset}, dépassent la taille maximale d'une notice ({limit}) et sont ignorés."
            )
        return (
            f"Fin de notice (caractère 0x1D) absente : {size} à partir de l'octet {offset} dépassent la "
            f"taille maximale d'une notice ({limit}) et sont ignorés ; la lecture reprend à la notice suivante."
        )


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):.1f} Mio".replace(".", ",")


@dataclass(slots=True)
class ReadItem:
    """What the reader gives for each record: the record, or the reason it is unreadable.

    ``position`` counts records from 1; ``offset`` is the byte offset in ISO 2709 files.
    """

    position: int
    offset: int | None = None
    raw: RawRecord | None = None
    record: MarcRecord | None = None  # MARCXML: already decoded
    error: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def control_number(self) -> str:
        if self.record is not None:
            return self.record.control("001").strip()
        if self.raw is not None:
            for tag, body in self.raw.fields:
                if tag == "001":
                    return body.decode("utf-8", "replace").strip()
        return ""


def is_xml(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<")


def read_marc(path: str | Path) -> Iterator[ReadItem]:
    """Every record of the file at ``path`` (ISO 2709 or MARCXML, told apart by content)."""
    with open(path, "rb") as stream:
        head = stream.read(64)
        stream.seek(0)
        if is_xml(head):
            yield from read_marcxml(stream)
        else:
            yield from read_iso2709(stream)


def iter_raw_chunks(
    stream: BinaryIO, chunk_size: int = CHUNK_SIZE, max_record_size: int = MAX_RECORD_SIZE
) -> Iterator[tuple[int, bytes | Unterminated]]:
    """``(byte offset, bytes up to and including the record terminator)`` for each record;
    a last chunk without terminator (truncated file) is given as is.

    Linear in the file size, in memory bounded by about ``chunk_size + max_record_size``:
    the bytes of a record are gathered only until they pass ``max_record_size``; from there
    on they are dropped as they are read, up to the next terminator, and given as one
    :class:`Unterminated`. A record glued to their end (its leader's length ending exactly
    at that terminator) is found again and given on its own. Separators before a record
    (``\\n``, ``\\r``, blanks, ``NUL``, ``^Z``) are not part of it.
    """
    if max_record_size <= MAX_LEADER_LENGTH:
        raise ValueError("max_record_size must exceed the longest length a leader can state")
    pieces: list[bytes] = []  # the record being gathered (oversize: only its last bytes)
    gathered = 0  # its length so far, dropped bytes included
    record_offset = 0
    oversize = False
    offset = 0  # byte offset of data[0]
    while data := stream.read(chunk_size):
        start = 0
        while (end := data.find(b"\x1d", start)) >= 0:
            piece = data[start : end + 1]
            if not pieces:
                stripped = piece.lstrip(_JUNK_BETWEEN_RECORDS)
                record_offset, piece = offset + end + 1 - len(stripped), stripped
            if oversize or gathered + len(piece) > max_record_size:
                yield from _resynchronised(record_offset, gathered + len(piece), b"".join([*pieces, piece]))
            else:
                yield record_offset, b"".join([*pieces, piece]) if pieces else piece
            pieces, gathered, oversize = [], 0, False
            start = end + 1
        if start < len(data):
            rest = data[start:] if start else data
            if not pieces:  # a record starts here: the separators before it are not part of it
                stripped = rest.lstrip(_JUNK_BETWEEN_RECORDS)
                record_offset = offset + start + len(rest) - len(stripped)
                rest = stripped
            if rest:
                pieces.append(rest)
                gathered += len(rest)
                oversize = oversize or gathered > max_record_size
                if oversize:  # keep only what may hold the start of a record glued to the end
                    pieces = [_last_bytes(pieces, MAX_LEADER_LENGTH)]
        offset += len(data)
    if oversize:
        yield record_offset, Unterminated(length=gathered, at_end=True)
    elif pieces:
        rest = b"".join(pieces)
        if rest.rstrip(_JUNK_BETWEEN_RECORDS):
            yield record_offset, rest


def _last_bytes(pieces: list[bytes], count: int) -> bytes:
    """The last ``count`` bytes of the concatenation of ``pieces``, joining only those needed."""
    needed: list[bytes] = []
    size = 0
    for piece in reversed(pieces):
        needed.append(piece)
        size += len(piece)
        if size >= count:
            break
    return b"".join(reversed(needed))[-count:]


# Where a leader may start: its record length, 7 printable characters, its base address.
_LEADER_RE = re.compile(rb"(?=(\d{5})[\x20-\x7e]{7}(\d{5}))")


def _resynchronised(record_offset: int, length: int, window: bytes) -> Iterator[tuple[int, bytes | Unterminated]]:
    """The end of an oversize run of ``length`` bytes starting at ``record_offset``, its
    terminator included; ``window`` holds its last bytes.

    Gives the run as :class:`Unterminated`, then the record glued to its end if there is
    one: the earliest leader in the last ``MAX_LEADER_LENGTH`` bytes whose length ends at
    the terminator and whose base address follows a field terminator."""
    window = window[-MAX_LEADER_LENGTH:]
    window_offset = record_offset + length - len(window)
    for match in _LEADER_RE.finditer(window):
        start = match.start()
        record_length, base = int(match[1]), int(match[2])
        if start + record_length == len(window) and 24 < base < record_length and window[start + base - 1] == 0x1E:
            yield record_offset, Unterminated(length=window_offset + start - record_offset, at_end=False)
            yield window_offset + start, window[start:]
            return
    yield record_offset, Unterminated(length=length, at_end=False)


def iter_framed(stream: BinaryIO) -> Iterator[tuple[int, int, bytes | Unterminated]]:
    """``(position, byte offset, record bytes)`` of each ISO 2709 record, separators skipped;
    a run of bytes too long to be a record comes as :class:`Unterminated`."""
    position = 0
    for offset, chunk in iter_raw_chunks(stream):
        if isinstance(chunk, Unterminated):
            position += 1
            yield position, offset, chunk
            continue
        stripped = chunk.lstrip(_JUNK_BETWEEN_RECORDS)
        offset += len(chunk) - len(stripped)
        if not stripped.rstrip(b"\x1d" + _JUNK_BETWEEN_RECORDS):
            continue  # separators only
        position += 1
        yield position, offset, stripped


def read_item(position: int, offset: int, data: bytes | Unterminated) -> ReadItem:
    """The :class:`ReadItem` of one framed ISO 2709 record."""
    if isinstance(data, Unterminated):
        return ReadItem(position=position, offset=offset, error=data.message(offset))
    try:
        raw = parse_iso2709(data)
    except MarcStructureError as error:
        return ReadItem(position=position, offset=offset, error=str(error))
    return ReadItem(position=position, offset=offset, raw=raw)


def read_iso2709(stream: BinaryIO) -> Iterator[ReadItem]:
    for position, offset, data in iter_framed(stream):
        yield read_item(position, offset, data)


def _leader_text(data: bytes) -> str:
    text = data.decode("latin-1")
    if text.isascii() and text.isprintable():  # the common case: nothing to replace
        return text
    return "".join(c if " " <= c <= "~" else " " for c in text)


def parse_iso2709(data: bytes) -> RawRecord:
    """Cut one ISO 2709 record (ending with 0x1D, or truncated) into leader and fields."""
    if not data.endswith(b"\x1d"):
        raise MarcStructureError("Notice tronquée : la fin du fichier arrive au milieu de la notice.")
    if len(data) < 26:
        raise MarcStructureError("Notice trop courte pour contenir un guide (leader) de 24 caractères.")
    leader = _leader_text(data[:24])
    directory_end = data.find(b"\x1e", 24)
    if directory_end < 0:
        raise MarcStructureError("Répertoire sans fin de zone : notice illisible.")
    directory = data[24:directory_end]
    if len(directory) % 12:
        # Trailing garbage in the directory: keep the whole entries.
        directory = directory[: len(directory) - len(directory) % 12]
    text = directory.decode("latin-1")
    tags = [text[i : i + 3] for i in range(0, len(text), 12)]
    try:
        starts = list(map(int, _DIRECTORY_STARTS_RE.findall(directory)))
    except ValueError:  # an entry without a number: it sorts first
        starts = [_entry_start(directory[i + 7 : i + 12]) for i in range(0, len(directory), 12)]
    body = data[directory_end + 1 : -1]
    chunks = body.split(b"\x1e")
    if chunks and chunks[-1] == b"":
        chunks.pop()
    if not tags:
        raise MarcStructureError("Répertoire vide : la notice ne contient aucune zone.")
    if len(chunks) != len(tags):
        return RawRecord(leader=leader, fields=_fields_from_directory(directory, body, len(chunks)))
    # Fields are paired with the data in the order of their offsets, which copes with
    # unordered directories and with lengths that overflow their four digits.
    in_order = starts == sorted(starts)
    if in_order:  # the common case
        fields = list(zip(tags, chunks, strict=True))
    else:
        order = sorted(range(len(tags)), key=lambda index: (starts[index], index))
        fields = [("", b"")] * len(tags)
        for chunk, index in zip(chunks, order, strict=True):
            fields[index] = (tags[index], chunk)
    well_formed = (
        in_order
        and leader[0:5] == f"{len(data):05d}"
        and leader[12:17] == f"{directory_end + 1:05d}"
        and leader[10:12] == "22"
        and len(directory) == directory_end - 24
    )
    kept = fields if "".join(tags).isalnum() else [(tag, chunk) for tag, chunk in fields if tag.isalnum()]
    return RawRecord(leader=leader, fields=kept, data=data if well_formed and len(kept) == len(fields) else None)


# The start positions of the entries of a directory (12 bytes each: tag, length, start).
_DIRECTORY_STARTS_RE = re.compile(rb".{7}(.{5})", re.DOTALL)


def _entry_start(digits: bytes) -> int:
    try:
        return int(digits)
    except ValueError:
        return -1


def _fields_from_directory(directory: bytes, body: bytes, found: int) -> list[tuple[str, bytes]]:
    """Fields read through the directory's lengths and offsets, when the field terminators
    do not match it; entries pointing outside the data or at a non-field are refused."""
    fields: list[tuple[str, bytes]] = []
    for i in range(0, len(directory), 12):
        entry = directory[i : i + 12]
        tag = entry[:3].decode("latin-1")
        try:
            length, start = int(entry[3:7]), int(entry[7:12])
        except ValueError:
            continue
        chunk = body[start : start + length]
        if length < 1 or len(chunk) != length or not chunk.endswith(b"\x1e") or b"\x1e" in chunk[:-1]:
            raise MarcStructureError(
                f"Répertoire incohérent : {len(directory) // 12} zones annoncées, {found} trouvées dans "
                f"les données, et la zone {tag} (position {start}, longueur {length}) est introuvable."
            )
        if len(tag) == 3 and tag.isalnum():
            fields.append((tag, chunk[:-1]))
    if not fields:
        raise MarcStructureError("Répertoire vide : la notice ne contient aucune zone.")
    return fields


def split_data_field(body: str) -> tuple[str, list[tuple[str, str]]]:
    """``(indicators, subfields)`` of a decoded data field body."""
    parts = body.split("\x1f")
    indicators = parts[0]
    if len(indicators) != 2:
        indicators = (indicators + "  ")[:2]
    if not (indicators.isascii() and indicators.isprintable()):
        indicators = "".join(c if " " <= c <= "~" else " " for c in indicators)
    subfields = [(part[0], part[1:]) for part in parts[1:] if part]
    return indicators, subfields


# --- MARCXML -------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_record(element: ET.Element) -> MarcRecord:
    leader = ""
    fields: list[MarcField] = []
    for child in element:
        name = _local(child.tag)
        if name == "leader":
            leader = child.text or ""
        elif name == "controlfield":
            fields.append(MarcField(tag=(child.get("tag") or "").strip(), data=child.text or ""))
        elif name == "datafield":
            indicators = ((child.get("ind1") or " ")[:1] or " ") + ((child.get("ind2") or " ")[:1] or " ")
            subfields = [
                ((sub.get("code") or " ")[:1] or " ", sub.text or "") for sub in child if _local(sub.tag) == "subfield"
            ]
            fields.append(MarcField(tag=(child.get("tag") or "").strip(), indicators=indicators, subfields=subfields))
    leader = (leader.replace("\n", " ") + " " * 24)[:24]
    return MarcRecord(leader=leader, fields=[f for f in fields if len(f.tag) == 3 and f.tag.isalnum()])


def read_marcxml(stream: BinaryIO | io.BytesIO) -> Iterator[ReadItem]:
    position = 0
    root: ET.Element | None = None
    try:
        # Staff upload these files; expat (>= 2.4) limits entity expansion and the standard
        # library never fetches external entities.
        for event, element in ET.iterparse(stream, events=("start", "end")):  # noqa: S314
            if event == "start":
                if root is None:
                    root = element
                continue
            if _local(element.tag) != "record":
                continue
            position += 1
            try:
                record = _xml_record(element)
            except (TypeError, ValueError) as error:  # pragma: no cover - defensive
                yield ReadItem(position=position, error=f"Notice XML illisible : {error}")
            else:
                yield ReadItem(position=position, record=record)
            element.clear()
            if root is not None and root is not element:
                root.clear()
    except ET.ParseError as error:
        yield ReadItem(
            position=position + 1,
            error=f"XML mal formé ({error}) : la lecture du fichier s'arrête à cette notice.",
        )
