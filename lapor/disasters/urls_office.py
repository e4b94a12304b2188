"""Back-office pages of disaster mode, mounted at /kantor/darurat/."""
from django.urls import path

from lapor.disasters.views import office

app_name = "disasters_office"
urlpatterns = [
    path("", office.disaster_list, name="list"),
    path("<int:pk>/", office.disaster_edit, name="edit"),
    path("<int:pk>/akhiri/", office.disaster_stop, name="stop"),
]
