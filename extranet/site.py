"""The espace professionnel as a site the apps register into, as ``django.contrib.admin`` does.

``extranet`` owns the site (its layout, left menu and dashboard) and imports no domain app.
Each installed app may hold an ``espace.py`` module, imported once at start-up by
``ExtranetConfig.ready()`` (``autodiscover_modules("espace", register_to=site)``), that
registers into ``site``:

- its pages (``site.register_urls``): URL patterns mounted under ``/espace-pro/`` in the
  ``extranet`` namespace (``reverse("extranet:loans")``);
- its menu entries (``site.register_menu_entry``): label, URL name, order, and whether only
  Gestionnaires see it;
- its dashboard panels (``site.register_panel``): an order, a template rendered inside the
  « Activité de la bibliothèque » list, and a function ``(library, user, today) -> context``.

``bdvo_portal/urls.py`` mounts ``site.urls``; the context processor asks ``site.menu_for(user)``
and the dashboard asks ``site.dashboard_context(library, user, today)``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, reverse
from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from extranet.models import Library, User

PanelContext = Callable[["Library", "User", datetime.date], Mapping[str, Any]]


class AlreadyRegistered(Exception):
    """Two registrations of the same kind under the same key."""


@dataclass(frozen=True)
class Pages:
    """URL patterns of one app, mounted under ``/espace-pro/`` in the ``extranet`` namespace."""

    key: str
    urlpatterns: Sequence[URLPattern | URLResolver]


@dataclass(frozen=True)
class MenuEntry:
    """One link of the left menu. ``key`` is also the ``extranet_section`` a page puts in its
    context to mark its entry as the current one."""

    key: str
    label: str | Promise
    url_name: str
    order: int
    managers_only: bool = False


@dataclass(frozen=True)
class DashboardPanel:
    """Figures of one app on the dashboard: ``template`` (``<li>`` items of the activity list)
    is rendered with the page's context, to which ``context(library, user, today)`` adds its keys."""

    key: str
    order: int
    template: str
    context: PanelContext


@dataclass(frozen=True)
class MenuLink:
    """A menu entry as the layout shows it to one user."""

    key: str
    label: str
    url: str


Registration = Pages | MenuEntry | DashboardPanel
R = TypeVar("R", Pages, MenuEntry, DashboardPanel)


class EspaceSite:
    """The registry of the espace professionnel's pages, menu entries and dashboard panels.

    Registrations are kept in ``_registry`` (keyed by kind and key) so that
    ``autodiscover_modules`` can restore it when an ``espace`` module fails to import.
    """

    def __init__(self, name: str = "extranet") -> None:
        self.name = name
        self._registry: dict[tuple[type[Registration], str], Registration] = {}

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(name={self.name!r})"

    def _register(self, registration: Registration) -> None:
        slot = (type(registration), registration.key)
        if slot in self._registry:
            raise AlreadyRegistered(f"{type(registration).__name__} {registration.key!r} is already registered.")
        self._registry[slot] = registration

    def _registered(self, kind: type[R]) -> list[R]:
        return [registration for registration in self._registry.values() if isinstance(registration, kind)]

    # --- registration -------------------------------------------------------------------------

    def register_urls(self, key: str, urlpatterns: Sequence[URLPattern | URLResolver]) -> None:
        """Mount ``urlpatterns`` (usually an app's ``urls_espace.urlpatterns``) under ``/espace-pro/``;
        their names join the ``extranet`` namespace. AlreadyRegistered if ``key`` was used."""
        self._register(Pages(key=key, urlpatterns=list(urlpatterns)))

    def register_menu_entry(
        self, key: str, label: str | Promise, url_name: str, *, order: int, managers_only: bool = False
    ) -> None:
        """Add a link to the left menu, sorted by ``order``; ``managers_only`` hides it from
        Consulter accounts (the page itself must still refuse them). AlreadyRegistered if ``key`` was used."""
        self._register(MenuEntry(key=key, label=label, url_name=url_name, order=order, managers_only=managers_only))

    def register_panel(self, key: str, *, order: int, template: str, context: PanelContext) -> None:
        """Add figures to the dashboard, sorted by ``order``. ``context`` receives the library, the
        user and today's date and returns the keys ``template`` reads; they must not clash with
        another panel's. AlreadyRegistered if ``key`` was used."""
        self._register(DashboardPanel(key=key, order=order, template=template, context=context))

    # --- what the site serves -----------------------------------------------------------------

    def get_urls(self) -> list[URLPattern | URLResolver]:
        """Every registered pattern, in registration order (INSTALLED_APPS order)."""
        return [pattern for pages in self._registered(Pages) for pattern in pages.urlpatterns]

    @property
    def urls(self) -> tuple[list[URLPattern | URLResolver], str, str]:
        """What ``bdvo_portal/urls.py`` mounts: ``path("espace-pro/", site.urls)``."""
        return self.get_urls(), "extranet", self.name

    def menu_entries(self) -> list[MenuEntry]:
        """Every registered entry, in menu order."""
        return sorted(self._registered(MenuEntry), key=lambda entry: (entry.order, entry.key))

    def menu_for(self, user: User | AnonymousUser) -> list[MenuLink]:
        """The links ``user`` may open: none for anyone but a partner, « managers only »
        entries for Gestionnaires only."""
        if not getattr(user, "is_partner", False):
            return []
        is_manager = bool(getattr(user, "is_manager", False))
        return [
            MenuLink(key=entry.key, label=str(entry.label), url=reverse(entry.url_name))
            for entry in self.menu_entries()
            if not entry.managers_only or is_manager
        ]

    def panels(self) -> list[DashboardPanel]:
        """Every registered panel, in dashboard order."""
        return sorted(self._registered(DashboardPanel), key=lambda panel: (panel.order, panel.key))

    def dashboard_context(self, library: Library, user: User, today: datetime.date) -> dict[str, Any]:
        """Every panel's keys for ``library`` as seen by ``user``, plus ``dashboard_panels`` (their
        templates, in order). ImproperlyConfigured when two panels give the same key."""
        context: dict[str, Any] = {}
        templates = []
        for panel in self.panels():
            values = panel.context(library, user, today)
            clashes = context.keys() & values.keys()
            if clashes:
                raise ImproperlyConfigured(f"Dashboard panel {panel.key!r} redefines {sorted(clashes)}.")
            context.update(values)
            templates.append(panel.template)
        return {**context, "dashboard_panels": templates}


site = EspaceSite()
