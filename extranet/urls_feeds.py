"""Public URLs of the ground: the navette feed, addressed by a signed token (calendar programs
have no session), so outside ``/espace-pro/``."""

from django.urls import path

from extranet.views import navette

app_name = "navette"
urlpatterns = [
    path("navette/agenda/<str:token>.ics", navette.calendar_feed, name="calendar_feed"),
]
