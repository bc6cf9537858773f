"""The portal's one ISO 2709 writer: stored records (``serialise``) and exported ones
(``build_record``) are built the same way, and read back by pymarc."""

from __future__ import annotations

import io

import pymarc
import pytest

from catalogue.marc.iso2709 import (
    MAX_FIELD_LENGTH,
    MAX_RECORD_LENGTH,
    RecordTooLarge,
    build_record,
    serialise,
    split_record,
)
from catalogue.marc.record import MarcField, MarcRecord

UNIMARC_LEADER = "     nam0 22        450 "


def _record(*fields: MarcField) -> MarcRecord:
    return MarcRecord(leader=UNIMARC_LEADER, fields=list(fields))


def _read(data: bytes) -> pymarc.Record:
    return next(iter(pymarc.MARCReader(io.BytesIO(data), to_unicode=True, force_utf8=True)))


def test_serialised_record_is_what_build_record_makes_of_its_fields():
    data, warnings = serialise(
        _record(
            MarcField(tag="001", data="PPN123"),
            MarcField(tag="200", indicators="1 ", subfields=[("a", "Le Petit Prince"), ("f", "Saint-Exupéry")]),
        ),
        flavour="unimarc",
    )
    assert warnings == []
    leader, fields = split_record(data)
    assert fields == [(b"001", b"PPN123"), (b"200", "1 \x1faLe Petit Prince\x1ffSaint-Exupéry".encode())]
    assert build_record(leader, fields) == data
    assert leader[9:10] == b"a" and leader[20:24] == b"450 "
    record = _read(data)
    assert record["200"]["a"] == "Le Petit Prince" and record["001"].data == "PPN123"


def test_marc21_leader_and_control_tags_are_normalised():
    data, _warnings = serialise(
        MarcRecord(leader="bad\x00leader", fields=[MarcField(tag="1", data="x")]), flavour="marc21"
    )
    assert data[:24].decode("ascii").isprintable()
    assert data[20:24] == b"4500" and data[9:10] == b"a"
    assert split_record(data)[1] == [(b"001", b"x")]


def test_a_record_without_fields_is_well_formed():
    data, _warnings = serialise(_record(), flavour="unimarc")
    assert data == build_record(data[:24], [])
    assert len(data) == int(data[:5]) == 26
    assert data.endswith(b"\x1e\x1d") and split_record(data)[1] == []


def test_fields_iso_2709_cannot_hold_are_left_out_with_a_warning():
    too_long = MarcField(tag="330", indicators="  ", subfields=[("a", "x" * MAX_FIELD_LENGTH)])
    data, warnings = serialise(_record(MarcField(tag="001", data="1"), too_long), flavour="unimarc")
    assert [tag for tag, _body in split_record(data)[1]] == [b"001"]
    assert warnings == ["Zone 330 de 10004 octets non conservée dans la notice stockée (limite ISO 2709)."]

    notes = [MarcField(tag="330", indicators="  ", subfields=[("a", "y" * 9000)]) for _ in range(12)]
    data, warnings = serialise(_record(MarcField(tag="001", data="1"), *notes), flavour="unimarc")
    assert len(data) <= MAX_RECORD_LENGTH and len(split_record(data)[1]) == 1 + 11
    assert "1 zone(s) de fin (330)" in warnings[0]


def test_build_record_refuses_what_iso_2709_cannot_express():
    with pytest.raises(RecordTooLarge):
        build_record(UNIMARC_LEADER.encode(), [(b"330", b"x" * MAX_FIELD_LENGTH)])
    with pytest.raises(RecordTooLarge):
        build_record(UNIMARC_LEADER.encode(), [(b"330", b"x" * 9000)] * 12)
