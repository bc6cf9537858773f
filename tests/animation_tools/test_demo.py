"""Demo data: realistic catalogue with valid PDF sheets, bookings through the services, idempotent."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest

from animation_tools import demo
from animation_tools.models import TechnicalSheet, Tool, ToolBooking, ToolType
from extranet import demo as extranet_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_without_changing_anything(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    extranet_demo.load(io.StringIO())
    demo.load(io.StringIO())
    counts = (
        ToolType.objects.count(),
        Tool.objects.count(),
        TechnicalSheet.objects.count(),
        ToolBooking.objects.all_libraries().count(),
    )
    demo.load(io.StringIO())
    assert (
        ToolType.objects.count(),
        Tool.objects.count(),
        TechnicalSheet.objects.count(),
        ToolBooking.objects.all_libraries().count(),
    ) == counts
    assert counts[1] >= 20 and counts[2] == counts[1]
    assert Tool.objects.filter(value__gt=Decimal("5000")).count() >= 2
    statuses = set(ToolBooking.objects.all_libraries().values_list("status", flat=True))
    assert {"requested", "validated", "refused", "cancelled", "out", "returned", "checked"} <= statuses
    assert ToolBooking.objects.all_libraries().filter(library__code="VDO-MARINES").exists()
    assert (
        ToolBooking.objects.all_libraries().filter(library__code="VDO-GOUSSAINVILLE", convention_required=True).exists()
    )


def test_technical_sheet_pdf_is_well_formed():
    pdf = demo.technical_sheet_pdf("Exposition « Mangas » (2026)", ["Valeur : 6 800 EUR", "Caisses : 6"])
    assert pdf.startswith(b"%PDF-1.4\n") and pdf.rstrip().endswith(b"%%EOF")
    xref_at = int(re.search(rb"startxref\n(\d+)\n", pdf).group(1))
    assert pdf[xref_at:].startswith(b"xref\n0 6\n")
    offsets = [int(line[:10]) for line in pdf[xref_at:].split(b"\n")[3:8]]
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(f"{number} 0 obj".encode())
    length = int(re.search(rb"/Length (\d+)", pdf).group(1))
    stream = pdf.split(b"stream\n", 1)[1].split(b"\nendstream", 1)[0]
    assert len(stream) == length
    assert b"\xab Mangas \xbb" in stream and b"\\(2026\\)" in stream  # WinAnsi guillemets, escaped parentheses
