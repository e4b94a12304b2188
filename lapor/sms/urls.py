from django.urls import path

from lapor.sms import views

app_name = "sms"
urlpatterns = [
    path("kannel/", views.kannel_incoming, name="kannel"),
]
