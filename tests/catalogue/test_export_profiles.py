"""Export profiles per library: which one applies, their rules, and the 995 of real records
exported with each profile checked against what Koha and PMB read (``sigb_mappings``)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pymarc
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalogue.marc.export import iso2709_stream
from catalogue.models import DocumentType, ExportProfile, Loan, MarcFlavour
from tests.catalogue.export_checks import read_with_pymarc, yaz_dump
from tests.catalogue.sigb_mappings import KOHA, PMB, RECOMMENDATION_995, SigbMapping, SubfieldRule, check_995
from tests.factories import ItemFactory, LoanFactory, RecordFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

LOANED_ON = datetime.date(2026, 9, 1)
DUE_ON = datetime.date(2026, 12, 30)
EXPORT = reverse("extranet:export", args=["loans"])
# Real records of ../shared/data/marc: every UNIMARC ISO 2709 file with records (with and
# without their own 995 and local 9XX fields) and MARC 21 ones converted at export.
REAL_FILES = [
    ("unimarc/fr_bnf_marcjs_995_6.mrc", MarcFlavour.UNIMARC),
    ("unimarc/fr_bnf_moccam_harrypotter_7.pan", MarcFlavour.UNIMARC),
    ("unimarc/fr_sciencespo_monographs_995_205.mrc", MarcFlavour.UNIMARC),
    ("unimarc/fr_sciencespo_periodicals_3064.mrc", MarcFlavour.UNIMARC),
    ("unimarc/it_bncf_5.mrc", MarcFlavour.UNIMARC),
    ("unimarc/pymarc_testunimarc_1.mrc", MarcFlavour.UNIMARC),
    ("marc21/lc_brkrtest_utf8_8.mrc", MarcFlavour.MARC21),
    ("marc21/loc_booksall2016_part01_first10000_utf8.mrc", MarcFlavour.MARC21),
]
PER_FILE = 40
TYPES = [value for value, _label in DocumentType.choices]
AUDIENCES = ["children", "young_adult", "adult", "all", ""]

# « Autre SIGB » as a library may declare its system: no lending body, the section in $h,
# the audience in $s instead of $q.
RECOMMENDATION_995_MOVED = SigbMapping(
    name="Recommandation 995 (sous-zones déplacées)",
    rules={
        **{code: rule for code, rule in RECOMMENDATION_995.rules.items() if code not in {"a", "q"}},
        "h": SubfieldRule("section", valid=lambda value: value == "ADU", valid_text="the profile's section"),
        "s": RECOMMENDATION_995.rules["q"],
    },
    forbidden={"a": "left out by the library", "q": "the audience moved to $s"},
)
# The profiles checked, with the mapping each one's file must satisfy.
PROFILES: dict[str, tuple[dict[str, object] | None, SigbMapping]] = {
    "koha": (
        {
            "system": "koha",
            "holding_code": "MARINES",
            "location": "DEPOT-BDVO",
            "write_due_date": False,
            "item_types": {"book": "LIVRE", "comic": "BD_ADULTE", "audio": "CD-AUDIO"},
        },
        KOHA,
    ),
    "koha-bdvo-branch": (
        {"system": "koha", "owner_code": "BDVO", "holding_code": "MARINES", "write_due_date": False},
        KOHA,
    ),
    "pmb": ({"system": "pmb", "location": "Dépôt BDVO", "section": "ADU", "item_types": {"book": "Livre"}}, PMB),
    "pmb-audience": ({"system": "pmb", "location": "BDVO", "write_due_date": False}, PMB),
    "recommendation-995": (None, RECOMMENDATION_995),
    "recommendation-995-moved": (
        {"system": "r995", "subfields": {"lender": "", "section": "h", "audience": "s"}, "section": "ADU"},
        RECOMMENDATION_995_MOVED,
    ),
}


def _file_records(path: Path, limit: int) -> list[pymarc.Record]:
    records = []
    with path.open("rb") as handle:
        for record in pymarc.MARCReader(handle, to_unicode=True, force_utf8=True):
            if record is not None:
                record.force_utf8 = True
                records.append(record)
            if len(records) == limit:
                break
    return records


def _lend_real_records(library, shared_marc_dir: Path) -> dict[str, dict[str, str]]:
    """Records of every real file, each lent with one to three items of every type and audience;
    returns barcode → the item's type, call number and audience."""
    items: dict[str, dict[str, str]] = {}
    index = 0
    for name, flavour in REAL_FILES:
        for record in _file_records(shared_marc_dir / name, PER_FILE):
            audience = AUDIENCES[index % len(AUDIENCES)]
            stored = RecordFactory(
                source_id=f"REAL{index}",
                flavour=flavour,
                marc=record.as_marc(),
                audience=audience,
                document_type="book",
            )
            for copy in range(1 + index % 3):
                barcode = f"00{index:08d}{copy}01"  # 13 digits with leading zeros
                document_type = TYPES[(index + copy) % len(TYPES)]
                call_number = f"R {index}.{copy}" if copy != 1 else ""
                LoanFactory(
                    item=ItemFactory(
                        record=stored, barcode=barcode, call_number=call_number, document_type=document_type
                    ),
                    library=library,
                    loaned_on=LOANED_ON,
                    due_on=DUE_ON,
                )
                items[barcode] = {"type": document_type, "call_number": call_number, "audience": audience}
            index += 1
    return items


