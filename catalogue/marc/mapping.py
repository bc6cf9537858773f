"""UNIMARC and MARC 21 records → the fields of ``catalogue.models.Record`` and ``Item``.

The result is a plain :class:`MappedRecord` (no database access), so that the importer can
map a whole batch before writing anything, and a record that fails is refused before it is
half-written.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .detection import MARC21, UNIMARC
from .record import MarcField, MarcRecord
from .relators import role_label

# Max lengths of the model fields (kept in step with catalogue/models.py).
MAX_TITLE = 1000
MAX_SHORT = 255
MAX_SERIES = 500
MAX_ISBN = 40
MAX_CALL_NUMBER = 100
MAX_SECTION = 100
MAX_BARCODE = 40
MAX_SOURCE_ID = 120


class MappingError(ValueError):
    """The record lacks what the portal needs (message in French)."""


@dataclass(slots=True)
class MappedItem:
    barcode: str
    call_number: str = ""
    section: str = ""
    document_type: str = ""


@dataclass(slots=True)
class MappedRecord:
    source_id: str
    flavour: str
    title: str
    responsibility: str = ""
    main_author: str = ""
    publisher: str = ""
    publication_year: int | None = None
    isbn: str = ""
    language: str = ""
    document_type: str = "book"
    audience: str = ""
    series: str = ""
    summary: str = ""
    authors: list[tuple[str, str]] = field(default_factory=list)  # (name, role label)
    subjects: list[str] = field(default_factory=list)
    items: list[MappedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def authors_text(self) -> str:
        return " ; ".join(name for name, _ in self.authors)

    @property
    def subjects_text(self) -> str:
        return " ; ".join(self.subjects)


# --- small helpers ---------------------------------------------------------------------------

_TRAILING_PUNCTUATION = " /:;,=.+"
_YEAR_RE = re.compile(r"(1[0-9]{3}|20[0-9]{2})")
_ISBN_RE = re.compile(r"[0-9][0-9\- ]{8,20}[0-9Xx]")


_KEPT_FINAL_DOT_RE = re.compile(r"(?:\b\w\.|etc\.|\.\.\.|\b[A-Z][a-z]{0,3}\.)$")


def _trim(value: str, limit: int | None = None) -> str:
    """Drop the ISBD punctuation that ends MARC subfields (" /", " :", ","…), but keep the
    final dot of an initial or an abbreviation ("J. K.", "etc.", "Ed.")."""
    if not value:
        return value
    if (
        value[-1] not in _TRAILING_PUNCTUATION
        and value[0] not in _TRAILING_PUNCTUATION
        and "  " not in value
        and (limit is None or len(value) <= limit)
    ):
        return value  # the common case, kept cheap: this runs for every subfield mapped
    value = " ".join(value.split()).lstrip(_TRAILING_PUNCTUATION).rstrip(" /:;,=+")
    # The pattern matches at most the last 5 characters (and the one before for \b).
    while value.endswith(".") and not _KEPT_FINAL_DOT_RE.search(value[-6:]):
        value = value[:-1].rstrip(" /:;,=+")
    if limit is not None and len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return value


def _join(parts: list[tuple[str, str]]) -> str:
    """Join ``(separator, text)`` pairs, skipping empty texts."""
    out = ""
    for separator, text in parts:
        text = _trim(text)
        if not text:
            continue
        out = f"{out}{separator}{text}" if out else text
    return out


def year_from(text: str) -> int | None:
    match = _YEAR_RE.search(text or "")
    return int(match.group(1)) if match else None


def normalise_isbn(text: str) -> str:
    match = _ISBN_RE.search(text or "")
    if not match:
        return ""
    return match.group(0).replace("-", "").replace(" ", "").upper()[:MAX_ISBN]


def _language(code: str) -> str:
    code = code.strip().lower()[:3]
    return code if len(code) == 3 and code.isalpha() else ""


# Local item type codes (995$r, 952$y…) → document type, by keyword.
_ITEM_TYPE_KEYWORDS: list[tuple[tuple[str, ...], str]] = [
    (("MANGA", "BD", "COMIC"), "comic"),
    (("JEU", "JV", "GAME", "VG"), "game"),
    (("DVD", "VID", "FILM", "BLU"), "video"),
    (("CD", "DISQ", "AUDIO", "MUS", "SOUND"), "audio"),
    (("REV", "PER", "MAG", "JOURN", "SERIAL"), "periodical"),
    (("PART", "SCORE"), "score"),
    (("CART", "MAP"), "map"),
    (("LIV", "ROM", "ALB", "DOC", "BOOK", "LA", "LJ", "LIVRE"), "book"),
]


def document_type_from_code(code: str) -> str:
    """Document type of a local item type code ("BD", "DVD", "LIV"…), or ``""``."""
    value = code.strip().upper()
    if not value:
        return ""
    for keywords, document_type in _ITEM_TYPE_KEYWORDS:
        if any(value.startswith(keyword) for keyword in keywords):
            return document_type
    return ""


def document_type_from_leader(leader: str) -> str:
    record_type, level = leader[6:7], leader[7:8]
    if level == "s" and record_type in ("a", "b", "l", "m"):
        return "periodical"
    return _DOCUMENT_TYPE_BY_RECORD_TYPE.get(record_type, "book")


_DOCUMENT_TYPE_BY_RECORD_TYPE: dict[str, str] = {
    "a": "book",
    "b": "book",
    "t": "book",
    "c": "score",
    "d": "score",
    "e": "map",
    "f": "map",
    "g": "video",
    "i": "audio",
    "j": "audio",
    "k": "other",
    "l": "other",
    "m": "other",
    "o": "other",
    "p": "other",
    "r": "other",
}


_AUDIENCE_995: dict[str, str] = {
    "j": "children",
    "e": "children",
    "jeunesse": "children",
    "enfant": "children",
    "a": "adult",
    "adulte": "adult",
    "adultes": "adult",
    "ado": "young_adult",
    "y": "young_adult",
    "adolescent": "young_adult",
    "t": "all",
    "tous": "all",
}


def audience_from_995(code: str) -> str:
    return _AUDIENCE_995.get(code.strip().lower(), "")


def computed_source_id(mapped: MappedRecord) -> str:
    """Identifier of a record without 001: its ISBN, else a hash of title, first author,
    publisher and year — stable across re-imports as long as those do not change."""
    if mapped.isbn:
        return f"isbn:{mapped.isbn}"
    key = "|".join(
        [mapped.title.lower(), mapped.main_author.lower(), mapped.publisher.lower(), str(mapped.publication_year or "")]
    )
    return "calc:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def _source_id(record: MarcRecord) -> str:
    return " ".join(record.control("001").split())[:MAX_SOURCE_ID]


# --- UNIMARC ---------------------------------------------------------------------------------


def _unimarc_name(f: MarcField) -> str:
    if f.tag in ("710", "711", "712"):
        return _join([("", f.get("a"))] + [(". ", value) for value in f.get_all("b")])
    return _join([("", f.get("a")), (", ", f.get("b"))])


def map_unimarc(record: MarcRecord) -> MappedRecord:
    title_field = record.first("200")
    title = ""
    responsibility = ""
    if title_field is not None and title_field.subfields is not None:
        parts: list[tuple[str, str]] = []
        for code, value in title_field.subfields:
            if code == "a":
                parts.append((" ; ", value))
            elif code == "e":
                parts.append((" : ", value))
            elif code == "h":
                parts.append((". ", value))
            elif code == "i":
                parts.append((", " if any(c == "h" for c, _ in title_field.subfields) else ". ", value))
        title = _join(parts)
        responsibility = _join([(" ; ", value) for value in title_field.get_all("f") + title_field.get_all("g")])
    if not title:
        raise MappingError("Titre absent (zone 200$a vide ou manquante).")

    authors: list[tuple[str, str]] = []
    names: dict[int, str] = {}  # id of the field → its name, computed once
    for f in record.get_fields("700", "710", "701", "711", "702", "712"):
        name = names[id(f)] = _unimarc_name(f)
        if name:
            roles = [role_label(code) for code in f.get_all("4")]
            authors.append((name[:MAX_SHORT], ", ".join(r for r in roles if r)[:80]))
    main_author = ""
    for tag in ("700", "710", "701", "711"):
        main_field = record.first(tag)
        if main_field is not None and names[id(main_field)]:
            main_author = names[id(main_field)]
            break

    publisher = _trim(record.subfield("210", "c") or record.subfield("214", "c"), MAX_SHORT)
    year = year_from(record.subfield("210", "d") or record.subfield("214", "d"))
    coded = record.subfield("100", "a")
    if year is None and len(coded) >= 13:
        year = year_from(coded[9:13])

    isbn = normalise_isbn(record.subfield("010", "a")) or normalise_isbn(record.subfield("073", "a"))
    if not isbn:
        isbn = _trim(record.subfield("011", "a"), MAX_ISBN)

    items = _items_995(record)
    document_type = document_type_from_leader(record.leader)
    for item in items:
        if item.document_type:
            document_type = item.document_type
            break

    audience = ""
    if len(coded) >= 20:
        audience = {
            "a": "children",
            "b": "children",
            "c": "children",
            "d": "children",
            "e": "young_adult",
            "k": "adult",
            "m": "adult",
        }.get(coded[17:18], "")
    if not audience:
        for f in record.get_fields("995"):
            audience = audience_from_995(f.get("q"))
            if audience:
                break

    subjects: list[str] = []
    for f in record.fields:
        if f.tag[:2] == "60" and f.subfields is not None:
            if f.tag == "610":
                subjects.extend(_trim(value, MAX_SHORT) for value in f.get_all("a"))
            else:
                label = _join(
                    [("", _unimarc_name(f) if f.tag in ("600", "601") else f.get("a"))]
                    + [(" -- ", value) for code, value in f.subfields if code in "jxyz"]
                )
                subjects.append(label[:MAX_SHORT])

    series = _join([("", record.subfield("225", "a")), (" ; ", record.subfield("225", "v"))])
    if not series:
        for tag in ("410", "461"):
            series_field = record.first(tag)
            if series_field is not None and series_field.get("t"):
                series = _join([("", series_field.get("t")), (" ; ", series_field.get("v"))])
                break

    summary = "\n\n".join(value.strip() for f in record.get_fields("330") for value in f.get_all("a") if value.strip())

    return MappedRecord(
        source_id=_source_id(record),
        flavour=UNIMARC,
        title=title[:MAX_TITLE],
        responsibility=responsibility[:MAX_TITLE],
        main_author=main_author[:MAX_SHORT],
        publisher=publisher,
        publication_year=year,
        isbn=isbn,
        language=_language(record.subfield("101", "a")),
        document_type=document_type,
        audience=audience,
        series=series[:MAX_SERIES],
        summary=summary,
        authors=authors,
        subjects=_unique([s for s in subjects if s]),
        items=items,
    )


def _items_995(record: MarcRecord) -> list[MappedItem]:
    items = []
    for f in record.get_fields("995"):
        barcode = " ".join(f.get("f").split())
        if not barcode:
            continue
        items.append(
            MappedItem(
                barcode=barcode[:MAX_BARCODE],
                call_number=_trim(f.get("k"), MAX_CALL_NUMBER),
                section=_trim(f.get("e") or f.get("d"), MAX_SECTION),
                document_type=document_type_from_code(f.get("r")),
            )
        )
    return items


# --- MARC 21 ---------------------------------------------------------------------------------


def _marc21_name(f: MarcField) -> str:
    if f.tag in ("110", "111", "710", "711"):
        return _join([("", f.get("a"))] + [(". ", value) for value in f.get_all("b")])
    return _join([("", f.get("a")), (" ", f.get("q"))])


def map_marc21(record: MarcRecord) -> MappedRecord:
    title_field = record.first("245")
    title = ""
    responsibility = ""
    if title_field is not None and title_field.subfields is not None:
        separators = {"a": " ; ", "b": " : ", "n": ". ", "p": ". "}
        title = _join([(separators[code], value) for code, value in title_field.subfields if code in separators])
        responsibility = _trim(title_field.get("c"))
    if not title:
        raise MappingError("Titre absent (zone 245$a vide ou manquante).")

    authors: list[tuple[str, str]] = []
    names: dict[int, str] = {}  # id of the field → its name, computed once
    for f in record.get_fields("100", "110", "111", "700", "710", "711"):
        name = names[id(f)] = _marc21_name(f)
        if name:
            roles = [role_label(value, flavour=MARC21) for value in f.get_all("4") + f.get_all("e")]
            authors.append((name[:MAX_SHORT], ", ".join(_unique([r for r in roles if r]))[:80]))
    main_author = ""
    for tag in ("100", "110", "111", "700", "710"):
        main_field = record.first(tag)
        if main_field is not None and names[id(main_field)]:
            main_author = names[id(main_field)]
            break

    fixed = record.control("008")
    publication = None
    for f in record.get_fields("264"):
        if f.indicators[1:2] == "1":
            publication = f
            break
    publication = publication or record.first("260") or record.first("264")
    publisher = _trim(publication.get("b"), MAX_SHORT) if publication is not None else ""
    year = year_from(publication.get("c")) if publication is not None else None
    if year is None and len(fixed) >= 11:
        year = year_from(fixed[7:11])

    isbn = normalise_isbn(record.subfield("020", "a"))
    if not isbn:
        for f in record.get_fields("024"):
            isbn = normalise_isbn(f.get("a"))
            if isbn:
                break
    if not isbn:
        isbn = _trim(record.subfield("022", "a"), MAX_ISBN)

    language = _language(fixed[35:38]) if len(fixed) >= 38 else ""
    if not language or language in ("und", "zxx", "mul"):
        language = _language(record.subfield("041", "a")[:3]) or language

    items = _items_marc21(record)
    document_type = document_type_from_leader(record.leader)
    for item in items:
        if item.document_type:
            document_type = item.document_type
            break

    audience = ""
    if len(fixed) >= 23 and record.leader[6:7] in ("a", "c", "d", "g", "i", "j", "k", "m", "o", "r", "t"):
        audience = {
            "a": "children",
            "b": "children",
            "c": "children",
            "j": "children",
            "d": "young_adult",
            "e": "adult",
            "f": "adult",
            "g": "all",
        }.get(fixed[22:23], "")

    subjects = []
    for f in record.get_fields("600", "610", "611", "630", "650", "651"):
        head = _marc21_name(f) if f.tag in ("600", "610", "611") else f.get("a")
        label = _join([("", head)] + [(" -- ", value) for code, value in f.subfields or () if code in "vxyz"])
        if label:
            subjects.append(label[:MAX_SHORT])

    series = _join([("", record.subfield("490", "a")), (" ; ", record.subfield("490", "v"))]) or _join(
        [("", record.subfield("830", "a")), (" ; ", record.subfield("830", "v"))]
    )
    summary = "\n\n".join(value.strip() for f in record.get_fields("520") for value in f.get_all("a") if value.strip())

    return MappedRecord(
        source_id=_source_id(record),
        flavour=MARC21,
        title=title[:MAX_TITLE],
        responsibility=responsibility[:MAX_TITLE],
        main_author=main_author[:MAX_SHORT],
        publisher=publisher,
        publication_year=year,
        isbn=isbn,
        language=language,
        document_type=document_type,
        audience=audience,
        series=series[:MAX_SERIES],
        summary=summary,
        authors=authors,
        subjects=_unique(subjects),
        items=items,
    )


def _items_marc21(record: MarcRecord) -> list[MappedItem]:
    items = []
    for f in record.get_fields("952"):  # Koha: $p barcode, $o call number, $c location, $y type
        barcode = " ".join(f.get("p").split())
        if barcode:
            items.append(
                MappedItem(
                    barcode=barcode[:MAX_BARCODE],
                    call_number=_trim(f.get("o"), MAX_CALL_NUMBER),
                    section=_trim(f.get("c") or f.get("a"), MAX_SECTION),
                    document_type=document_type_from_code(f.get("y")),
                )
            )
    for f in record.get_fields("852"):  # $p barcode, $h/$i call number, $b/$c location
        barcode = " ".join(f.get("p").split())
        if barcode:
            items.append(
                MappedItem(
                    barcode=barcode[:MAX_BARCODE],
                    call_number=_join([("", f.get("h")), (" ", f.get("i"))])[:MAX_CALL_NUMBER],
                    section=_trim(f.get("c") or f.get("b"), MAX_SECTION),
                )
            )
    return items


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


# Tags the mapping reads (both flavours): the others need not be decoded when the record
# is stored byte for byte.
MAPPED_TAGS = frozenset(
    [
        "001",
        "008",
        "010",
        "011",
        "020",
        "022",
        "024",
        "041",
        "073",
        "100",
        "101",
        "110",
        "111",
        "200",
        "210",
        "214",
        "225",
        "245",
        "260",
        "264",
        "330",
        "410",
        "461",
        "490",
        "520",
        "600",
        "601",
        "602",
        "603",
        "604",
        "605",
        "606",
        "607",
        "608",
        "609",
        "610",
        "611",
        "630",
        "650",
        "651",
        "700",
        "701",
        "702",
        "710",
        "711",
        "712",
        "830",
        "852",
        "952",
        "995",
    ]
)


def map_record(record: MarcRecord, flavour: str) -> MappedRecord:
    """Map one decoded and cleaned record; ``MappingError`` when it cannot be used."""
    mapped = map_unimarc(record) if flavour == UNIMARC else map_marc21(record)
    if not mapped.source_id:
        mapped.source_id = computed_source_id(mapped)
    seen: set[str] = set()
    items = []
    for item in mapped.items:
        if item.barcode in seen:
            mapped.warnings.append(f"Code-barres {item.barcode} en double dans la notice : un seul exemplaire gardé.")
            continue
        seen.add(item.barcode)
        items.append(item)
    mapped.items = items
    return mapped
