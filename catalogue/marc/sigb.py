"""What each library system (SIGB) reads in the 995 of an export, and the layouts written for it.

The facts come from the systems' own import rules (see DESIGN.md « What the libraries'
systems read »), never from guesses:

- **Koha** (its UNIMARC frameworks): 995$b → ``items.homebranch`` and 995$c →
  ``items.holdingbranch``, both mandatory and foreign keys to ``branches.branchcode``
  (``varchar(10)``); 995$e → ``items.location``; 995$f → barcode; 995$k → call number;
  995$r → ``items.itype`` (mandatory, ``itemtypes.itemtype`` is ``varchar(10)``). 995$n is
  ``items.onloan``: an item with a $n shows as checked out, so it is never written for Koha;
  995$q is ``items.stack`` (a number), so the audience letters are not written either.
- **PMB** (its BDP import): $a location (created when missing), $f barcode, $k call number,
  $m / $n dates read as YYYYMMDD, $q statistics code, $r document type (created when missing).
- **Autre SIGB (Recommandation 995)**: the recommendation's own subfields ($a lending body,
  $b owner, $c depositary, $f barcode, $k call number, $m loan date, $n due date, $q
  audience, $r document type), each movable or left out by the library: the portal has not
  read the import rules of these systems (Orphée, Decalog, BiblixNet…), so it invents no
  mapping for them.

This module is plain Python (no Django): ``Item995Layout`` is what the 995 writer
(``catalogue.marc.unimarc.Item995Writer``) needs; ``catalogue.models.ExportProfile`` builds one
per library and validates its settings with the rules below.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

KOHA = "koha"
PMB = "pmb"
RECOMMENDATION_995 = "r995"

# What a 995 subfield may carry (besides the barcode $f and the call number $k, always written).
LENDER = "lender"  # the lending body: the BDVO
OWNER = "owner"  # owner of the item (Koha: home branch)
HOLDING = "holding"  # depositary library (Koha: holding branch)
LOCATION = "location"  # location / shelving location in the library
SECTION = "section"  # section or statistics code
AUDIENCE = "audience"  # audience of the record: j, y, a, t
LOAN_DATE = "loan_date"  # YYYYMMDD
DUE_DATE = "due_date"  # YYYYMMDD
ITEM_TYPE = "item_type"  # the library's code of the document type

ELEMENTS = (LENDER, OWNER, HOLDING, LOCATION, SECTION, AUDIENCE, LOAN_DATE, DUE_DATE, ITEM_TYPE)
BARCODE_SUBFIELD = "f"
CALL_NUMBER_SUBFIELD = "k"

# Document type of the portal → code written in 995$r by default (the BDVO's codes, read back
# by the portal's own importer).
DEFAULT_ITEM_TYPES: Mapping[str, str] = {
    "book": "LIV",
    "comic": "BD",
    "periodical": "PER",
    "audio": "CD",
    "video": "DVD",
    "game": "JEU",
    "score": "PART",
    "map": "CART",
    "other": "DIV",
}

# Where each system reads each element. Koha and PMB are fixed by their import rules;
# the Recommandation 995's layout is the default of « Autre SIGB », which a library may change.
KOHA_SUBFIELDS: Mapping[str, str] = {OWNER: "b", HOLDING: "c", LOCATION: "e", ITEM_TYPE: "r"}
PMB_SUBFIELDS: Mapping[str, str] = {LOCATION: "a", LOAN_DATE: "m", DUE_DATE: "n", SECTION: "q", ITEM_TYPE: "r"}
RECOMMENDATION_995_SUBFIELDS: Mapping[str, str] = {
    LENDER: "a",
    OWNER: "b",
    HOLDING: "c",
    LOAN_DATE: "m",
    DUE_DATE: "n",
    AUDIENCE: "q",
    ITEM_TYPE: "r",
}
FIXED_SUBFIELDS: Mapping[str, Mapping[str, str]] = {KOHA: KOHA_SUBFIELDS, PMB: PMB_SUBFIELDS}

# Koha: ``branches.branchcode`` and ``itemtypes.itemtype`` are varchar(10); the codes Koha's
# staff interface creates are upper-case letters, digits, « _ » and « - ».
KOHA_CODE_MAX_LENGTH = 10
KOHA_CODE_RE = re.compile(r"[A-Z0-9_-]{1,10}")
# Any other system: a code is one line of text without the ISO 2709 delimiters.
CODE_MAX_LENGTH = 40
_DELIMITERS_RE = re.compile(r"[\x1d\x1e\x1f\r\n]")
SUBFIELD_CODE_RE = re.compile(r"[a-z0-9]")
# Tags the receiving system needs to create the record: never dropped (``ESSENTIAL_TAGS``
# of ``catalogue.marc.export`` with the control fields).
PROTECTED_TAGS = frozenset(
    {"001", "010", "011", "100", "101", "200", "205", "210", "214", "215", "225", "700", "701", "702", "710", "711"}
    | {"712", "995"}
)
TAG_PATTERN_RE = re.compile(r"[0-9X]{3}")


def is_koha_code(value: str) -> bool:
    """A code Koha accepts as a branch or item type code (≤ 10 characters, A-Z 0-9 _ -)."""
    return bool(KOHA_CODE_RE.fullmatch(value))


def is_code(value: str, max_length: int = CODE_MAX_LENGTH) -> bool:
    """A value any system can read from a 995 subfield: one line without ISO 2709 delimiter
    nor spaces at its ends, of at most ``max_length`` characters."""
    return 0 < len(value) <= max_length and not _DELIMITERS_RE.search(value) and value.strip() == value


def parse_tag_patterns(text: str) -> list[str]:
    """``"9XX, 899"`` → ``["9XX", "899"]`` (upper-case, separated by commas, spaces or semicolons)."""
    return [part.upper() for part in re.split(r"[\s,;]+", text.strip()) if part]


def tag_pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be a dropped-fields pattern (English, for the model's French
    messages to choose from), or ``None``: ``"format"`` or ``"protected"``."""
    if not TAG_PATTERN_RE.fullmatch(pattern):
        return "format"
    regex = re.compile(pattern.replace("X", "."))
    if any(regex.fullmatch(tag) for tag in PROTECTED_TAGS if tag != "995"):
        return "protected"
    return None


