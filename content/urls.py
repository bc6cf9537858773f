from django.urls import path

from content import views

app_name = "content"
urlpatterns = [
    path("aide/", views.help_index, name="help"),
]
