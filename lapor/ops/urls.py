from django.urls import path

from lapor.ops import views

urlpatterns = [
    path("healthz", views.live, name="health-live"),
    path("readyz", views.ready, name="health-ready"),
    path("metrics", views.metrics, name="metrics"),
]
