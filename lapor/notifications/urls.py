from django.urls import path

from lapor.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("baca/", views.mark_read, name="mark_read"),
    path("preferensi/", views.preferences, name="preferences"),
]
