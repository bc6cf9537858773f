from django.urls import path

from extranet.views import lists

urlpatterns = [
    path("prets/", lists.loans, name="loans"),
    path("retours/", lists.returns, name="returns"),
    path("reservations/", lists.reservations, name="reservations"),
]
