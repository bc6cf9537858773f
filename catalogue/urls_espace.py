"""Pages of the catalogue in the espace professionnel, mounted by ``catalogue/espace.py`` under
``/espace-pro/`` in the ``extranet`` namespace (``extranet:loans``…)."""

from django.urls import path

from catalogue import espace_views

urlpatterns = [
    path("prets/", espace_views.loans, name="loans"),
    path("prets/export/", espace_views.loans_export, name="loans_export"),
    path("retours/", espace_views.returns, name="returns"),
    path("retours/export/", espace_views.returns_export, name="returns_export"),
    path("exports/<str:token>/", espace_views.export_status, name="export_status"),
    path("exports/<str:token>/fichier/", espace_views.export_download, name="export_download"),
    path("reservations/", espace_views.reservations, name="reservations"),
    path("reservations/export.csv", espace_views.reservations_export, name="reservations_export"),
    path("reservations/suppression/", espace_views.reservations_delete, name="reservations_delete"),
]
