"""The fast path of the UNIMARC export (995 spliced into the stored bytes) against the
general path (record split into fields, rebuilt by ``build_record``): same bytes, and
pymarc reads back the stored record with UTF-8 declared and the 995 added.

Generated records (hypothesis) and the real files under ``../shared/data/marc``; the last
test compares a whole export of UNIMARC and MARC 21 records with the general path.
"""

from __future__ import annotations

import datetime
import warnings

import pymarc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.marc.export import fit_record, iso2709_stream
from catalogue.marc.iso2709 import split_record
from catalogue.marc.unimarc import Item995Writer, marc21_to_unimarc, unimarc_fast, unimarc_fields
from catalogue.models import Loan, MarcFlavour
from tests.catalogue.export_checks import read_with_pymarc
from tests.factories import ItemFactory, LoanFactory, RecordFactory

UNIMARC_FILES = [
    "unimarc/fr_bnf_marcjs_995_6.mrc",
    "unimarc/fr_bnf_moccam_harrypotter_7.pan",
    "unimarc/fr_sciencespo_monographs_995_205.mrc",
    "unimarc/pymarc_testunimarc_1.mrc",
]
MARC21_FILES = ["marc21/lc_brkrtest_utf8_8.mrc", "marc21/loc_booksall2016_part01_first10000_utf8.mrc"]

# Text of a subfield: anything but the ISO 2709 delimiters.
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x1d\x1e\x1f"), max_size=40)
# 100$a is ASCII (positions of coded data), well formed or not.
CODED_100 = st.one_of(
    st.from_regex(r"\A[0-9]{8}[a-z ]{28}\Z"),
    st.from_regex(r"\A[0-9]{8}[a-z ]{18,40}\Z"),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
)
SUBFIELDS = st.lists(st.tuples(st.sampled_from("abcdefz"), TEXT), min_size=1, max_size=4)
INDICATORS = st.tuples(st.sampled_from(" 01"), st.sampled_from(" 01"))
DATA_FIELD = st.tuples(st.sampled_from(["010", "101", "200", "210", "330", "606", "700", "995"]), INDICATORS, SUBFIELDS)
FIELD_100 = st.tuples(st.just("100"), INDICATORS, st.lists(st.tuples(st.just("a"), CODED_100), min_size=1, max_size=2))
LEADER = st.from_regex(r"\A[ a-z0-9]{24}\Z")
DAY = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2099, 12, 31))
ITEM = st.tuples(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x1d\x1e\x1f"), min_size=1, max_size=20),
    TEXT,
    st.sampled_from(["book", "comic", "audio", "", "unknown"]),
    st.sampled_from(["children", "adult", "", "all"]),
    st.sampled_from(["VDO-MARINES", "VDO-CERGY"]),
    DAY,
    DAY,
)


def _record(leader: str, control: str, fields: list[tuple[str, tuple[str, str], list[tuple[str, str]]]]) -> bytes:
    record = pymarc.Record(force_utf8=True, leader=leader)
    record.add_field(pymarc.Field(tag="001", data=control))
    for tag, indicators, pairs in fields:
        subfields = [pymarc.Subfield(code, value) for code, value in pairs]
        record.add_ordered_field(pymarc.Field(tag=tag, indicators=list(indicators), subfields=subfields))
    return record.as_marc()


def _items(items: list[tuple]) -> list[bytes]:
    writer = Item995Writer(lender_code="BDVO")
    return [writer.body(*item) for item in items]


def _general_path(data: bytes, items: list[bytes]) -> bytes:
    leader, fields = unimarc_fields(*split_record(data))
    return b"".join(fit_record(leader, [*fields, *[(b"995", body) for body in items]]))


def _read(data: bytes) -> pymarc.Record:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return pymarc.Record(data=data, to_unicode=True, force_utf8=True, utf8_handling="strict")


def _assert_fast_path_exact(data: bytes, items: list[bytes]) -> bool:
    """The fast path gives the general path's bytes, and pymarc reads the stored record back
    with leader/09 ``a``, 100$a/26-29 ``50  `` and the 995 appended. False when not taken."""
    fast = unimarc_fast(data, items)
    if fast is None:
        return False
    assert fast == _general_path(data, items)
    source, exported = _read(data), _read(fast)
    assert exported.leader[9] == "a" and exported.leader[5:9] == source.leader[5:9]
    source_100 = source["100"]["a"]
    assert exported["100"]["a"] == source_100[:26] + "50  " + source_100[30:]
    described = [field for field in exported.fields if field.tag != "995"]
    assert [field.tag for field in described] == [field.tag for field in source.fields]
    for before, after in zip(source.fields, described, strict=True):
        if before.tag != "100":
            assert before.value() == after.value() and before.indicators == after.indicators
    assert [pymarc.Field.as_marc(field, "utf-8")[:-1] for field in exported.get_fields("995")] == items
    return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    leader=LEADER,
    control=TEXT,
    fields=st.lists(st.one_of(DATA_FIELD, FIELD_100), max_size=8),
    items=st.lists(ITEM, min_size=1, max_size=5),
)
def test_fast_path_gives_the_bytes_of_the_general_path_for_generated_unimarc(leader, control, fields, items):
    data = _record(leader, control, fields)
    body_items = _items(items)
    if not _assert_fast_path_exact(data, body_items):
        _read(_general_path(data, body_items))  # the general path is taken instead: still readable


