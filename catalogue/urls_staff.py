"""Staff pages of the catalogue (lending and returns by barcode)."""

from django.urls import path

from catalogue import staff_views

app_name = "catalogue_staff"
urlpatterns = [
    path("prets/", staff_views.lending, name="lending"),
    path("retours/", staff_views.returns, name="returns"),
    path("<str:kind>/nouvelle-serie/", staff_views.clear_lines, name="clear_lines"),
]
