from django.urls import include, path

from extranet.views import dashboard, users

app_name = "extranet"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("utilisateurs/", users.user_list, name="users"),
    path("utilisateurs/nouveau/", users.user_create, name="user_create"),
    path("utilisateurs/<int:pk>/", users.user_edit, name="user_edit"),
    path("utilisateurs/<int:pk>/activation/", users.user_toggle_active, name="user_toggle_active"),
    path("", include("extranet.exports.urls")),
    # Loans, returns and reservations lists and their exports.
    path("", include("extranet.urls_lists")),
]
