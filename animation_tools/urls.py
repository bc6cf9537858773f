"""URLs of the animation tools: public catalogue, booking, espace professionnel, staff pages."""

from django.urls import path

from animation_tools import staff_views, views

app_name = "animation_tools"
urlpatterns = [
    path("outils-animation/", views.index, name="index"),
    path("outils-animation/type/<slug:slug>/", views.type_detail, name="type_detail"),
    path("outils-animation/agenda/<str:token>.ics", views.library_calendar_feed, name="calendar_feed"),
    path("outils-animation/fiches/<int:pk>/", views.sheet_download, name="sheet_download"),
    path("outils-animation/photos/<int:pk>/", views.photo, name="photo"),
    path("outils-animation/<slug:slug>/", views.tool_detail, name="tool_detail"),
    path("outils-animation/<slug:slug>/reserver/", views.tool_book_intro, name="tool_book_intro"),
    path("outils-animation/<slug:slug>/calendrier/", views.tool_calendar, name="tool_calendar"),
    path("outils-animation/<slug:slug>/pre-reserver/", views.tool_book, name="tool_book"),
    path("espace-pro/outils-animation/", views.library_bookings, name="library_bookings"),
    path("espace-pro/outils-animation/agenda/renouveler/", views.calendar_link_renew, name="calendar_link_renew"),
    path("espace-pro/outils-animation/<int:pk>/annuler/", views.booking_cancel, name="booking_cancel"),
    path("espace-pro/outils-animation/<int:pk>/convention/", views.booking_convention, name="booking_convention"),
    path("personnel/navette/", staff_views.navette, name="navette"),
    path(
        "personnel/outils-animation/<int:pk>/convention/",
        staff_views.booking_convention,
        name="staff_booking_convention",
    ),
]
