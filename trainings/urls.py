from django.urls import path

from trainings import views

app_name = "trainings"
urlpatterns = [
    path("formations/", views.index, name="index"),
    path("formations/premiere-inscription/", views.trainee_request, name="trainee_request"),
    path("formations/premiere-inscription/envoyee/", views.trainee_request_sent, name="trainee_request_sent"),
    path(
        "formations/premiere-inscription/confirmer/<str:token>/",
        views.trainee_request_confirm,
        name="trainee_request_confirm",
    ),
    path("formations/sessions/<int:pk>/inscription/", views.session_register, name="session_register"),
    path("formations/<slug:slug>/", views.training_detail, name="training_detail"),
    path("espace-pro/formations/", views.my_registrations, name="my_registrations"),
    path("espace-pro/formations/<int:pk>/annuler/", views.registration_cancel, name="registration_cancel"),
]
