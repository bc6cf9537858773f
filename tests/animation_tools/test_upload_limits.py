"""Technical sheets and tool photos are limited by ``UPLOAD_MAX_BYTES`` (photos also by 5 Mio)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from animation_tools.models import MAX_PHOTO_BYTES, validate_pdf, validate_photo_size


def _pdf(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("fiche.pdf", b"%PDF-" + b"0" * (size - 5), content_type="application/pdf")


def test_technical_sheet_over_the_setting_is_refused_in_french(settings):
    settings.UPLOAD_MAX_BYTES = 4096
    validate_pdf(_pdf(4096))
    with pytest.raises(ValidationError) as refused:
        validate_pdf(_pdf(5 * 1024))
    assert refused.value.messages == [
        "Ce fichier pèse 5,0\xa0Kio : la limite est de 4,0\xa0Kio. Réduisez-le puis réessayez."
    ]


def test_photo_limit_is_the_smaller_of_its_own_and_the_setting(settings):
    settings.UPLOAD_MAX_BYTES = 100 * 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        validate_photo_size(SimpleUploadedFile("photo.jpg", b"0" * (MAX_PHOTO_BYTES + 1)))
    assert "la limite est de 5,0\xa0Mio" in refused.value.messages[0]
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        validate_photo_size(SimpleUploadedFile("photo.jpg", b"0" * 2048))
    assert "la limite est de 1,0\xa0Kio" in refused.value.messages[0]


@pytest.mark.django_db
def test_tool_admin_tells_the_technical_sheet_limit(admin_user, client_for, settings):
    settings.UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    html = client_for(admin_user).get(reverse("admin:animation_tools_tool_add")).content.decode()
    assert "PDF de 20,0\xa0Mio au plus." in html