def _save_profile(library, settings: dict[str, object] | None) -> ExportProfile:
    if settings is None:
        return ExportProfile.effective_for(library)
    profile = ExportProfile(library=library, **settings)
    profile.full_clean()
    profile.save()
    return profile


def _export(client, fmt: str = "mrc") -> bytes:
    response = client.post(EXPORT, {"format": fmt, "scope": "filtered", "query": ""})
    assert response.status_code == 200, response.get("Location")
    return b"".join(response.streaming_content)


# --- real records, every profile --------------------------------------------------------------


@pytest.mark.parametrize("name", list(PROFILES))
def test_every_995_of_real_records_passes_the_mapping_of_the_profile(
    name, library, manager, client_for, shared_marc_dir
):
    settings, mapping = PROFILES[name]
    profile = _save_profile(library, settings)
    items = _lend_real_records(library, shared_marc_dir)
    data = _export(client_for(manager))
    records = read_with_pymarc(data)
    yaz_dump(data)
    fields = [field for record in records for field in record.get_fields("995")]
    assert len(fields) == len(items)  # one 995 per loan, none of the sources' own 995 left
    problems = [problem for field in fields for problem in check_995(field, mapping)]
    assert problems == []
    layout = profile.layout(library)
    subfields = {element: code for code, element in layout.subfields}
    for field in fields:
        item = items[field["f"]]
        assert field.get_subfields("k") == ([item["call_number"]] if item["call_number"] else [])
        type_code = field.get_subfields(subfields["item_type"])
        assert type_code == [layout.item_type_code(item["type"])]
        if "due_date" in subfields:
            assert field.get_subfields(subfields["due_date"]) == ["20261230"]
    if profile.system == "koha":
        assert {field["c"] for field in fields} == {"MARINES"}
        assert {field["b"] for field in fields} == {settings.get("owner_code") or "MARINES"}
        assert all(field.get_subfields("n") == [] for field in fields)
    if name == "pmb":
        assert {field["a"] for field in fields} == {"Dépôt BDVO"} and {field["q"] for field in fields} == {"ADU"}
        assert {field["r"] for field in fields if items[field["f"]]["type"] == "book"} == {"Livre"}
    if name == "pmb-audience":  # no section given: PMB's statistics code is the audience
        audiences = {code for field in fields for code in field.get_subfields("q")}
        assert audiences == {"j", "y", "a", "t"}
        assert not any(field.get_subfields("n") for field in fields)


def test_marcxml_export_writes_the_995_of_the_profile(library, manager, client_for, shared_marc_dir):
    _save_profile(library, PROFILES["koha"][0])
    items = _lend_real_records(library, shared_marc_dir)
    data = _export(client_for(manager), "xml")
    yaz_dump(data, input_format="marcxml")
    records = pymarc.parse_xml_to_array(__import__("io").BytesIO(data))
    fields = [field for record in records for field in record.get_fields("995")]
    assert len(fields) == len(items)
    assert [problem for field in fields for problem in check_995(field, KOHA)] == []


