from django.urls import path

from catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("notice/<int:pk>/", views.record_detail, name="record_detail"),
    path("notice/<int:pk>/reserver/", views.record_reserve, name="record_reserve"),
]
