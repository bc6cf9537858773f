"""Root URLs of the portal."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from bdvo_portal import search_views, views
from extranet.site import site as espace_site

urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", search_views.search, name="search"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal, name="legal"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("compte/", include("allauth.urls")),
    # The espace professionnel: pages that the apps register from their espace.py modules.
    path("espace-pro/", espace_site.urls),
    path("catalogue/", include("catalogue.urls")),
    path("personnel/exports/", include("extranet.exports.urls_staff")),
    path("personnel/", include("catalogue.urls_staff")),
    path("", include("content.urls")),
    path("", include("animation_tools.urls")),
    path("", include("trainings.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

admin.site.site_header = "Administration du portail BDVO"
admin.site.site_title = "Portail BDVO"
admin.site.index_title = "Gestion du réseau, du catalogue et des services"