def test_the_default_profile_writes_the_bytes_the_portal_always_wrote(library, manager, client_for, shared_marc_dir):
    """No profile, a saved « Autre SIGB » profile left as it is, a territory default of the same:
    the same file as the export without any profile (``iso2709_stream`` with no layout)."""
    _lend_real_records(library, shared_marc_dir)
    before = b"".join(iso2709_stream(Loan.objects.for_library(library)))
    client = client_for(manager)
    assert _export(client) == before
    ExportProfile.objects.create(territory=library.territory)
    assert _export(client) == before
    ExportProfile.objects.create(library=library)
    assert _export(client) == before
    first = read_with_pymarc(before)[0].get_fields("995")[0]
    assert (first["a"], first["b"], first["c"]) == ("BDVO", "BDVO", "VDO-MARINES")


def test_dropped_local_fields_leave_the_records_and_nothing_else(library, manager, client_for, shared_marc_dir):
    _lend_real_records(library, shared_marc_dir)
    client = client_for(manager)
    kept = read_with_pymarc(_export(client))
    _save_profile(library, {"system": "r995", "dropped_tags": "9XX, X9X"})
    dropped = read_with_pymarc(_export(client))
    local = re.compile(r"9..|.9.")
    assert any(local.fullmatch(field.tag) and field.tag != "995" for record in kept for field in record.fields)
    assert len(dropped) == len(kept)
    for before, after in zip(kept, dropped, strict=True):
        assert [field.tag for field in after.fields] == [
            field.tag for field in before.fields if field.tag == "995" or not local.fullmatch(field.tag)
        ]
        assert after.title == before.title


# --- which profile applies --------------------------------------------------------------------


def test_the_librarys_own_profile_wins_over_its_territorys_which_wins_over_the_builtin(library, other_library):
    builtin = ExportProfile.effective_for(library)
    assert builtin.pk is None and builtin.system == "r995" and builtin.source == "builtin"
    default = ExportProfile.objects.create(territory=library.territory, system="pmb", location="BDVO")
    assert ExportProfile.effective_for(library) == default
    assert ExportProfile.effective_for(other_library).source == "builtin"  # another territory
    own = ExportProfile.objects.create(library=library, system="koha", holding_code="MARINES", write_due_date=False)
    assert ExportProfile.effective_for(library) == own
    assert ExportProfile.to_edit_for(library) == own


def test_a_library_starts_from_its_territorys_default(library):
    ExportProfile.objects.create(territory=library.territory, system="pmb", location="BDVO", section="ADU")
    draft = ExportProfile.to_edit_for(library)
    assert draft.pk is None and draft.library == library and draft.territory is None
    assert (draft.system, draft.location, draft.section) == ("pmb", "BDVO", "ADU")


def test_profiles_fail_closed_like_every_library_owned_row(library):
    from extranet.querysets import LibraryScopeError

    ExportProfile.objects.create(library=library)
    with pytest.raises(LibraryScopeError):
        list(ExportProfile.objects.all())


# --- the rules, in French ---------------------------------------------------------------------


def _errors(**fields) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        ExportProfile(**fields).full_clean()
    return caught.value.message_dict


def test_koha_branch_codes_are_koha_branch_codes(library):
    errors = _errors(library=library, system="koha", write_due_date=False)  # VDO-MARINES: 11 characters
    assert "« VDO-MARINES » ne peut pas être un code de site Koha : au plus 10 caractères" in errors["holding_code"][0]
    errors = _errors(library=library, system="koha", holding_code="marines", write_due_date=False)
    assert errors["holding_code"] == [
        "« marines » ne peut pas être un code Koha : au plus 10 caractères, lettres majuscules, chiffres, « _ » ou « - »."
    ]
    errors = _errors(
        library=library, system="koha", holding_code="MARINES", owner_code="BDVO VDO", write_due_date=False
    )
    assert "ne peut pas être un code Koha" in errors["owner_code"][0]
    ExportProfile(library=library, system="koha", holding_code="MARINES_1", write_due_date=False).full_clean()


