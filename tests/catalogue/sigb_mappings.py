"""The 995 as Koha and PMB read it, written down from their own sources, and a check of an
exported 995 against them (used by ``test_export_profiles``).

Koha — its UNIMARC frameworks (``installer/data/mysql/*/marcflavour/unimarc*``, the
``marc_subfield_structure`` rows of tag 995) and its schema (``kohastructure.sql``, table
``items``):

- $b → ``items.homebranch`` and $c → ``items.holdingbranch``: mandatory, foreign keys to
  ``branches.branchcode``, ``varchar(10)``;
- $e → ``items.location`` (``varchar(80)``); $f → ``items.barcode`` (``varchar(20)``);
  $k → ``items.itemcallnumber``; $r → ``items.itype`` (mandatory, ``varchar(10)``);
- $n → ``items.onloan``: an item with a $n shows as checked out — never written;
- $q → ``items.stack``, a ``tinyint(1)``: the audience letters cannot go there.

PMB — its BDP import: $a location (created when missing), $f barcode, $k call number, $q
statistics code, $r document type (created when missing), $m / $n dates read as YYYYMMDD.

``check_995`` returns the problems of one exported field (an empty list when it complies).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pymarc

KOHA_CODE = re.compile(r"[A-Z0-9_-]{1,10}")
YYYYMMDD = re.compile(r"\d{8}")


def _is_date(value: str) -> bool:
    if not YYYYMMDD.fullmatch(value):
        return False
    try:
        datetime.datetime.strptime(value, "%Y%m%d")
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class SubfieldRule:
    """What a system does with one 995 subfield."""

    target: str  # the column or notion it fills
    mandatory: bool = False
    max_length: int | None = None
    valid: Callable[[str], bool] | None = None
    valid_text: str = ""
    repeatable: bool = False


@dataclass(frozen=True)
class SigbMapping:
    name: str
    rules: dict[str, SubfieldRule]
    forbidden: dict[str, str] = field(default_factory=dict)  # subfield → why it must never be written
    only_known: bool = True  # every subfield written is one the system reads


KOHA = SigbMapping(
    name="Koha",
    rules={
        "b": SubfieldRule("items.homebranch", mandatory=True, max_length=10, valid=KOHA_CODE.fullmatch, valid_text="branchcode"),
        "c": SubfieldRule("items.holdingbranch", mandatory=True, max_length=10, valid=KOHA_CODE.fullmatch, valid_text="branchcode"),
        "e": SubfieldRule("items.location", max_length=80),
        "f": SubfieldRule("items.barcode", mandatory=True, max_length=20),
        "k": SubfieldRule("items.itemcallnumber", max_length=255),
        "r": SubfieldRule("items.itype", mandatory=True, max_length=10, valid=KOHA_CODE.fullmatch, valid_text="itemtype"),
    },
    forbidden={
        "n": "items.onloan: the item would show as checked out in the library's catalogue",
        "q": "items.stack is a tinyint(1): no audience letter fits",
    },
)  # fmt: skip

PMB = SigbMapping(
    name="PMB",
    rules={
        "a": SubfieldRule("location (created when missing)"),
        "f": SubfieldRule("barcode", mandatory=True),
        "k": SubfieldRule("call number"),
        "m": SubfieldRule("loan date", valid=_is_date, valid_text="YYYYMMDD"),
        "n": SubfieldRule("due date", valid=_is_date, valid_text="YYYYMMDD"),
        "q": SubfieldRule("statistics code"),
        "r": SubfieldRule("document type (created when missing)", mandatory=True),
    },
)

# The Recommandation 995 subfields the portal writes by default (« Autre SIGB »): what a
# library whose system reads the recommendation as such finds in the file.
RECOMMENDATION_995 = SigbMapping(
    name="Recommandation 995",
    rules={
        "a": SubfieldRule("lending body"),
        "b": SubfieldRule("owner", mandatory=True),
        "c": SubfieldRule("depositary library", mandatory=True),
        "f": SubfieldRule("barcode", mandatory=True),
        "k": SubfieldRule("call number"),
        "m": SubfieldRule("loan date", valid=_is_date, valid_text="YYYYMMDD"),
        "n": SubfieldRule("due date", valid=_is_date, valid_text="YYYYMMDD"),
        "q": SubfieldRule("audience", valid=lambda value: value in {"j", "y", "a", "t"}, valid_text="j/y/a/t"),
        "r": SubfieldRule("document type", mandatory=True),
    },
)


def check_995(field: pymarc.Field, mapping: SigbMapping) -> list[str]:
    """The ways ``field`` (an exported 995) breaks ``mapping``; empty when it complies."""
    problems = []
    codes = [subfield.code for subfield in field.subfields]
    for code, why in mapping.forbidden.items():
        if code in codes:
            problems.append(f"{mapping.name}: ${code} written ({why})")
    for code, rule in mapping.rules.items():
        values = field.get_subfields(code)
        if rule.mandatory and not values:
            problems.append(f"{mapping.name}: ${code} ({rule.target}) is mandatory")
        if len(values) > 1 and not rule.repeatable:
            problems.append(f"{mapping.name}: ${code} written {len(values)} times")
        for value in values:
            if value == "":
                problems.append(f"{mapping.name}: ${code} is empty")
            if rule.max_length is not None and len(value) > rule.max_length:
                problems.append(f"{mapping.name}: ${code} {value!r} over {rule.max_length} characters ({rule.target})")
            if rule.valid is not None and value and not rule.valid(value):
                problems.append(f"{mapping.name}: ${code} {value!r} is not a valid {rule.valid_text}")
    if mapping.only_known:
        unknown = sorted(set(codes) - set(mapping.rules) - set(mapping.forbidden))
        if unknown:
            problems.append(f"{mapping.name}: subfields {unknown} are read by no rule of the system")
    if tuple(field.indicators) != (" ", " "):
        problems.append(f"{mapping.name}: indicators {field.indicators!r} instead of blanks")
    return problems
