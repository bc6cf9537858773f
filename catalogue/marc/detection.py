"""Flavour (UNIMARC, MARC 21, or something else) and character set, read from the data.

Flavour, per record: a 200 title without 245 is UNIMARC; 245 without 200 is MARC 21,
unless the record has the marks of INTERMARC (the BnF's internal format: leader/22-23 not
``00``, authors with ``$m`` first names or ``$3`` authority numbers, title with a ``$d``
material designation), which is refused rather than mis-mapped. Authority records
(leader/06 ``x``/``y``/``z``) are refused as well.

Character set, per record (files mix them): bytes valid as UTF-8 are UTF-8 — whatever
leader/09 or 100$a/26-29 declare, since real French files declare ``0103`` (ISO 5426) or a
blank leader/09 while writing UTF-8. Otherwise MARC 21 is MARC-8 (or broken UTF-8 when
leader/09 is ``a``); UNIMARC is read from 100$a/26-29 and the bytes: ISO 5426 (diacritic
bytes 0xC0-0xDF before letters), KOI8-R or CP866 for Cyrillic sets, else ISO-8859-1.
"""

from __future__ import annotations

import re
import unicodedata

from .charsets import decoder_for
from .cleaning import clean_text
from .reading import RawRecord, split_data_field
from .record import MarcField, MarcRecord

UNIMARC = "unimarc"
MARC21 = "marc21"
INTERMARC = "intermarc"
FLAVOURS = (UNIMARC, MARC21)


class UnsupportedRecord(ValueError):
    """A record the portal refuses to map (message in French)."""


def detect_flavour(leader: str, tags: set[str], fields: dict[str, list[str]] | None = None) -> str:
    """``unimarc``, ``marc21`` or ``intermarc`` for one record; ``UnsupportedRecord`` when
    nothing fits. ``fields`` optionally gives the subfield codes seen per tag."""
    codes = fields or {}
    has_200, has_245 = "200" in tags, "245" in tags
    if has_200 and not has_245:
        return UNIMARC
    if has_245 and not has_200:
        if _looks_intermarc(leader, tags, codes):
            return INTERMARC
        return MARC21
    if has_200 and has_245:
        return MARC21 if "008" in tags else UNIMARC
    if "008" in tags or "260" in tags or "264" in tags:
        return MARC21
    if "210" in tags or "214" in tags or "100" in tags:
        return UNIMARC
    raise UnsupportedRecord("Format non reconnu : ni titre UNIMARC (200) ni titre MARC 21 (245).")


def _looks_intermarc(leader: str, tags: set[str], codes: dict[str, list[str]]) -> bool:
    if leader[22:24] == "00":
        return False
    signs = 0
    if "m" in codes.get("100", ()) or "m" in codes.get("700", ()):
        signs += 1
    if "3" in codes.get("100", ()) or "3" in codes.get("700", ()):
        signs += 1
    if "d" in codes.get("245", ()):
        signs += 1
    if "009" in tags:
        signs += 1
    return signs >= 2


_DIACRITIC_BEFORE_LETTER_RE = re.compile(rb"[\xc0-\xdf][A-Za-z]")


def detect_encoding(raw: RawRecord, flavour: str) -> str:
    """The character set of the fields of ``raw`` (see the module docstring)."""
    bodies = [body for _, body in raw.fields]
    joined = b"\x1e".join(bodies)
    if joined.isascii():
        return "marc8" if flavour == MARC21 and b"\x1b" in joined else "utf-8"
    try:
        joined.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    if flavour in (MARC21, INTERMARC):
        return "utf-8" if raw.leader[9:10] == "a" else "marc8"
    coded = ""
    for tag, body in raw.fields:
        if tag == "100":
            coded = body.decode("latin-1")
            coded = coded.split("\x1fa", 1)[1] if "\x1fa" in coded else ""
            break
    sets = coded[26:30]
    high = [byte for byte in joined if byte >= 0x80]
    if "02" in (sets[0:2], sets[2:4]) or len(high) > len(joined) // 4:
        # Cyrillic: CP866 puts lower-case letters at 0xA0-0xAF and 0xE0-0xEF, KOI8-R at 0xC0-0xDF.
        cp866_hits = sum(1 for byte in high if 0xA0 <= byte <= 0xAF or 0x80 <= byte <= 0x9F)
        return "cp866" if cp866_hits > len(high) // 2 else "koi8-r"
    if "03" in (sets[0:2], sets[2:4]) or len(_DIACRITIC_BEFORE_LETTER_RE.findall(joined)) * 2 >= len(high):
        return "iso5426"
    return "iso-8859-1"