def test_koha_never_gets_a_due_date(library):
    errors = _errors(library=library, system="koha", holding_code="MARINES", write_due_date=True)
    assert "995$n" in errors["write_due_date"][0] and "« en prêt »" in errors["write_due_date"][0]


def test_a_koha_profile_saved_with_a_due_date_behind_the_rules_back_still_writes_none(library):
    profile = ExportProfile.objects.create(library=library, system="koha", holding_code="MARINES", write_due_date=False)
    ExportProfile.objects.for_library(library).update(write_due_date=True)
    profile.refresh_from_db()
    assert "due_date" not in {element: code for code, element in profile.layout(library).subfields}


def test_item_type_codes_follow_the_system(library):
    errors = _errors(
        library=library,
        system="koha",
        holding_code="MARINES",
        write_due_date=False,
        item_types={"book": "LIVRE ADULTE"},
    )
    assert errors["item_types"] == [
        "Livre : « LIVRE ADULTE » ne peut pas être un code Koha : au plus 10 caractères, lettres majuscules, chiffres, « _ » ou « - »."
    ]
    assert "inconnu" in _errors(library=library, item_types={"ebook": "EB"})["item_types"][0]
    ExportProfile(library=library, system="pmb", item_types={"book": "Livre adulte"}).full_clean()


def test_recommendation_995_subfields_are_single_letters_never_f_nor_k_never_shared(library):
    errors = _errors(library=library, subfields={"lender": "f"})["subfields"]
    assert errors == [
        "Établissement prêteur (la BDVO) : « f » n'est pas une sous-zone possible (a-z ou 0-9, sauf f et k)."
    ]
    errors = _errors(library=library, subfields={"audience": "r"})["subfields"]
    assert "ne peuvent pas partager la sous-zone $r" in errors[0]
    ExportProfile(library=library, subfields={"audience": "", "section": "q"}, section="ADU").full_clean()


def test_only_local_fields_may_be_dropped(library):
    assert "seules les zones locales" in _errors(library=library, dropped_tags="9XX, 200")["dropped_tags"][0]
    assert "seules les zones locales" in _errors(library=library, dropped_tags="X0X")["dropped_tags"][0]
    assert "n'est pas une zone" in _errors(library=library, dropped_tags="9X")["dropped_tags"][0]
    ExportProfile(library=library, dropped_tags="9XX; 899 x9x").full_clean()


def test_a_profile_belongs_to_a_library_or_a_territory(library):
    assert "bibliothèque ou à un territoire" in _errors()["__all__"][0]
    assert "bibliothèque ou à un territoire" in _errors(library=library, territory=library.territory)["__all__"][0]


def test_a_territorys_koha_default_that_does_not_fit_a_library_refuses_its_marc_export_in_french(
    library, manager, client_for
):
    ExportProfile.objects.create(territory=library.territory, system="koha", write_due_date=False)
    LoanFactory(library=library)
    client = client_for(manager)
    response = client.post(EXPORT, {"format": "mrc", "scope": "filtered", "query": ""}, follow=True)
    assert "« VDO-MARINES » ne peut pas être un code de site Koha" in response.content.decode()
    csv = client.post(EXPORT, {"format": "csv", "scope": "filtered", "query": ""})
    assert csv.status_code == 200  # the lists' other formats do not depend on the SIGB


def test_a_territorys_koha_default_fits_a_library_whose_portal_code_is_a_koha_code(client_for, manager, library):
    library.code = "MARINES"
    library.save()
    ExportProfile.objects.create(territory=library.territory, system="koha", write_due_date=False)
    LoanFactory(library=library)
    field = read_with_pymarc(_export(client_for(manager)))[0]["995"]
    assert check_995(field, KOHA) == [] and (field["b"], field["c"]) == ("MARINES", "MARINES")


# --- « Mon SIGB / Profil d'export » -----------------------------------------------------------

PAGE = reverse("extranet:export_profile")
SAVE = reverse("extranet:export_profile_save")


def _koha_form(**changes: str) -> dict[str, str]:
    return {"system": "koha", "holding_code": "MARINES", "location": "DEPOT-BDVO", "type_book": "LIVRE"} | changes


