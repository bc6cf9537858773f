"""What the trainings add to the espace professionnel (see ``extranet.site``): the menu entry
of « Mes inscriptions » and their figure on the dashboard. The registrations pages keep their
own URLs (``trainings:my_registrations``…, in ``trainings/urls.py``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from extranet.models import Library, User
from extranet.site import site
from trainings.selectors import upcoming_registrations_count


def dashboard_figures(library: Library, user: User, today: datetime.date) -> dict[str, Any]:
    """Active registrations to sessions still to come, as ``user`` sees them in « Mes
    inscriptions » (the library's for a Gestionnaire, their own for a Consulter): one query."""
    return {"upcoming_registrations": upcoming_registrations_count(library, user)}


site.register_menu_entry("trainings", _("Formations"), "trainings:my_registrations", order=50)
site.register_panel("trainings", order=50, template="trainings/espace/dashboard_panel.html", context=dashboard_figures)