# Bytes that make a UTF-8 record need cleaning: C0 controls other than the delimiters, C1
# controls (U+0080-U+009F), LRM/RLM, BOM, and what may be double-encoded UTF-8.
_NEEDS_CLEANING_RE = re.compile(rb"[\x00-\x1c\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f]|\xef\xbb\xbf|\xc3[\x82-\xb4]\xc2")
# The same for ASCII bytes (the other alternatives need bytes over 0x7F), twice as fast.
_ASCII_NEEDS_CLEANING_RE = re.compile(rb"[\x00-\x1c\x7f]")


def _utf8_texts(raw: RawRecord) -> tuple[list[str] | None, bool]:
    """``(decoded bodies of the fields, NFC or not)`` when the fields of ``raw`` are valid
    UTF-8 with nothing to clean except perhaps the normalisation; ``(None, False)``
    otherwise. Decoded at once: one call instead of one per field."""
    joined = b"\x1e".join([body for _, body in raw.fields])
    normalized = True
    if joined.isascii():
        if _ASCII_NEEDS_CLEANING_RE.search(joined) is not None:
            return None, False
        text = joined.decode("ascii")
    else:
        if _NEEDS_CLEANING_RE.search(joined) is not None:
            return None, False
        try:
            text = joined.decode("utf-8")
        except UnicodeDecodeError:
            return None, False
        normalized = unicodedata.is_normalized("NFC", text)
    texts = text.split("\x1e")
    if len(texts) != len(raw.fields):  # pragma: no cover - bodies never hold 0x1E (see reading)
        texts = [body.decode("utf-8") for _, body in raw.fields]
    return texts, normalized


def _nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _decode_utf8_to_nfc(raw: RawRecord, texts: list[str]) -> MarcRecord:
    """What ``decode_record(raw, encoding="utf-8")`` gives when :func:`_utf8_texts` found
    nothing to clean but the normalisation (decomposed accents, as in the Library of
    Congress files): no double-encoded UTF-8 and no control character but the delimiters
    (the bytes were checked by ``_NEEDS_CLEANING_RE``), and subfield values cannot hold a
    delimiter, so ``clean_text`` of a value is its NFC form. Control fields may hold a
    stray 0x1F: they are cleaned in full."""
    fields: list[MarcField] = []
    for (tag, _body), text in zip(raw.fields, texts, strict=True):
        if tag < "010" and tag.isdigit():
            fields.append(MarcField(tag=tag, data=clean_text(text)))
            continue
        indicators, subfields = split_data_field(text)
        fields.append(MarcField(tag, indicators, [(code, _nfc(value)) for code, value in subfields]))
    return MarcRecord(leader=raw.leader, fields=fields)


def decode_record(raw: RawRecord, *, encoding: str) -> MarcRecord:
    """Decode the fields of ``raw`` with ``encoding`` and clean them (records that need no
    cleaning take :func:`_decode_clean_utf8` instead)."""
    decode = decoder_for(encoding)
    per_subfield = encoding == "marc8"  # MARC-8 escapes must not leak between subfields
    fields: list[MarcField] = []
    for tag, body in raw.fields:
        if tag < "010" and tag.isdigit():
            fields.append(MarcField(tag=tag, data=clean_text(decode(body))))
            continue
        if per_subfield:
            parts = body.split(b"\x1f")
            indicators = parts[0].decode("latin-1")
            text = indicators + "".join("\x1f" + decode(part) for part in parts[1:])
        else:
            text = decode(body)
        indicators, subfields = split_data_field(text)
        fields.append(
            MarcField(
                tag=tag,
                indicators=indicators,
                subfields=[(code, clean_text(value)) for code, value in subfields],
            )
        )
    return MarcRecord(leader=raw.leader, fields=fields)


