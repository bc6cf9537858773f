from django.urls import path

from animation_tools import views

app_name = "animation_tools"
urlpatterns = [
    path("outils-animation/", views.index, name="index"),
    path("espace-pro/outils-animation/", views.library_bookings, name="library_bookings"),
]
