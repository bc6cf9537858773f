"""Export URLs of the staff pages (namespace ``exports_staff``, under ``personnel/exports/``)."""

from django.urls import path

from extranet.views import exports

app_name = "exports_staff"
urlpatterns = [
    path("suivi/<uuid:pk>/", exports.staff_export_job, name="job"),
    path("suivi/<uuid:pk>/fichier/", exports.staff_export_job_download, name="download"),
    path("<slug:identifier>/", exports.staff_export, name="export"),
]