def test_fast_path_is_taken_for_a_well_formed_100_and_left_for_a_record_with_995():
    fields = [("100", (" ", " "), [("a", "20200101d2019    m  y0frey0103    ba")]), ("200", ("1", " "), [("a", "Ærø")])]
    items = _items(
        [("B-1", "R HUG", "book", "adult", "VDO-MARINES", datetime.date(2026, 9, 1), datetime.date(2027, 1, 1))]
    )
    assert _assert_fast_path_exact(_record(" " * 24, "REC-1", fields), items)
    with_995 = [*fields, ("995", (" ", " "), [("f", "OLD")])]
    assert unimarc_fast(_record(" " * 24, "REC-2", with_995), items) is None


def test_fast_path_never_completes_a_short_100a_with_the_next_field():
    """A 100$a of 33 characters followed by another field: the 37 bytes after ``$a`` run
    into the next field, which once passed for a 36-character $a (found by hypothesis)."""
    fields = [("100", (" ", " "), [("a", "0" * 33)]), ("101", (" ", " "), [("a", "")])]
    items = _items([("0", "", "book", "children", "VDO-MARINES", datetime.date(2000, 1, 1), datetime.date(2000, 1, 1))])
    data = _record("0" * 24, "", fields)
    assert unimarc_fast(data, items) is None
    _read(_general_path(data, items))


@pytest.mark.parametrize(
    "hundreds",
    [
        [[("a", "20200101d2019    m  y0frey0103    ba"), ("b", "")]],
        [[("a", "20200101d2019    m  y0frey0103    ba")], [("a", "20210101d2020    m  y0frey0103    ba")]],
    ],
    ids=["empty-subfield", "two-100"],
)
def test_fast_path_steps_aside_when_the_general_path_rewrites_more_of_the_100(hundreds):
    """The general path drops an empty subfield of the 100 and a second 100: the fast path
    would keep them, so it leaves these records to the general path."""
    fields = [("100", (" ", " "), pairs) for pairs in hundreds] + [("200", ("1", " "), [("a", "Titre")])]
    data = _record(" " * 24, "REC-3", fields)
    items = _items([("B-1", "", "book", "", "VDO-MARINES", datetime.date(2026, 9, 1), datetime.date(2027, 1, 1))])
    assert unimarc_fast(data, items) is None
    exported = _read(_general_path(data, items))
    assert len(exported.get_fields("100")) == 1 and exported["100"].get_subfields("b") == []


def _file_records(path) -> list[pymarc.Record]:
    with path.open("rb") as handle:
        records = [record for record in pymarc.MARCReader(handle, to_unicode=True, force_utf8=True) if record]
    for record in records:
        record.force_utf8 = True
    return records


@pytest.mark.parametrize("name", UNIMARC_FILES)
def test_fast_path_gives_the_bytes_of_the_general_path_for_real_unimarc_files(shared_marc_dir, name):
    day = datetime.date(2026, 9, 1)
    items = _items([("B-1", "R 843", "book", "adult", "VDO-MARINES", day, day), ("B-2", "", "", "", "VDO", day, day)])
    taken = 0
    for record in _file_records(shared_marc_dir / name):
        data = record.as_marc()
        if _assert_fast_path_exact(data, items):
            taken += 1
        else:
            _read(_general_path(data, items))
    if "995" not in name:
        assert taken  # records without 995 and with a 100$a go through the fast path


@pytest.mark.django_db
def test_export_of_real_unimarc_and_marc21_records_equals_the_general_path(library, shared_marc_dir):
    """The whole stream (fast path, grouping by title, chunks) against the general path
    applied record by record."""
    sources: list[tuple[str, bytes]] = []
    for name in UNIMARC_FILES:
        sources += [(MarcFlavour.UNIMARC, record.as_marc()) for record in _file_records(shared_marc_dir / name)[:40]]
    for name in MARC21_FILES:
        sources += [(MarcFlavour.MARC21, record.as_marc()) for record in _file_records(shared_marc_dir / name)[:40]]
    day, due = datetime.date(2026, 9, 1), datetime.date(2026, 12, 30)
    writer = Item995Writer(lender_code="BDVO")
    expected = []
    for index, (flavour, data) in enumerate(sources):
        record = RecordFactory(source_id=f"SRC{index}", flavour=flavour, marc=data, audience="adult")
        items = []
        for copy in range(1 + index % 3):
            barcode, call_number = f"E{index:04d}-{copy}", f"R {index}" if copy else ""
            LoanFactory(
                item=ItemFactory(record=record, barcode=barcode, call_number=call_number, document_type="book"),
                library=library,
                loaned_on=day,
                due_on=due,
            )
            items.append((b"995", writer.body(barcode, call_number, "book", "adult", library.code, day, due)))
        leader, fields = split_record(data)
        if flavour == MarcFlavour.MARC21:
            leader, fields = marc21_to_unimarc(leader, fields, audience="adult")
        else:
            leader, fields = unimarc_fields(leader, fields)
        expected += fit_record(leader, fields + items)
    for chunk_size in (7, 2000):
        exported = b"".join(iso2709_stream(Loan.objects.for_library(library), chunk_size=chunk_size))
        assert exported == b"".join(expected)
    assert len(read_with_pymarc(exported)) == len(sources)
