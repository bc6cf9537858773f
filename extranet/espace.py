"""The ground's own pages of the espace professionnel: the dashboard, the library's accounts,
and the library's next navette round on the dashboard."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from extranet import calendars, navette, urls
from extranet.models import Library, User
from extranet.site import site


def navette_figures(library: Library, user: User, today: datetime.date) -> dict[str, Any]:
    """The library's next round and its cut-off; when that cut-off has passed, the next round
    still open. No query once the coming rounds are cached (``navette.coming_rounds``)."""
    rounds = navette.coming_rounds(library, today)
    now = timezone.now()
    next_round = rounds[0] if rounds else None
    closed = next_round is not None and not next_round.is_open_at(now)
    return {
        "next_navette": next_round,
        "next_navette_closed": closed,
        "next_open_navette": next((one for one in rounds if one.is_open_at(now)), None) if closed else None,
        "navette_feed_url": calendars.navette_feed_url(library),
    }


site.register_urls("extranet", urls.urlpatterns)
site.register_menu_entry("dashboard", _("Tableau de bord"), "extranet:dashboard", order=0)
site.register_menu_entry("users", _("Utilisateurs"), "extranet:users", order=100, managers_only=True)
site.register_panel("navette", order=5, template="extranet/espace/navette_panel.html", context=navette_figures)
