"""The ground's own pages of the espace professionnel: the dashboard and the library's accounts."""

from django.utils.translation import gettext_lazy as _

from extranet import urls
from extranet.site import site

site.register_urls("extranet", urls.urlpatterns)
site.register_menu_entry("dashboard", _("Tableau de bord"), "extranet:dashboard", order=0)
site.register_menu_entry("users", _("Utilisateurs"), "extranet:users", order=100, managers_only=True)
