"""Public pages of disaster mode."""
from django.urls import path

from lapor.disasters.feeds import IncidentFeed
from lapor.disasters.views import public

app_name = "disasters"
urlpatterns = [
    path("darurat/<int:pk>/", public.incident_map, name="incident"),
    path("darurat/<int:pk>/atom.xml", IncidentFeed(), name="incident_feed"),
]
