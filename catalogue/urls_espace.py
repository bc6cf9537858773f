"""Pages of the catalogue in the espace professionnel, mounted by ``catalogue/espace.py`` under
``/espace-pro/`` in the ``extranet`` namespace (``extranet:loans``…). Their exports are
``extranet:export`` with the identifiers of ``catalogue.exports``."""

from django.urls import URLPattern, URLResolver, path

from catalogue import espace_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("prets/", espace_views.loans, name="loans"),
    path("prets/prolongation/", espace_views.loans_renew, name="loans_renew"),
    path("prets/annonce-retour/", espace_views.loans_announce_return, name="loans_announce_return"),
    path("retours/", espace_views.returns, name="returns"),
    path("reservations/", espace_views.reservations, name="reservations"),
    path("reservations/suppression/", espace_views.reservations_delete, name="reservations_delete"),
    path("mon-sigb/", espace_views.export_profile, name="export_profile"),
    path("mon-sigb/enregistrer/", espace_views.export_profile_save, name="export_profile_save"),
]
