"""Demo territories, libraries and accounts (see the README for the logins)."""

from __future__ import annotations

from typing import TextIO

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from extranet.models import Library, Territory, User
from extranet.querysets import NETWORK_WIDE_GROUP

TERRITORIES = ["Vexin français", "Plaine de France", "Pays de France"]

LIBRARIES = [
    # code, name, commune, postal code, address, territory
    ("VDO-MARINES", "Médiathèque de Marines", "Marines", "95640", "2 rue des Écoles", "Vexin français"),
    ("VDO-VIGNY", "Bibliothèque municipale de Vigny", "Vigny", "95450", "Place de la Mairie", "Vexin français"),
    ("VDO-CHARS", "Bibliothèque de Chars", "Chars", "95750", "15 rue de Gisors", "Vexin français"),
    (
        "VDO-GOUSSAINVILLE",
        "Médiathèque de Goussainville",
        "Goussainville",
        "95190",
        "1 avenue du Parc",
        "Plaine de France",
    ),
    ("VDO-LOUVRES", "Bibliothèque de Louvres", "Louvres", "95380", "10 rue de Paris", "Plaine de France"),
    ("VDO-LUZARCHES", "Bibliothèque de Luzarches", "Luzarches", "95270", "Rue du Cygne", "Pays de France"),
]

ACCOUNTS = [
    # username, first name, last name, library code or None, profile, staff, superuser
    ("admin", "Claire", "Administratrice", None, "", True, True),
    ("referent", "Karim", "Benali", None, "", True, False),
    ("pret", "Hugo", "Lambert", None, "", True, False),
    ("gestionnaire", "Sophie", "Martin", "VDO-MARINES", User.Profile.MANAGER, False, False),
    ("consultant", "Lucas", "Bernard", "VDO-MARINES", User.Profile.VIEWER, False, False),
    ("gestionnaire2", "Nadia", "Haddad", "VDO-GOUSSAINVILLE", User.Profile.MANAGER, False, False),
    ("consultant2", "Julien", "Petit", "VDO-GOUSSAINVILLE", User.Profile.VIEWER, False, False),
]


@transaction.atomic
def load(stdout: TextIO) -> None:
    territories = {name: Territory.objects.get_or_create(name=name)[0] for name in TERRITORIES}
    for code, name, commune, postal_code, address, territory in LIBRARIES:
        Library.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "commune": commune,
                "postal_code": postal_code,
                "address": address,
                "territory": territories[territory],
                "email": f"bibliotheque@{commune.lower()}.example.fr",
                "phone": "01 30 00 00 00",
            },
        )
    for username, first, last, library_code, profile, staff, superuser in ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.bdvo.example.fr",
                "library": Library.objects.get(code=library_code) if library_code else None,
                "profile": profile,
                "is_staff": staff,
                "is_superuser": superuser,
                "job_title": "Référent de territoire, BDVO" if username == "referent" else "",
                "phone": "01 34 25 00 00" if username == "referent" else "",
            },
        )
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
    referent = User.objects.get(username="referent")
    referent.groups.add(Group.objects.get(name="Référents de territoire"))
    # The lending desk acts for every library of the network (BDVO-wide staff, not an administrator).
    User.objects.get(username="pret").groups.add(Group.objects.get(name=NETWORK_WIDE_GROUP))
    territories["Vexin français"].referents.add(referent)
    territories["Plaine de France"].referents.add(User.objects.get(username="admin"))
    stdout.write(
        f"  {Territory.objects.count()} territoires, {Library.objects.count()} bibliothèques, {User.objects.count()} comptes"
    )
