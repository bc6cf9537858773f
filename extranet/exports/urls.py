"""Export URLs of the espace professionnel (included in the ``extranet`` namespace)."""

from django.urls import path

from extranet.views import exports

urlpatterns = [
    path("export/suivi/<uuid:pk>/", exports.export_job, name="export_job"),
    path("export/suivi/<uuid:pk>/fichier/", exports.export_job_download, name="export_job_download"),
    path("export/<slug:identifier>/", exports.export, name="export"),
]
