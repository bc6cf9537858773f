"""UNIMARC and MARC 21 → portal fields; cleaning of the quirks of real files."""

from __future__ import annotations

import pymarc

from catalogue.marc.cleaning import clean_text
from catalogue.marc.detection import MARC21, UNIMARC, resolve
from catalogue.marc.iso2709 import serialise
from catalogue.marc.mapping import computed_source_id, map_record
from catalogue.marc.reading import read_marc
from catalogue.marc.record import MarcField, MarcRecord
from catalogue.marc.relators import role_label, unimarc_code_for_marc21


def _unimarc(*fields: MarcField, leader: str = "00000nam  2200000   450 ") -> MarcRecord:
    return MarcRecord(leader, list(fields))


def test_clean_text_repairs_double_utf8_and_drops_controls():
    assert clean_text("MEL8Â°058(02)") == "MEL8°058(02)"
    assert clean_text("Ã‰tat") == "Ã‰tat"  # not Latin-1 mojibake: left alone
    assert clean_text("Le\u200e") == "Le"
    assert clean_text("\x88Les \x89misérables\x98\x9c") == "Les misérables"
    assert clean_text("Cafe\u0301") == "Café"
    assert clean_text("a\x00b\tc") == "ab c"


def test_unimarc_title_authors_roles_and_items():
    record = _unimarc(
        MarcField("001", data="BDVO1"),
        MarcField("010", "  ", [("a", "978-2-07-062456-0")]),
        MarcField("100", "  ", [("a", "20170418d2017    a  y0frey50      ba")]),
        MarcField("101", "1 ", [("a", "fre"), ("c", "eng")]),
        MarcField(
            "200",
            "1 ",
            [("a", "Harry Potter"), ("h", "5"), ("i", "L'ordre du Phénix"), ("e", "roman"), ("f", "J. K. Rowling")],
        ),
        MarcField("210", "  ", [("a", "Paris"), ("c", "Gallimard"), ("d", "DL 2017")]),
        MarcField("225", "  ", [("a", "Harry Potter"), ("v", "5")]),
        MarcField("330", "  ", [("a", "Harry a quinze ans.")]),
        MarcField("606", "  ", [("a", "Sorciers"), ("x", "Romans pour la jeunesse"), ("2", "rameau")]),
        MarcField("700", " 1", [("a", "Rowling"), ("b", "J. K."), ("4", "070")]),
        MarcField("702", " 1", [("a", "Ménard"), ("b", "Jean-François"), ("4", "730")]),
        MarcField("995", "  ", [("f", "001"), ("k", "JR ROW"), ("e", "Jeunesse"), ("r", "LJ"), ("q", "j")]),
        MarcField("995", "  ", [("f", "002"), ("k", "JR ROW"), ("d", "Annexe")]),
        MarcField("995", "  ", [("k", "sans code-barres")]),
    )
    mapped = map_record(record, UNIMARC)
    assert mapped.source_id == "BDVO1"
    assert mapped.title == "Harry Potter. 5, L'ordre du Phénix : roman"
    assert mapped.responsibility == "J. K. Rowling"
    assert mapped.authors == [("Rowling, J. K.", "Auteur"), ("Ménard, Jean-François", "Traducteur")]
    assert mapped.main_author == "Rowling, J. K."
    assert (mapped.publisher, mapped.publication_year, mapped.isbn, mapped.language) == (
        "Gallimard",
        2017,
        "9782070624560",
        "fre",
    )
    assert (mapped.document_type, mapped.audience, mapped.series) == ("book", "children", "Harry Potter ; 5")
    assert mapped.subjects == ["Sorciers -- Romans pour la jeunesse"]
    assert [(i.barcode, i.call_number, i.section) for i in mapped.items] == [
        ("001", "JR ROW", "Jeunesse"),
        ("002", "JR ROW", "Annexe"),
    ]


def test_unimarc_995_type_wins_over_the_leader():
    record = _unimarc(MarcField("200", "1 ", [("a", "Astérix")]), MarcField("995", "  ", [("f", "1"), ("r", "BD")]))
    assert map_record(record, UNIMARC).document_type == "comic"
    dvd = _unimarc(MarcField("200", "1 ", [("a", "Film")]), leader="00000ngm  2200000   450 ")
    assert map_record(dvd, UNIMARC).document_type == "video"
    serial = _unimarc(MarcField("200", "1 ", [("a", "Revue")]), leader="00000nas  2200000   450 ")
    assert map_record(serial, UNIMARC).document_type == "periodical"


