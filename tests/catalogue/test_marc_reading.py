"""Reading MARC files: framing, structure, flavour and character set detection."""

from __future__ import annotations

import io
import tracemalloc

import pytest

from catalogue.marc.charsets import decode_iso5426
from catalogue.marc.detection import INTERMARC, MARC21, UNIMARC, UnsupportedRecord, resolve
from catalogue.marc.iso2709 import serialise
from catalogue.marc.mapping import map_record
from catalogue.marc.reading import (
    CHUNK_SIZE,
    MAX_LEADER_LENGTH,
    MAX_RECORD_SIZE,
    Unterminated,
    iter_raw_chunks,
    parse_iso2709,
    read_iso2709,
    read_marc,
)
from catalogue.marc.record import MarcField, MarcRecord


def _mapped(path, **overrides):
    """``[(position, MappedRecord or error)]`` of a file, without the database."""
    out = []
    for item in read_marc(path):
        if item.error:
            out.append((item.position, item.error))
            continue
        try:
            record, flavour, _ = resolve(
                item.raw, item.record, flavour=overrides.get("flavour"), encoding=overrides.get("encoding")
            )
            out.append((item.position, map_record(record, flavour)))
        except (UnsupportedRecord, ValueError) as error:
            out.append((item.position, str(error)))
    return out


def _titles(path, **overrides):
    return [m.title for _, m in _mapped(path, **overrides) if not isinstance(m, str)]


def test_iso5426_decoder_puts_the_diacritic_after_its_letter():
    assert decode_iso5426(b"Soci\xc2et\xc2e fran\xd0caise, \xc1a la mani\xc1ere d'\xeatre") == (
        "Société française, à la manière d'Œtre"
    )


def test_iso5426_file_gives_the_titles_of_its_utf8_original(shared_marc_dir):
    unimarc = shared_marc_dir / "unimarc"
    original = {m.source_id: m for _, m in _mapped(unimarc / "fr_sciencespo_monographs_995_205.mrc")}
    derived = _mapped(unimarc / "fr_sciencespo_monographs_995_59_ISO5426_DERIVED.mrc")
    assert len(derived) == 59
    for _, mapped in derived:
        twin = original[mapped.source_id]
        assert (mapped.title, mapped.responsibility, mapped.authors, mapped.publisher, mapped.subjects) == (
            twin.title,
            twin.responsibility,
            twin.authors,
            twin.publisher,
            twin.subjects,
        )
    assert any("é" in m.title for _, m in derived)


def test_marc8_and_utf8_brkrtest_files_read_the_same(shared_marc_dir):
    marc21 = shared_marc_dir / "marc21"
    marc8 = _mapped(marc21 / "lc_brkrtest_marc8_8.mrc")
    utf8 = _mapped(marc21 / "lc_brkrtest_utf8_8.mrc")
    assert len(marc8) == len(utf8) == 8
    for (_, left), (_, right) in zip(marc8, utf8, strict=True):
        assert (left.title, left.authors, left.subjects, left.summary) == (
            right.title,
            right.authors,
            right.subjects,
            right.summary,
        )


def test_utf8_is_sniffed_even_when_100a_declares_iso5426(shared_marc_dir):
    items = list(read_marc(shared_marc_dir / "unimarc" / "fr_sciencespo_monographs_995_205.mrc"))
    encodings = {resolve(i.raw, None, flavour=None, encoding=None)[2] for i in items}
    assert encodings == {"utf-8"}
    assert len(items) == 205


def test_koi8r_rusmarc_is_decoded_as_cyrillic(shared_marc_dir):
    titles = _titles(shared_marc_dir / "unimarc" / "ru_nlr_rusmarc_koi8r_72.mrc")
    assert len(titles) == 72
    assert all(any("\u0400" <= c <= "\u04ff" for c in t) for t in titles[:10])


