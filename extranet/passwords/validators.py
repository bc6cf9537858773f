"""Password validators added to Django's own (see ``AUTH_PASSWORD_VALIDATORS``).

- ``NameInPasswordValidator``: Django's similarity check compares the whole password with
  each attribute and lets ``paul-dupont1`` through for Paul Dupont (ratio below 0.7);
  this one refuses any password that contains the first or last name.
- ``CommonPasswordValidator``: Django's 20 000 common passwords plus the 20 000 most common
  French ones (``french-common-passwords.txt.gz``, see ``README.md``), and any of them only
  wrapped in digits or punctuation (``soleil123456``, ``!azerty2026``).
"""

from __future__ import annotations

import gzip
import re
import string
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FRENCH_PASSWORD_LIST = Path(__file__).resolve().parent / "french-common-passwords.txt.gz"
DJANGO_PASSWORD_LIST = Path(password_validation.__file__).resolve().parent / "common-passwords.txt.gz"

# What people put around a common word to pass a length rule: "soleil" + "123456".
_PADDING = string.digits + string.punctuation + string.whitespace


def fold(text: str) -> str:
    """``text`` lowercased without accents (``Hélène`` → ``helene``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def name_parts(*names: str, min_length: int = 3) -> set[str]:
    """The words of ``names`` (folded) of at least ``min_length`` letters:
    ``"Jean-Pierre", "de La Fontaine"`` → ``{"jean", "pierre", "fontaine"}``."""
    return {part for name in names for part in re.findall(r"[^\W\d_]+", fold(name)) if len(part) >= min_length}


class NameInPasswordValidator:
    """Refuse a password containing the user's first or last name (any word of them of
    ``min_length`` letters or more), whatever its case and accents."""

    def __init__(self, min_length: int = 3) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        parts = name_parts(getattr(user, "first_name", "") or "", getattr(user, "last_name", "") or "")
        folded = fold(password)
        if any(part in folded for part in parts):
            raise ValidationError(
                _("Ce mot de passe contient votre prénom ou votre nom : il serait trop facile à deviner."),
                code="password_contains_name",
            )

    def get_help_text(self) -> str:
        return _("Votre mot de passe ne peut pas contenir votre prénom ni votre nom.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's common-password rule over several lists (Django's and the French one by
    default), which also refuses a listed password wrapped in digits or punctuation."""

    def __init__(
        self, password_list_paths: Iterable[str | Path] = (DJANGO_PASSWORD_LIST, FRENCH_PASSWORD_LIST)
    ) -> None:
        self.passwords: set[str] = set()
        for path in password_list_paths:
            with gzip.open(path, "rt", encoding="utf-8") as lines:
                self.passwords.update(line.strip().lower() for line in lines if line.strip())

    def validate(self, password: str, user: Any = None) -> None:
        super().validate(password, user)
        core = password.lower().strip(_PADDING)
        if core and core in self.passwords:
            raise ValidationError(
                _(
                    "Ce mot de passe est un mot de passe courant entouré de chiffres ou de signes : il est trop facile à deviner."
                ),
                code="password_too_common",
            )
