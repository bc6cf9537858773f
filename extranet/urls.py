"""The ground's own pages of the espace professionnel (dashboard, users), registered into the
espace site by ``extranet/espace.py`` and so mounted under ``/espace-pro/`` in the ``extranet``
namespace, like every app's ``urls_espace.py``."""

from django.urls import URLPattern, URLResolver, include, path

from extranet.views import dashboard, users

urlpatterns: list[URLPattern | URLResolver] = [
    path("", dashboard.dashboard, name="dashboard"),
    path("utilisateurs/", users.user_list, name="users"),
    path("utilisateurs/nouveau/", users.user_create, name="user_create"),
    path("utilisateurs/<int:pk>/", users.user_edit, name="user_edit"),
    path("utilisateurs/<int:pk>/activation/", users.user_toggle_active, name="user_toggle_active"),
    path("", include("extranet.exports.urls")),
]