@pytest.mark.parametrize(
    "name, count",
    [
        ("marc21/loc_opera_43.marcxml.xml", 43),
        ("marc21/loc_batch_2.marcxml.xml", 2),
        ("unimarc/fr_bnf_marcjs_6.marcxml.xml", 6),
        ("unimarc/fr_bsg_nordique_nonamespace.marcxml.xml", 4),
        ("unimarc/fr_bsg_estampes_nonamespace.marcxml.xml", 1),
    ],
)
def test_marcxml_with_and_without_namespace(shared_marc_dir, name, count):
    assert len(_titles(shared_marc_dir / name)) == count


def test_marcxml_and_iso2709_of_the_same_records_agree(shared_marc_dir):
    unimarc = shared_marc_dir / "unimarc"
    assert _titles(unimarc / "fr_bnf_marcjs_6.marcxml.xml") == _titles(unimarc / "fr_bnf_marcjs_995_6.mrc")


def test_mixed_file_detects_unimarc_and_marc21_per_record(shared_marc_dir):
    flavours = [
        resolve(i.raw, None, flavour=None, encoding=None)[1]
        for i in read_marc(shared_marc_dir / "odd" / "mixed_marc21_unimarc_pride_and_prejudice_383.mrc")
    ]
    assert len(flavours) == 383
    assert flavours.count(UNIMARC) == 17
    assert flavours.count(MARC21) == 366


def test_intermarc_is_refused_not_mis_mapped(shared_marc_dir):
    results = _mapped(shared_marc_dir / "odd" / "fr_bnf_hachette_INTERMARC_73.iso2709")
    assert len(results) == 73
    assert all(isinstance(result, str) for _, result in results)
    assert sum("INTERMARC" in result for _, result in results) >= 65


def test_newline_after_each_record_resynchronises(shared_marc_dir):
    titles = _titles(shared_marc_dir / "unimarc" / "it_bncf_5.mrc")
    assert len(titles) == 5  # pymarc stops after the first "\n"; yaz reads 5
    assert not any("\x98" in t or "\x9c" in t for t in titles)


def test_non_sorting_markers_are_dropped_text_kept(shared_marc_dir):
    (title,) = _titles(shared_marc_dir / "unimarc" / "pymarc_testunimarc_1.mrc")
    assert "\x88" not in title and "\x89" not in title and title


def test_truncated_file_keeps_the_complete_records():
    record = MarcRecord(
        "00000nam  2200000   4500", [MarcField("001", data="1"), MarcField("245", "10", [("a", "Titre")])]
    )
    data, _ = serialise(record, flavour=MARC21)
    items = list(read_iso2709(io.BytesIO(data + b"\n" + data + data[:40])))
    assert [bool(i.error) for i in items] == [False, False, True]
    assert items[2].position == 3 and "tronquée" in items[2].error


def test_unordered_directory_and_wrong_lengths_are_read_by_field_terminators():
    record = MarcRecord(
        "00000nam  2200000   4500",
        [
            MarcField("001", data="42"),
            MarcField("245", "10", [("a", "Un titre")]),
            MarcField("650", " 0", [("a", "Sujet")]),
        ],
    )
    data, _ = serialise(record, flavour=MARC21)
    # Swap the two last directory entries and corrupt a length.
    directory = data[24 : 24 + 36]
    entries = [directory[i : i + 12] for i in range(0, 36, 12)]
    entries = [entries[0], entries[2], entries[1][:3] + b"9999" + entries[1][7:]]
    raw = parse_iso2709(data[:24] + b"".join(entries) + data[60:])
    assert [tag for tag, _ in raw.fields] == ["001", "650", "245"]
    assert dict(raw.fields)["245"].endswith(b"Un titre")


def test_flavour_override_and_encoding_override(shared_marc_dir):
    path = shared_marc_dir / "unimarc" / "fr_sciencespo_monographs_995_59_ISO5426_DERIVED.mrc"
    forced = _titles(path, flavour=UNIMARC, encoding="iso5426")
    assert forced == _titles(path)
    wrong = _titles(path, encoding="iso-8859-1")
    assert wrong != forced  # the override is obeyed, even when wrong


def test_intermarc_constant_is_not_a_portal_flavour():
    assert INTERMARC not in (UNIMARC, MARC21)


# --- Bytes without record terminator: linear time, bounded memory ----------------------------


