from django.urls import path

from extranet.views import lists

urlpatterns = [
    path("prets/", lists.loans, name="loans"),
    path("prets/export/", lists.loans_export, name="loans_export"),
    path("retours/", lists.returns, name="returns"),
    path("retours/export/", lists.returns_export, name="returns_export"),
    path("exports/<str:token>/", lists.export_status, name="export_status"),
    path("exports/<str:token>/fichier/", lists.export_download, name="export_download"),
    path("reservations/", lists.reservations, name="reservations"),
    path("reservations/export.csv", lists.reservations_export, name="reservations_export"),
    path("reservations/suppression/", lists.reservations_delete, name="reservations_delete"),
]
