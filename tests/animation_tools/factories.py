"""Factories of the animation tools."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from animation_tools.models import TechnicalSheet, Tool, ToolBooking, ToolPhoto, ToolType
from animation_tools.rules import blocked_until_for
from tests.factories import LibraryFactory

# A Monday far from public holidays: rule tests count days from here.
TODAY = datetime.date(2026, 9, 7)
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF\n"
# A 1×1 transparent PNG.
MINIMAL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


class ToolTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolType
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Type {n}")
    slug = factory.Sequence(lambda n: f"type-{n}")


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tool
        django_get_or_create = ["slug"]  # a fixed slug names one tool, however many times it is asked for

    type = factory.SubFactory(ToolTypeFactory)
    name = factory.Sequence(lambda n: f"Kamishibaï n°{n}")
    slug = factory.Sequence(lambda n: f"outil-{n}")
    description = "Un butaï en bois et douze histoires illustrées."
    value = Decimal("800.00")
    crates = 1


class TechnicalSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechnicalSheet

    tool = factory.SubFactory(ToolFactory)
    title = "Fiche technique"
    file = factory.django.FileField(filename="fiche.pdf", data=MINIMAL_PDF)


class ToolPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolPhoto

    tool = factory.SubFactory(ToolFactory)
    image = factory.django.FileField(filename="photo.png", data=MINIMAL_PNG)
    alt_text = "Les panneaux de l'exposition dépliés"


class ToolBookingFactory(factory.django.DjangoModelFactory):
    """A booking written directly (no rules): to set up the situations the rules judge."""

    class Meta:
        model = ToolBooking

    tool = factory.SubFactory(ToolFactory)
    library = factory.SubFactory(LibraryFactory)
    loan_date = TODAY + datetime.timedelta(days=14)
    return_date = factory.LazyAttribute(lambda o: o.loan_date + datetime.timedelta(days=14))
    blocked_until = factory.LazyAttribute(lambda o: blocked_until_for(o.return_date))
    status = ToolBooking.Status.VALIDATED
