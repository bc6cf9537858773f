"""Staff pages of the catalogue (lending and returns by barcode)."""

from django.urls import path  # noqa: F401

app_name = "catalogue_staff"
urlpatterns: list = []
