"""Factories of the core models, shared by every app's tests."""

from __future__ import annotations

import datetime

import factory
import pymarc
from django.utils import timezone

from catalogue.models import DocumentType, Item, Loan, MarcFlavour, Record, Reservation
from extranet.models import ClosurePeriod, Library, NavetteRoundChange, NavetteRule, Territory, User, Weekday

TEST_PASSWORD = "mot-de-passe-de-test-2026"


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Territoire {n}")


class LibraryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Library

    name = factory.Sequence(lambda n: f"Médiathèque n°{n}")
    code = factory.Sequence(lambda n: f"VDO-{n:04d}")
    commune = factory.Sequence(lambda n: f"Commune {n}")
    territory = factory.SubFactory(TerritoryFactory)
    email = factory.Sequence(lambda n: f"bib{n}@example.fr")


class UserFactory(factory.django.DjangoModelFactory):
    """A partner account (Gestionnaire by default) with a known password."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.fr")
    library = factory.SubFactory(LibraryFactory)
    profile = User.Profile.MANAGER
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    library = None
    profile = ""
    is_staff = True


def make_marc(title: str, author: str = "Hugo, Victor", isbn: str = "", flavour: str = MarcFlavour.UNIMARC) -> bytes:
    """A small UTF-8 ISO 2709 record (UNIMARC or MARC 21) for tests."""
    record = pymarc.Record(force_utf8=True, leader="     nam  22        450 ")
    if flavour == MarcFlavour.UNIMARC:
        record.add_field(
            pymarc.Field(
                tag="200", indicators=["1", " "], subfields=[pymarc.Subfield("a", title), pymarc.Subfield("f", author)]
            ),
            pymarc.Field(
                tag="700",
                indicators=[" ", "1"],
                subfields=[
                    pymarc.Subfield("a", author.split(",")[0]),
                    pymarc.Subfield("b", author.split(",")[-1].strip()),
                ],
            ),
        )
        if isbn:
            record.add_field(pymarc.Field(tag="010", indicators=[" ", " "], subfields=[pymarc.Subfield("a", isbn)]))
    else:
        record.add_field(
            pymarc.Field(tag="245", indicators=["1", "0"], subfields=[pymarc.Subfield("a", title)]),
            pymarc.Field(tag="100", indicators=["1", " "], subfields=[pymarc.Subfield("a", author)]),
        )
        if isbn:
            record.add_field(pymarc.Field(tag="020", indicators=[" ", " "], subfields=[pymarc.Subfield("a", isbn)]))
    return record.as_marc()


class RecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Record

    source_id = factory.Sequence(lambda n: f"TEST{n:08d}")
    flavour = MarcFlavour.UNIMARC
    title = factory.Sequence(lambda n: f"Les Misérables, tome {n}")
    responsibility = "Victor Hugo"
    main_author = "Hugo, Victor"
    publisher = "Gallimard"
    publication_year = 2020
    language = "fre"
    document_type = DocumentType.BOOK
    marc = factory.LazyAttribute(lambda o: make_marc(o.title, o.main_author, flavour=o.flavour))


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    record = factory.SubFactory(RecordFactory)
    barcode = factory.Sequence(lambda n: f"B{n:012d}")
    call_number = "R HUG"
    document_type = DocumentType.BOOK


class ReservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reservation

    record = factory.SubFactory(RecordFactory)
    library = factory.SubFactory(LibraryFactory)


class LoanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Loan

    item = factory.SubFactory(ItemFactory, status=Item.Status.ON_LOAN)
    library = factory.SubFactory(LibraryFactory)
    loaned_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    due_on = factory.LazyAttribute(lambda o: o.loaned_on + datetime.timedelta(days=120))


class NavetteRuleFactory(factory.django.DjangoModelFactory):
    """A weekly round of a territory (pass ``library=…, territory=None`` for a library's own rule).

    Default: every Tuesday from Tuesday 5 January 2021, cut-off two open days before at noon.
    """

    class Meta:
        model = NavetteRule

    territory = factory.SubFactory(TerritoryFactory)
    library = None
    frequency = NavetteRule.Frequency.WEEKLY
    weekday = Weekday.TUESDAY
    interval_weeks = 1
    starts_on = datetime.date(2021, 1, 5)


class NavetteRoundChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NavetteRoundChange

    territory = factory.SubFactory(TerritoryFactory)
    library = None
    kind = NavetteRoundChange.Kind.CANCELLED


class ClosurePeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosurePeriod

    label = "Fermeture estivale"
    starts_on = datetime.date(2027, 8, 2)
    ends_on = datetime.date(2027, 8, 15)


def weekday_rounds(territory: Territory) -> list[NavetteRule]:
    """A navette round every Monday to Friday for ``territory`` (holidays and closures still have none):
    the test libraries' default, so that any weekday date of a test is a round day."""
    return [
        NavetteRuleFactory(
            territory=territory, weekday=day, starts_on=datetime.date(2021, 1, 4) + datetime.timedelta(days=day)
        )
        for day in (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)
    ]


def next_weekday(day: datetime.date) -> datetime.date:
    """``day`` or the first day after it that is a weekday and no public holiday: a round day of
    ``weekday_rounds`` territories (tests add no closure unless they say so)."""
    from extranet.navette import public_holiday_name

    while day.weekday() >= 5 or public_holiday_name(day):
        day += datetime.timedelta(days=1)
    return day
