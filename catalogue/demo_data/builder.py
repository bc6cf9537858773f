"""Build the demo UNIMARC file (UTF-8 ISO 2709 with 995 items) from ``catalogue.demo_data.catalogue``.

Used by ``scripts/build_demo_catalogue.py`` (command line) and ``catalogue.demo`` (which
imports the file through the same service as ``manage.py import_marc``).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from catalogue.marc.iso2709 import serialise
from catalogue.marc.record import MarcField, MarcRecord

from .catalogue import CATEGORIES, LANGUAGES, YOUNG_ADULT_TITLES, Category

OWNER_NAME = "Bibliothèque départementale du Val-d'Oise"
OWNER_CODE = "BDVO"
CATALOGUING_DATE = "20260105"

# 995$q → 100$a/17 (UNIMARC target audience code)
_AUDIENCE_CODES = {"a": "m", "j": "c", "ado": "e", "t": "u"}
_DEFAULT_AUDIENCE = {"roman": "a", "documentaire": "a", "jeunesse": "j", "bd": "t", "musique": "t", "video": "a"}
_DEFAULT_AUDIENCE.update({"jeu": "t", "periodique": "a"})


def _ascii_upper(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).upper()


def _person(name: str) -> tuple[str, str, bool]:
    """``(surname, forename, is_corporate)`` of ``Name, First name`` or ``@Group``."""
    if name.startswith("@"):
        return name[1:].strip(), "", True
    surname, _, forename = name.partition(",")
    return surname.strip(), forename.strip(), False


def _natural(name: str) -> str:
    surname, forename, _ = _person(name)
    return f"{forename} {surname}".strip()


def _control_number(category: Category, title: str, first_author: str) -> int:
    digest = hashlib.sha256(f"{category.key}|{title}|{first_author}".encode()).hexdigest()
    return int(digest[:12], 16) % 1_000_000_000


def _audience(category: Category, title: str, subjects: list[str]) -> str:
    if title in YOUNG_ADULT_TITLES or any(s.startswith("Mangas ;") or s == "Mangas" for s in subjects):
        return "ado"
    if any("jeunesse" in s or s.startswith("Albums") for s in subjects):
        return "j"
    return _DEFAULT_AUDIENCE[category.key]


def demo_records() -> Iterator[MarcRecord]:
    """The demo catalogue as UNIMARC records, with their 995 items."""
    seen: set[int] = set()
    for category in CATEGORIES:
        for line in category.lines.strip().splitlines():
            title, authors_text, publisher, year, subjects_text, summary, copies = (
                p.strip() for p in line.split(" | ")
            )
            authors = [a.strip() for a in authors_text.split(" / ") if a.strip()]
            subjects = [s.strip() for s in subjects_text.split(" ; ") if s.strip()]
            number = _control_number(category, title, authors[0])
            if number in seen:  # pragma: no cover - guards the data module
                raise ValueError(f"Identifiant en double pour {title}")
            seen.add(number)
            audience = _audience(category, title, subjects)
            yield _record(
                category, number, title, authors, publisher, int(year), subjects, summary, int(copies), audience
            )


def _record(
    category: Category,
    number: int,
    title: str,
    authors: list[str],
    publisher: str,
    year: int,
    subjects: list[str],
    summary: str,
    copies: int,
    audience: str,
) -> MarcRecord:
    leader = f"00000n{category.leader_type}  22        450 "
    coded = f"{CATALOGUING_DATE}d{year:04d}    {_AUDIENCE_CODES[audience]}  y0frey50      ba"
    parsed = []
    for author in authors:
        name, _, role = author.partition(" [")
        parsed.append((name.strip(), role.rstrip("]") or category.default_role))
    responsibility = " ; ".join(_natural(name) for name, _ in parsed)
    fields = [
        MarcField("001", data=f"BDVO{number:09d}"),
        MarcField("100", "  ", [("a", coded)]),
        MarcField("101", "0 ", [("a", LANGUAGES.get(title, "fre"))]),
        MarcField("102", "  ", [("a", "FR")]),
        MarcField("200", "1 ", [("a", title), ("f", responsibility)]),
        MarcField("210", "  ", [("c", publisher), ("d", str(year))]),
        MarcField("215", "  ", [("a", category.medium)]),
        MarcField("330", "  ", [("a", summary)]),
    ]
    for subject in subjects:
        head, *subdivisions = subject.split(" -- ")
        fields.append(MarcField("606", "  ", [("a", head)] + [("x", s) for s in subdivisions] + [("2", "rameau")]))
    for index, (name, role) in enumerate(parsed):
        surname, forename, corporate = _person(name)
        if index == 0:
            tag = "710" if corporate else "700"
        elif role in ("070", "") or role == category.default_role:
            tag = "711" if corporate else "701"
        else:
            tag = "712" if corporate else "702"
        subfields = [("a", surname)] + ([("b", forename)] if forename else [])
        if role:
            subfields.append(("4", role))
        fields.append(MarcField(tag, "02" if corporate else " 1", subfields))
    main = _person(parsed[0][0])[0]
    call_number = f"{category.call_prefix} {_ascii_upper(main)[:3] or _ascii_upper(title)[:3]}"
    if category.key == "periodique":
        call_number = f"{category.call_prefix} {_ascii_upper(title)[:8]}"
    for copy in range(1, copies + 1):
        fields.append(
            MarcField(
                "995",
                "  ",
                [
                    ("a", OWNER_NAME),
                    ("b", OWNER_CODE),
                    ("c", OWNER_CODE),
                    ("e", category.section),
                    ("f", f"95{number:09d}{copy:02d}"),
                    ("k", call_number),
                    ("q", audience),
                    ("r", category.item_type),
                ],
            )
        )
    return MarcRecord(leader=leader, fields=fields)


def build(path: str | Path) -> int:
    """Write the demo catalogue to ``path`` (UNIMARC, UTF-8 ISO 2709); returns the record count."""
    count = 0
    with open(path, "wb") as out:
        for record in demo_records():
            data, warnings = serialise(record, flavour="unimarc")
            if warnings:  # pragma: no cover - demo records are small
                raise ValueError("; ".join(warnings))
            out.write(data)
            count += 1
    return count
