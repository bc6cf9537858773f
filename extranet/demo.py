"""Demo territories, libraries and accounts (see the README for the logins), and the navette:
each territory's rounds, one library with its own, the BDVO's closures, moved rounds."""

from __future__ import annotations

import datetime
from typing import TextIO

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from extranet import navette
from extranet.models import ClosurePeriod, Library, NavetteRoundChange, NavetteRule, Territory, User, Weekday
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


# territory or library code, frequency, weekday, every N weeks or week of the month, first round
ROUNDS = [
    ("Vexin français", NavetteRule.Frequency.WEEKLY, Weekday.TUESDAY, 2, datetime.date(2026, 1, 6)),
    ("Plaine de France", NavetteRule.Frequency.WEEKLY, Weekday.THURSDAY, 1, datetime.date(2026, 1, 8)),
    ("Pays de France", NavetteRule.Frequency.MONTHLY, Weekday.WEDNESDAY, 1, datetime.date(2026, 1, 1)),
    ("Pays de France", NavetteRule.Frequency.MONTHLY, Weekday.WEDNESDAY, 3, datetime.date(2026, 1, 1)),
    # Chars is at the end of the Vexin round: its van comes on Fridays, every other week.
    ("VDO-CHARS", NavetteRule.Frequency.WEEKLY, Weekday.FRIDAY, 2, datetime.date(2026, 1, 9)),
]
# How far ahead the demo moves the rounds that fall on a public holiday.
MOVED_ROUNDS_DAYS = 200


def _navette(territories: dict[str, Territory], stdout: TextIO) -> None:
    """Rounds of every territory, the BDVO's closures of this year and the next, and each round of
    the coming months that falls on a public holiday moved to the next open day."""
    rules = []
    for owner, frequency, weekday, every, starts_on in ROUNDS:
        library = Library.objects.filter(code=owner).first()
        weekly = frequency == NavetteRule.Frequency.WEEKLY
        rule, _ = NavetteRule.objects.get_or_create(
            territory=None if library else territories[owner],
            library=library,
            frequency=frequency,
            weekday=weekday,
            interval_weeks=every if weekly else 1,
            week_of_month=None if weekly else every,
            defaults={"starts_on": starts_on},
        )
        rules.append(rule)
    year = timezone.localdate().year
    for first_year in (year - 1, year, year + 1):
        ClosurePeriod.objects.get_or_create(
            label="Fermeture estivale",
            starts_on=datetime.date(first_year, 8, 1),
            defaults={"ends_on": datetime.date(first_year, 8, 15)},
        )
        ClosurePeriod.objects.get_or_create(
            label="Fermeture de fin d'année",
            starts_on=datetime.date(first_year, 12, 24),
            defaults={"ends_on": datetime.date(first_year + 1, 1, 1)},
        )
    moved = 0
    for rule in rules:
        for day, _reason in navette.rule_days(rule, timezone.localdate(), count=MOVED_ROUNDS_DAYS // 7):
            if not navette.public_holiday_name(day) or (day - timezone.localdate()).days > MOVED_ROUNDS_DAYS:
                continue
            new_day = day + datetime.timedelta(days=1)
            while navette.closed_reason(new_day) or new_day.weekday() >= 5:
                new_day += datetime.timedelta(days=1)
            _change, created = NavetteRoundChange.objects.get_or_create(
                territory=rule.territory,
                library=rule.library,
                kind=NavetteRoundChange.Kind.MOVED,
                original_date=day,
                defaults={"new_date": new_day, "reason": navette.public_holiday_name(day)},
            )
            moved += created
    stdout.write(
        f", {NavetteRule.objects.count()} règles de navette, {ClosurePeriod.objects.count()} fermetures, "
        f"{moved} tournées déplacées"
    )


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
    _navette(territories, stdout)
