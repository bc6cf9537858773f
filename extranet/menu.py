"""The left menu of the espace professionnel: one list, filtered by profile."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from extranet.models import User


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str
    url: str


_ENTRIES = [
    ("dashboard", _("Tableau de bord"), "extranet:dashboard", False),
    ("loans", _("Prêts en cours"), "extranet:loans", False),
    ("returns", _("Retours"), "extranet:returns", False),
    ("reservations", _("Réservations"), "extranet:reservations", False),
    ("tool_bookings", _("Outils d'animation"), "animation_tools:library_bookings", False),
    ("trainings", _("Formations"), "trainings:my_registrations", False),
    ("users", _("Utilisateurs"), "extranet:users", True),
]


def menu_for(user: User) -> list[MenuEntry]:
    """Entries of the espace professionnel menu this user may open ("Utilisateurs": Gestionnaires only)."""
    if not getattr(user, "is_partner", False):
        return []
    return [
        MenuEntry(key=key, label=str(label), url=reverse(url_name))
        for key, label, url_name, managers_only in _ENTRIES
        if not managers_only or user.is_manager
    ]