def dropped_tags_regex(patterns: tuple[str, ...]) -> re.Pattern[bytes] | None:
    """A regex matching the tags (bytes) of ``patterns`` (``X`` = any digit), except 995 (the
    source's own 995 are always replaced by the export's); ``None`` when nothing is dropped."""
    if not patterns:
        return None
    alternatives = "|".join(pattern.replace("X", "[0-9]") for pattern in patterns)
    return re.compile(f"(?!995)(?:{alternatives})".encode("ascii"))


@dataclass(frozen=True)
class Item995Layout:
    """How the 995 of one library's export is written.

    ``subfields``: ``(code, element)`` pairs, the barcode ($f) and call number ($k) aside;
    they are written in the order of their codes. ``owner`` / ``holding`` empty mean the
    library's code on the portal (the export's rows carry it); ``location`` / ``section``
    empty leave their subfield out; ``item_types`` maps the portal's document types to the
    library's codes (a type missing from it takes the code of ``"other"``);
    ``dropped_tags`` are tag patterns (``9XX``) of source fields left out of the records.
    """

    subfields: tuple[tuple[str, str], ...]
    lender: str = "BDVO"
    owner: str = ""
    holding: str = ""
    location: str = ""
    section: str = ""
    item_types: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ITEM_TYPES))
    dropped_tags: tuple[str, ...] = ()

    def item_type_code(self, document_type: str) -> str:
        """The code written for ``document_type`` (``"other"``'s code for an unknown type)."""
        code = self.item_types.get(document_type)
        if code:
            return code
        return self.item_types.get("other") or DEFAULT_ITEM_TYPES["other"]


def default_layout(lender_code: str = "BDVO") -> Item995Layout:
    """The layout of « Autre SIGB (Recommandation 995) » as the portal always wrote it: $a and
    $b the BDVO, $c the library, $f, $k, $m, $n, $q audience, $r the BDVO's type codes."""
    return Item995Layout(
        subfields=tuple(sorted((code, element) for element, code in RECOMMENDATION_995_SUBFIELDS.items())),
        lender=lender_code,
        owner=lender_code,
    )
