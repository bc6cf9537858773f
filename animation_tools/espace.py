"""What the animation tools add to the espace professionnel (see ``extranet.site``): the menu
entry of the library's bookings and their figure on the dashboard. The bookings pages keep
their own URLs (``animation_tools:library_bookings``…, in ``animation_tools/urls.py``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from animation_tools.selectors import upcoming_bookings_count
from extranet.models import Library, User
from extranet.site import site


def dashboard_figures(library: Library, user: User, today: datetime.date) -> dict[str, Any]:
    """Requested or validated bookings of ``library`` still to come: one query."""
    return {"upcoming_tool_bookings": upcoming_bookings_count(library, today)}


site.register_menu_entry("tool_bookings", _("Outils d'animation"), "animation_tools:library_bookings", order=40)
site.register_panel(
    "animation_tools", order=40, template="animation_tools/espace/dashboard_panel.html", context=dashboard_figures
)
