from django.urls import path

from trainings import views

app_name = "trainings"
urlpatterns = [
    path("formations/", views.index, name="index"),
    path("espace-pro/formations/", views.my_registrations, name="my_registrations"),
]
