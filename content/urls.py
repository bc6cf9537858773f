from django.urls import path

from content import views

app_name = "content"
urlpatterns = [
    path("aide/", views.help_index, name="help"),
    path("aide/<slug:slug>/", views.page_detail, name="page_detail"),
    path("agenda/", views.event_list, name="event_list"),
    path("agenda/<int:pk>/", views.event_detail, name="event_detail"),
]
