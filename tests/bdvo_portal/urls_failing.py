"""The portal's URLs plus a view that fails, to reach the 500 handler through a real request."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from bdvo_portal.urls import handler500
from bdvo_portal.urls import urlpatterns as portal_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("panne simulée")


urlpatterns = [path("panne/", failing_view, name="failing"), *portal_urlpatterns]