def _decode_clean_utf8(raw: RawRecord, only: frozenset[str] | None, texts: list[str]) -> MarcRecord:
    """The fields of ``raw`` from their bodies ``texts``, decoded by :func:`_utf8_texts` and
    needing no cleaning; ``only`` limits them to those tags."""
    if only is None:
        selected = list(zip([tag for tag, _ in raw.fields], texts, strict=True))
    else:
        selected = [(tag, text) for (tag, _), text in zip(raw.fields, texts, strict=True) if tag in only]
    fields: list[MarcField] = []
    for tag, text in selected:
        if tag < "010" and tag.isdigit():
            fields.append(MarcField(tag, "  ", None, text))
            continue
        parts = text.split("\x1f")
        indicators = parts[0] if len(parts[0]) == 2 else (parts[0] + "  ")[:2]
        fields.append(MarcField(tag, indicators, [(p[0], p[1:]) for p in parts[1:] if p]))
    return MarcRecord(leader=raw.leader, fields=fields)


def subfield_codes(record: MarcRecord) -> dict[str, list[str]]:
    return {
        f.tag: [code for code, _ in f.subfields or ()]
        for f in record.fields
        if f.tag in ("100", "700", "245") and f.subfields is not None
    }


def raw_subfield_codes(raw: RawRecord) -> dict[str, list[str]]:
    codes: dict[str, list[str]] = {}
    for tag, body in raw.fields:
        if tag in ("100", "700", "245"):
            codes.setdefault(tag, []).extend(chr(part[0]) for part in body.split(b"\x1f")[1:] if part)
    return codes


def resolve(
    raw: RawRecord | None,
    record: MarcRecord | None,
    *,
    flavour: str | None,
    encoding: str | None,
    only: frozenset[str] | None = None,
) -> tuple[MarcRecord, str, str]:
    """Decode one read record and tell its flavour: ``(record, flavour, encoding)``.

    ``only``: when the record is clean UTF-8 and well formed (``raw.data`` kept, to be
    stored as is), decode only these tags. Otherwise every field is decoded and cleaned,
    and ``raw.data`` is reset to None.

    Raises ``UnsupportedRecord`` for INTERMARC, authority records and unknown formats."""
    if raw is not None:
        tags = {tag for tag, _ in raw.fields}
        leader = raw.leader
        # Only the INTERMARC test reads the codes, and only when leader/22-23 are not "00".
        codes = raw_subfield_codes(raw) if flavour is None and leader[22:24] != "00" else {}
    elif record is not None:
        tags = record.tags()
        leader = record.leader
        codes = subfield_codes(record)
    else:
        raise UnsupportedRecord("Notice vide.")
    if leader[6:7] in ("x", "y", "z"):
        raise UnsupportedRecord("Notice d'autorité : seules les notices bibliographiques sont importées.")
    detected = flavour or detect_flavour(leader, tags, codes)
    if detected == INTERMARC:
        raise UnsupportedRecord(
            "Notice INTERMARC (format interne de la BnF) : elle n'est pas importée. "
            "Demandez un export UNIMARC ou MARC 21, ou forcez le format si vous êtes sûr de vous."
        )
    if raw is not None:
        texts, normalized = _utf8_texts(raw) if encoding in (None, "utf-8") else (None, False)
        if texts is not None and normalized:
            used = "utf-8"
            record = _decode_clean_utf8(raw, only if raw.data is not None else None, texts)
        elif texts is not None:
            raw.data = None  # stored normalised: rebuilt from the decoded fields
            used = "utf-8"
            record = _decode_utf8_to_nfc(raw, texts)
        else:
            raw.data = None  # the stored copy must be rebuilt from the decoded, cleaned fields
            used = encoding or detect_encoding(raw, detected)
            record = decode_record(raw, encoding=used)
    elif record is not None:
        used = "utf-8"
        for f in record.fields:
            if f.subfields is None:
                f.data = clean_text(f.data or "")
            else:
                f.subfields = [(code, clean_text(value)) for code, value in f.subfields]
    if record is None:
        raise UnsupportedRecord("Notice vide.")
    return record, detected, used