def test_marc21_mapping():
    record = MarcRecord(
        "00000cam a2200000 a 4500",
        [
            MarcField("001", data="  123  "),
            MarcField("008", data="810624s1981    nyu    j      000 1 eng  "),
            MarcField("020", "  ", [("a", "0553213105 (pbk.)")]),
            MarcField("100", "1 ", [("a", "Austen, Jane,"), ("d", "1775-1817."), ("e", "author.")]),
            MarcField("245", "10", [("a", "Pride and prejudice /"), ("c", "Jane Austen.")]),
            MarcField("264", " 1", [("a", "New York :"), ("b", "Bantam Books,"), ("c", "[1981]")]),
            MarcField("490", "0 ", [("a", "Bantam classic")]),
            MarcField("520", "  ", [("a", "A novel.")]),
            MarcField("650", " 0", [("a", "Sisters"), ("v", "Fiction.")]),
            MarcField("700", "1 ", [("a", "Smith, John,"), ("4", "ill")]),
            MarcField("952", "  ", [("p", "B1"), ("o", "823 AUS"), ("c", "Adult"), ("y", "BOOK")]),
        ],
    )
    mapped = map_record(record, MARC21)
    assert (mapped.source_id, mapped.title, mapped.responsibility) == ("123", "Pride and prejudice", "Jane Austen")
    assert mapped.authors == [("Austen, Jane", "Auteur"), ("Smith, John", "Illustrateur")]
    assert (mapped.publisher, mapped.publication_year, mapped.isbn, mapped.language) == (
        "Bantam Books",
        1981,
        "0553213105",
        "eng",
    )
    assert (mapped.audience, mapped.series, mapped.summary) == ("children", "Bantam classic", "A novel.")
    assert mapped.subjects == ["Sisters -- Fiction"]
    assert [(i.barcode, i.call_number, i.section, i.document_type) for i in mapped.items] == [
        ("B1", "823 AUS", "Adult", "book")
    ]


def test_record_without_001_gets_a_stable_computed_key():
    record = _unimarc(
        MarcField("200", "1 ", [("a", "Sans numéro")]), MarcField("210", "  ", [("c", "Seuil"), ("d", "1990")])
    )
    first, second = map_record(record, UNIMARC), map_record(record, UNIMARC)
    assert first.source_id == second.source_id == computed_source_id(first)
    assert first.source_id.startswith("calc:")
    record.fields.append(MarcField("010", "  ", [("a", "2-02-012345-6")]))
    assert map_record(record, UNIMARC).source_id == "isbn:2020123456"


def test_relators_for_the_export():
    assert unimarc_code_for_marc21("ill") == "440"
    assert unimarc_code_for_marc21("translator") == "730"
    assert role_label("070") == "Auteur"
    assert role_label("aut", flavour=MARC21) == "Auteur"
    assert role_label("illustrator.", flavour=MARC21) == "Illustrateur"
    assert role_label("譯.") == "譯"  # unknown roles are kept, not lost


def test_stored_marc_is_utf8_iso2709_readable_by_pymarc(shared_marc_dir):
    for item in read_marc(shared_marc_dir / "unimarc" / "fr_sciencespo_monographs_995_59_ISO5426_DERIVED.mrc"):
        record, flavour, _ = resolve(item.raw, None, flavour=None, encoding=None)
        data, warnings = serialise(record, flavour=flavour)
        assert data[9:10] == b"a" and not warnings
        back = pymarc.Record(data=data, force_utf8=True, to_unicode=True)
        assert back["200"]["a"] == record.subfield("200", "a")


def test_sciencespo_call_numbers_lose_their_mojibake_and_lrm(shared_marc_dir):
    items, titles = [], []
    for item in read_marc(shared_marc_dir / "unimarc" / "fr_sciencespo_monographs_995_205.mrc"):
        record, flavour, _ = resolve(item.raw, None, flavour=None, encoding=None)
        mapped = map_record(record, flavour)
        items.extend(mapped.items)
        titles.append(mapped.title)
    assert any("8°" in i.call_number for i in items)
    assert not any("Â" in i.call_number for i in items)
    assert not any("\u200e" in t for t in titles)
