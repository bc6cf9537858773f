"""Root URLs of the portal."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from bdvo_portal import search_views, views
from extranet.files import staff_media
from extranet.site import site as espace_site
from extranet.views.invitation import invitation_accept

# One login page, the portal's, throttled (extranet/throttling.py): the admin's own form would
# let anyone guess passwords without limit. A signed-in non-staff account gets a 403.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", search_views.search, name="search"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal, name="legal"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    # A colleague invited by a Gestionnaire chooses a password: the account is created then.
    path("compte/invitation/<str:token>/", invitation_accept, name="invitation_accept"),
    path("compte/", include("allauth.urls")),
    # The espace professionnel: pages that the apps register from their espace.py modules.
    path("espace-pro/", espace_site.urls),
    path("catalogue/", include("catalogue.urls")),
    path("personnel/", views.staff_home, name="staff_home"),
    path("personnel/exports/", include("extranet.exports.urls_staff")),
    path("personnel/", include("catalogue.urls_staff")),
    path("", include("content.urls")),
    path("", include("animation_tools.urls")),
    path("", include("extranet.urls_feeds")),
    path("", include("trainings.urls")),
    path("admin/", admin.site.urls),
]

# Pages link every file through a route by object with its own access rule (e.g. the tool
# sheets); raw stored names stay reachable by the BDVO staff only, for the admin's links.
urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<name>.+)$", staff_media, name="media")]

# Error pages (templates/4xx.html, 500.html) under DEBUG=false; 500 renders without the database.
handler500 = "bdvo_portal.errors.server_error"

admin.site.site_header = "Administration du portail BDVO"
admin.site.site_title = "Portail BDVO"
admin.site.index_title = "Gestion du réseau, du catalogue et des services"