def test_a_gestionnaire_chooses_koha_and_the_page_shows_the_995_it_writes(client_for, manager, library):
    client = client_for(manager)
    page = client.get(PAGE).content.decode()
    assert "profil par défaut du portail" in page and "$a BDVO $b BDVO $c VDO-MARINES $f 0012345678901" in page
    response = client.post(SAVE, _koha_form(), follow=True)
    page = response.content.decode()
    assert "Profil d&#x27;export enregistré" in page
    profile = ExportProfile.objects.for_library(library).get()
    assert (profile.system, profile.holding_code, profile.item_types, profile.updated_by) == (
        "koha",
        "MARINES",
        {"book": "LIVRE"},
        manager,
    )
    assert "choisi par votre bibliothèque" in page
    assert "$b MARINES $c MARINES $e DEPOT-BDVO $f 0012345678901 $k R HUG $r LIVRE" in page


def test_the_form_says_in_french_what_to_fix_and_saves_nothing(client_for, manager, library):
    response = client_for(manager).post(SAVE, _koha_form(holding_code="VDO-MARINES", write_due_date="on"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "ne peut pas être un code Koha" in page and "995$n" in page
    assert not ExportProfile.objects.for_library(library).exists()


def test_a_consulter_reads_the_profile_and_cannot_change_it(client_for, viewer, library):
    ExportProfile.objects.create(library=library, system="pmb", location="BDVO")
    client = client_for(viewer)
    page = client.get(PAGE).content.decode()
    assert 'value="pmb"' in page and "disabled" in page and "Enregistrer le profil" not in page
    assert client.post(SAVE, {"system": "r995"}).status_code == 403
    assert ExportProfile.objects.for_library(library).get().system == "pmb"


def test_each_library_sees_its_own_profile_only(client_for, manager, other_manager, library):
    ExportProfile.objects.create(library=library, system="koha", holding_code="MARINES", write_due_date=False)
    page = client_for(other_manager).get(PAGE).content.decode()
    assert "MARINES" not in page and "profil par défaut du portail" in page


def test_the_page_names_the_territorys_default(client_for, manager, library):
    ExportProfile.objects.create(territory=library.territory, system="pmb", location="BDVO")
    page = client_for(manager).get(PAGE).content.decode()
    assert "profil par défaut du territoire « Vexin français »" in page and "$a BDVO" in page


def test_the_menu_offers_the_page_to_every_partner(client_for, viewer):
    assert "Mon SIGB / Profil d&#x27;export" in client_for(viewer).get(reverse("extranet:dashboard")).content.decode()


# --- admin ------------------------------------------------------------------------------------


def test_a_referent_manages_their_territorys_default_and_libraries_profiles_only(
    client_for, referent, library, other_library
):
    mine = ExportProfile.objects.create(library=library, system="pmb", location="MARINES-LOC")
    default = ExportProfile.objects.create(territory=library.territory, system="pmb", location="VEXIN-LOC")
    ExportProfile.objects.create(library=other_library, system="pmb", location="GOUSS-LOC")
    ExportProfile.objects.create(territory=TerritoryFactory(), system="pmb", location="AILLEURS-LOC")
    assert set(ExportProfile.objects.for_referent(referent)) == {mine, default}
    client = client_for(referent)
    page = client.get(reverse("admin:catalogue_exportprofile_changelist")).content.decode()
    assert "Médiathèque de Marines" in page and "Vexin français" in page
    assert "Goussainville" not in page and "Plaine de France" not in page
    change = reverse("admin:catalogue_exportprofile_change", args=[default.pk])
    response = client.post(
        change,
        {
            "territory": library.territory.pk,
            "system": "koha",
            "holding_code": "TOO-LONG-CODE",
            "item_types": "{}",
            "subfields": "{}",
        },
    )
    assert response.status_code == 200 and "ne peut pas être un code Koha" in response.content.decode()
    response = client.post(
        change,
        {
            "territory": library.territory.pk,
            "system": "pmb",
            "location": "VEXIN",
            "item_types": "{}",
            "subfields": "{}",
            "write_due_date": "on",
        },
    )
    assert response.status_code == 302
    default.refresh_from_db()
    assert (default.location, default.updated_by) == ("VEXIN", referent)