def _record(number: str) -> bytes:
    record = MarcRecord(
        "00000nam  2200000   4500", [MarcField("001", data=number), MarcField("245", "10", [("a", f"Titre {number}")])]
    )
    data, _ = serialise(record, flavour=MARC21)
    return data


def _write_run_without_terminator(path, size: int, *, glued: bool, after: int = 2) -> int:
    """Write two records, ``size`` bytes of a record that lost its terminator, then (when
    ``glued``) a record right after them and ``after`` records; return the run's offset."""
    with open(path, "wb") as handle:
        handle.write(_record("A1") + b"\n" + _record("A2"))
        run_offset = handle.tell()
        handle.write(b"99999nam  2299999   4500001")
        block = b"0123456789\x1e\x1fa" * 4096
        written = 27
        while written < size:
            handle.write(block[: size - written])
            written += len(block[: size - written])
        if glued:
            handle.write(_record("B1"))
        for number in range(after):
            handle.write(_record(f"C{number}"))
    return run_offset


def test_fifty_megabytes_without_terminator_are_read_in_bounded_memory(tmp_path):
    path = tmp_path / "lost_terminators.mrc"
    run_offset = _write_run_without_terminator(path, 50 * 1024 * 1024, glued=True)
    tracemalloc.start()
    try:
        items = [(item.position, item.offset, item.control_number, item.error) for item in read_marc(path)]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The whole file would be 50 MiB (three times that with the former reader): only the
    # largest record allowed and a chunk or two are ever held.
    assert peak < MAX_RECORD_SIZE + 3 * CHUNK_SIZE
    assert [(position, number) for position, _, number, error in items if not error] == [
        (1, "A1"),
        (2, "A2"),
        (4, "B1"),
        (5, "C0"),
        (6, "C1"),
    ]
    ((position, offset, _, error),) = [item for item in items if item[3]]
    assert (position, offset) == (3, run_offset)
    assert error.startswith("Fin de notice (caractère 0x1D) absente : 50,0 Mio à partir de l'octet")
    assert f"l'octet {run_offset} " in error and "la lecture reprend à la notice suivante" in error


def test_run_without_terminator_at_the_end_of_the_file(tmp_path):
    path = tmp_path / "tail.mrc"
    run_offset = _write_run_without_terminator(path, MAX_RECORD_SIZE + 10, glued=False, after=0)
    items = list(read_marc(path))
    assert [item.control_number for item in items[:2]] == ["A1", "A2"]
    assert (items[2].position, items[2].offset) == (3, run_offset)
    assert "les 4,0 Mio de la fin du fichier" in items[2].error
    assert len(items) == 3


def test_run_ending_in_a_terminator_without_a_record_is_one_error(tmp_path):
    path = tmp_path / "run.mrc"
    with open(path, "wb") as handle:
        handle.write(_record("A1") + b"x" * (MAX_RECORD_SIZE + 5) + b"\x1d\r\n" + _record("C1"))
    items = list(read_marc(path))
    assert [(item.position, item.control_number, bool(item.error)) for item in items] == [
        (1, "A1", False),
        (2, "", True),
        (3, "C1", False),
    ]
    assert items[1].offset == len(_record("A1"))


@pytest.mark.parametrize("chunk_size", [1000, 4096, 65536, CHUNK_SIZE])
def test_framing_does_not_depend_on_the_chunk_size(tmp_path, chunk_size):
    path = tmp_path / "run.mrc"
    _write_run_without_terminator(path, MAX_LEADER_LENGTH * 3, glued=True)
    good = _record("A1") + b"\r\n" + _record("A2") + b"\n" + _record("A3")
    data = good + path.read_bytes() + good[:40]
    expected = list(iter_raw_chunks(io.BytesIO(data), max_record_size=MAX_LEADER_LENGTH + 1))
    assert [type(chunk) for _, chunk in expected].count(Unterminated) == 1
    assert len(expected) == 10  # 3 records, 2 records, the run, 3 records, a truncated one
    assert list(iter_raw_chunks(io.BytesIO(data), chunk_size, MAX_LEADER_LENGTH + 1)) == expected
