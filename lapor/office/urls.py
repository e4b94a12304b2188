from django.urls import path

from lapor.office import views

app_name = "office"
urlpatterns = [
    path("", views.inbox, name="inbox"),
]
