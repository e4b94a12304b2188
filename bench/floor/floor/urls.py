from django.urls import path

from floor import views

urlpatterns = [path("submit/", views.submit), path("latest/", views.latest)]
